// Helpers for core tests: a virtual-clock loop fixture, a trace of events, and lifetime counters.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "core/weft.hpp"

namespace weft {
// GoogleTest prints Errc values by name.
inline void PrintTo(Errc e, std::ostream* os) {
  *os << to_string(e);
}
}  // namespace weft

namespace weft::test {

// Records "what happened in which order" as strings, for comparing against an expected sequence.
struct Trace {
  std::vector<std::string> events;
  void operator()(std::string e) { events.push_back(std::move(e)); }
};

// A task that traces name0, name1, ... `times` times, yielding after each: one entry per pass.
inline Task<> yielder(Trace& trace, std::string name, int times) {
  for (int i = 0; i < times; ++i) {
    trace(name + std::to_string(i));
    co_await yield();
  }
}

// Counts constructions and destructions, to prove that frames were unwound (locals destroyed).
struct Lifetime {
  int* alive;
  explicit Lifetime(int& counter) : alive(&counter) { ++*alive; }
  Lifetime(const Lifetime&) = delete;
  Lifetime& operator=(const Lifetime&) = delete;
  ~Lifetime() { --*alive; }
};

// A loop on a virtual clock: deterministic, and time jumps when every task sleeps.
struct VirtualLoop {
  VirtualClock clock;
  Loop loop{clock};
};

// Captures log lines while alive.
struct LogCapture {
  std::vector<std::string> lines;
  LogCapture() {
    set_log_sink([](LogLevel, const char* line,
                    void* self) { static_cast<LogCapture*>(self)->lines.emplace_back(line); },
                 this);
  }
  ~LogCapture() { set_log_sink(nullptr, nullptr); }
  [[nodiscard]] bool contains(const std::string& needle) const {
    for (const auto& l : lines) {
      if (l.find(needle) != std::string::npos) return true;
    }
    return false;
  }
};

}  // namespace weft::test
