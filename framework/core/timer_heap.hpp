// TimerHeap: the loop's timer queue, an intrusive pairing heap ordered by deadline.
// insert O(1); pop_min and remove O(log n) amortized; no allocation (nodes live in the awaiters, timers and
// tasks that own them). Equal deadlines fire in insertion order (a sequence number breaks ties), which keeps
// virtual-time runs deterministic.
#pragma once
#include <cstdint>

#include "time.hpp"

namespace weft {

class TimerNode {
 public:
  using Expire = void (*)(TimerNode&);
  explicit TimerNode(Expire on_expire) : on_expire_(on_expire) {}
  // An unarmed node can move (awaiters holding one are passed by value before they are awaited).
  TimerNode(TimerNode&& o) noexcept : on_expire_(o.on_expire_) {
    if (o.heap_ != nullptr) __builtin_trap();  // moving an armed timer is a bug
  }
  TimerNode(const TimerNode&) = delete;
  TimerNode& operator=(TimerNode&&) = delete;
  TimerNode& operator=(const TimerNode&) = delete;
  ~TimerNode();  // removes itself from the heap if still armed

  [[nodiscard]] bool armed() const { return heap_ != nullptr; }
  [[nodiscard]] Micros deadline() const { return deadline_; }

 private:
  friend class TimerHeap;
  Expire on_expire_;
  class TimerHeap* heap_ = nullptr;
  TimerNode* child_ = nullptr;
  TimerNode* sibling_ = nullptr;
  TimerNode* prev_ = nullptr;  // parent if first child, else left sibling
  Micros deadline_ = 0;
  std::uint32_t seq_ = 0;
};

class TimerHeap {
 public:
  TimerHeap() = default;
  TimerHeap(const TimerHeap&) = delete;
  TimerHeap& operator=(const TimerHeap&) = delete;

  // Arms `n` for `deadline` (re-arms it if it was armed).
  void insert(TimerNode& n, Micros deadline);
  // Disarms `n`; no-op if it is not armed.
  void remove(TimerNode& n);
  // Earliest deadline, kForever when empty.
  [[nodiscard]] Micros next_deadline() const { return root_ != nullptr ? root_->deadline_ : kForever; }
  [[nodiscard]] bool empty() const { return root_ == nullptr; }
  [[nodiscard]] std::uint32_t size() const { return size_; }
  // Disarms and expires (calls on_expire) every node due at `now`, earliest first. Returns how many fired.
  // A callback may arm timers, including for `now` (they fire in this same call).
  std::uint32_t expire_due(Micros now);

 private:
  static bool before(const TimerNode& a, const TimerNode& b) {
    return a.deadline_ != b.deadline_ ? a.deadline_ < b.deadline_
                                      : static_cast<std::int32_t>(a.seq_ - b.seq_) < 0;
  }
  static TimerNode* meld(TimerNode* a, TimerNode* b);
  static TimerNode* merge_pairs(TimerNode* first);
  void pop_root();

  TimerNode* root_ = nullptr;
  std::uint32_t size_ = 0;
  std::uint32_t seq_ = 0;
};

}  // namespace weft
