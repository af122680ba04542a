// PemFile: the text of a PEM file, read whole onto mbedTLS' heap and NUL-terminated (mbedTLS' PEM parsers
// want that; wiped when freed: it may be a private key), for TlsTrust::add_file and TlsIdentity::load_files. Hosted builds (the chip has no files).
#pragma once
#include <cstddef>
#include <string_view>

#include "core/result.hpp"

namespace weft::net::detail {

class PemFile {
 public:
  PemFile() = default;
  ~PemFile();
  PemFile(const PemFile&) = delete;
  PemFile& operator=(const PemFile&) = delete;

  // Reads `path`, at most 16 MB. io_error (cannot open or read: logged with the system's reason and
  // `what`, e.g. "the CA file"), invalid_argument (empty or too large, logged), no_memory.
  Status read(const char* path, const char* what);
  [[nodiscard]] std::string_view text() const { return {text_, size_}; }

 private:
  char* text_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace weft::net::detail
