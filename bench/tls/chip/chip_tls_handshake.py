#!/usr/bin/env python3
"""A real handshake of the chip's TLS client, measured (bench/tls/results/chip_handshake.md).

Runs the lx106 handshake test under QEMU (tests/esp8266/target/tls_handshake_test.cpp: weft's TlsStream on
the ESP8266 build of mbedTLS against an mbedTLS server over an in-memory pipe) and writes what its line
reports: the cipher suite and record size negotiated, the client's heap at the handshake's peak and once
connected (its calls to calloc, apart from the server's), and the longest slice of the client's task in QEMU
time (-icount shift=5: 32 ns per instruction), with the same instructions at the chip's 80 and 160 MHz.

usage: chip_tls_handshake.py RUN_QEMU ELF --out FILE.md
"""
import argparse
import re
import subprocess
import sys

from chip_tls_ram import write_result

LINE = re.compile(r"chip TLS client \((?P<suite>[^,]+), MFLN (?P<mfl>\d+)\): heap (?P<peak>\d+) B at the peak of the "
                  r"handshake, (?P<after>\d+) B per connection after it; handshake and echo (?P<total>\d+) ms of QEMU "
                  r"time, longest client slice (?P<slice>\d+) ms")
NS_PER_INSTRUCTION = 32


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run_qemu")
    ap.add_argument("elf")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    run = subprocess.run([args.run_qemu, "--timeout", "900", args.elf], capture_output=True, text=True)
    m = LINE.search(run.stdout)
    if run.returncode != 0 or not m:
        sys.exit(f"chip_tls_handshake.py: the handshake test failed (exit {run.returncode}):\n{run.stdout[-2000:]}")
    instructions = int(m["slice"]) * 1_000_000 // NS_PER_INSTRUCTION
    write_result(args.out, [
        "| chip TLS client, real handshake under QEMU (lx106, ESP8266 mbedTLS build) | figure |",
        "|---|---|",
        f"| cipher suite, record size (MFLN) | {m['suite']}, {m['mfl']} B |",
        f"| client heap: handshake peak / connected (target ≤ 12 KB) | {m['peak']} B / {m['after']} B |",
        f"| longest handshake step of the client, in one loop slice | {instructions / 1e6:.0f} M instructions: "
        f"at least {instructions / 80e6:.1f} s at 80 MHz, {instructions / 160e6:.1f} s at 160 MHz |",
    ])


if __name__ == "__main__":
    main()
