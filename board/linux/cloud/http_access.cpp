#include "http_access.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <random>

namespace weft::cloud {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool is_ipv4_literal(std::string_view h) {
  int dots = 0;
  int digits = 0;
  for (char c : h) {
    if (c == '.') {
      if (digits == 0 || digits > 3) return false;
      ++dots;
      digits = 0;
    } else if (c >= '0' && c <= '9') {
      ++digits;
    } else {
      return false;
    }
  }
  return dots == 3 && digits > 0 && digits <= 3;
}

}  // namespace

std::string make_admin_key() {
  std::random_device random;
  std::string key;
  for (int i = 0; i < 4; ++i) {
    char part[9];
    std::snprintf(part, sizeof part, "%08x", static_cast<unsigned>(random()));
    key += part;
  }
  return key;
}

bool host_allowed(const HttpRequest& req, const std::vector<std::string>& names) {
  const std::string* host = req.header("Host");
  if (host == nullptr) return req.minor_version == 0;
  std::string_view h = *host;
  if (!h.empty() && h.front() == '[') {  // [::1]:8080
    const std::size_t close = h.find(']');
    if (close == std::string_view::npos) return false;
    const std::string_view rest = h.substr(close + 1);
    return rest.empty() || rest.front() == ':';
  }
  if (const std::size_t colon = h.rfind(':'); colon != std::string_view::npos) h = h.substr(0, colon);
  if (iequals(h, "localhost") || is_ipv4_literal(h)) return true;
  return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return iequals(h, n); });
}

bool has_admin_key(const HttpRequest& req, std::string_view key) {
  const std::string* auth = req.header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (key.empty() || auth == nullptr || auth->size() != kBearer.size() + key.size() ||
      !iequals(std::string_view(*auth).substr(0, kBearer.size()), kBearer))
    return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < key.size(); ++i)
    diff |= static_cast<unsigned char>((*auth)[kBearer.size() + i] ^ key[i]);
  return diff == 0;
}

}  // namespace weft::cloud
