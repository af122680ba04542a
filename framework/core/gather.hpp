// gather(tasks...): runs the tasks concurrently, as children of the awaiting task, and waits for all of them
// (uasyncio's gather). Gives a std::tuple of each task's AwaitResult, in argument order.
//
//   auto [a, b] = co_await weft::gather(read_sensor(1), read_sensor(2));   // Result<int>, Result<int>
//
// A task that could not be created reports Errc::no_memory in its slot (the others still run). Cancelling the
// awaiting task cancels every child (see child_group.hpp); each slot then holds what its child returned, or
// Errc::cancelled if it was reaped. Cost: no allocation; one wake-up of the parent in total.
#pragma once
#include <tuple>

#include "child_group.hpp"

namespace weft {

template <typename... T>
class [[nodiscard]] Gather : public detail::ChildGroup<false, T...> {
 public:
  using detail::ChildGroup<false, T...>::ChildGroup;
  std::tuple<AwaitResult<T>...> await_resume() { return collect(std::index_sequence_for<T...>{}); }

 private:
  template <std::size_t... I>
  std::tuple<AwaitResult<T>...> collect(std::index_sequence<I...>) {
    return std::tuple<AwaitResult<T>...>(this->template result<I>()...);
  }
};

template <typename... T>
Gather<T...> gather(Task<T>... tasks) {
  return Gather<T...>(std::move(tasks)...);
}

}  // namespace weft
