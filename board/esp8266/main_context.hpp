// MainContext: runs the app's main() on a stack of its own, beside the NONOS SDK's, so the same app source
// runs on Linux and on the chip. NONOS calls the firmware back (tasks, timers, lwIP, Wi-Fi events) and wants
// every callback to return soon; an app's main() builds its objects and then runs the loop for as long as it
// likes. The two meet here: main() runs until the loop has nothing to do (or has run kPollEverySwitches
// switches), then suspend() switches back to the SDK's stack; an SDK task event or timer later calls
// resume(), which switches into main() again exactly where it suspended.
//
//   SDK task event -> resume() ... main(): loop passes ... clock.wait_until() -> suspend() -> back in the SDK
//
// Who runs where: resume() only from SDK context (a task, a timer callback; never an interrupt), suspend() only
// from main()'s stack. A switch saves and restores the CALL0 ABI's callee-saved registers (a0, a1, a12-a15):
// ~20 instructions. Stack overflow: the lowest word of the stack holds a canary, checked at every switch;
// a clobbered canary stops the firmware with one line naming the stack size to raise (WEFT_MAIN_STACK_BYTES).
#pragma once
#include <cstddef>
#include <cstdint>

namespace weft::esp8266 {

class MainContext {
 public:
  using Entry = void (*)(void* arg);

  // Prepares `entry(arg)` to run on `stack` (aligned to 16, at least 512 bytes) at the first resume().
  // `entry` must never return: when the app is done it suspends for good.
  MainContext(void* stack, std::size_t bytes, Entry entry, void* arg);

  // Runs main() until it suspends. SDK context only; returns at once if main() is already running.
  void resume();
  // Switches back to whoever called resume(). main()'s stack only.
  void suspend();

  [[nodiscard]] bool running() const { return running_; }
  // Bytes of the stack never written so far (the canary fill still intact): how much headroom main() has.
  [[nodiscard]] std::size_t stack_never_used() const;

 private:
  void check_canary() const;

  std::uint32_t* stack_low_;
  std::size_t bytes_;
  void* main_sp_ = nullptr;  // main()'s saved stack pointer while it is suspended
  void* sdk_sp_ = nullptr;   // the SDK's saved stack pointer while main() runs
  bool running_ = false;
};

}  // namespace weft::esp8266

extern "C" {
// Saves the callee-saved registers on the current stack, stores its pointer in *save, switches to `next` and
// restores the registers saved there; "returns" on the other stack. (main_context_switch.S)
void weft_context_switch(void** save, void* next);
// First code on a fresh stack: calls a13(a12) (set up by the MainContext constructor). Never returns.
void weft_context_start();
}
