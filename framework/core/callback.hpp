// Callback: a void() callable stored in place (no heap), for timers and hooks called from non-coroutine code.
// Holds lambdas whose captures fit kCapacity bytes (three pointers); a bigger capture is a compile error that
// says so, never a hidden allocation. Copyable when the callable is.
#pragma once
#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace weft {

class Callback {
 public:
  static constexpr std::size_t kCapacity = 3 * sizeof(void*);

  Callback() = default;
  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Callback>>>
  Callback(F&& f) {  // NOLINT(google-explicit-constructor)
    using Fn = std::decay_t<F>;
    static_assert(sizeof(Fn) <= kCapacity,
                  "callback captures too much: capture a pointer to your state instead");
    static_assert(alignof(Fn) <= alignof(void*), "callback capture over-aligned");
    static_assert(std::is_trivially_copyable_v<Fn> && std::is_trivially_destructible_v<Fn>,
                  "callback captures must be trivially copyable (pointers, references, numbers)");
    new (storage_) Fn(std::forward<F>(f));
    call_ = [](void* s) { (*static_cast<Fn*>(s))(); };
  }

  void operator()() {
    if (call_ != nullptr) call_(storage_);
  }
  explicit operator bool() const { return call_ != nullptr; }

 private:
  alignas(void*) unsigned char storage_[kCapacity] = {};
  void (*call_)(void*) = nullptr;
};

}  // namespace weft
