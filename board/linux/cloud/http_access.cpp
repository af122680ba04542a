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

// Compares without an early exit: the time taken does not tell how much of a guess was right.
bool same_secret(std::string_view given, std::string_view key) {
  if (given.size() != key.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < key.size(); ++i)
    diff |= static_cast<unsigned char>(given[i] ^ key[i]);
  return diff == 0;
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

bool has_admin_key(const HttpRequest& req, std::string_view key, bool or_in_query) {
  if (key.empty()) return false;
  const std::string* auth = req.header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (auth != nullptr && auth->size() > kBearer.size() &&
      iequals(std::string_view(*auth).substr(0, kBearer.size()), kBearer))
    return same_secret(std::string_view(*auth).substr(kBearer.size()), key);
  if (!or_in_query) return false;
  if (std::optional<std::vector<std::pair<std::string, std::string>>> params = parse_query(req.query)) {
    for (const auto& [name, value] : *params)
      if (name == "key") return same_secret(value, key);
  }
  return false;
}

bool origin_allowed(const HttpRequest& req) {
  const std::string* origin = req.header("Origin");
  if (origin == nullptr) return true;
  const std::string* host = req.header("Host");
  return host != nullptr && iequals(*origin, "http://" + *host);
}

}  // namespace weft::cloud
