#include "timer_heap.hpp"

namespace weft {

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

TimerNode* TimerHeap::take_children(TimerNode& r) {
  TimerNode* sub = merge_pairs(r.child_);
  r.child_ = nullptr;
  return sub;
}

void TimerHeap::remove(TimerNode& n) {
  if (n.heap_ != this) return;
  if (&n == root_) {
    root_ = take_children(n);
  } else {
    // Cut n's subtree out of its parent's child list, then meld its children back into the root.
    if (n.prev_->child_ == &n) {
      n.prev_->child_ = n.sibling_;
    } else {
      n.prev_->sibling_ = n.sibling_;
    }
    if (n.sibling_ != nullptr) n.sibling_->prev_ = n.prev_;
    n.sibling_ = n.prev_ = nullptr;
    root_ = meld(root_, take_children(n));
  }
  n.heap_ = nullptr;
}

std::uint32_t TimerHeap::size() const {
  // Preorder walk of the child/sibling tree without a stack: down to the first child, else to the next
  // sibling, else up (back along the siblings to the parent) until a node has a next sibling.
  std::uint32_t count = 0;
  const TimerNode* n = root_;
  while (n != nullptr) {
    ++count;
    if (n->child_ != nullptr) {
      n = n->child_;
      continue;
    }
    while (n != nullptr && n->sibling_ == nullptr) {
      while (n->prev_ != nullptr && n->prev_->child_ != n)
        n = n->prev_;  // to the first sibling
      n = n->prev_;    // its parent (nullptr past the root)
    }
    if (n != nullptr) n = n->sibling_;
  }
  return count;
}

}  // namespace weft
