// TimerHeap: the loop's timer queue, an intrusive pairing heap ordered by deadline.
// Peek O(1); insert O(1) (inline when the heap is empty, the common case of one sleeping task); pop_due and
// remove O(log n) amortized (a pop of a root without children is O(1), inline); size O(n). No allocation (nodes live in
// the awaiters, timers and tasks that own them). Equal deadlines fire in insertion order (a sequence number
// breaks ties), which keeps virtual-time runs deterministic.
#pragma once
#include <cstdint>

#include "time.hpp"

namespace weft {

class TimerHeap;

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
  [[gnu::always_inline]] inline ~TimerNode();  // removes itself from the heap if still armed

  [[nodiscard]] bool armed() const { return heap_ != nullptr; }
  [[nodiscard]] Micros deadline() const { return deadline_; }
  // Calls the owner's expiry hook (the heap has disarmed the node).
  void expire() { on_expire_(*this); }

 private:
  friend class TimerHeap;
  Expire on_expire_;
  TimerHeap* heap_ = nullptr;
  // Heap links; all null while the node is not armed (insert relies on it).
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
  [[gnu::always_inline]] void insert(TimerNode& n, Micros deadline) {
    if (n.heap_ != nullptr) [[unlikely]]
      n.heap_->remove(n);
    n.deadline_ = deadline;
    n.seq_ = seq_++;
    n.heap_ = this;
    if (root_ == nullptr) {
      root_ = &n;  // its links are null: it is not armed
      return;
    }
    root_ = meld(root_, &n);
  }
  // Disarms `n`; no-op if it is not armed.
  void remove(TimerNode& n);
  // Earliest deadline, kForever when empty.
  [[nodiscard]] Micros next_deadline() const { return root_ != nullptr ? root_->deadline_ : kForever; }
  [[nodiscard]] bool empty() const { return root_ == nullptr; }
  // How many nodes are armed: O(n), a walk of the heap (for tests and diagnostics; the hot paths keep no count).
  [[nodiscard]] std::uint32_t size() const;
  // Disarms and returns the earliest node if it is due at `now`; nullptr when none is.
  [[nodiscard, gnu::always_inline]] TimerNode* pop_due(Micros now) {
    TimerNode* r = root_;
    if (r == nullptr || r->deadline_ > now) return nullptr;
    root_ = r->child_ != nullptr ? take_children(*r) : nullptr;
    r->heap_ = nullptr;
    return r;
  }
  // Disarms and expires every node due at `now`, earliest first. Returns how many fired.
  // A callback may arm timers, including for `now` (they fire in this same call).
  std::uint32_t expire_due(Micros now) {
    std::uint32_t fired = 0;
    while (TimerNode* n = pop_due(now)) {
      ++fired;
      n->expire();
    }
    return fired;
  }

 private:
  static bool before(const TimerNode& a, const TimerNode& b) {
    return a.deadline_ != b.deadline_ ? a.deadline_ < b.deadline_
                                      : static_cast<std::int32_t>(a.seq_ - b.seq_) < 0;
  }
  static TimerNode* meld(TimerNode* a, TimerNode* b);
  static TimerNode* merge_pairs(TimerNode* first);
  static TimerNode* take_children(TimerNode& r);  // r's children as one heap; r's links left null

  TimerNode* root_ = nullptr;
  std::uint32_t seq_ = 0;
};

[[gnu::always_inline]] inline TimerNode::~TimerNode() {
  if (heap_ != nullptr) [[unlikely]]
    heap_->remove(*this);
}

}  // namespace weft
