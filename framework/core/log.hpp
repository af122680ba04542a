// Logging shim: printf-style lines with a level and the loop's timestamp, written through the board's
// console_write(). Levels below WEFT_LOG_LEVEL compile out entirely (0 error, 1 warning, 2 info, 3 debug).
//
//   WEFT_LOG_INFO("connected to %s:%u", host, port);
//   -> "[   12.345678] I connected to blynk.cloud:80"
//
// Formatting uses a fixed stack buffer (lines longer than 200 characters are cut, marked with "...");
// no allocation. A log sink can be installed (tests capture lines with it).
#pragma once
#include <cstddef>

#ifndef WEFT_LOG_LEVEL
#define WEFT_LOG_LEVEL 2
#endif

namespace weft {

enum class LogLevel : unsigned char { error = 0, warning = 1, info = 2, debug = 3 };

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void log_message(LogLevel level, const char* format, ...);

// Receives every formatted line (without newline). nullptr restores the console.
using LogSink = void (*)(LogLevel level, const char* line, void* context);
void set_log_sink(LogSink sink, void* context);

// Lines below this level are dropped at run time (the compile-time WEFT_LOG_LEVEL still applies).
void set_log_level(LogLevel level);

}  // namespace weft

#if WEFT_LOG_LEVEL >= 0
#define WEFT_LOG_ERROR(...) ::weft::log_message(::weft::LogLevel::error, __VA_ARGS__)
#else
#define WEFT_LOG_ERROR(...) ((void)0)
#endif
#if WEFT_LOG_LEVEL >= 1
#define WEFT_LOG_WARN(...) ::weft::log_message(::weft::LogLevel::warning, __VA_ARGS__)
#else
#define WEFT_LOG_WARN(...) ((void)0)
#endif
#if WEFT_LOG_LEVEL >= 2
#define WEFT_LOG_INFO(...) ::weft::log_message(::weft::LogLevel::info, __VA_ARGS__)
#else
#define WEFT_LOG_INFO(...) ((void)0)
#endif
#if WEFT_LOG_LEVEL >= 3
#define WEFT_LOG_DEBUG(...) ::weft::log_message(::weft::LogLevel::debug, __VA_ARGS__)
#else
#define WEFT_LOG_DEBUG(...) ((void)0)
#endif
