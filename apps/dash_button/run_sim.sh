#!/usr/bin/env bash
# Runs dash_button on the simulated ESP8266 through three presses of the button (dash_button.scenario), with a
# local webhook receiver standing in for IFTTT (tests/net/http_receiver.py, Python's http.server). The log
# shows each boot and its reset cause, Wi-Fi, the webhook (the receiver prints what it got), the error LEDs
# blinking (the --trace lines "GPIO2 high" / "GPIO16 low") and every deep sleep and wake-up.
#
#   apps/dash_button/run_sim.sh [--tls] [BUILD_DIR]   (default build/default, configured with the default
#                                                     preset if needed; the two targets are built)
#   --tls: the receiver speaks HTTPS with a throwaway certificate (tests/net/make_test_certs.sh) and the app
#   verifies it against that CA, given as WEFT_TLS_CA (apps/common/app_tls.hpp)
#
# Exit status: weft-sim's (0 when every expectation of the scenario held).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tls=0
if [ "${1:-}" = "--tls" ]; then tls=1; shift; fi
build="${1:-$root/build/default}"
case "$build" in /*) ;; *) build="$PWD/$build" ;; esac
cd "$root"
if [ ! -f "$build/CMakeCache.txt" ]; then
  [ "$build" = "$root/build/default" ] || { echo "run_sim.sh: $build is not a configured build tree" >&2; exit 2; }
  cmake --preset default -G Ninja >/dev/null
fi
cmake --build "$build" --target dash_button weft-sim >/dev/null

port_file="$(mktemp)"
certs="$(mktemp -d)"
receiver_args=()
scheme=http
host=127.0.0.1
if [ "$tls" = 1 ]; then
  sh "$root/tests/net/make_test_certs.sh" "$certs" >/dev/null
  receiver_args=(--tls "$certs/server.pem" "$certs/server.key")
  scheme=https
  host=localhost  # the name the certificate carries
  export WEFT_TLS_CA="$certs/ca.pem"
fi
python3 "$root/tests/net/http_receiver.py" "${receiver_args[@]}" >"$port_file" &
receiver=$!
trap 'kill "$receiver" 2>/dev/null || true; rm -rf "$port_file" "$certs"' EXIT
for _ in $(seq 100); do
  grep -q '^PORT ' "$port_file" && break
  sleep 0.1
done
port="$(sed -n 's/^PORT //p' "$port_file")"
[ -n "$port" ] || { echo "run_sim.sh: the webhook receiver did not start" >&2; exit 1; }

"$build/board/linux/sim/weft-sim" --virtual --trace --scenario "$root/apps/dash_button/dash_button.scenario" -- \
  "$build/apps/dash_button/dash_button" "$scheme://$host:$port/trigger/button_pressed/with/key/weft-demo"
