// race(tasks...): runs the tasks concurrently; the first to end wins and the others are cancelled cleanly:
// each sees Errc::cancelled at its current await and unwinds, and race returns only after all have ended
// (Embassy's select, Trio's "first completed"). Gives Raced<T...>: the winner's index and every task's result.
//
//   auto r = co_await weft::race(button.wait_press(), weft_sleep_task(5000));
//   if (r.index == 0) ...   std::get<0>(r.results) is the winner's AwaitResult
//
// index == sizeof...(T) when nobody won: the awaiting task was cancelled (or no task could be created).
#pragma once
#include <cstddef>
#include <tuple>

#include "child_group.hpp"

namespace weft {

template <typename... T>
struct Raced {
  std::size_t index;
  std::tuple<AwaitResult<T>...> results;
};

template <typename... T>
class [[nodiscard]] Race : public detail::ChildGroup<true, T...> {
 public:
  using detail::ChildGroup<true, T...>::ChildGroup;
  Raced<T...> await_resume() { return Raced<T...>{this->winner_, collect(std::index_sequence_for<T...>{})}; }

 private:
  template <std::size_t... I>
  std::tuple<AwaitResult<T>...> collect(std::index_sequence<I...>) {
    return std::tuple<AwaitResult<T>...>(this->template result<I>()...);
  }
};

template <typename... T>
Race<T...> race(Task<T>... tasks) {
  return Race<T...>(std::move(tasks)...);
}

}  // namespace weft
