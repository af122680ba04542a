// Terminal: the Terminal widget on one virtual pin — buffered output flushed on newline, clear, and an input
// handler for what the user types in the app.
//
//   weft::blynk::Terminal<> term(blynk, 9);
//   term.print("uptime ");  term.print(uptime_s);  term.println(" s");   // one message: "uptime 42 s\n"
//   term.on_input([](std::string_view line) { ... });
//
// Output collects in the terminal's buffer (N bytes) and goes out as one `vw\0pin\0text` when a newline is
// written, on flush(), or when the buffer fills (a line longer than N goes out in N-byte pieces). Terminal
// messages are never coalesced: each one is shown. If the outbox refuses a flush (full), the text stays
// buffered and the call returns the error (text that found no room in the buffer is not taken); the next
// print or flush() tries again. Text with a NUL byte, NaN and infinity are refused (invalid_argument,
// logged). clear() drops the buffer and sends `clr` (the widget empties its screen).
#pragma once
#include <array>
#include <cstddef>
#include <span>
#include <string_view>

#include "body.hpp"
#include "handler.hpp"
#include "session.hpp"

namespace weft::blynk {

class TerminalBase {
 public:
  using InputHandler = Handler<void(std::string_view line)>;

  // Appends text; flushes at each newline (the newline included). Errors: the session's (busy, too_large...).
  Status print(std::string_view text);
  template <field_value V>
  requires(!text_like<V>) Status print(const V& value) {
    const Value v(value);
    if (!v.ok()) return refuse_value();
    return print(v.text());
  }
  template <field_value V>
  Status println(const V& value) {
    if (Status s = print(value); !s) return s;
    return print("\n");
  }
  Status println() { return print("\n"); }
  // Sends what is buffered (nothing to send: ok).
  Status flush();
  // Empties the buffer and the widget.
  Status clear();
  // What the user types in the widget (a line, without newline). Registers an on_write for the pin.
  Status on_input(InputHandler h);

  [[nodiscard]] int pin() const { return pin_; }
  [[nodiscard]] std::string_view buffered() const { return {buffer_.data(), size_}; }

 protected:
  TerminalBase(Session& session, int pin, std::span<char> buffer)
      : session_(&session), buffer_(buffer), pin_(pin) {}
  ~TerminalBase() = default;
  TerminalBase(const TerminalBase&) = delete;
  TerminalBase& operator=(const TerminalBase&) = delete;

 private:
  Status refuse_value();

  Session* session_;
  std::span<char> buffer_;
  std::size_t size_ = 0;
  int pin_;
  InputHandler input_;
};

namespace detail {
template <std::size_t N>
struct TerminalStorage {
  std::array<char, N> storage{};
};
}  // namespace detail

// A Terminal with an N-byte output buffer (default 64: one line of the widget at a time).
template <std::size_t N = 64>
class Terminal : private detail::TerminalStorage<N>, public TerminalBase {
  static_assert(N >= 1, "the terminal buffer needs at least one byte");

 public:
  Terminal(Session& session, int pin) : TerminalBase(session, pin, std::span<char>(this->storage)) {}
};

}  // namespace weft::blynk
