#include "power.hpp"

#include "core/log.hpp"
#include "port.hpp"

namespace weft::machine {
namespace {
// RTC user memory layout: a 4-byte magic (garbage after power-on must not read as data), a 16-bit length,
// 2 spare bytes, then the data.
constexpr std::uint8_t kMagic[4] = {'w', 'R', 'T', 'C'};
constexpr std::size_t kHeader = 8;
static_assert(kHeader + kRtcMemoryBytes <= MachinePort::kRtcRawBytes);
}  // namespace

const char* to_string(ResetCause c) {
  switch (c) {
    case ResetCause::power_on:
      return "power-on";
    case ResetCause::watchdog:
      return "watchdog";
    case ResetCause::soft:
      return "soft";
    case ResetCause::deep_sleep:
      return "deep-sleep";
    case ResetCause::hard:
      return "hard";
  }
  return "unknown";
}

ResetCause reset_cause() {
  return default_machine_port().reset_cause();
}

bool PowerDownAwaiter::await_suspend(std::coroutine_handle<> h) {
  if (!Loop::current().begin_wait(h, node_)) return false;
  default_machine_port().power_down(kind_, duration_);
  return true;
}

PowerDownAwaiter deep_sleep(Micros duration) {
  if (duration != kUntilReset && (duration < 1000 || duration > kMaxDeepSleep)) {
    log_message(LogLevel::error,
                "deep_sleep(%lld us): use 1 ms .. 3 h, or machine::kUntilReset to sleep until the RST pin "
                "(the ESP8266 reads 0 as 'until reset': weft makes you say so)",
                static_cast<long long>(duration));
    return {PowerDown::deep_sleep, duration, Errc::invalid_argument};
  }
  return {PowerDown::deep_sleep, duration, Errc::ok};
}

PowerDownAwaiter reset() {
  return {PowerDown::reset, 0, Errc::ok};
}

Status rtc_memory_write(std::span<const std::uint8_t> data) {
  if (data.size() > kRtcMemoryBytes) {
    log_message(LogLevel::error, "rtc_memory_write: %lu bytes; the RTC user memory holds at most %lu",
                static_cast<unsigned long>(data.size()), static_cast<unsigned long>(kRtcMemoryBytes));
    return Errc::too_large;
  }
  std::uint8_t header[kHeader] = {kMagic[0],
                                  kMagic[1],
                                  kMagic[2],
                                  kMagic[3],
                                  static_cast<std::uint8_t>(data.size() & 0xff),
                                  static_cast<std::uint8_t>(data.size() >> 8),
                                  0,
                                  0};
  default_machine_port().rtc_memory_write(kHeader, data.data(), data.size());
  default_machine_port().rtc_memory_write(0, header, kHeader);
  return {};
}

std::size_t rtc_memory_read(std::span<std::uint8_t> out) {
  std::uint8_t header[kHeader];
  default_machine_port().rtc_memory_read(0, header, kHeader);
  for (std::size_t i = 0; i < 4; ++i) {
    if (header[i] != kMagic[i]) return 0;
  }
  std::size_t size = header[4] | static_cast<std::size_t>(header[5]) << 8;
  if (size > kRtcMemoryBytes) return 0;
  default_machine_port().rtc_memory_read(kHeader, out.data(), size < out.size() ? size : out.size());
  return size;
}

}  // namespace weft::machine
