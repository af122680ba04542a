#!/usr/bin/env python3
"""The size report of ESP8266 firmware images (board/esp8266), and the README's table of them.

  firmware_sizes.py report APP.elf --app NAME --size SIZE --nm NM --out NAME-sizes.json
      prints one app's figures and writes them as JSON; exits 1 (the build fails) when the app is over a
      budget: IRAM beyond 32 KiB, or an estimated SDK heap below 24 KB with Wi-Fi and one TCP connection up.
  firmware_sizes.py show NAME-sizes.json
      prints the report's line again.
  firmware_sizes.py table A-sizes.json B-sizes.json ... --out bench/target/results/firmware.md
      writes the table the README includes (tests/docs checks the README against the file).

Figures are read from the linked ELF, so they are exact for the link; the heap figures are estimates: the
SDK's heap is the DRAM after .bss (up to 0x3FFFC000, where the SDK's stack area begins), and Wi-Fi in station
mode plus one TCP connection take about kWifiAndTcpBytes of it at run time (the firmware prints the real
free heap at boot).
"""
import argparse
import json
import re
import subprocess
import sys

IRAM_BYTES = 32 * 1024
DRAM_BYTES = 80 * 1024
DRAM_END = 0x3FFFC000
IROM_BYTES = 0xF0000  # esp8266.ld: flash code from 0x10000 to the end of the 1 MB the cache maps
# Station associated (~8 KB of SDK buffers) plus one TCP connection (pcb, TCP_SND_BUF of 2 x 1460, a
# received segment): an estimate from the SDK's documented figures; only a chip measures it.
WIFI_AND_TCP_BYTES = 12 * 1024
MIN_HEAP_WITH_WIFI = 24 * 1024


def section_sizes(size_tool, elf):
    out = subprocess.run([size_tool, "-A", elf], check=True, capture_output=True, text=True).stdout
    sizes = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1].isdigit():
            sizes[parts[0]] = int(parts[1])
    return sizes


def symbols(nm_tool, elf):
    out = subprocess.run([nm_tool, "-S", elf], check=True, capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4:
            syms[parts[3]] = (int(parts[0], 16), int(parts[1], 16))
        elif len(parts) == 3:
            syms[parts[2]] = (int(parts[0], 16), 0)
    return syms


# The TLS layer (board/esp8266/mbedtls, framework/net/tls, the TLS transports, the entropy source): the
# input files the linker map names, by archive or member.
TLS_INPUT = re.compile(r"libweft_sdk_mbedtls\.a\(|[(/]tls_[a-z_]+\.cpp\.obj")
MAP_LINE = re.compile(r"^ (\S+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$")


def tls_bytes(map_path):
    """(flash, DRAM) bytes of the TLS layer's input sections in the linker map (0, 0 when it has none)."""
    flash = dram = 0
    for line in open(map_path):
        m = MAP_LINE.match(line.rstrip("\n"))
        if not m or not TLS_INPUT.search(m.group(4)):
            continue
        addr, size = int(m.group(2), 16), int(m.group(3), 16)
        if addr >= 0x40200000:
            flash += size
        elif 0x3FFE8000 <= addr < DRAM_END:
            dram += size
    return flash, dram


def symbol_size(syms, fragment):
    return sum(size for name, (_, size) in syms.items() if fragment in name)


def summary(r):
    return (f"{r['app']}: IRAM {r['iram']} / {IRAM_BYTES} B, DRAM {r['dram']} / {DRAM_BYTES} B, flash {r['flash']} / "
            f"{IROM_BYTES} B, frame arena {r['arena']} B, main() stack {r['main_stack']} B, SDK heap at boot "
            f"~{r['heap_at_boot']} B (~{r['heap_with_wifi_tcp']} B with Wi-Fi and one TCP connection), TLS "
            f"{r.get('tls_flash', 0)} B of flash and {r.get('tls_dram', 0)} B of DRAM")


def report(args):
    s = section_sizes(args.size, args.elf)
    syms = symbols(args.nm, args.elf)
    if "_heap_start" not in syms:
        sys.exit(f"firmware_sizes.py: {args.elf} has no _heap_start: not linked with board/esp8266/esp8266.ld")
    heap = DRAM_END - syms["_heap_start"][0]
    tls_flash, tls_dram = tls_bytes(args.elf + ".map")
    r = {
        "app": args.app,
        "iram": s.get(".text", 0) + s.get(".lit4", 0),
        "dram": s.get(".data", 0) + s.get(".rodata", 0) + s.get(".bss", 0),
        "flash": s.get(".irom0.text", 0),
        "arena": symbol_size(syms, "g_static_buffer"),
        "main_stack": symbol_size(syms, "g_main_stack"),
        "heap_at_boot": heap,
        "heap_with_wifi_tcp": heap - WIFI_AND_TCP_BYTES,
        "tls_flash": tls_flash,
        "tls_dram": tls_dram,
    }
    with open(args.out, "w") as f:
        json.dump(r, f, indent=1)
    print(summary(r))
    problems = []
    if r["iram"] > IRAM_BYTES:
        problems.append(f"IRAM {r['iram']} B is over {IRAM_BYTES} B: move code out of WEFT_IRAM")
    if r["flash"] > IROM_BYTES:
        problems.append(f"flash code {r['flash']} B is over {IROM_BYTES} B")
    if r["heap_with_wifi_tcp"] < MIN_HEAP_WITH_WIFI:
        problems.append(f"the SDK heap would drop to ~{r['heap_with_wifi_tcp']} B with Wi-Fi and TCP up (< "
                        f"{MIN_HEAP_WITH_WIFI} B): shrink WEFT_FRAME_ARENA_BYTES, WEFT_MAIN_STACK_BYTES or static data")
    for p in problems:
        print(f"firmware_sizes.py: {args.app}: {p}", file=sys.stderr)
    return 1 if problems else 0


def kib(n):
    return f"{n / 1024:.1f} KB"


def tls_cell(r):
    return f"{kib(r['tls_flash'])}, {kib(r['tls_dram'])}" if r.get("tls_flash") else "no TLS"


def table(args):
    rows = [json.load(open(p)) for p in args.reports]
    rows.sort(key=lambda r: r["app"])
    lines = [
        "| app (ESP8266, NONOS SDK 3.0.6, -Os) | IRAM (of 32 KB) | DRAM (of 80 KB) | flash code | frame arena | "
        "main() stack | SDK heap at boot (est.) | with Wi-Fi + 1 TCP (est., ≥ 24 KB) | of which TLS: flash, DRAM |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['app']} | {kib(r['iram'])} | {kib(r['dram'])} | {kib(r['flash'])} | {kib(r['arena'])} | "
                     f"{kib(r['main_stack'])} | {kib(r['heap_at_boot'])} | {kib(r['heap_with_wifi_tcp'])} | "
                     f"{tls_cell(r)} |")
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(open(args.out).read(), end="")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("report")
    r.add_argument("elf")
    r.add_argument("--app", required=True)
    r.add_argument("--size", required=True)
    r.add_argument("--nm", required=True)
    r.add_argument("--out", required=True)
    sh = sub.add_parser("show")
    sh.add_argument("report")
    t = sub.add_parser("table")
    t.add_argument("reports", nargs="+")
    t.add_argument("--out", required=True)
    args = ap.parse_args()
    if args.cmd == "show":
        with open(args.report) as f:
            print(summary(json.load(f)))
        sys.exit(0)
    sys.exit(report(args) if args.cmd == "report" else table(args))


if __name__ == "__main__":
    main()
