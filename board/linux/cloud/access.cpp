#include "access.hpp"

#include <algorithm>

#include "cloud.hpp"

namespace weft::cloud {
namespace {

constexpr const char* kText = "text/plain; charset=utf-8";

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

// Compares without an early exit, so the time taken does not tell how much of a guess was right.
bool same_secret(std::string_view given, std::string_view key) {
  unsigned diff = given.size() == key.size() ? 0U : 1U;
  for (std::size_t i = 0; i < key.size(); ++i)
    diff |= static_cast<unsigned>(static_cast<unsigned char>(key[i]) ^
                                  static_cast<unsigned char>(i < given.size() ? given[i] : 0));
  return diff == 0;
}

std::string key_of(const HttpRequest& req) {
  if (const std::string* k = req.header("X-Weft-Key")) return *k;
  if (const std::string* a = req.header("Authorization")) {
    constexpr std::string_view kBearer = "Bearer ";
    if (a->size() > kBearer.size() && equal_ignoring_case(std::string_view(*a).substr(0, 7), kBearer))
      return a->substr(kBearer.size());
  }
  if (std::optional<std::vector<std::pair<std::string, std::string>>> params = parse_query(req.query)) {
    for (const auto& [name, value] : *params)
      if (name == "key") return value;
  }
  return {};
}

}  // namespace

std::string_view host_of(std::string_view h) {
  if (!h.empty() && h.front() == '[') {
    const std::size_t close = h.find(']');
    return close == std::string_view::npos ? h : h.substr(1, close - 1);
  }
  const std::size_t colon = h.find(':');
  return colon == std::string_view::npos ? h : h.substr(0, colon);
}

bool is_loopback_name(std::string_view host) {
  if (equal_ignoring_case(host, "localhost") || host == "::1") return true;
  if (host.substr(0, 4) != "127.") return false;
  return std::all_of(host.begin(), host.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

std::optional<HttpResponse> refuse_admin(const CloudOptions& o, const HttpRequest& req) {
  const std::string* host = req.header("Host");
  if (host == nullptr)
    return HttpResponse{403, kText,
                        "A Host header is required (this server's address, e.g. 127.0.0.1:8080).\n"};
  const std::string_view name = host_of(*host);
  const bool known = is_loopback_name(name) ||
                     std::any_of(o.host_names.begin(), o.host_names.end(),
                                 [&](const std::string& n) { return equal_ignoring_case(n, name); });
  if (!known)
    return HttpResponse{
        403, kText,
        "Host '" + std::string(name) +
            "' is not this server's name: open it at its loopback address, or start weft-cloud "
            "with --host-name " +
            std::string(name) + ".\n"};
  if (const std::string* origin = req.header("Origin"); origin != nullptr && *origin != "http://" + *host)
    return HttpResponse{403, kText,
                        "Requests from the page of another site (Origin " + *origin +
                            ") are refused: open the dashboard at http://" + *host + "/.\n"};
  if (!same_secret(key_of(req), o.admin_key))
    return HttpResponse{
        401, kText,
        "This needs the admin key weft-cloud printed at start: send the header X-Weft-Key: KEY "
        "(or ?key=KEY).\n"};
  return std::nullopt;
}

}  // namespace weft::cloud
