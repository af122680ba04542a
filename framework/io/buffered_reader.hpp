// BufferedReader: reads a TcpStream through a buffer you supply, for protocols framed by a delimiter
// (read_until) or a length (fill + buffered + consume), without losing a byte to a timeout.
//
//   char storage[256];                                   // the limit: a line must fit in it
//   weft::BufferedReader in(stream, storage);
//   weft::Result<std::span<char>> line = co_await weft::wait_for(in.read_until('\n'), weft::sec(2));
//   if (line) handle(*line);                              // includes the '\n'; valid until the next read
//
//   co_await in.fill(5);                                  // a 5-byte header is buffered...
//   auto header = in.buffered().first(5); ...; in.consume(5);
//
// Bytes are moved from the socket into the buffer as they arrive and stay there until a read returns them,
// so every read is cancel-safe: a read that times out or is cancelled leaves the buffer as it was plus any
// bytes that arrived; the next read starts from there. The reader shares the stream's read slot: one read
// at a time (Errc::busy otherwise), and do not read the stream directly while the buffer holds bytes.
// The reader refers to the stream and the storage: keep both alive while it is used. No allocation.
#pragma once
#include <coroutine>
#include <cstddef>
#include <span>

#include "tcp_stream.hpp"

namespace weft {

class BufferedReader {
 public:
  class FillAwaiter;
  class LineAwaiter;

  BufferedReader(TcpStream& stream, std::span<char> storage) : stream_(&stream), storage_(storage) {}
  BufferedReader(const BufferedReader&) = delete;
  BufferedReader& operator=(const BufferedReader&) = delete;

  // Status: ok once at least n bytes are buffered. Errc::too_large if n > capacity() (at once), closed if the
  // stream ends first, and the stream's errors. Whatever arrived stays buffered.
  [[nodiscard]] FillAwaiter fill(std::size_t n);
  // Result<std::span<char>>: the bytes up to and including the first `delimiter`, taken from the buffer (the
  // span stays valid until the next read on this reader). Errors, with every byte left in buffered():
  // too_large (the buffer is full and holds no delimiter: consume() or fail), closed (the stream ended
  // without one), timed_out / cancelled, and the stream's errors.
  [[nodiscard]] LineAwaiter read_until(char delimiter);
  // As TcpStream's reads, taking buffered bytes first (then reading straight into `into`, no extra copy).
  [[nodiscard]] TcpStream::ReadAwaiter read_exactly(std::span<char> into);
  [[nodiscard]] TcpStream::ReadAwaiter read_some(std::span<char> into);

  // The bytes buffered and not yet consumed (valid until the next read).
  [[nodiscard]] std::span<char> buffered() const { return storage_.subspan(begin_, end_ - begin_); }
  // Drops n buffered bytes (n is clamped to buffered().size()).
  void consume(std::size_t n);
  [[nodiscard]] std::size_t capacity() const { return storage_.size(); }
  [[nodiscard]] TcpStream& stream() const { return *stream_; }

 private:
  friend class TcpStream::ReadAwaiter;
  class Filler;
  // Copies buffered bytes into `to` and consumes them; returns how many.
  std::size_t take(std::span<char> to);
  void compact();

  TcpStream* stream_;
  std::span<char> storage_;
  std::size_t begin_ = 0;  // unconsumed bytes are storage_[begin_, end_)
  std::size_t end_ = 0;
};

// Reads from the socket into the reader's free space until `satisfied` says so (shared by fill and
// read_until).
class BufferedReader::Filler : protected detail::SocketOp {
 protected:
  Filler(BufferedReader& r, bool (*satisfied)(Filler&))
      : SocketOp(&r.stream_->socket_, Side::read, &attempt, true), reader_(&r), satisfied_(satisfied) {}
  Filler(Filler&&) noexcept = default;
  static bool attempt(SocketOp& op);
  BufferedReader* reader_;
  bool (*satisfied_)(Filler&);
};

class [[nodiscard]] BufferedReader::FillAwaiter : Filler {
 public:
  FillAwaiter(BufferedReader& r, std::size_t n) : Filler(r, &enough), wanted_(n) {}
  FillAwaiter(FillAwaiter&&) noexcept = default;
  bool await_ready();
  bool await_suspend(std::coroutine_handle<> h) { return wait(h); }
  Status await_resume() { return error(); }

 private:
  static bool enough(Filler& f);
  std::size_t wanted_;
};

class [[nodiscard]] BufferedReader::LineAwaiter : Filler {
 public:
  LineAwaiter(BufferedReader& r, char delimiter) : Filler(r, &found), delimiter_(delimiter) {}
  LineAwaiter(LineAwaiter&&) noexcept = default;
  bool await_ready() { return start(); }
  bool await_suspend(std::coroutine_handle<> h) { return wait(h); }
  Result<std::span<char>> await_resume();

 private:
  static bool found(Filler& f);
  std::size_t scanned_ = 0;  // buffered bytes already searched
  std::size_t line_ = 0;     // length of the line found (with its delimiter)
  char delimiter_;
};

}  // namespace weft
