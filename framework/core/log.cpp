#include "log.hpp"

#include <cstdarg>
#include <cstdint>
#include <cstdio>

#include "console.hpp"
#include "loop.hpp"
#include "task.hpp"

namespace weft {
namespace {
LogSink g_sink = nullptr;
void* g_sink_context = nullptr;
LogLevel g_level = static_cast<LogLevel>(WEFT_LOG_LEVEL);
}  // namespace

void set_log_sink(LogSink sink, void* context) {
  g_sink = sink;
  g_sink_context = context;
}

void set_log_level(LogLevel level) {
  g_level = level;
}

void log_message(LogLevel level, const char* format, ...) {
  if (level > g_level) return;
  char line[224];
  static const char kLetters[] = {'E', 'W', 'I', 'D'};
  Loop* loop = Loop::current_or_null();
  // Loop time is never negative: unsigned, one division, and the remainder in 32 bits. A signed 64-bit %
  // is the one 64-bit division helper the ESP8266's ROM lacks: it would add 0.9 KB of IRAM (board/esp8266).
  auto t = static_cast<std::uint64_t>(loop != nullptr ? loop->now() : 0);
  auto seconds = static_cast<std::uint32_t>(t / 1000000);
  std::uint32_t micros = static_cast<std::uint32_t>(t) - seconds * 1000000u;
  int head = std::snprintf(line, sizeof line, "[%5lu.%06lu] %c ", static_cast<unsigned long>(seconds),
                           static_cast<unsigned long>(micros), kLetters[static_cast<int>(level) & 3]);
  if (head < 0) head = 0;
  va_list args;
  va_start(args, format);
  int body = std::vsnprintf(line + head, sizeof line - static_cast<std::size_t>(head), format, args);
  va_end(args);
  std::size_t n = static_cast<std::size_t>(head) + static_cast<std::size_t>(body < 0 ? 0 : body);
  if (n >= sizeof line - 1) {
    n = sizeof line - 1;
    line[n - 3] = line[n - 2] = line[n - 1] = '.';
  }
  line[n] = '\0';
  if (g_sink != nullptr) {
    g_sink(level, line + head, g_sink_context);
    return;
  }
  line[n] = '\n';
  console_write(line, n + 1);
}

void detail::on_frame_alloc_failure(std::size_t bytes) noexcept {
  ArenaStats s = FrameArena::current().stats();
  log_message(LogLevel::error,
              "frame arena full: a coroutine frame of %lu bytes does not fit (%lu of %lu bytes in use); "
              "raise WEFT_FRAME_ARENA_BYTES",
              static_cast<unsigned long>(bytes), static_cast<unsigned long>(s.in_use),
              static_cast<unsigned long>(s.capacity));
}

}  // namespace weft
