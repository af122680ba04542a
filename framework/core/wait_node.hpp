// WaitNode: what a suspended task is waiting in. Every awaitable that suspends owns one (inside the awaiting
// coroutine's frame, so waiting allocates nothing) and links it into the structure it waits on (an Event's
// waiter list, a Queue, a socket's readiness slot, ...).
//
// Life of a wait:
//   awaiter.await_suspend -> Loop::begin_wait(h, node)  (the task records the node; may refuse: cancelled)
//                         -> owner links the node
//   owner ready           -> owner unlinks, node.fire(result) -> the task is queued; await_resume reads result
//   owner done at once    -> (inside await_suspend) node.fire(result): the task, still running, keeps its place
//                            in the ready list and runs in the next pass, like a yield (loop.cpp, run_batch)
//   task cancelled        -> node.unlink(node) (owner's hook), node.fire(Errc::cancelled)
//   awaiter destroyed while linked (task reaped, scope dropped) -> ~WaitNode unlinks: no dangling pointers.
#pragma once
#include "errc.hpp"

namespace weft {

struct TaskHeader;

class WaitNode {
 public:
  using Hook = void (*)(WaitNode&);

  // unlink: removes the node from its owner's structure (called on cancel and on destruction while linked).
  // notify: optional; replaces "queue the task" when the node fires (used by gather/race to count children).
  WaitNode() = default;
  explicit WaitNode(Hook unlink, Hook notify = nullptr) : unlink_(unlink), notify_(notify) {}
  // An idle node (not linked, not waited on) can move, so awaiters can be passed by value (wait_for).
  WaitNode(WaitNode&& o) noexcept : context(o.context), unlink_(o.unlink_), notify_(o.notify_) {
    if (o.linked || o.task != nullptr) __builtin_trap();  // moving a node in use is a bug
  }
  WaitNode(const WaitNode&) = delete;
  WaitNode& operator=(const WaitNode&) = delete;
  WaitNode& operator=(WaitNode&&) = delete;
  [[gnu::always_inline]] ~WaitNode() {
    if (linked || task != nullptr) [[unlikely]]
      detach();  // still in use: unlink (fired nodes, the usual case, have nothing to undo)
  }

  // Completes the wait with `r`: the waiting task becomes ready and its await returns r. Loop context only.
  // The owner must have unlinked the node first. Firing twice is a no-op (the first result wins).
  void fire(Errc r);
  // fire(), inlined into a hot caller (a sleep's timer expiry, WaitList::fire_all); defined in loop.hpp.
  inline void fire_inline(Errc r);

  // Cancels the wait: unlinks from the owner, then fires with `r` (cancelled or timed_out).
  void cancel(Errc r) {
    if (linked) unlink_now();
    if (!owner_completes_cancel) fire(r);
  }

  [[nodiscard]] Errc result() const { return result_; }
  [[nodiscard]] bool pending() const { return task != nullptr; }

  // Intrusive links for the owner's use (doubly linked lists, queues). `linked` says the owner holds it.
  WaitNode* prev = nullptr;
  WaitNode* next = nullptr;
  TaskHeader* task = nullptr;  // set by Loop::begin_wait, cleared by fire
  void* context = nullptr;     // free for the owner (e.g. the Queue slot a getter receives into)

 private:
  Hook unlink_ = nullptr;
  Hook notify_ = nullptr;

 public:
  bool linked = false;
  // The owner fires the node itself some time after its unlink hook ran on cancel (gather/race wait for their
  // children to unwind first).
  bool owner_completes_cancel = false;

 private:
  friend class Loop;
  void unlink_now() {
    if (unlink_ != nullptr) unlink_(*this);
    linked = false;
  }
  void detach();

  Errc result_ =
      Errc::ok;  // the one-byte fields last: 24 bytes of pointers and 3 of state, no padding between
};

// A FIFO list of WaitNodes with O(1) push, pop and unlink: the waiter list of Event, Lock, Queue.
class WaitList {
 public:
  void push_back(WaitNode& n) {
    n.prev = tail_;
    n.next = nullptr;
    (tail_ != nullptr ? tail_->next : head_) = &n;
    tail_ = &n;
    n.linked = true;
  }
  void remove(WaitNode& n) {
    (n.prev != nullptr ? n.prev->next : head_) = n.next;
    (n.next != nullptr ? n.next->prev : tail_) = n.prev;
    n.prev = n.next = nullptr;
    n.linked = false;
  }
  [[nodiscard]] WaitNode* pop_front() {
    WaitNode* n = head_;
    if (n != nullptr) remove(*n);
    return n;
  }
  [[nodiscard]] WaitNode* front() const { return head_; }
  [[nodiscard]] bool empty() const { return head_ == nullptr; }

  // Fires every waiter with `r` (in FIFO order). Pops one node at a time (pop_front inlined), so whatever
  // firing does to the rest of the list is seen.
  void fire_all(Errc r) {
    while (WaitNode* n = head_) {
      head_ = n->next;
      (head_ != nullptr ? head_->prev : tail_) = nullptr;
      n->next = nullptr;
      n->linked = false;
      n->fire_inline(r);
    }
  }

 private:
  WaitNode* head_ = nullptr;
  WaitNode* tail_ = nullptr;
};

}  // namespace weft
