// Result<T>: a value or an Errc, weft's expected-type (no exceptions anywhere).
// Status is Result<void>: ok or an error. Results of operations that can fail for a reason the caller must
// handle are [[nodiscard]]; Status is not, so `co_await sleep_ms(10);` reads naturally (it only fails on
// cancellation, which the loop enforces on its own; see task.hpp).
#pragma once
#include <new>
#include <type_traits>
#include <utility>

#include "errc.hpp"

namespace weft {

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_reference_v<T>, "Result holds values");

 public:
  using value_type = T;

  // By reference, not by value: one copy (or move) into place, not two (memcpy calls for bigger structs).
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(T&& value) : error_(Errc::ok) { new (&value_) T(std::move(value)); }
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(const T& value) : error_(Errc::ok) { new (&value_) T(value); }
  // Builds the value in place: no copy at all (T{args...}, so aggregates work too).
  template <typename... Args>
  explicit Result(std::in_place_t /*unused*/, Args&&... args) : error_(Errc::ok) {
    new (&value_) T{std::forward<Args>(args)...};
  }
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(Errc e) : error_(e == Errc::ok ? Errc::invalid_argument : e) {}
  Result(const Result& o) : error_(o.error_) {
    if (ok()) new (&value_) T(o.value_);
  }
  Result(Result&& o) noexcept(std::is_nothrow_move_constructible_v<T>) : error_(o.error_) {
    if (ok()) new (&value_) T(std::move(o.value_));
  }
  Result& operator=(Result o) noexcept(std::is_nothrow_move_constructible_v<T>) {
    if (this != &o) {
      this->~Result();
      new (this) Result(std::move(o));
    }
    return *this;
  }
  ~Result() {
    if (ok()) value_.~T();
  }

  [[nodiscard]] bool ok() const { return error_ == Errc::ok; }
  explicit operator bool() const { return ok(); }
  [[nodiscard]] Errc error() const { return error_; }

  // Precondition: ok(). Checked in debug builds.
  [[nodiscard]] T& value() & { return check(), value_; }
  [[nodiscard]] const T& value() const& { return check(), value_; }
  [[nodiscard]] T&& value() && { return check(), std::move(value_); }
  [[nodiscard]] T& operator*() & { return value(); }
  [[nodiscard]] const T& operator*() const& { return value(); }
  [[nodiscard]] T* operator->() { return &value(); }
  [[nodiscard]] const T* operator->() const { return &value(); }
  [[nodiscard]] T value_or(T fallback) const& { return ok() ? value_ : fallback; }

 private:
  void check() const {
#ifndef NDEBUG
    if (!ok()) __builtin_trap();  // value() of an error: a caller bug
#endif
  }

  union {
    T value_;
  };
  Errc error_;
};

template <>
class Result<void> {
 public:
  using value_type = void;
  constexpr Result() = default;
  constexpr Result(Errc e) : error_(e) {}  // NOLINT(google-explicit-constructor)
  [[nodiscard]] constexpr bool ok() const { return error_ == Errc::ok; }
  constexpr explicit operator bool() const { return ok(); }
  [[nodiscard]] constexpr Errc error() const { return error_; }

 private:
  Errc error_ = Errc::ok;
};

using Status = Result<void>;

}  // namespace weft
