// Handler<R(Args...)>: a callable stored in place (no heap), for the session's pin and event handlers.
// The same rules as core's Callback (callback.hpp), with arguments: captures must fit kCapacity bytes (three
// pointers) and be trivially copyable — capture a pointer to your state, never a copy of a big object. A
// bigger or non-trivial capture is a compile error that says so, never a hidden allocation.
//
//   int presses = 0;
//   Handler<void(int pin, Values v)> h = [&presses](int, Values v) { presses += v.as_int().value_or(0); };
//
// Calling an empty Handler does nothing and returns R{} (so "no handler" needs no check at the call site).
#pragma once
#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace weft::blynk {

template <typename Signature>
class Handler;

template <typename R, typename... Args>
class Handler<R(Args...)> {
 public:
  static constexpr std::size_t kCapacity = 3 * sizeof(void*);

  Handler() = default;
  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Handler> &&
                                                    std::is_invocable_r_v<R, std::decay_t<F>&, Args...>>>
  Handler(F&& f) {  // NOLINT(google-explicit-constructor): handlers read best as plain lambdas
    using Fn = std::decay_t<F>;
    static_assert(sizeof(Fn) <= kCapacity,
                  "handler captures too much: capture a pointer to your state instead");
    static_assert(alignof(Fn) <= alignof(void*), "handler capture over-aligned");
    static_assert(std::is_trivially_copyable_v<Fn> && std::is_trivially_destructible_v<Fn>,
                  "handler captures must be trivially copyable (pointers, references, numbers)");
    new (storage_) Fn(std::forward<F>(f));
    call_ = [](void* s, Args... args) -> R { return (*static_cast<Fn*>(s))(std::forward<Args>(args)...); };
  }

  R operator()(Args... args) {
    if (call_ == nullptr) return R();
    return call_(storage_, std::forward<Args>(args)...);
  }
  explicit operator bool() const { return call_ != nullptr; }

 private:
  alignas(void*) unsigned char storage_[kCapacity] = {};
  R (*call_)(void*, Args...) = nullptr;
};

}  // namespace weft::blynk
