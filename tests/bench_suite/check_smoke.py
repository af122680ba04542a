#!/usr/bin/env python3
"""Checks the bench suite's smoke output (tests/bench_suite): results.json parses and holds a summary row for
every implementation the build has (judged by the programs in BUILD_DIR/bench), with finite figures; results.md has each section; readme.md
has the README's table; the charts are PNGs
(when python3-matplotlib is installed). Asserts nothing about speed.

    check_smoke.py OUT_DIR BUILD_DIR
"""
import importlib.util
import json
import math
import sys
from pathlib import Path


def fail(msg):
    print(f"check_smoke.py: {msg}", file=sys.stderr)
    sys.exit(1)


# The implementations each program of the build contributes.
PROGRAMS = {"suite/suite_floor": ["floor"], "suite/suite_weft": ["weft"], "suite/suite_poll": ["poll"],
            "suite/suite_libuv": ["libuv-idle", "libuv-timer0", "libuv"],
            "suite/suite_asio": ["asio-post", "asio-co_await", "asio"], "core/core_bench": ["floor", "weft"],
            "io/io_bench": ["floor", "weft"]}


def main():
    if len(sys.argv) != 3:
        fail("usage: check_smoke.py OUT_DIR BUILD_DIR")
    out, bench = Path(sys.argv[1]), Path(sys.argv[2]) / "bench"
    expected = {"asyncio"} | {i for p, impls in PROGRAMS.items() if (bench / p).exists() for i in impls}
    try:
        result = json.loads((out / "results.json").read_text())
    except (OSError, json.JSONDecodeError) as e:
        fail(f"results.json unreadable: {e}")
    rows = result.get("summary") or fail("results.json: no summary rows")
    for row in rows:
        for key in ("bench", "impl", "runs"):
            if key not in row:
                fail(f"summary row without '{key}': {row}")
        for key, value in row.items():
            if isinstance(value, float) and not math.isfinite(value):
                fail(f"summary row with a non-finite {key}: {row}")
    seen = {r["impl"] for r in rows}
    if missing := expected - seen:
        fail(f"no figures from {sorted(missing)} (have {sorted(seen)})")
    for bench in ("switch", "timers", "handoff", "pingpong", "memory"):
        if not any(r["bench"] == bench for r in rows):
            fail(f"no {bench} figures")
    if not isinstance(result.get("targets"), list) or not result["targets"]:
        fail("results.json: no targets evaluated")
    md = (out / "results.md").read_text()
    for heading in ("## Task switch", "## Timer lateness", "## Hand-off", "## Memory", "## Targets",
                    "## What each implementation does"):
        if heading not in md:
            fail(f"results.md lacks '{heading}'")
    readme = (out / "readme.md").read_text() if (out / "readme.md").exists() else ""
    if "| task switch, 10 tasks (ns) |" not in readme or "Targets:" not in readme:
        fail("readme.md (the README's table) lacks the table or the targets")
    if importlib.util.find_spec("matplotlib"):
        for chart in ("switch.png", "timers.png", "io.png"):
            data = (out / chart).read_bytes() if (out / chart).exists() else b""
            if not data.startswith(b"\x89PNG\r\n\x1a\n"):
                fail(f"{chart} is missing or not a PNG")
    print(f"bench suite smoke output OK: {len(rows)} rows from {len(seen)} implementations")


if __name__ == "__main__":
    main()
