#include "timer_heap.hpp"

namespace weft {

TimerNode::~TimerNode() {
  if (heap_ != nullptr) heap_->remove(*this);
}

TimerNode* TimerHeap::meld(TimerNode* a, TimerNode* b) {
  if (a == nullptr) return b;
  if (b == nullptr) return a;
  if (before(*b, *a)) {
    TimerNode* t = a;
    a = b;
    b = t;
  }
  // b becomes a's first child.
  b->prev_ = a;
  b->sibling_ = a->child_;
  if (a->child_ != nullptr) a->child_->prev_ = b;
  a->child_ = b;
  return a;
}

// Two-pass pairing: meld siblings pairwise left to right, then fold right to left. Iterative (no recursion),
// so a long sibling list cannot overflow a small stack.
TimerNode* TimerHeap::merge_pairs(TimerNode* first) {
  if (first == nullptr) return nullptr;
  TimerNode* paired = nullptr;  // reversed list of melded pairs, linked through sibling_
  while (first != nullptr) {
    TimerNode* a = first;
    TimerNode* b = a->sibling_;
    first = b != nullptr ? b->sibling_ : nullptr;
    a->sibling_ = a->prev_ = nullptr;
    if (b != nullptr) b->sibling_ = b->prev_ = nullptr;
    TimerNode* m = meld(a, b);
    m->sibling_ = paired;
    paired = m;
  }
  TimerNode* result = nullptr;
  while (paired != nullptr) {
    TimerNode* next = paired->sibling_;
    paired->sibling_ = nullptr;
    result = meld(paired, result);
    paired = next;
  }
  result->prev_ = nullptr;
  return result;
}

void TimerHeap::insert(TimerNode& n, Micros deadline) {
  if (n.heap_ != nullptr) n.heap_->remove(n);
  n.deadline_ = deadline;
  n.seq_ = seq_++;
  n.child_ = n.sibling_ = n.prev_ = nullptr;
  n.heap_ = this;
  root_ = meld(root_, &n);
  ++size_;
}

void TimerHeap::pop_root() {
  TimerNode* r = root_;
  root_ = merge_pairs(r->child_);
  r->child_ = r->sibling_ = r->prev_ = nullptr;
  r->heap_ = nullptr;
  --size_;
}

void TimerHeap::remove(TimerNode& n) {
  if (n.heap_ != this) return;
  if (&n == root_) {
    pop_root();
    return;
  }
  // Cut n's subtree out of its parent's child list, then meld its children back into the root.
  if (n.prev_->child_ == &n) {
    n.prev_->child_ = n.sibling_;
  } else {
    n.prev_->sibling_ = n.sibling_;
  }
  if (n.sibling_ != nullptr) n.sibling_->prev_ = n.prev_;
  n.sibling_ = n.prev_ = nullptr;
  TimerNode* sub = merge_pairs(n.child_);
  n.child_ = nullptr;
  n.heap_ = nullptr;
  --size_;
  root_ = meld(root_, sub);
}

std::uint32_t TimerHeap::expire_due(Micros now) {
  std::uint32_t fired = 0;
  while (root_ != nullptr && root_->deadline_ <= now) {
    TimerNode* n = root_;
    pop_root();
    ++fired;
    n->on_expire_(*n);
  }
  return fired;
}

}  // namespace weft
