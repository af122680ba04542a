#include "dash_button.hpp"

#include "../common/app_tls.hpp"
#include "core/event.hpp"
#include "core/log.hpp"
#include "core/sleep.hpp"
#include "machine/pin.hpp"
#include "machine/power.hpp"
#include "net/http/client.hpp"
#include "net/http/json_writer.hpp"
#include "net/wlan.hpp"

namespace dash_button {

using weft::Errc;
using weft::Result;
using weft::Status;
using weft::Task;
namespace machine = weft::machine;
namespace net = weft::net;

namespace {

int clip(std::string_view s) {
  return static_cast<int>(s.size());
}

// The seed's try/except around connect_wifi() and call_webhook(): false on any failure (already logged).
Task<bool> press_button(const Config& c) {
  Status wifi = co_await connect_wifi(c);
  if (!wifi) co_return false;
  Result<int> status = co_await call_webhook(c);
  co_return status.ok() && *status < 400;
}

// Debug mode: the chip stays up (on the real board, for the serial console) until reset or power-off.
Task<> stay_awake() {
  weft::Event never;
  co_await never.wait();
}

}  // namespace

Task<Status> connect_wifi(const Config& c) {
  net::Wlan ap(net::Interface::access_point);
  ap.active(false);  // not used: no "MicroPython-xxxxxx" network next to the button
  net::Wlan sta(net::Interface::station);
  if (!sta.isconnected()) {
    WEFT_LOG_INFO("Connecting to WiFi...");
    sta.active(true);
    Status s = co_await sta.connect(c.wifi_ssid, c.wifi_password, c.wifi_timeout);
    if (!s) {
      WEFT_LOG_WARN("WiFi: cannot connect to \"%.*s\": %s (status %s)", clip(c.wifi_ssid), c.wifi_ssid.data(),
                    weft::to_string(s.error()), net::to_string(sta.status()));
      sta.disconnect();  // a timed-out attempt would go on trying
      co_return s;
    }
  }
  net::IfConfig ic = sta.ifconfig();
  char ip[weft::IpAddress::kMaxText], mask[weft::IpAddress::kMaxText], gw[weft::IpAddress::kMaxText],
      dns[weft::IpAddress::kMaxText];
  (void)ic.ip.format(ip), (void)ic.netmask.format(mask), (void)ic.gateway.format(gw),
      (void)ic.dns.format(dns);
  WEFT_LOG_INFO("Network config: ('%s', '%s', '%s', '%s')", ip, mask, gw, dns);
  co_return Status{};
}

Task<Result<int>> call_webhook(const Config& c) {
  WEFT_LOG_INFO("Invoking webhook");
  char json[96];
  net::JsonWriter body(json);
  body.begin_object().member("value1", c.button_id).end_object();
  Result<std::string_view> text = body.finish();
  if (!text) {
    WEFT_LOG_WARN("Webhook failed: the button id does not fit in the request body (%s)",
                  weft::to_string(text.error()));
    co_return text.error();
  }
  char buffer[512];  // request head, then response head: the webhook's body is not needed
  net::HttpOptions options;
  options.connect_timeout = c.http_timeout;
  options.read_timeout = c.http_timeout;
  options.request_timeout = 2 * c.http_timeout;  // the whole webhook: a trickling server cannot keep us awake
  const AppTls tls(c.webhook_ca_pem);            // https://: verified against it (or the system bundle)
  options.tls = tls.config();
  net::HttpClient http(buffer, options);
  Result<net::HttpResponse> r = co_await http.post(c.webhook_url, *text, "application/json");
  if (!r) {
    WEFT_LOG_WARN("Webhook failed: %s", weft::to_string(r.error()));
    co_return r.error();
  }
  if (r->status() >= 400) {
    WEFT_LOG_WARN("Webhook failed: HTTP %d %.*s", r->status(), clip(r->reason()), r->reason().data());
  } else {
    WEFT_LOG_INFO("Webhook invoked: HTTP %d %.*s", r->status(), clip(r->reason()), r->reason().data());
  }
  co_return r->status();
}

Task<> show_error(const Config& c) {
  // Both LEDs of a NodeMCU are lit when their pin is low: high is dark, so they start dark.
  Result<machine::Pin> led = machine::Pin::open(c.led_pin, machine::PinMode::out, machine::Pull::none, 1);
  Result<machine::Pin> led2 = machine::Pin::open(c.led2_pin, machine::PinMode::out, machine::Pull::none, 1);
  if (!led || !led2) co_return;  // the reason is logged
  WEFT_LOG_INFO("Blinking the error LEDs (GPIO%d, GPIO%d) %d times", c.led_pin, c.led2_pin, c.error_blinks);
  for (int i = 0; i < c.error_blinks; ++i) {
    led->on();
    led2->off();
    co_await weft::sleep_us(c.blink_interval);
    led->off();
    led2->on();
    co_await weft::sleep_us(c.blink_interval);
  }
  led->on();
  led2->on();
}

bool is_debug(const Config& c) {
  Result<machine::Pin> debug = machine::Pin::open(c.debug_pin, machine::PinMode::in, machine::Pull::up);
  if (debug && debug->value() == 0) {
    WEFT_LOG_INFO("Debug mode detected: staying awake (remove the jumper on GPIO%d and reset to sleep)",
                  c.debug_pin);
    return true;
  }
  return false;
}

Task<> run(const Config& c) {
  machine::ResetCause cause = machine::reset_cause();
  WEFT_LOG_INFO("dash_button: boot, reset cause %s", machine::to_string(cause));
  if (cause == machine::ResetCause::deep_sleep) {  // the button (RST) woke the chip: that is a press
    Result<bool> pressed = co_await press_button(c);
    if (!pressed.value_or(false)) co_await show_error(c);
  } else {
    WEFT_LOG_INFO("Not a wake from deep sleep: no webhook");
  }
  if (is_debug(c)) {
    co_await stay_awake();
    co_return;
  }
  WEFT_LOG_INFO("Going to deep sleep until the button (RST) is pressed");
  Status s = co_await machine::deep_sleep(machine::kUntilReset);
  WEFT_LOG_ERROR("dash_button: deep sleep failed: %s", weft::to_string(s.error()));
}

}  // namespace dash_button
