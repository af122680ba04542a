#!/usr/bin/env bash
# Runs dash_button on the simulated ESP8266 through three presses of the button (dash_button.scenario), with a
# local webhook receiver standing in for IFTTT (tests/net/http_receiver.py, Python's http.server). The log
# shows each boot and its reset cause, Wi-Fi, the webhook (the receiver prints what it got), the error LEDs
# blinking (the --trace lines "GPIO2 high" / "GPIO16 low") and every deep sleep and wake-up.
#
#   apps/dash_button/run_sim.sh [BUILD_DIR]     (default build/default, configured with the default preset
#                                               if needed; the two targets are built)
#
# Exit status: weft-sim's (0 when every expectation of the scenario held).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build/default}"
case "$build" in /*) ;; *) build="$PWD/$build" ;; esac
cd "$root"
if [ ! -f "$build/CMakeCache.txt" ]; then
  [ "$build" = "$root/build/default" ] || { echo "run_sim.sh: $build is not a configured build tree" >&2; exit 2; }
  cmake --preset default -G Ninja >/dev/null
fi
cmake --build "$build" --target dash_button weft-sim >/dev/null

port_file="$(mktemp)"
python3 "$root/tests/net/http_receiver.py" >"$port_file" &
receiver=$!
trap 'kill "$receiver" 2>/dev/null || true; rm -f "$port_file"' EXIT
for _ in $(seq 100); do
  grep -q '^PORT ' "$port_file" && break
  sleep 0.1
done
port="$(sed -n 's/^PORT //p' "$port_file")"
[ -n "$port" ] || { echo "run_sim.sh: the webhook receiver did not start" >&2; exit 1; }

"$build/board/linux/sim/weft-sim" --virtual --trace --scenario "$root/apps/dash_button/dash_button.scenario" -- \
  "$build/apps/dash_button/dash_button" "http://127.0.0.1:$port/trigger/button_pressed/with/key/weft-demo"
