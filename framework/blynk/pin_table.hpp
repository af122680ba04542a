// The session's pin handlers: what runs when the app writes a pin (`vw`, `dw`, `aw`) or asks for one (`vr`,
// `dr`, `ar`), in a fixed table (Limits::handlers slots; no heap).
//
//   WriteHandler  void(int pin, Values values)   the app wrote `values` to `pin`
//   ReadHandler   void(int pin, Reply& reply)    the app asks for `pin`: reply.write(...) answers (or not)
//
// Lookup: the slot for (op, pin), else the op's wildcard slot (on_write_any / on_read_any), else none.
// O(slots) per lookup: a scan of a few bytes per slot, which beats a 256-entry index at these table sizes and
// costs no RAM. Handlers run in loop context from the session's reader: keep them short, never block (start
// a task or set an Event for long work).
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "body.hpp"
#include "core/result.hpp"
#include "frame_writer.hpp"
#include "handler.hpp"
#include "hardware.hpp"
#include "values.hpp"

namespace weft::blynk {

class Reply;
using WriteHandler = Handler<void(int pin, Values values)>;
using ReadHandler = Handler<void(int pin, Reply& reply)>;

// The answer to a server's read request (`vr` -> `vw`, `dr` -> `dw`, `ar` -> `aw`), sent at once with the
// request's id, ahead of queued messages and outside the rate limit (the server asked). One answer per
// request: a second write() is Errc::busy. Errors are logged too.
class Reply {
 public:
  Reply(FrameWriter& tx, std::uint16_t id, HardwareOp answer, std::uint8_t pin)
      : tx_(&tx), id_(id), answer_(answer), pin_(pin) {}

  // `vw` answers take any number of values; `dw`/`aw` answers exactly one number.
  // Errors: invalid_argument (a bad value), too_large (more than the send buffer holds), busy (answered).
  template <field_value V, field_value... Vs>
  Status write(const V& first, const Vs&... rest) {
    const Value list[] = {Value(first), Value(rest)...};
    return write(std::span<const Value>(list));
  }
  Status write(std::span<const Value> values);

  [[nodiscard]] int pin() const { return pin_; }
  [[nodiscard]] bool sent() const { return sent_; }

 private:
  FrameWriter* tx_;
  std::uint16_t id_;
  HardwareOp answer_;
  std::uint8_t pin_;
  bool sent_ = false;
};

// Which (op, pin) a slot serves, packed so that a lookup compares one halfword per slot: op << 9 | pin for
// one pin, op << 9 | 256 for every pin of op. A free slot has the key of "every pin of unknown".
constexpr std::uint16_t pin_key(HardwareOp op, std::uint8_t pin) {
  return static_cast<std::uint16_t>(static_cast<unsigned>(op) << 9 | pin);
}
constexpr std::uint16_t any_pin_key(HardwareOp op) {
  return static_cast<std::uint16_t>(static_cast<unsigned>(op) << 9 | 256U);
}

struct PinSlot {
  PinSlot() : write() {}
  static constexpr std::uint16_t kFree = any_pin_key(HardwareOp::unknown);

  std::uint16_t key = kFree;
  union {  // by op: write ops use `write`, read ops `read`
    WriteHandler write;
    ReadHandler read;
  };
};

// The table over storage the Client owns.
class PinTable {
 public:
  explicit PinTable(std::span<PinSlot> slots) : slots_(slots) {}

  // Sets the handler of (op, pin) — or of every pin of `op` when any_pin — replacing an earlier one.
  // Errc::no_memory when every slot is taken (raise Limits::handlers).
  Status set_write(HardwareOp op, int pin, bool any_pin, WriteHandler h);
  Status set_read(HardwareOp op, int pin, bool any_pin, ReadHandler h);
  // Frees the slot of (op, pin) (or the op's wildcard). No-op when there is none.
  void remove(HardwareOp op, int pin, bool any_pin);

  // The slot for (op, pin), else the op's wildcard, else nullptr.
  [[nodiscard]] [[gnu::always_inline]] PinSlot* find(HardwareOp op, std::uint8_t pin) {
    const std::uint16_t exact = pin_key(op, pin), any_pin = any_pin_key(op);
    for (PinSlot& s : slots_) {  // two tight scans beat one that also tracks the wildcard
      if (s.key == exact) return &s;
    }
    for (PinSlot& s : slots_) {
      if (s.key == any_pin) return &s;
    }
    return nullptr;
  }
  [[nodiscard]] std::size_t capacity() const { return slots_.size(); }
  [[nodiscard]] std::size_t used() const;

 private:
  // The slot of (op, pin) (or of the op's wildcard), taking a free one for it; nullptr when every slot is taken.
  PinSlot* claim(HardwareOp op, int pin, bool any_pin);
  static std::uint16_t key_of(HardwareOp op, int pin, bool any_pin) {
    return any_pin ? any_pin_key(op) : pin_key(op, static_cast<std::uint8_t>(pin));
  }

  std::span<PinSlot> slots_;
};

}  // namespace weft::blynk
