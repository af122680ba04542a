#include "log.hpp"

#include <cstdarg>
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
  Micros t = loop != nullptr ? loop->now() : 0;
  int head = std::snprintf(line, sizeof line, "[%5ld.%06ld] %c ", static_cast<long>(t / 1000000),
                           static_cast<long>(t % 1000000), kLetters[static_cast<int>(level) & 3]);
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
