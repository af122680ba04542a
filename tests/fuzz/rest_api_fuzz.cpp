// libFuzzer target for the local cloud's REST handler (board/linux/cloud/rest_api.cpp): the input is parsed
// as an HTTP request (http_request.cpp) and, when whole, handled against a store of two devices, one of them
// with values and properties.
// Invariants: an answer is a known status (200, 400, 401, 404, 405, 421); an error has a body that says what
// was wrong; without the admin key, no answer shows a token the request did not name.
//
// Input layout: what the client sent (the parser's limits are the cloud's defaults).
#include <cstdint>
#include <string>
#include <string_view>

#include "cloud.hpp"
#include "cloud_files_common.hpp"
#include "core/log.hpp"
#include "core/loop.hpp"
#include "core/virtual_clock.hpp"
#include "http_request.hpp"
#include "rest_api.hpp"
#include "store.hpp"

namespace {

using namespace weft;
using namespace weft::cloud;

constexpr char kTokenA[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
constexpr char kTokenB[] = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
constexpr char kAdminKey[] = "fuzz-admin-key-0123456789";

}  // namespace

// The board's default clock and I/O poller (a program's board provides them; Loop() without one asks for
// them): never used here.
weft::ClockPort& weft::default_clock_port() {
  static VirtualClock clock;
  return clock;
}
weft::IoPoller* weft::default_io_poller() {
  return nullptr;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  set_log_level(LogLevel::error);
  set_log_sink([](LogLevel, const char*, void*) {}, nullptr);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CloudOptions options{.http = true, .admin_key = kAdminKey};
  HttpRequestParser parser(options.http_limits);
  (void)parser.feed(text);
  if (parser.state() != HttpRequestParser::State::done) return 0;
  const HttpRequest& request = parser.request();

  VirtualClock clock;
  Loop loop(clock);
  Store store;
  (void)store.add(DeviceSpec{.name = "a", .token = kTokenA});
  (void)store.add(DeviceSpec{.name = "b", .token = kTokenB});
  Cloud cloud(store, options);
  HttpResponse r = handle_rest(cloud, request);
  CHECK(r.status == 200 || r.status == 400 || r.status == 401 || r.status == 404 || r.status == 405 ||
        r.status == 421);
  if (r.status != 200) CHECK(!r.body.empty());  // an error always says what was wrong
  // Without the admin key, B's token is never in an answer to a request that does not name it.
  const bool admin =
      request.target.find(kAdminKey) != std::string::npos || text.find(kAdminKey) != std::string_view::npos;
  if (!admin && text.find(kTokenB) == std::string_view::npos)
    CHECK(r.body.find(kTokenB) == std::string::npos);
  return 0;
}
