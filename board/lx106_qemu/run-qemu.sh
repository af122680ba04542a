#!/bin/sh
# Runs one lx106_qemu ELF under QEMU and exits with the program's exit code.
#
#   run-qemu.sh [--timeout S] [--real-time] [--expect-exit N] [--expect TEXT]... app.elf [qemu options]
#
# Virtual time is deterministic by default: `-icount shift=5,sleep=off` executes one instruction per 32 ns of
# virtual time (CCOUNT advances 1.28 per instruction) and, when the CPU idles in waiti, jumps the clock to
# the next timer instead of sleeping: an hour of sleeps takes no host time, and every run of the same ELF
# executes the same instructions. --real-time drops -icount (virtual time = host time).
# The board's own watchdogs report hangs with a message and an exit code (board/lx106_qemu/README.md); the
# host-time limit (default 120 s) is the last line of defence: it kills QEMU and exits 124.
# --expect-exit / --expect: for programs that must fail in a given way (bad-input tests): exits 0 when the
# program exited with N and printed every TEXT, 1 otherwise (saying what differed).
set -u
timeout=120
icount="-icount shift=5,sleep=off"
expect_exit=""
expects=""
nl='
'
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) timeout=$2; shift 2 ;;
    --real-time) icount=""; shift ;;
    --expect-exit) expect_exit=$2; shift 2 ;;
    --expect) expects="$expects$2$nl"; shift 2 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { echo "usage: run-qemu.sh [--timeout S] [--real-time] [--expect-exit N] [--expect TEXT] app.elf" >&2; exit 2; }
elf=$1
shift
command -v qemu-system-xtensa >/dev/null || { echo "run-qemu: qemu-system-xtensa not found: apt-get install qemu-system-misc" >&2; exit 127; }
[ -f "$elf" ] || { echo "run-qemu: $elf not found (build it first)" >&2; exit 2; }

run() {
  # shellcheck disable=SC2086 # $icount is a list of options
  timeout -k 5 "$timeout" qemu-system-xtensa -M sim -cpu lx106 -semihosting -display none -monitor none \
    -serial none $icount -kernel "$elf" "$@" </dev/null
}
killed() {
  echo "run-qemu: $elf did not finish within ${timeout} s of host time: QEMU killed (a hang the board's watchdogs did not catch)" >&2
  exit 124
}

if [ -z "$expect_exit" ] && [ -z "$expects" ]; then
  run "$@"
  rc=$?
  { [ $rc -eq 124 ] || [ $rc -eq 137 ]; } && killed
  exit $rc
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
run "$@" >"$out" 2>&1
rc=$?
cat "$out"
{ [ $rc -eq 124 ] || [ $rc -eq 137 ]; } && killed

status=0
if [ -n "$expect_exit" ] && [ "$rc" != "$expect_exit" ]; then
  echo "run-qemu: expected exit code $expect_exit, got $rc" >&2
  status=1
fi
printf '%s' "$expects" | while IFS= read -r text; do
  [ -z "$text" ] && continue
  grep -qF -- "$text" "$out" || { echo "run-qemu: expected output containing: $text" >&2; exit 1; }
done || status=1
[ $status -eq 0 ] && echo "run-qemu: failed as expected (exit $rc)"
exit $status
