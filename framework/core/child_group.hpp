// ChildGroup: the machinery shared by gather and race. Runs each Task as a child task of its own (own header,
// own place in the ready queue) while the parent waits in one WaitNode, and collects the results.
// Each child's header is built in front of its frame (task_header.hpp) and the nodes live inside the awaiter
// (the parent's frame): starting children allocates nothing.
//
// Cancellation: cancelling the parent cancels every unfinished child; the parent resumes only when all of
// them have ended (each saw Errc::cancelled at its await, or was reaped). Destroying the group while children
// run (the parent was dropped or reaped) ends them at once, frames destroyed.
#pragma once
#include <array>
#include <coroutine>
#include <cstddef>
#include <tuple>
#include <utility>

#include "loop.hpp"
#include "task.hpp"

namespace weft::detail {

template <bool kRace, typename... T>
class ChildGroup {
 public:
  static constexpr std::size_t N = sizeof...(T);

  explicit ChildGroup(Task<T>&&... tasks) : frames_(tasks.release()...) {}
  ChildGroup(ChildGroup&& o) noexcept : frames_(std::exchange(o.frames_, {})) {}
  ChildGroup& operator=(ChildGroup&&) = delete;
  ~ChildGroup() { end_all(std::index_sequence_for<T...>{}); }

  [[nodiscard]] bool await_ready() const noexcept {
    return N == 0 || none_valid(std::index_sequence_for<T...>{});
  }
  bool await_suspend(std::coroutine_handle<> h) {
    loop_ = &Loop::current();
    main_.owner_completes_cancel = true;
    main_.context = this;
    if (!loop_->begin_wait(h, main_)) return false;
    main_.linked = true;
    start(std::index_sequence_for<T...>{});
    return true;
  }

 protected:
  template <std::size_t I>
  auto result() -> AwaitResult<std::tuple_element_t<I, std::tuple<T...>>> {
    auto frame = std::get<I>(frames_);
    if (!frame) return Errc::no_memory;
    if (!started_[I]) return Errc::cancelled;
    if (header<I>().outcome() != Errc::ok) return header<I>().outcome();
    return frame.promise().take();
  }
  std::size_t winner_ = N;  // race: the first child to end
  WaitNode main_{&on_parent_cancel};

 private:
  template <std::size_t... I>
  bool none_valid(std::index_sequence<I...>) const {
    return (!std::get<I>(frames_) && ...);
  }
  template <std::size_t... I>
  void start(std::index_sequence<I...>) {
    (start_one<I>(), ...);
  }
  template <std::size_t I>
  void start_one() {
    auto frame = std::get<I>(frames_);
    if (!frame) return;
    done_[I].context = this;
    started_[I] = true;
    ++running_;
    loop_->start_child(frame, kRace ? "race" : "gather", done_[I]);
  }
  // A started child's header (in front of its frame).
  template <std::size_t I>
  TaskHeader& header() {
    return TaskHeader::of(std::get<I>(frames_));
  }
  // Kills the children still running, then frees every frame (a started child's through its header).
  template <std::size_t... I>
  void end_all(std::index_sequence<I...>) {
    ((started_[I] && !header<I>().has(TaskHeader::kDone) ? loop_->kill_child(header<I>()) : void()), ...);
    ((!std::get<I>(frames_) ? void()
      : started_[I]         ? header<I>().release_finished()
                            : std::get<I>(frames_).destroy()),
     ...);
  }
  template <std::size_t... I>
  void cancel_each(std::index_sequence<I...>) {
    ((started_[I] && !header<I>().has(TaskHeader::kDone) ? loop_->cancel(header<I>()) : void()), ...);
  }
  void cancel_running() { cancel_each(std::index_sequence_for<T...>{}); }
  static void on_child_done(WaitNode& n) {
    auto& g = *static_cast<ChildGroup*>(n.context);
    auto index = static_cast<std::size_t>(&n - g.done_.data());
    if (kRace && g.winner_ == N && !g.cancelled_) {  // after the parent's cancellation nobody wins
      g.winner_ = index;
      g.cancel_running();
    }
    if (--g.running_ == 0) {
      g.main_.linked = false;
      g.main_.fire(g.cancelled_ ? Errc::cancelled : Errc::ok);
    }
  }
  static void on_parent_cancel(WaitNode& n) {
    auto& g = *static_cast<ChildGroup*>(n.context);
    g.cancelled_ = true;
    g.cancel_running();  // main_ fires when the last child has ended
  }

  std::tuple<typename Task<T>::Handle...> frames_;
  std::array<WaitNode, N> done_ = make_nodes(std::make_index_sequence<N>{});
  std::array<bool, N> started_{};
  Loop* loop_ = nullptr;
  std::size_t running_ = 0;
  bool cancelled_ = false;

  template <std::size_t... I>
  static std::array<WaitNode, N> make_nodes(std::index_sequence<I...>) {
    return {((void)I, WaitNode(nullptr, &on_child_done))...};
  }
};

}  // namespace weft::detail
