// Helpers for the target's core tests, without std::string/vector (no heap on the chip):
// a fixed-buffer trace, lifetime counters, loops on the virtual and the board clock, a log capture.
#pragma once
#include <cstdio>
#include <cstring>

#include "core/weft.hpp"
#include "lx106_qemu/lx106.hpp"

namespace weft::target {

// Records "what happened in which order" as space-separated tokens: trace("a", 0) -> "a0".
// Compare with EXPECT_STREQ(trace.str(), "a0 b0 a1").
class Trace {
 public:
  void operator()(const char* token, long number = -1) {
    char buf[40];
    int n = number >= 0 ? std::snprintf(buf, sizeof buf, "%s%ld", token, number)
                        : std::snprintf(buf, sizeof buf, "%s", token);
    if (n < 0) return;
    std::size_t need = static_cast<std::size_t>(n) + (len_ != 0 ? 1 : 0);
    if (len_ + need >= sizeof text_) {
      overflow_ = true;
      return;
    }
    if (len_ != 0) text_[len_++] = ' ';
    std::memcpy(text_ + len_, buf, static_cast<std::size_t>(n));
    len_ += static_cast<std::size_t>(n);
    text_[len_] = '\0';
  }
  [[nodiscard]] const char* str() const { return overflow_ ? "<trace overflow>" : text_; }

 private:
  char text_[384] = {};
  std::size_t len_ = 0;
  bool overflow_ = false;
};

// Counts live instances, to prove frames were unwound (locals destroyed).
struct Lifetime {
  int* alive;
  explicit Lifetime(int& counter) : alive(&counter) { ++*alive; }
  Lifetime(const Lifetime&) = delete;
  Lifetime& operator=(const Lifetime&) = delete;
  ~Lifetime() { --*alive; }
};

// A loop on a virtual clock: exact, repeatable scheduling order.
struct VirtualLoop {
  VirtualClock clock;
  Loop loop{clock};
};

// The board's own clock (CCOUNT + CCOMPARE0 + waiti): what firmware runs on.
[[nodiscard]] inline lx106::CcountClock& board_clock() {
  return static_cast<lx106::CcountClock&>(default_clock_port());
}

// Captures log lines while alive (the last 512 characters, and a count).
class LogCapture {
 public:
  LogCapture() {
    set_log_sink([](LogLevel, const char* line, void* self) { static_cast<LogCapture*>(self)->add(line); },
                 this);
  }
  ~LogCapture() { set_log_sink(nullptr, nullptr); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  [[nodiscard]] bool contains(const char* needle) const { return std::strstr(text_, needle) != nullptr; }
  [[nodiscard]] int lines() const { return lines_; }
  [[nodiscard]] const char* text() const { return text_; }

 private:
  void add(const char* line) {
    ++lines_;
    std::size_t n = std::strlen(line);
    if (n + 2 > sizeof text_) n = sizeof text_ - 2;
    std::size_t len = std::strlen(text_);
    if (len + n + 2 > sizeof text_) {  // keep the newest lines
      len = 0;
      text_[0] = '\0';
    }
    std::memcpy(text_ + len, line, n);
    text_[len + n] = '\n';
    text_[len + n + 1] = '\0';
  }
  char text_[512] = {};
  int lines_ = 0;
};

}  // namespace weft::target
