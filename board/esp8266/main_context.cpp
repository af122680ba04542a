#include "esp8266/main_context.hpp"

#include <cstdint>

#include "core/iram.hpp"
#include "esp8266/fatal.hpp"

namespace weft::esp8266 {
namespace {
constexpr std::uint32_t kCanary = 0x57EF7CA5u;
constexpr std::size_t kFrameBytes = 32;  // weft_context_switch's frame
}  // namespace

MainContext::MainContext(void* stack, std::size_t bytes, Entry entry, void* arg)
    : stack_low_(static_cast<std::uint32_t*>(stack)), bytes_(bytes & ~std::size_t{15}) {
  for (std::size_t i = 0; i < bytes_ / 4; ++i)
    stack_low_[i] = kCanary;
  // A frame as weft_context_switch leaves it: a0 = weft_context_start, a12 = arg, a13 = entry.
  auto* frame = reinterpret_cast<std::uint32_t*>(reinterpret_cast<char*>(stack) + bytes_ - kFrameBytes);
  frame[0] = reinterpret_cast<std::uint32_t>(&weft_context_start);
  frame[1] = reinterpret_cast<std::uint32_t>(arg);
  frame[2] = reinterpret_cast<std::uint32_t>(entry);
  frame[3] = 0;
  frame[4] = 0;
  main_sp_ = frame;
}

WEFT_IRAM void MainContext::resume() {
  if (running_) return;
  running_ = true;
  weft_context_switch(&sdk_sp_, main_sp_);
}

WEFT_IRAM void MainContext::suspend() {
  check_canary();
  running_ = false;
  weft_context_switch(&main_sp_, sdk_sp_);
}

void MainContext::check_canary() const {
  if (stack_low_[0] != kCanary) [[unlikely]]
    fatal("main() overflowed its stack of %u bytes: raise WEFT_MAIN_STACK_BYTES",
          static_cast<unsigned>(bytes_));
}

std::size_t MainContext::stack_never_used() const {
  std::size_t n = 0;
  while (n < bytes_ / 4 && stack_low_[n] == kCanary)
    ++n;
  return n * 4;
}

}  // namespace weft::esp8266
