#include "pin_table.hpp"

#include "core/log.hpp"

namespace weft::blynk {

Status Reply::write(std::span<const Value> values) {
  if (sent_) return Errc::busy;
  Status s;
  if (answer_ == HardwareOp::virtual_write) {
    s = tx_->virtual_write(id_, pin_, values);
  } else if (values.size() != 1) {
    s = Errc::invalid_argument;  // `dw`/`aw` carry exactly one value
  } else {
    s = tx_->append(Command::hardware, id_, {Value(to_string(answer_)), Value(pin_), values[0]});
  }
  if (!s) {
    WEFT_LOG_WARN("Blynk: the answer to %s%u was not sent: %s",
                  answer_ == HardwareOp::virtual_write ? "V" : "pin ", static_cast<unsigned>(pin_),
                  s.error() == Errc::too_large
                      ? "larger than the send buffer (Limits::tx_buffer)"
                      : "invalid value (NaN, infinity, a NUL in a text, or not 1 value)");
    return s;
  }
  sent_ = true;
  return s;
}

PinSlot* PinTable::claim(HardwareOp op, int pin, bool any_pin) {
  const std::uint16_t key = key_of(op, pin, any_pin);
  PinSlot* free_slot = nullptr;
  for (PinSlot& s : slots_) {
    if (s.key == key) return &s;
    if (s.key == PinSlot::kFree && free_slot == nullptr) free_slot = &s;
  }
  if (free_slot != nullptr) free_slot->key = key;
  return free_slot;
}

Status PinTable::set_write(HardwareOp op, int pin, bool any_pin, WriteHandler h) {
  PinSlot* s = claim(op, pin, any_pin);
  if (s == nullptr) return Errc::no_memory;
  s->write = h;
  return {};
}

Status PinTable::set_read(HardwareOp op, int pin, bool any_pin, ReadHandler h) {
  PinSlot* s = claim(op, pin, any_pin);
  if (s == nullptr) return Errc::no_memory;
  s->read = h;
  return {};
}

void PinTable::remove(HardwareOp op, int pin, bool any_pin) {
  const std::uint16_t key = key_of(op, pin, any_pin);
  for (PinSlot& s : slots_) {
    if (s.key == key) s.key = PinSlot::kFree;
  }
}

std::size_t PinTable::used() const {
  std::size_t n = 0;
  for (const PinSlot& s : slots_)
    n += s.key != PinSlot::kFree ? 1 : 0;
  return n;
}

}  // namespace weft::blynk
