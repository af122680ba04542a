#include "outbox.hpp"

#include <algorithm>
#include <cstring>

#include "frame.hpp"

namespace weft::blynk {

Status Outbox::put(const Message& m, Place place) {
  if (Status s = m.status(); !s) return s;
  const std::span<const Value> key = m.key();
  if (Status s = make_room(m.command(), key, m.size()); !s) return s;
  m.write(data_ + used_, placeholder(key.size()));
  place_last(place);
  return {};
}

std::size_t Outbox::size_at(std::size_t offset) const {
  return header_size + decode_header(data_ + offset).body_size();
}

bool Outbox::matches(std::size_t offset, Command command, std::span<const Value> key) const {
  const FrameHeader h = decode_header(data_ + offset);
  if (h.command != command || h.id != placeholder(key.size())) return false;
  BodyReader fields(std::string_view(data_ + offset + header_size, h.body_size()));
  for (const Value& k : key) {
    std::optional<std::string_view> f = fields.next();
    if (!f || *f != k.text()) return false;
  }
  return true;
}

Status Outbox::make_room(Command command, std::span<const Value> key, std::size_t size) {
  if (size > max_frame_ || size > capacity_) return Errc::too_large;
  Entry old{SIZE_MAX, 0};
  if (!key.empty() && key.size() <= kMaxKeyFields) {
    for (std::size_t o = 0; o < used_; o += size_at(o)) {
      if (matches(o, command, key)) {
        old = {o, size_at(o)};
        break;
      }
    }
  }
  if (size > capacity_ - used_ + old.size) return Errc::busy;
  replaced_at_ = old.offset;
  if (old.offset != SIZE_MAX) erase(old);
  return {};
}

void Outbox::place_last(Place place) {
  const std::size_t size = size_at(used_);
  used_ += size;
  ++count_;
  if (place == Place::front) {
    rotate_last_to(0, size);
  } else if (replaced_at_ != SIZE_MAX) {
    rotate_last_to(replaced_at_, size);
  }
  replaced_at_ = SIZE_MAX;
}

void Outbox::rotate_last_to(std::size_t offset, std::size_t size) {
  std::rotate(data_ + offset, data_ + used_ - size, data_ + used_);
}

void Outbox::erase(Entry e) {
  std::memmove(data_ + e.offset, data_ + e.offset + e.size, used_ - e.offset - e.size);
  used_ -= e.size;
  --count_;
}

std::string_view Outbox::front() const {
  if (used_ == 0) return {};
  return {data_, size_at(0)};
}

void Outbox::pop_front() {
  if (used_ != 0) erase({0, size_at(0)});
}

Status Outbox::send_front(FrameWriter& tx, std::uint16_t id) {
  const std::string_view f = front();
  if (f.empty()) return Errc::would_block;
  const FrameHeader h = decode_header(f.data());
  if (Status s =
          tx.append_body(h.command, id, std::string_view(f.data() + header_size, f.size() - header_size));
      !s)
    return s;
  pop_front();
  return {};
}

}  // namespace weft::blynk
