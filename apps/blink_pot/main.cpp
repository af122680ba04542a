// blink_pot: seed 004's uasyncio example in weft. One task blinks an LED (PWM duty = brightness, then 0,
// once a second); another reads a potentiometer every 100 ms and scales it to the 10-bit duty range.
//
// Until the simulated board has PWM and ADC pins, the LED is a console line and the potentiometer is a knob
// turned slowly by a third task. Run: ./weft run blink_pot [seconds]
#include <cstdio>
#include <cstdlib>

#include "core/weft.hpp"

namespace {

struct Board {
  int led_duty = -1;  // what the PWM pin would output, 0..1023
  int pot = 0;        // what the ADC would read, 0..4095 (ESP32 12-bit, as in the seed)
};

void show(const weft::Loop& loop, int duty) {
  WEFT_LOG_INFO("LED duty %4d  %.*s", duty, duty / 64, "################");
  (void)loop;
}

weft::Task<> blink(Board& board, const int& brightness) {
  weft::Loop& loop = weft::Loop::current();
  for (;;) {
    board.led_duty = brightness;
    show(loop, board.led_duty);
    co_await weft::sleep_ms(1000);
    board.led_duty = 0;
    show(loop, board.led_duty);
    co_await weft::sleep_ms(1000);
  }
}

weft::Task<> update_brightness(const Board& board, int& brightness) {
  for (;;) {
    brightness = board.pot * 1023 / 4095;
    co_await weft::sleep_ms(100);
  }
}

// Stands in for a hand on the potentiometer: sweeps it up and down.
weft::Task<> turn_knob(Board& board) {
  int step = 205;
  for (;;) {
    board.pot += step;
    if (board.pot >= 4095 || board.pot <= 0) {
      board.pot = board.pot >= 4095 ? 4095 : 0;
      step = -step;
    }
    co_await weft::sleep_ms(700);
  }
}

}  // namespace

int main(int argc, char** argv) {
  long seconds = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 10;
  if (seconds <= 0) {
    std::fprintf(stderr, "usage: blink_pot [seconds > 0]   (default 10)\n");
    return 2;
  }
  Board board;
  int brightness = 0;
  weft::Loop loop;
  loop.spawn(blink(board, brightness), "blink");
  loop.spawn(update_brightness(board, brightness), "update_brightness");
  loop.spawn(turn_knob(board), "turn_knob");
  weft::Status s = loop.run_for(weft::sec(seconds));
  loop.log_stats();
  return s.ok() ? 0 : 1;
}
