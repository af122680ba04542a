// The chip has no file system: the C library's file calls (fopen and the POSIX calls under it, reached by
// TlsTrust::add_file and TlsIdentity::load_files) fail with ENOSYS, which those report ("cannot open ...:
// Function not implemented"). CAs come from PEM text on the chip (TlsTrust::add_pem).
#include <cerrno>
#include <cstddef>

#include <sys/types.h>

extern "C" {

int open(const char* /*path*/, int /*flags*/, ...) {
  errno = ENOSYS;
  return -1;
}

int close(int /*fd*/) {
  errno = EBADF;
  return -1;
}

ssize_t read(int /*fd*/, void* /*into*/, std::size_t /*n*/) {
  errno = EBADF;
  return -1;
}

ssize_t write(int /*fd*/, const void* /*from*/, std::size_t /*n*/) {
  errno = EBADF;
  return -1;
}

off_t lseek(int /*fd*/, off_t /*offset*/, int /*whence*/) {
  errno = EBADF;
  return -1;
}

}  // extern "C"
