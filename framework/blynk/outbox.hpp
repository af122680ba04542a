// Outbox: the bounded queue of frames the user's code sends (values, properties, notifications, bridge
// writes, ...), between the API call that never waits and the session's writer that drains it at the rate
// limit once connected. It lives across reconnections: what is written while offline goes out after the
// next login.
//
// Coalescing: a frame is put with a key — its first k body fields (`vw\0pin` for a virtual write,
// `pin\0property` for a property). A later put with the same command and key replaces the queued frame in
// its place in the queue: only the latest value of a pin waits, and a pin updated faster than the rate limit
// still goes out at its turn, with its newest value. k = 0 never replaces (notifications, terminal lines,
// LCD prints: each one counts, in order).
//
// Frames are stored whole and back to back in one fixed buffer (no per-entry table): the header's id field
// holds a placeholder (1 + k) until the writer assigns the real id when it sends the frame.
//
// Bounded: a put that does not fit is refused with Errc::busy, nothing changes — never a silent drop and
// never growth. Costs: put O(queued bytes) (a scan for the key and at most two memmoves of the buffer), pop
// O(queued bytes). No allocation.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "body.hpp"
#include "core/result.hpp"
#include "frame_writer.hpp"
#include "message.hpp"
#include "protocol.hpp"

namespace weft::blynk {

class Outbox {
 public:
  static constexpr std::size_t kMaxKeyFields = 8;
  enum class Place : std::uint8_t { back, front };

  // storage: the queue's bytes (must outlive the outbox). max_frame: the largest frame accepted (the size of
  // the session's send buffer, so every queued frame can be sent).
  Outbox(std::span<char> storage, std::size_t max_frame)
      : data_(storage.data()), capacity_(storage.size()), max_frame_(max_frame) {}
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Queues the message, keyed by m.key() (empty: never replaced). A queued frame with the same command and
  // key is replaced: in its place, or moved to the front with Place::front. Errors, with the queue unchanged:
  //   m.status()          invalid_argument: a pin out of range, a NUL in a text, NaN, a bad token, ...
  //   Errc::too_large     m.size() > max_frame(): the frame could never be sent
  //   Errc::busy          no room now (the queue drains at the rate limit once connected)
  Status put(const Message& m, Place place = Place::back);

  // The first frame (its id field still a placeholder), "" when empty.
  [[nodiscard]] std::string_view front() const;
  void pop_front();
  // Moves the first frame into `tx` with the id `id`. Errc::too_large if tx has no room for it now.
  Status send_front(FrameWriter& tx, std::uint16_t id);

  [[nodiscard]] bool empty() const { return used_ == 0; }
  [[nodiscard]] std::size_t count() const { return count_; }
  [[nodiscard]] std::size_t bytes() const { return used_; }
  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  [[nodiscard]] std::size_t max_frame() const { return max_frame_; }
  void clear() { used_ = count_ = 0; }

 private:
  struct Entry {
    std::size_t offset = 0;
    std::size_t size = 0;
  };
  static std::uint16_t placeholder(std::size_t key_fields) {
    return static_cast<std::uint16_t>(1 + key_fields);
  }
  [[nodiscard]] std::size_t size_at(std::size_t offset) const;
  [[nodiscard]] bool matches(std::size_t offset, Command command, std::span<const Value> key) const;
  // Finds the frame the new one replaces (if any), checks the room, and removes that frame; `replaced_` and
  // `reserved_` tell place_last() where the new frame goes.
  Status make_room(Command command, std::span<const Value> key, std::size_t size);
  // The frame just built at the end of the buffer becomes an entry: where the replaced one was, or at the
  // front.
  void place_last(Place place);
  void erase(Entry e);
  void rotate_last_to(std::size_t offset, std::size_t size);

  char* data_;
  std::size_t capacity_;
  std::size_t max_frame_;
  std::size_t used_ = 0;
  std::size_t count_ = 0;
  std::size_t replaced_at_ = SIZE_MAX;  // where the replaced frame was (make_room -> place_last)
};

}  // namespace weft::blynk
