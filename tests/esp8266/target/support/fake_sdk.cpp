#include "fake_sdk.hpp"

#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "esp8266/fatal.hpp"
#include "esp8266/sdk.hpp"
#include "lx106_qemu/lx106.hpp"
extern "C" {
#include <espconn.h>
}

// The register blocks (esp8266.ld maps these names to the chip's peripherals).
extern "C" {
volatile std::uint32_t weft_esp8266_gpio_regs[64];
volatile std::uint32_t weft_esp8266_iomux_regs[32];
volatile std::uint32_t weft_esp8266_uart0_regs[32];
}

namespace fake_sdk {

std::uint64_t now_us = 0;
std::uint32_t time_offset = 0;
std::uint32_t longest_timer_us = 0;
void (*hw_timer_fn)() = nullptr;
std::uint32_t hw_timer_last_us = 0;
unsigned hw_timer_arms = 0;
int gpio16_mode = -1;
int gpio16_level = 0;
int adc_value = 0;
std::uint32_t reset_reason = 0;
std::uint64_t deep_sleep_us = UINT64_MAX;
unsigned restarts = 0;
int station_status = STATION_IDLE;
unsigned station_connects = 0;
char station_ssid[33] = {};

namespace {

os_task_t g_task = nullptr;
std::uint8_t g_task_prio = 0;
unsigned g_posted = 0;
constexpr int kMaxTimers = 8;
struct Armed {
  os_timer_t* timer;
  std::uint64_t at;
};
Armed g_timers[kMaxTimers];
int g_timer_count = 0;
ets_isr_t g_gpio_isr = nullptr;
void* g_gpio_arg = nullptr;
wifi_event_handler_cb_t g_wifi_cb = nullptr;
std::uint8_t g_opmode = 0;
std::uint8_t g_rtc[768];

// The fake checks how the board calls it where the real SDK would crash or misbehave silently: a broken
// contract stops the test with one line naming it.
void require(bool contract_kept, const char* what) {
  if (!contract_kept) weft::lx106::fatal(weft::lx106::kExitTrap, what);
}

void remove_timer(os_timer_t* t) {
  for (int i = 0; i < g_timer_count; ++i) {
    if (g_timers[i].timer == t) {
      g_timers[i] = g_timers[--g_timer_count];
      return;
    }
  }
}

}  // namespace

unsigned armed_timers() {
  return static_cast<unsigned>(g_timer_count);
}

bool gpio_isr_attached() {
  return g_gpio_isr != nullptr;
}

RunStats run(std::uint64_t for_us, bool (*done)()) {
  RunStats s;
  const std::uint64_t end = now_us + for_us;
  while (done == nullptr || !done()) {
    weft::lx106::feed_watchdog();  // the QEMU board's hog watchdog watches its own clock, not this one
    if (g_posted > 0) {
      --g_posted;
      ++s.task_events;
      os_event_t e{0, 0};
      g_task(&e);
      continue;
    }
    int first = -1;
    for (int i = 0; i < g_timer_count; ++i)
      if (first < 0 || g_timers[i].at < g_timers[first].at) first = i;
    if (first < 0 || g_timers[first].at > end) break;
    now_us = g_timers[first].at;
    os_timer_t* t = g_timers[first].timer;
    g_timers[first] = g_timers[--g_timer_count];
    ++s.timer_callbacks;
    t->timer_func(t->timer_arg);
  }
  return s;
}

void gpio_edge(std::uint32_t status) {
  weft_esp8266_gpio_regs[0x1C / 4] = weft_esp8266_gpio_regs[0x1C / 4] | status;
  if (g_gpio_isr != nullptr) g_gpio_isr(g_gpio_arg);
}

void wifi_event(int event, int status_after) {
  station_status = status_after;
  System_Event_t e{};
  e.event = static_cast<std::uint32_t>(event);
  if (g_wifi_cb != nullptr) g_wifi_cb(&e);
}

void reset() {
  now_us = 0;
  time_offset = 0;
  longest_timer_us = 0;
  g_posted = 0;
  g_timer_count = 0;
  g_task = nullptr;
  g_gpio_isr = nullptr;
  g_wifi_cb = nullptr;
  hw_timer_fn = nullptr;
  hw_timer_arms = 0;
  station_status = STATION_IDLE;
  station_connects = 0;
  gpio16_mode = -1;
  deep_sleep_us = UINT64_MAX;
  restarts = 0;
  std::memset(const_cast<std::uint32_t*>(weft_esp8266_gpio_regs), 0, sizeof weft_esp8266_gpio_regs);
  std::memset(const_cast<std::uint32_t*>(weft_esp8266_iomux_regs), 0, sizeof weft_esp8266_iomux_regs);
}

}  // namespace fake_sdk

namespace weft::esp8266 {
void fatal(const char* format, ...) {
  static char line[160];
  va_list args;
  va_start(args, format);
  std::vsnprintf(line, sizeof line, format, args);
  va_end(args);
  weft::lx106::fatal(weft::lx106::kExitTrap, line);
}
}  // namespace weft::esp8266

using namespace fake_sdk;

extern "C" {

uint32 system_get_time() {
  return static_cast<std::uint32_t>(now_us) + time_offset;
}

bool system_os_task(os_task_t task, uint8 prio, os_event_t*, uint8) {
  if (g_task != nullptr && prio == g_task_prio) return false;
  g_task = task;
  g_task_prio = prio;
  return true;
}

bool system_os_post(uint8 prio, os_signal_t, os_param_t) {
  if (prio != g_task_prio || g_posted >= 4) return false;  // the queue the clock registered holds 4
  ++g_posted;
  return true;
}

void ets_timer_setfn(os_timer_t* t, os_timer_func_t* fn, void* arg) {
  t->timer_func = fn;
  t->timer_arg = arg;
}

void ets_timer_arm_new(os_timer_t* t, uint32_t time, bool repeat, bool ms) {
  require(!repeat, "fake SDK: periodic os_timers are not used by the board");
  require(t->timer_func != nullptr, "fake SDK: os_timer armed before os_timer_setfn (the SDK would crash)");
  remove_timer(t);
  require(g_timer_count < kMaxTimers, "fake SDK: more os_timers armed at once than the fake holds");
  const std::uint64_t us = ms ? std::uint64_t{time} * 1000 : time;
  if (!ms && time > longest_timer_us) longest_timer_us = time;
  g_timers[g_timer_count++] = {t, now_us + us};
}

void ets_timer_disarm(os_timer_t* t) {
  remove_timer(t);
}

void ets_isr_attach(int inum, ets_isr_t fn, void* arg) {
  if (inum == ETS_GPIO_INUM) {
    g_gpio_isr = fn;
    g_gpio_arg = arg;
  }
}
void ets_isr_unmask(uint32) {}
void ets_intr_lock() {}
void ets_intr_unlock() {}

void gpio16_output_conf() {
  gpio16_mode = 1;
}
void gpio16_output_set(uint8 value) {
  gpio16_level = value & 1;
}
void gpio16_input_conf() {
  gpio16_mode = 0;
}
uint8 gpio16_input_get() {
  return static_cast<uint8>(gpio16_level);
}

void hw_timer_init(int, uint8) {}
void hw_timer_set_func(void (*fn)()) {
  hw_timer_fn = fn;
}
void hw_timer_arm(uint32 us) {
  hw_timer_last_us = us;
  ++hw_timer_arms;
}

uint16 system_adc_read() {
  return static_cast<uint16>(adc_value);
}

struct rst_info* system_get_rst_info() {
  static rst_info info{};
  info.reason = reset_reason;
  return &info;
}
void system_restart() {
  ++restarts;
}
bool system_deep_sleep(uint64 us) {
  deep_sleep_us = us;
  return true;
}
bool system_rtc_mem_read(uint8 block, void* out, uint16 n) {
  if (block < 64 || block * 4u + n > sizeof g_rtc) return false;
  std::memcpy(out, g_rtc + block * 4u, n);
  return true;
}
bool system_rtc_mem_write(uint8 block, const void* data, uint16 n) {
  if (block < 64 || block * 4u + n > sizeof g_rtc) return false;
  std::memcpy(g_rtc + block * 4u, data, n);
  return true;
}

bool wifi_station_set_auto_connect(uint8) {
  return true;
}
bool wifi_station_set_reconnect_policy(bool) {
  return true;
}
void wifi_set_event_handler_cb(wifi_event_handler_cb_t cb) {
  g_wifi_cb = cb;
}
uint8 wifi_get_opmode() {
  return g_opmode;
}
bool wifi_set_opmode_current(uint8 mode) {
  g_opmode = mode;
  return true;
}
bool wifi_station_disconnect() {
  station_status = STATION_IDLE;
  return true;
}
bool wifi_station_set_config_current(struct station_config* c) {
  std::memcpy(station_ssid, c->ssid, 32);
  station_ssid[32] = '\0';
  return true;
}
bool wifi_station_connect() {
  ++station_connects;
  station_status = STATION_CONNECTING;
  return true;
}
uint8 wifi_station_get_connect_status() {
  return static_cast<uint8>(station_status);
}
sint8 wifi_station_get_rssi() {
  return -60;
}
bool wifi_station_scan(struct scan_config*, scan_done_cb_t) {
  return false;
}
bool wifi_get_ip_info(uint8, struct ip_info* info) {
  info->ip.addr = 0x0A01A8C0;  // 192.168.1.10
  info->netmask.addr = 0x00FFFFFF;
  info->gw.addr = 0x0101A8C0;
  return true;
}
ip_addr_t espconn_dns_getserver(uint8) {
  ip_addr_t a;
  a.addr = 0x0101A8C0;
  return a;
}
bool wifi_get_macaddr(uint8, uint8* mac) {
  for (int i = 0; i < 6; ++i)
    mac[i] = static_cast<uint8>(0x10 + i);
  return true;
}
bool wifi_softap_set_config_current(struct softap_config*) {
  return true;
}
bool wifi_station_get_config(struct station_config* c) {
  std::memset(c, 0, sizeof *c);
  std::memcpy(c->ssid, station_ssid, 32);
  return true;
}
bool wifi_softap_get_config(struct softap_config* c) {
  std::memset(c, 0, sizeof *c);
  return true;
}

}  // extern "C"
