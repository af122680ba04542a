// JoinHandle members that need the Loop's definition (included from loop.hpp).
#pragma once
#include "join_handle.hpp"
#include "loop.hpp"

namespace weft {

template <typename T>
TaskStats JoinHandle<T>::stats() const {
  return h_ != nullptr && loop_ != nullptr ? loop_->task_stats(*h_) : TaskStats{};
}

template <typename T>
void JoinHandle<T>::cancel() {
  if (h_ != nullptr && loop_ != nullptr) loop_->cancel(*h_);
}

template <typename T>
void JoinHandle<T>::release() {
  if (h_ == nullptr) return;
  TaskHeader* h = std::exchange(h_, nullptr);
  if (!h->has(TaskHeader::kDone)) {
    h->clear(TaskHeader::kHandleAlive);  // runs on, detached: frees itself when it ends
    return;
  }
  h->release_finished();  // the frame kept for its result, or the header a reap left
}

template <typename T>
bool JoinHandle<T>::JoinAwaiter::await_suspend(std::coroutine_handle<> h) {
  Loop& loop = *self->loop_;
  if (!loop.begin_wait(h, node)) return false;
  node.linked = true;
  node.context = self->h_;
  self->h_->joiner = &node;
  return true;
}

template <typename T>
void JoinHandle<T>::JoinAwaiter::unlink(WaitNode& n) {
  static_cast<TaskHeader*>(n.context)->joiner = nullptr;
}

}  // namespace weft
