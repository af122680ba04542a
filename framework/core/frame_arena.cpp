#include "frame_arena.hpp"

#include <cstdint>

#ifndef WEFT_FRAME_ARENA_BYTES
#define WEFT_FRAME_ARENA_BYTES (64 * 1024)
#endif

namespace weft {
namespace {

alignas(FrameArena::kAlign) unsigned char g_static_buffer[WEFT_FRAME_ARENA_BYTES];

FrameArena& static_arena() {
  static FrameArena arena(g_static_buffer, sizeof g_static_buffer);
  return arena;
}

FrameArena::Scope* g_scope = nullptr;

}  // namespace

FrameArena::FrameArena(void* buffer, std::size_t bytes) {
  auto a = reinterpret_cast<std::uintptr_t>(buffer);
  std::size_t lost = ((a + kAlign - 1) & ~(std::uintptr_t{kAlign} - 1)) - a;
  begin_ = top_ = static_cast<unsigned char*>(buffer) + lost;
  end_ = begin_ + (bytes > lost ? bytes - lost : 0);
  stats_.capacity = static_cast<std::size_t>(end_ - begin_);
  stats_.fresh = stats_.capacity;
}

std::size_t FrameArena::class_of(std::size_t n, std::size_t& rounded) {
  if (n == 0) n = 1;
  if (n <= kSmallLimit) {
    std::size_t c = (n + kSmallStep - 1) / kSmallStep;
    rounded = c * kSmallStep;
    return c - 1;
  }
  std::size_t size = 2 * kSmallLimit;
  std::size_t c = kSmallClasses;
  while (size < n) {
    size <<= 1;
    ++c;
  }
  rounded = size;
  return c;
}

void* FrameArena::allocate(std::size_t n) noexcept {
  if (n > static_cast<std::size_t>(end_ - begin_)) {
    ++stats_.failures;
    return nullptr;
  }
  std::size_t rounded = 0;
  std::size_t c = class_of(n, rounded);
  void* p = nullptr;
  if (FreeBlock* b = free_[c]) {
    free_[c] = b->next;
    p = b;
  } else if (rounded <= static_cast<std::size_t>(end_ - top_) ||
             (trim_top() && rounded <= static_cast<std::size_t>(end_ - top_))) {
    p = top_;
    top_ += rounded;
    stats_.fresh -= rounded;
  } else {
    ++stats_.failures;
    return nullptr;
  }
  stats_.in_use += rounded;
  ++stats_.live_blocks;
  if (stats_.in_use > stats_.peak) stats_.peak = stats_.in_use;
  return p;
}

void FrameArena::free(void* p, std::size_t n) noexcept {
  if (p == nullptr) return;
  std::size_t rounded = 0;
  std::size_t c = class_of(n, rounded);
  auto* b = static_cast<FreeBlock*>(p);
  b->next = free_[c];
  free_[c] = b;
  stats_.in_use -= rounded;
  --stats_.live_blocks;
}

// Gives free blocks that end at the top back to fresh space, repeatedly, so freed frames of one size can serve
// frames of another once the tasks that made them are gone. Runs only when fresh space ran out.
bool FrameArena::trim_top() noexcept {
  bool trimmed = false;
  for (bool again = true; again;) {
    again = false;
    for (std::size_t c = 0; c < kSmallClasses + kLargeClasses; ++c) {
      std::size_t size = c < kSmallClasses ? (c + 1) * kSmallStep : (2 * kSmallLimit) << (c - kSmallClasses);
      for (FreeBlock** link = &free_[c]; *link != nullptr; link = &(*link)->next) {
        auto* block = reinterpret_cast<unsigned char*>(*link);
        if (block + size != top_) continue;
        *link = (*link)->next;
        top_ = block;
        stats_.fresh += size;
        trimmed = again = true;
        break;
      }
    }
  }
  return trimmed;
}

FrameArena& FrameArena::current() {
  return g_scope != nullptr ? *g_scope->arena_ : static_arena();
}

FrameArena& FrameArena::owner_of(const void* p) {
  for (Scope* s = g_scope; s != nullptr; s = s->outer_) {
    if (s->arena_->owns(p)) return *s->arena_;
  }
  return static_arena();
}

FrameArena::Scope::Scope(FrameArena& arena) : arena_(&arena), outer_(g_scope) {
  g_scope = this;
}
FrameArena::Scope::~Scope() {
  g_scope = outer_;
}

}  // namespace weft
