#!/usr/bin/env python3
"""RAM per TLS connection on the ESP8266 (bench/tls/results/chip_ram.md), from the chip's mbedTLS build.

Reads the size table chip_tls_ram.c compiles for the lx106 (mbedTLS' structures as the chip lays them out and
its record buffer size) and the SDK heap a TLS app's size report estimates with Wi-Fi and one TCP connection
(bench/target/firmware_sizes.py), and writes what one connection holds, per record size (MFLN), against the
12 KB target and that heap.

usage: chip_tls_ram.py OBJ --objcopy OBJCOPY --sizes APP-sizes.json --out FILE.md
"""
import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile

MARK = 0x7765667C
FIELDS = ("record", "buffer", "ssl", "config", "session", "transform", "gcm", "handshake", "x509_crt")
TARGET = 12 * 1024
RECORDS = (512, 1024, 2048, 4096)


def read_table(objcopy, obj):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "table.bin")
        subprocess.run([objcopy, "-O", "binary", "-j", ".rodata.weft_chip_tls_ram", obj, out], check=True)
        data = open(out, "rb").read()
    words = struct.unpack(f"<{len(data) // 4}I", data)
    if not words or words[0] != MARK or len(words) != len(FIELDS) + 1:
        sys.exit(f"chip_tls_ram.py: {obj} has no size table of {len(FIELDS)} fields (chip_tls_ram.c)")
    return dict(zip(FIELDS, words[1:]))


def write_result(path, lines):
    """Writes a results file (the README shows it) and prints it."""
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(open(path).read(), end="")


def kib(n):
    return f"{n / 1024:.1f} KB"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("obj")
    ap.add_argument("--objcopy", required=True)
    ap.add_argument("--sizes", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    t = read_table(args.objcopy, args.obj)
    app = json.load(open(args.sizes))
    heap = app["heap_with_wifi_tcp"]
    overhead = t["buffer"] - t["record"]  # record header, IV, MAC and CBC padding room
    # After the handshake: the session's context and configuration, both record buffers, the transform with
    # its two AES-GCM contexts, the session (its peer certificate is counted apart: it is the server's).
    fixed = t["ssl"] + t["config"] + t["transform"] + 2 * t["gcm"] + t["session"]
    lines = [
        f"RAM per TLS connection on the ESP8266 (mbedTLS 2.2.1 of the NONOS SDK, weft's configuration, sizes as "
        f"compiled for the lx106; this build: WEFT_TLS_RECORD_BYTES={t['record']}):",
        "",
        "| record size (MFLN) | 2 record buffers | contexts (ssl, config, session, transform, 2 × AES-GCM) | "
        "per connection | during the handshake (+ handshake state) | 12 KB target | in the heap left (at most) |",
        "|---:|---:|---:|---:|---:|---|---:|",
    ]
    for record in RECORDS:
        buffers = 2 * (record + overhead)
        steady = buffers + fixed
        peak = steady + t["handshake"]
        mark = " (this build)" if record == t["record"] else ""
        lines.append(f"| {record} B{mark} | {kib(buffers)} | {kib(fixed)} | {kib(steady)} | {kib(peak)} | "
                     f"{'met' if peak <= TARGET else 'over'} | {heap // peak} |")
    lines += [
        "",
        f"Each record buffer holds a record of plaintext plus {overhead} B (header, IV, MAC, CBC padding). Not in "
        f"the figures: the server's certificate chain while it is checked ({t['x509_crt']} B plus the DER bytes "
        f"per certificate; the leaf stays with the session) and the ECDHE/ECDSA temporaries of the handshake: a "
        f"chip measures those. The heap left: {kib(heap)} (the {app['app']} firmware's estimate with Wi-Fi and "
        f"one TCP connection up, bench/target/results/firmware.md).",
    ]
    write_result(args.out, lines)


if __name__ == "__main__":
    main()
