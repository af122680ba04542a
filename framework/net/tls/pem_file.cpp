#include "pem_file.hpp"

#include <cstdlib>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/log.hpp"
#include "mbedtls_compat.hpp"

namespace weft::net::detail {

PemFile::~PemFile() {
  if (text_ != nullptr) detail::tls_zeroize(text_, size_);
  std::free(text_);
}

Status PemFile::read(const char* path, const char* what) {
  std::FILE* f = std::fopen(path, "rb");
  if (f == nullptr) {
    WEFT_LOG_ERROR("tls: cannot open %s %s: %s", what, path, std::strerror(errno));
    return Errc::io_error;
  }
  std::fseek(f, 0, SEEK_END);
  const long size = std::ftell(f);
  std::fseek(f, 0, SEEK_SET);
  if (size <= 0 || size > 16L * 1024 * 1024) {
    std::fclose(f);
    WEFT_LOG_ERROR("tls: %s %s is %s", what, path, size < 0 ? "not a file" : "empty or larger than 16 MB");
    return size < 0 ? Errc::io_error : Errc::invalid_argument;
  }
  if (text_ != nullptr) detail::tls_zeroize(text_, size_);  // read twice: the first text goes
  std::free(text_);
  text_ = static_cast<char*>(std::calloc(1, static_cast<std::size_t>(size) + 1));
  if (text_ == nullptr) {
    std::fclose(f);
    return Errc::no_memory;
  }
  size_ = std::fread(text_, 1, static_cast<std::size_t>(size), f);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) {
    WEFT_LOG_ERROR("tls: cannot read %s %s", what, path);
    return Errc::io_error;
  }
  text_[size_] = '\0';
  return {};
}

}  // namespace weft::net::detail
