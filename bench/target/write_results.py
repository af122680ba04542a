#!/usr/bin/env python3
"""Runs the lx106 benchmarks under QEMU and writes the table the README shows (bench/target/results/lx106.md).

    write_results.py --run RUN_QEMU --bench ELF --lean ELF --blynk ELF --ref ELF --sizes SIZES_SH --compiler TEXT
                     --out FILE

The benchmark programs print "result: <key> <value>" lines (instructions in tenths, bytes as is; the --lean
build, with per-task stats compiled out, prints the same keys ending in "_nostats"); sizes.sh
splits the reference app's link map by component. Under -icount every run executes the same instructions, so
the file changes only when the code does. Exit status 1 (and no file written) when a program fails or a
figure is missing.
"""
import argparse
import re
import subprocess
import sys

RESULT = re.compile(r"^result: (\w+) (\d+)$", re.M)

# (label, key, target, unit, floors?, judged on) in the order the table shows them. "judged on": which build
# the target applies to: "default" (WEFT_TASK_STATS on, the default) or "lean" (stats compiled out).
ROWS = [
    ("yield switch, 8 tasks, profiling off (`set_profiling(false)`)", "yield8_off", 45, "instr", True, "lean"),
    ("yield switch, 8 tasks, default config (profiling + hog check, board clock)", "yield8_default", 54,
     "instr", True, "default"),
    ("`sleep_us`: timer arm + fire + resume", "sleep", 150, "instr", False, "default"),
    ("Event set → waiter running", "event", 60, "instr", False, "default"),
    ("Queue put → get, per item", "queue", 80, "instr", False, "default"),
    ("Blynk `vw` frame: parse + dispatch to its handler", "blynk_vw", 400, "instr", False, "default"),
    ("per task beyond its coroutine frame (header bytes)", "header_bytes", 24, "B", False, "lean"),
    ("arena blocks per spawned task", "blocks_per_task", 1, "", False, "default"),
    ("core flash (library + out-of-line templates)", "core_flash", 6 * 1024, "B", False, "default"),
]
# Rows whose lean figure means nothing: the default config's profiling is what the lean build compiles out;
# the Blynk bench and the reference app are built once, with the default.
NO_LEAN = {"yield8_default", "blynk_vw", "core_flash"}


def run(cmd):
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"write_results: {' '.join(cmd)} exited with {done.returncode}:\n{done.stdout}{done.stderr}")
    return done.stdout


def results(output):
    return {k: int(v) for k, v in RESULT.findall(output)}


def core_flash(sizes_output):
    flash = 0
    for line in sizes_output.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] in ("core", "core-hdr"):
            flash += int(cells[1])
    if flash == 0:
        sys.exit(f"write_results: no core rows in the size table:\n{sizes_output}")
    return flash


def shown(value, unit):
    if unit == "instr":
        return f"{value // 10}.{value % 10}"
    if unit == "B" and value >= 2048:
        return f"{value / 1024:.1f} KB"
    return f"{value} {unit}".strip()


def target_text(target, unit):
    return f"≤ {target}" if unit == "instr" else "≤ " + shown(target, unit)


def main():
    ap = argparse.ArgumentParser()
    for name in ("run", "bench", "lean", "blynk", "ref", "sizes", "compiler", "out"):
        ap.add_argument("--" + name, required=True)
    a = ap.parse_args()

    figures = results(run([a.run, a.bench]))
    figures.update(results(run([a.run, a.lean])))
    figures.update(results(run([a.run, a.blynk])))
    run([a.run, a.ref])  # must run to its end: the sizes are only worth showing for a working app
    figures["core_flash"] = core_flash(run(["sh", a.sizes, a.ref]))
    missing = [key for _, key, *_ in ROWS if key not in figures]
    missing += [key + "_nostats" for _, key, *_ in ROWS if key not in NO_LEAN and key + "_nostats" not in figures]
    missing += [key for key in ("ring_yield8", "sm_yield8", "fifo_yield8") if key not in figures]
    if missing:
        sys.exit(f"write_results: the benchmarks printed no figure for {', '.join(missing)}")

    lines = [
        f"ESP8266 CPU (Xtensa lx106 under QEMU `-icount`, exact instruction counts), {a.compiler} -Os. "
        "Floors: the same yield loop as a bare ring of coroutine handles, as hand-written switch-based "
        "state machines and as coroutines in a minimal FIFO run queue (no cancellation, no nested tasks, no "
        "passes), in the same program and run. Default build: per-task stats compiled in "
        "(`WEFT_TASK_STATS`, the default); stats off: compiled out. The verdict judges the build marked *.",
        "",
        "| lx106 | weft, default build | weft, stats off | target | | floor: coroutine ring | floor: state machine "
        "| floor: minimal FIFO run queue |",
        "|---|---:|---:|---:|---|---:|---:|---:|",
    ]
    for label, key, target, unit, floors, judged in ROWS:
        value = figures[key]
        lean = figures.get(key + "_nostats") if key not in NO_LEAN else None
        judged_value = lean if judged == "lean" else value
        limit = target * 10 if unit == "instr" else target
        verdict = "met" if judged_value <= limit else "missed"
        ring = shown(figures["ring_yield8"], "instr") if floors else ""
        sm = shown(figures["sm_yield8"], "instr") if floors else ""
        fifo = shown(figures["fifo_yield8"], "instr") if floors else ""
        default_text = shown(value, unit) + (" *" if judged == "default" else "")
        lean_text = "" if lean is None else shown(lean, unit) + (" *" if judged == "lean" else "")
        lines.append(f"| {label} | {default_text} | {lean_text} | {target_text(target, unit)} | {verdict} | {ring} "
                     f"| {sm} | {fifo} |")
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
