// The minimal app with libuv: a repeating 500 ms uv_timer_t toggling, four times.
#include <uv.h>

volatile int g_led = 0;

int main() {
  uv_loop_t* loop = uv_default_loop();
  uv_timer_t timer;
  static int toggles = 0;
  uv_timer_init(loop, &timer);
  uv_timer_start(
      &timer,
      [](uv_timer_t* t) {
        g_led = !g_led;
        if (++toggles == 4) uv_close(reinterpret_cast<uv_handle_t*>(t), nullptr);
      },
      500, 500);
  return uv_run(loop, UV_RUN_DEFAULT);
}
