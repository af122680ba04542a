// FrameArena: the fixed memory that coroutine frames come from. Sized at build time (WEFT_FRAME_ARENA_BYTES),
// so a firmware's worst case is known at link time and the heap is never touched. A Task frame's block also
// holds the room for its TaskHeader, in front of the frame (task_header.hpp): a spawned task is one block.
// Blocks start at multiples of kAlign from an aligned buffer start.
//
// Blocks are rounded up to size classes (16-byte steps up to 1 KiB, then powers of two). A freed block goes on
// its class's free list and is reused by the next frame of that class; fresh blocks are cut from the top of the
// buffer. allocate/free are O(1). When fresh space runs out, free blocks at the top are given back to it
// (O(free blocks), on that rare path only), so freed frames of one size can serve another size later. Blocks
// below a live one are not coalesced: a program that keeps some tasks alive while creating ever-new frame
// sizes can fragment the arena, which stats() makes visible (in_use stays low while fresh runs out).
// A full arena returns nullptr: Task creation then fails cleanly (Errc::no_memory), never a crash.
// Loop context only (not interrupt-safe).
#pragma once
#include <cstddef>
#include <cstdint>

namespace weft {

struct ArenaStats {
  std::size_t capacity = 0;     // bytes in the buffer
  std::size_t in_use = 0;       // bytes in live blocks (after class rounding)
  std::size_t peak = 0;         // high-water mark of in_use
  std::size_t fresh = 0;        // never-used bytes left at the top
  std::size_t failures = 0;     // allocations refused because the arena was full
  std::size_t live_blocks = 0;  // blocks currently allocated
};

class FrameArena {
 public:
  static constexpr std::size_t kAlign = alignof(std::max_align_t);

  FrameArena(void* buffer, std::size_t bytes);
  FrameArena(const FrameArena&) = delete;
  FrameArena& operator=(const FrameArena&) = delete;

  // nullptr when full (or n is absurd). Never touches the heap.
  [[nodiscard]] void* allocate(std::size_t n) noexcept;
  // p must come from allocate(n) of this arena with the same n (C++ sized delete gives it back).
  void free(void* p, std::size_t n) noexcept;

  [[nodiscard]] ArenaStats stats() const { return stats_; }
  [[nodiscard]] bool owns(const void* p) const {
    auto a = reinterpret_cast<std::uintptr_t>(p);
    return a >= reinterpret_cast<std::uintptr_t>(begin_) && a < reinterpret_cast<std::uintptr_t>(end_);
  }

  // The arena coroutine frames come from right now: the program's static arena unless a Scope replaced it.
  [[nodiscard]] static FrameArena& current();
  // The arena that holds `p`: the static arena or one made current by a live Scope.
  [[nodiscard]] static FrameArena& owner_of(const void* p);

  // Makes `arena` current for this scope (tests use small arenas to exercise exhaustion). Frames allocated
  // from it must be destroyed before the Scope ends.
  class Scope {
   public:
    explicit Scope(FrameArena& arena);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    friend class FrameArena;
    FrameArena* arena_;
    Scope* outer_;
  };

 private:
  static constexpr std::size_t kSmallStep = 16;
  static_assert(kAlign <= kSmallStep, "every block starts kAlign-aligned (task_header.hpp relies on it)");
  static constexpr std::size_t kSmallLimit = 1024;                        // classes 16..1024 step 16
  static constexpr std::size_t kSmallClasses = kSmallLimit / kSmallStep;  // 64
  static constexpr std::size_t kLargeClasses = 22;                        // 2 KiB .. 4 GiB
  static std::size_t class_of(std::size_t n, std::size_t& rounded);
  bool trim_top() noexcept;

  struct FreeBlock {
    FreeBlock* next;
  };
  unsigned char* begin_;
  unsigned char* top_;
  unsigned char* end_;
  FreeBlock* free_[kSmallClasses + kLargeClasses] = {};
  ArenaStats stats_;
};

}  // namespace weft
