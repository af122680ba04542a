#!/usr/bin/env python3
"""weft benchmark suite: weft beside the alternatives, on this machine, in one run (issue 7).

    ./weft bench-suite              (installs the Debian packages, then runs this)
    python3 bench/suite/run_suite.py [--reps=N] [--out=DIR] [--build-dir=DIR] [--smoke] [--no-build] ...

Builds the target `bench_suite` optimised (Release; the libuv and Boost.Asio baselines when installed), runs
every benchmark --reps times, interleaved (a burst of load from elsewhere hits every implementation alike), and
writes to --out: results.md (tables: median, spread, ratios to the floor and to weft; targets; what each
baseline does; the machine), results.json (every record and the summary), readme.md (the README's table: its
`generated` block is this file) and PNG charts (python3-matplotlib).
Where the lx106 cross tools and QEMU are installed it also takes the ESP8266 instruction counts
(bench/target) and sets them beside the published ESP8266 anchors.

Sources of the figures: bench/core's core_bench (switch floor and weft, 1 ms timers floor and weft, bytes per
weft task), bench/io's io_bench (raw epoll ping-pong in C and weft), bench/suite's programs (the baselines,
the 10 ms timers, the hand-offs) and asyncio_bench.py. --smoke runs each with tiny sizes once (ctest does).
"""
import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

# What each implementation is, as the report says it.
DESCRIPTIONS = {
    "floor": "The floor: what the work costs with nothing in between. switch: a hand loop resuming a ring of "
             "coroutine handles (core_bench); timers: one thread sleeping with clock_nanosleep(TIMER_ABSTIME) "
             "to each deadline, timer slack 1 ns (one wake-up serves all N tasks); hand-off: the ring with 2 "
             "coroutines; ping-pong: raw epoll in C, one thread (io_bench); memory: a ring coroutine's frame.",
    "weft": "weft: Loop on LinuxClock (epoll + timerfd), profiling off. switch: co_await weft::yield(); "
            "timers: Periodic + co_await tick.next(); hand-off: Event set/wait/clear and Queue<uint64_t,1> "
            "put/get; ping-pong: TcpStream read_some/write_all; memory: arena bytes per yield task "
            "(frame + TaskHeader).",
    "weft+prof": "weft with per-task profiling on (the Loop default: two clock reads per switch).",
    "weft-default": "weft as an app gets it: `weft::Loop loop;` on the board's default driver, profiling on "
                    "(core_bench 'default').",
    "floor xN": "The timer floor taking N stamps per wake-up: the least N handlers sharing one thread cost.",
    "poll": "Arduino 'blink without delay' (seed 004): loop() reads the clock once per pass and visits N jobs, "
            "each running when `now >= due` (absolute deadlines, skip when late). No waiting: it spins a whole "
            "core (cpu ~1.0). switch: jobs always due; hand-off: two jobs passing a turn flag.",
    "libuv-idle": "libuv: N uv_idle_t, one callback = one switch (active idle handles make every iteration "
                  "poll epoll without blocking).",
    "libuv-timer0": "libuv: N uv_timer_t re-armed with timeout 0 from their callbacks.",
    "libuv": "libuv: timers: N uv_timer_t re-armed one-shot to each absolute deadline, on whole ms of the "
             "loop's cached clock (libuv's timer resolution is 1 ms); ping-pong: uv_tcp_t, uv_write + "
             "uv_read_start; memory: one uv_timer_t (the application allocates handles).",
    "asio-post": "Boost.Asio: N handlers each re-posting itself (post chain), io_context(1), one thread.",
    "asio-co_await": "Boost.Asio C++20 coroutines: N awaitables `co_await asio::post(ex, use_awaitable)`.",
    "asio": "Boost.Asio coroutines: timers: steady_timer expires_at(deadline) + co_await async_wait "
            "(timerfd); ping-pong: async_write + async_read; no hand-off (Boost 1.74 has no channel).",
    "asyncio": "CPython asyncio (default selector loop): switch: await asyncio.sleep(0); timers: "
               "await asyncio.sleep(due - loop.time()) (epoll timeouts rounded up to ms); hand-off: "
               "asyncio.Event / asyncio.Queue(1); ping-pong: streams; memory: tracemalloc per parked task.",
}

IMPL_ORDER = ["floor", "floor xN", "weft", "weft+prof", "weft-default", "poll", "libuv-idle", "libuv-timer0",
              "libuv", "asio-post", "asio-co_await", "asio", "asyncio"]

# Published ESP8266 anchors the lx106 figures are set beside.
ANCHORS = {
    "AceRoutine coroutine switch (ESP8266, 80 MHz)": {"cycles": 56, "us": 0.7},
    "MicroPython uasyncio task switch, 100 tasks (ESP8266)": {"us": 1500.0},
}
LX106_MHZ = 80


def log(msg):
    print(f"bench-suite: {msg}", file=sys.stderr, flush=True)


class SuiteError(Exception):
    pass


# --- sizes --------------------------------------------------------------------------------------------------

def sizes(smoke):
    if smoke:
        return dict(switch_tasks=[1, 10], switches=2000, py_switches=500, timer_tasks=[1, 10],
                    timer_runs=[(1, 40), (10, 60)], handoff_rounds=200, py_rounds=100, pingpong_rounds=100,
                    py_pingpong_rounds=50, memory_tasks=100)
    return dict(switch_tasks=[1, 10, 1000, 100000], switches=2_000_000, py_switches=100_000,
                timer_tasks=[1, 100, 1000], timer_runs=[(1, 1000), (10, 1500)], handoff_rounds=200_000,
                py_rounds=20_000, pingpong_rounds=20_000, py_pingpong_rounds=5_000, memory_tasks=10_000)


def csv(values):
    return ",".join(str(v) for v in values)


# --- running programs ---------------------------------------------------------------------------------------

def run(argv, timeout=300):
    try:
        p = subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise SuiteError(f"{Path(argv[0]).name} did not finish within {timeout} s") from e
    if p.returncode != 0:
        raise SuiteError(f"{' '.join(str(a) for a in argv)} exited {p.returncode}:\n{p.stderr.strip()}")
    return p.stdout


def json_lines(text, source):
    records = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            raise SuiteError(f"{source}: not a JSON record: {line!r} ({e})") from e
        if not isinstance(r, dict) or "bench" not in r or "impl" not in r:
            raise SuiteError(f"{source}: record without bench/impl: {line!r}")
        records.append(r)
    if not records:
        raise SuiteError(f"{source}: printed no records")
    return records


def bench_records(text, source, expect, impls=None):
    """A bench's --json output -> its records (only `impls`, when given); each bench in `expect` must be there."""
    records = [r for r in json_lines(text, source) if impls is None or r["impl"] in impls]
    for bench in expect:
        if not any(r["bench"] == bench for r in records):
            raise SuiteError(f"{source}: printed no {bench} records\n{text}")
    return records


def parse_lx106(text):
    """lx106_bench_report's markdown tables -> {operation: value} (instructions per op, bytes)."""
    rows, unit = {}, ""
    for line in text.splitlines():
        if not line.lstrip().startswith("|"):
            m = re.match(r"^\s*(flash image|static RAM)[^:]*:\s*(\d+) B", line)
            if m:
                rows[f"ref_app {m.group(1)}"] = float(m.group(2))
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or cells[0].startswith("-"):
            continue
        if not (m := re.match(r"^([\d.]+)\s*B?$", cells[1])):
            unit = cells[1]  # a header: "instr/op", "bytes", or the per-component table's "flash"
        elif unit == "flash":
            rows[f"ref_app {cells[0]} flash"] = float(m.group(1))
        else:
            # The report runs the default build first, then the stats-off one with the same row labels: the
            # default's figures are the ones kept.
            rows.setdefault(cells[0], float(m.group(1)))
    if not any(k.startswith("yield switch") for k in rows):
        raise SuiteError(f"lx106 report: no 'yield switch' row found: has its format changed?\n{text}")
    return rows


# --- the jobs -----------------------------------------------------------------------------------------------

class Programs:
    def __init__(self, build):
        self.build = build
        self.suite = build / "bench" / "suite"

    def path(self, name):
        for p in (self.suite / name, self.build / "bench" / "core" / name, self.build / "bench" / "io" / name):
            if p.is_file() and os.access(p, os.X_OK):
                return p
        return None


def make_jobs(programs, s, only):
    """[(impl label, repeat?, fn() -> records)] in the order they run within one repetition."""
    jobs = []

    def add(label, fn, every_rep=True):
        if only and label.split(":")[0] not in only:
            return
        jobs.append((label, every_rep, fn))

    def prog_job(prog, mode, *args):
        p = programs.path(prog)
        return lambda: json_lines(run([p, mode, *args]), f"{prog} {mode}")

    core = programs.path("core_bench")
    if core:
        core_args = [core, "--json", "--runs=1", f"--switches={s['switches']}",
                     f"--yield-tasks={csv(sorted(set(s['switch_tasks'] + [2])))}", "--yield-variants=floor,weft,prof",
                     f"--timer-tasks={csv(s['timer_tasks'])}", f"--timer-ms={s['timer_runs'][0][1]}"]
        add("weft:core_bench",
            lambda: bench_records(run(core_args + ["--only=yield,timers"]), "core_bench", ["switch", "timers"]))
        add("weft:core_bench memory",
            lambda: bench_records(run([core, "--json", "--only=memory", f"--memory-tasks={s['memory_tasks'] * 10}"]),
                                  "core_bench", ["memory"]), every_rep=False)
    else:
        log("core_bench not built (bench/core missing): no weft switch, 1 ms timer or floor figures")
    io = programs.path("io_bench")
    if io:
        add("weft:io_bench",
            lambda: bench_records(run([io, "--json", "--runs=1", f"--rounds={s['pingpong_rounds']}", "--size=64"]),
                                  "io_bench", ["pingpong"], impls={"floor", "weft", "weft+prof"}))
    else:
        log("io_bench not built (bench/io missing): no weft or raw epoll ping-pong figures")

    timer_args = [(f"--period-ms={p}", f"--duration-ms={d}") for p, d in s["timer_runs"]]
    tasks = f"--tasks={csv(s['timer_tasks'])}"
    if programs.path("suite_floor"):
        for period, duration in timer_args[1:]:  # 1 ms: core_bench's floor
            add("floor:timers", prog_job("suite_floor", "timers", f"--tasks={csv(sorted({1, *s['timer_tasks']}))}",
                                         period, duration))
        add("floor:memory", prog_job("suite_floor", "memory", f"--tasks={s['memory_tasks']}"), every_rep=False)
    if programs.path("suite_weft"):
        for period, duration in timer_args[1:]:  # 1 ms: core_bench
            add("weft:timers", prog_job("suite_weft", "timers", tasks, period, duration))
        add("weft:handoff", prog_job("suite_weft", "handoff", f"--rounds={s['handoff_rounds']}"))
    if programs.path("suite_poll"):
        add("poll:switch", prog_job("suite_poll", "switch", f"--tasks={csv(s['switch_tasks'])}",
                                    f"--switches={s['switches']}"))
        for period, duration in timer_args:
            add("poll:timers", prog_job("suite_poll", "timers", tasks, period, duration))
        add("poll:handoff", prog_job("suite_poll", "handoff", f"--rounds={s['handoff_rounds']}"))
        add("poll:memory", prog_job("suite_poll", "memory"), every_rep=False)
    for prog, label in (("suite_libuv", "libuv"), ("suite_asio", "asio")):
        if not programs.path(prog):
            log(f"{prog} not built ({label} not installed, or WEFT_BENCH_BASELINES=OFF): {label} skipped")
            continue
        add(f"{label}:switch", prog_job(prog, "switch", f"--tasks={csv(s['switch_tasks'])}",
                                        f"--switches={s['switches']}"))
        for period, duration in timer_args:
            add(f"{label}:timers", prog_job(prog, "timers", tasks, period, duration))
        add(f"{label}:pingpong", prog_job(prog, "pingpong", f"--rounds={s['pingpong_rounds']}", "--size=64"))
        add(f"{label}:memory", prog_job(prog, "memory", f"--tasks={s['memory_tasks']}"), every_rep=False)
    python = sys.executable or shutil.which("python3")
    script = HERE / "asyncio_bench.py"

    def py_job(mode, *args):
        return lambda: json_lines(run([python, script, mode, *args]), f"asyncio_bench.py {mode}")

    add("asyncio:switch", py_job("switch", f"--tasks={csv(s['switch_tasks'])}", f"--switches={s['py_switches']}"))
    for period, duration in timer_args:
        add("asyncio:timers", py_job("timers", tasks, period, duration))
    add("asyncio:handoff", py_job("handoff", f"--rounds={s['py_rounds']}"))
    add("asyncio:pingpong", py_job("pingpong", f"--rounds={s['py_pingpong_rounds']}", "--size=64"))
    add("asyncio:memory", py_job("memory", f"--tasks={s['memory_tasks']}"), every_rep=False)
    return jobs


def minimal_app_sizes(programs):
    """text/data/bss of the minimal apps (the same 4 x 500 ms blink in each), from `size`."""
    out = []
    size_tool = shutil.which("size")
    notes = {"weft": "weft core + Linux board (LinuxClock and the simulated ESP8266 world it defaults to), "
                     "static; bss is the Linux board's 64 MiB frame arena (16 KiB on the ESP8266)",
             "poll": "no library besides libc",
             "libuv": "plus libuv.so (shared, not counted)",
             "asio": "header-only Boost.Asio; libstdc++/libc shared"}
    for impl in ("poll", "weft", "libuv", "asio"):
        p = programs.path(f"suite_min_{impl}")
        if not p or not size_tool:
            continue
        m = re.search(r"^\s*(\d+)\s+(\d+)\s+(\d+)", run([size_tool, "-B", p]).splitlines()[1])
        text, data, bss = (int(g) for g in m.groups())
        out.append(dict(impl=impl, text=text, data=data, bss=bss, total=text + data + bss, note=notes[impl]))
    return out


def run_lx106(build, smoke):
    """The lx106 instruction counts (bench/target under QEMU), or None when the tools are not installed."""
    if smoke:
        return None
    if not (shutil.which("xtensa-lx106-elf-g++") and shutil.which("qemu-system-xtensa")):
        log("lx106 tools not installed (gcc-xtensa-lx106, qemu-system-misc, ...): no ESP8266 figures")
        return None
    tree = build / "lx106"
    log(f"lx106: building and running bench/target under QEMU in {tree}")
    if not (tree / "CMakeCache.txt").exists():
        run(["cmake", "-S", ROOT, "-B", tree, "-G", "Ninja", "--toolchain",
             ROOT / "cmake" / "toolchains" / "xtensa-lx106-elf.cmake", "-DWEFT_BOARD=lx106_qemu",
             "-DCMAKE_BUILD_TYPE=MinSizeRel"], timeout=600)
    return parse_lx106(run(["cmake", "--build", tree, "--target", "lx106_bench_report"], timeout=900))


# --- aggregation ---------------------------------------------------------------------------------------------

KEY_FIELDS = ("bench", "impl", "tasks", "period_ms", "via", "size")
METRICS = ("ns", "ms", "p50_us", "p90_us", "p99_us", "p999_us", "max_us", "cpu", "skipped", "samples", "bytes_per_task",
           "cpu_ns_per_tick")


def summarise(records):
    groups = {}
    for r in records:
        key = tuple(r.get(k) for k in KEY_FIELDS)
        groups.setdefault(key, []).append(r)
    rows = []
    for key, rs in groups.items():
        row = {k: v for k, v in zip(KEY_FIELDS, key) if v is not None}
        row["runs"] = len(rs)
        for m in METRICS:
            values = [r[m] for r in rs if m in r]
            if values:
                med = statistics.median(values)
                row[m] = med
                if len(values) > 1:
                    row[f"{m}_min"], row[f"{m}_max"] = min(values), max(values)
                    if med:
                        row[f"{m}_spread"] = (max(values) - min(values)) / abs(med)
        if "what" in rs[0]:
            row["what"] = rs[0]["what"]
        rows.append(row)
    return rows


def find(rows, **match):
    for r in rows:
        if all(r.get(k) == v for k, v in match.items()):
            return r
    return None


def add_ratios(rows):
    """Ratios to the floor and to weft, measured in the same run."""
    for r in rows:
        b = r["bench"]
        if b == "switch":
            floor, weft, metric = find(rows, bench=b, impl="floor", tasks=r["tasks"]), \
                find(rows, bench=b, impl="weft", tasks=r["tasks"]), "ns"
        elif b == "timers":
            floor = find(rows, bench=b, impl="floor", tasks=r["tasks"], period_ms=r["period_ms"]) or \
                find(rows, bench=b, impl="floor", tasks=1, period_ms=r["period_ms"])
            weft, metric = find(rows, bench=b, impl="weft", tasks=r["tasks"], period_ms=r["period_ms"]), "p50_us"
        elif b == "handoff":
            floor = find(rows, bench="switch", impl="floor", tasks=2)
            weft = find(rows, bench=b, impl="weft", via=r["via"]) or find(rows, bench=b, impl="weft", via="event")
            metric = "ns"
        elif b == "pingpong":
            floor, weft, metric = find(rows, bench=b, impl="floor"), find(rows, bench=b, impl="weft"), "ns"
        else:
            continue
        for name, ref in (("floor", floor), ("weft", weft)):
            if b == "timers" and ref:
                for m in ("p50_us", "p99_us"):
                    if ref.get(m, 0) > 0 and m in r:
                        r[f"{m}_x_{name}"] = r[m] / ref[m]
            elif ref and ref.get(metric, 0) > 0 and metric in r:
                r[f"x_{name}"] = r[metric] / ref[metric]


def tasks_text(n):
    return f"{n:,} task{'s' if n != 1 else ''}"


def check_targets(rows):
    """Issue 7's targets, each: what, measured, pass."""
    out = []

    def target(what, ok, measured, *sources):
        spreads = [r[f"{m}_spread"] for r, m in sources if r and f"{m}_spread" in r]
        notes = [f"runs spread ±{max(spreads) * 50:.0f}%"] if spreads else []
        # A p99 of a few hundred ticks is the second or third worst tick: one preemption moves it.
        notes += [f"{r['impl']}: p99 of only {r['samples']:.0f} ticks" for r, m in sources
                  if r and m == "p99_us" and r.get("samples", 1000) < 1000]
        out.append(dict(target=what, measured=measured, met=bool(ok), note="; ".join(notes)))

    for r in sorted((r for r in rows if r["bench"] == "switch" and r["impl"] == "weft" and "x_floor" in r),
                    key=lambda r: r["tasks"]):
        n = r["tasks"]
        floor = find(rows, bench="switch", impl="floor", tasks=n)
        target(f"weft yield <= 1.3x floor, {tasks_text(n)}", r["x_floor"] <= 1.3, f"{r['x_floor']:.2f}x", (r, "ns"),
               (floor, "ns"))
        for impl, factor in (("asio-co_await", 30), ("asyncio", 300)):
            other = find(rows, bench="switch", impl=impl, tasks=n)
            if other and r.get("ns"):
                k = other["ns"] / r["ns"]
                target(f"weft yield >= {factor}x faster than {impl}, {tasks_text(n)}", k >= factor, f"{k:.1f}x",
                       (r, "ns"), (other, "ns"))
    for r in sorted((r for r in rows if r["bench"] == "timers" and r["impl"] == "weft" and "p50_us_x_floor" in r),
                    key=lambda r: (r["period_ms"], r["tasks"])):
        where = f"{tasks_text(r['tasks'])} at {r['period_ms']} ms"
        floor = find(rows, bench="timers", impl="floor", tasks=r["tasks"], period_ms=r["period_ms"]) or \
            find(rows, bench="timers", impl="floor", tasks=1, period_ms=r["period_ms"])
        # N handlers on one thread cannot all run at the wake-up: "floor xN" shows what that alone costs.
        xn = find(rows, bench="timers", impl="floor xN", tasks=r["tasks"], period_ms=r["period_ms"])
        for m, limit in (("p50_us", 1.2), ("p99_us", 1.5)):
            if f"{m}_x_floor" not in r:
                continue
            measured = f"{r[m + '_x_floor']:.2f}x"
            if xn and xn.get(m, 0) > 0:
                measured += f" ({r[m] / xn[m]:.2f}x floor xN)"
            target(f"weft timer {m[:3]} <= {limit}x floor, {where}", r[f"{m}_x_floor"] <= limit, measured, (r, m),
                   (floor, m))
    r = find(rows, bench="pingpong", impl="weft")
    if r and "x_floor" in r:
        target("weft TCP round trip <= 1.2x raw epoll", r["x_floor"] <= 1.2, f"{r['x_floor']:.2f}x", (r, "ns"),
               (find(rows, bench="pingpong", impl="floor"), "ns"))
    return out


# --- the report ---------------------------------------------------------------------------------------------

def machine_info():
    info = {"python": platform.python_version(), "kernel": platform.release()}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for field in ("Model name", "CPU(s)", "Thread(s) per core", "CPU max MHz", "Hypervisor vendor",
                      "L2 cache", "L3 cache"):
            if m := re.search(rf"^{re.escape(field)}:\s*(.+)$", lscpu, re.M):
                info[field] = m.group(1).strip()
    except OSError:
        pass
    for name, cmd in (("compiler", ["c++", "--version"]), ("libuv", ["pkg-config", "--modversion", "libuv"])):
        try:
            info[name] = subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0].strip()
        except (OSError, IndexError):
            pass
    if (v := Path("/usr/include/boost/version.hpp")).exists():
        if m := re.search(r'BOOST_LIB_VERSION "([\d_]+)"', v.read_text()):
            info["boost"] = m.group(1).replace("_", ".")
    return info


def load_average():
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return -1.0


def impl_key(impl):
    return IMPL_ORDER.index(impl) if impl in IMPL_ORDER else len(IMPL_ORDER)


def fmt(v, digits=1):
    if v is None:
        return "-"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{digits}f}"


def spread(r, m):
    s = r.get(f"{m}_spread")
    return f" ±{s * 50:.0f}%" if s is not None else ""


def ratio(v):
    return f"{v:.2f}x" if v is not None else "-"


def markdown(result):
    rows, meta = result["summary"], result["meta"]
    md = [f"# weft benchmark suite: results", "",
          f"{meta['date']}, {meta['reps']} runs per figure{' (SMOKE: tiny sizes, figures meaningless)' if meta['smoke'] else ''}, "
          f"load average {meta['load_before']:.2f} before / {meta['load_after']:.2f} after. "
          "Cells: median of the runs ±half their range. Ratios: to the floor and to weft, from the same run.", ""]
    m = meta["machine"]
    md += ["Machine: " + ", ".join(f"{k} {v}" for k, v in m.items()), ""]
    cores = os.cpu_count() or 1
    if max(meta["load_before"], meta["load_after"]) > 0.5 * cores:
        md += [f"**Noisy:** the load average was above {0.5 * cores:g} on {cores} cores while this ran: other "
               "processes took CPU time from the benchmarks, which shows in the spreads and in the tails "
               "(p99, max) of the timer figures. Rerun on an idle machine for figures to quote.", ""]

    impls = sorted({r["impl"] for r in rows if r["bench"] == "switch"}, key=impl_key)
    tasks = meta["sizes"]["switch_tasks"]
    md += ["## Task switch (ns per switch)", "",
           "| implementation | " + " | ".join(f"{n:,} task{'s' if n > 1 else ''}" for n in tasks) + " |",
           "|---|" + "---:|" * len(tasks)]
    for impl in impls:
        cells = []
        for n in tasks:
            r = find(rows, bench="switch", impl=impl, tasks=n)
            cells.append("-" if not r else f"{fmt(r['ns'], 2)}{spread(r, 'ns')}<br>{ratio(r.get('x_floor'))} floor, "
                                           f"{ratio(r.get('x_weft'))} weft")
        md.append(f"| {impl} | " + " | ".join(cells) + " |")
    md += ["", "![switch cost vs number of tasks](switch.png)", ""]

    md += ["## Timer lateness (µs: when the task ran - its deadline)", "",
           "| period | tasks | implementation | p50 | p99 | max | p50 x floor | p99 x floor | p50 x weft | cpu | skipped |",
           "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    timer_rows = sorted((r for r in rows if r["bench"] == "timers"),
                        key=lambda r: (r["period_ms"], r["tasks"], impl_key(r["impl"])))
    for r in timer_rows:
        md.append(f"| {r['period_ms']} ms | {r['tasks']:,} | {r['impl']} | {fmt(r['p50_us'])}{spread(r, 'p50_us')} | "
                  f"{fmt(r['p99_us'])}{spread(r, 'p99_us')} | {fmt(r['max_us'])} | {ratio(r.get('p50_us_x_floor'))} | "
                  f"{ratio(r.get('p99_us_x_floor'))} | {ratio(r.get('p50_us_x_weft'))} | "
                  f"{fmt(r.get('cpu'), 2)} | {fmt(r.get('skipped'), 0)} |")
    md += ["", "cpu: process CPU time / wall time during the run (the poll loop spins: ~1.0). skipped: ticks dropped "
           "because a task was more than a period late (summed over the tasks).", "",
           "![timer lateness](timers.png)", ""]

    md += ["## Hand-off between two tasks (ns per hand-off) and loopback TCP ping-pong (µs per round trip)", "",
           "| what | implementation | median | x floor | x weft |", "|---|---|---:|---:|---:|"]
    floor2 = find(rows, bench="switch", impl="floor", tasks=2)
    if floor2:
        md.append(f"| hand-off (floor: a switch in a ring of 2 coroutines) | floor | {fmt(floor2['ns'], 2)} ns | 1.00x | - |")
    for r in sorted((r for r in rows if r["bench"] == "handoff"), key=lambda r: (r["via"], impl_key(r["impl"]))):
        md.append(f"| hand-off via {r['via']} | {r['impl']} | {fmt(r['ns'], 2)} ns{spread(r, 'ns')} | "
                  f"{ratio(r.get('x_floor'))} | {ratio(r.get('x_weft'))} |")
    for r in sorted((r for r in rows if r["bench"] == "pingpong"), key=lambda r: impl_key(r["impl"])):
        md.append(f"| TCP round trip, {r['size']} B | {r['impl']} | {fmt(r['ns'] / 1000, 2)} µs{spread(r, 'ns')} | "
                  f"{ratio(r.get('x_floor'))} | {ratio(r.get('x_weft'))} |")
    md += ["", "![hand-off and ping-pong](io.png)", ""]

    md += ["## Memory", "", "| implementation | bytes per task | what |", "|---|---:|---|"]
    for r in sorted((r for r in rows if r["bench"] == "memory"), key=lambda r: impl_key(r["impl"])):
        md.append(f"| {r['impl']} | {fmt(r['bytes_per_task'], 0)} | {r.get('what', '')} |")
    if result["minimal_apps"]:
        md += ["", "Minimal app (one task toggling a variable every 500 ms, four times; Linux x86-64, -O2), "
               "bytes from `size`:", "", "| implementation | text | data | bss | total | note |",
               "|---|---:|---:|---:|---:|---|"]
        for a in result["minimal_apps"]:
            md.append(f"| {a['impl']} | {a['text']:,} | {a['data']:,} | {a['bss']:,} | {a['total']:,} | {a['note']} |")
        if (lx := result.get("lx106")) and "ref_app flash image" in lx:
            md.append(f"| weft on the ESP8266 (lx106), 5-task reference app | {lx['ref_app flash image']:,.0f} flash | - | - "
                      f"| {lx.get('ref_app static RAM', 0):,.0f} RAM | bench/target ref_app, -Os: flash image; static "
                      "RAM including the 16 KiB frame arena |")
    md.append("")

    lx = result.get("lx106")
    md += ["## ESP8266 (lx106 under QEMU) beside the published anchors", ""]
    if not lx:
        md += ["Not measured: the lx106 cross tools and QEMU are not installed (or --smoke / --no-lx106).", ""]
    else:
        md += [f"Instruction counts (exact, QEMU icount) from bench/target; µs at {LX106_MHZ} MHz assume one "
               "instruction per cycle (a lower bound: the lx106 stalls on flash and loads).", "",
               "| operation | weft instructions | ≈ µs at 80 MHz | anchor | anchor µs | weft vs anchor |",
               "|---|---:|---:|---|---:|---:|"]
        ace, upy = ANCHORS["AceRoutine coroutine switch (ESP8266, 80 MHz)"], \
            ANCHORS["MicroPython uasyncio task switch, 100 tasks (ESP8266)"]
        for op, value in lx.items():
            if not re.match(r"(yield switch|Event set|Queue<|sleep_us|spawn)", op):
                continue
            us = value / LX106_MHZ
            if op.startswith("yield switch") and "profiling off" in op:
                md.append(f"| {op} | {value:.1f} | {us:.2f} | AceRoutine switch ({ace['cycles']} cycles) | "
                          f"{ace['us']} | {value / ace['cycles']:.1f}x slower |")
                md.append(f"| {op} | {value:.1f} | {us:.2f} | MicroPython uasyncio switch (100 tasks) | "
                          f"{upy['us']:,.0f} | {upy['us'] / us:,.0f}x faster |")
            else:
                md.append(f"| {op} | {value:.1f} | {us:.2f} | | | |")
        mem = {k: v for k, v in lx.items() if k.startswith(("per task", "ref_app", "frame of"))}
        if mem:
            md += ["", "| lx106 memory | bytes |", "|---|---:|"] + [f"| {k} | {v:,.0f} |" for k, v in mem.items()]
        md.append("")

    md += ["## Targets (issue 7, from this run)", "", "| target | measured | met | note |", "|---|---:|---|---|"]
    for t in result["targets"]:
        md.append(f"| {t['target']} | {t['measured']} | {'yes' if t['met'] else '**MISSED**'} | {t['note']} |")
    md += ["", "## What each implementation does", ""]
    for impl in sorted({r["impl"] for r in rows}, key=impl_key):
        if impl in DESCRIPTIONS:
            md.append(f"- **{impl}**: {DESCRIPTIONS[impl]}")
    md += ["", "Sources: bench/core core_bench (switch floor/weft, 1 ms timers floor/weft, weft bytes per task), "
           "bench/io io_bench (raw epoll, weft ping-pong), bench/suite (everything else), bench/target (lx106).",
           ""]
    return "\n".join(md)



def readme_block(result):
    """readme.md: the README's comparison table (the README's `generated` block holds exactly this file)."""
    rows, meta, m = result["summary"], result["meta"], result["meta"]["machine"]

    def get(key, **match):
        r = find(rows, **match)
        return r.get(key) if r else None

    def cell(*parts, sep=" / "):
        """Figures joined by `sep` (each a (value, digits, label) tuple); '—' when none was measured."""
        shown = [f"{fmt(v, d)}{' ' + label if label else ''}" for v, d, label in parts if v is not None]
        return sep.join(shown) if shown else "—"

    def switch(tasks):
        return [cell((get("ns", bench="switch", impl=i, tasks=tasks), 1, None)) for i in ("floor", "weft", "poll")] + [
            cell((get("ns", bench="switch", impl="libuv-idle", tasks=tasks), 1, "idle"),
                 (get("ns", bench="switch", impl="libuv-timer0", tasks=tasks), 1, "timer(0)")),
            cell((get("ns", bench="switch", impl="asio-post", tasks=tasks), 1, "post"),
                 (get("ns", bench="switch", impl="asio-co_await", tasks=tasks), 1, "co_await")),
            cell((get("ns", bench="switch", impl="asyncio", tasks=tasks), 0, None))]

    def timers(tasks, period):
        out = []
        for impl in ("floor xN", "weft", "poll", "libuv", "asio", "asyncio"):
            r = find(rows, bench="timers", impl=impl, tasks=tasks, period_ms=period)
            out.append(cell((r["p50_us"], 1, None), (r["p99_us"], 1, None)) if r else "—")
        return out

    def handoff():
        ring = get("ns", bench="switch", impl="floor", tasks=2)
        return [cell((ring, 1, "(ring of 2)")),
                cell((get("ns", bench="handoff", impl="weft", via="event"), 1, None),
                     (get("ns", bench="handoff", impl="weft", via="queue"), 1, None)),
                cell((get("ns", bench="handoff", impl="poll", via="flag"), 1, "(flag)")), "—", "—",
                cell((get("ns", bench="handoff", impl="asyncio", via="event"), 0, None),
                     (get("ns", bench="handoff", impl="asyncio", via="queue"), 0, None))]

    def pingpong():
        us = [get("ns", bench="pingpong", impl=i, size=64) for i in ("floor", "weft", "poll", "libuv", "asio", "asyncio")]
        return [cell((v / 1000 if v is not None else None, 1, None)) for v in us]

    def memory():
        return [cell((get("bytes_per_task", bench="memory", impl=i), 0, None)) for i in ("floor", "weft", "poll", "libuv")] + [
            cell((get("bytes_per_task", bench="memory", impl="asio-post"), 0, "post"),
                 (get("bytes_per_task", bench="memory", impl="asio-co_await"), 0, "co_await"),
                 (get("bytes_per_task", bench="memory", impl="asio"), 0, None)),
            cell((get("bytes_per_task", bench="memory", impl="asyncio"), 0, None))]

    table = [("task switch, 10 tasks (ns)", switch(10)), ("task switch, 100k tasks (ns)", switch(100000)),
             ("100 timers at 1 ms, lateness p50 / p99 (µs)", timers(100, 1)),
             ("1000 timers at 10 ms, lateness p50 / p99 (µs)", timers(1000, 10)),
             ("hand-off Event / Queue (ns)", handoff()), ("loopback TCP round trip, 64 B (µs)", pingpong()),
             ("bytes per task", memory())]
    vm = f" under {m['Hypervisor vendor']}" if m.get("Hypervisor vendor") else ""
    md = [f"Latest run, {meta['date']}: {m.get('Model name', 'unknown CPU')}, {m.get('CPU(s)', '?')} CPUs{vm}, "
          f"{m.get('compiler', 'unknown compiler')}, libuv {m.get('libuv', '-')}, Boost {m.get('boost', '-')}, "
          f"CPython {m.get('python', '-')}; load average {meta['load_before']:.2f} before, "
          f"{meta.get('load_after', -1):.2f} after; median of {meta['reps']} runs per figure; the run took "
          f"{meta.get('seconds', 0):.0f} s plus the build.", "",
          "| | floor | weft | Arduino poll loop | libuv | Boost.Asio | CPython asyncio |",
          "|---|---:|---:|---:|---:|---:|---:|"]
    md += [f"| {name} | " + " | ".join(cells) + " |" for name, cells in table]
    prof = [(get("ns", bench="switch", impl="weft+prof", tasks=n), get("ns", bench="switch", impl="weft", tasks=n))
            for n in (10,)]
    extra = ", ".join(f"{fmt(on - off)} ns" for on, off in prof if on is not None and off is not None)
    md += ["", "floor: the hand-written floor of each benchmark (timers: one clock_nanosleep sleeper taking N "
           "stamps per wake-up; TCP: raw epoll in C). Bytes per task: what each one keeps per parked task "
           "(results.md says what). weft rows: profiling off"
           + (f"; the Loop's default, profiling on, costs {extra} more per switch at 10 tasks." if extra else "."),
           ""]
    groups = {}
    for t in result["targets"]:
        name, _, case = t["target"].rpartition(", ")
        if not name:
            name, case = t["target"], ""
        groups.setdefault(name, []).append(t | {"case": case})
    met = sum(t["met"] for t in result["targets"])
    md.append(f"Targets: {met} of {len(result['targets'])} met.")
    md.append("")
    for name, ts in groups.items():
        cases = "; ".join(f"{t['case'] + ' ' if t['case'] else ''}{t['measured']} {'met' if t['met'] else 'missed'}"
                          for t in ts)
        md.append(f"- {name}: {cases}")
    return "\n".join(md) + "\n"


def charts(result, out):
    """switch.png, timers.png, io.png; False (after a message) when matplotlib is missing."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        # Debian's python3-matplotlib belongs to /usr/bin/python3, which may not be the python3 running this.
        debian = Path("/usr/bin/python3")
        if debian.exists() and Path(sys.executable).resolve() != debian.resolve() and subprocess.run(
                [debian, __file__, f"--charts-from={out / 'results.json'}"]).returncode == 0:
            return True
        log("python3-matplotlib not installed: no charts (apt-get install python3-matplotlib)")
        return False
    rows = result["summary"]
    machine = result["meta"]["machine"].get("Model name", "")
    switch_tasks = result["meta"]["sizes"]["switch_tasks"]
    palette = plt.get_cmap("tab20")

    def style(impl):
        """The same colour for an implementation in every chart; weft bold, the floors solid, others dashed."""
        return dict(color=palette(impl_key(impl) % 20), linewidth=2.5 if impl == "weft" else 1.2,
                    linestyle="-" if impl.startswith(("weft", "floor")) else "--",
                    marker="o" if impl.startswith(("weft", "floor")) else "s")

    fig, ax = plt.subplots(figsize=(8, 5.5))
    for impl in sorted({r["impl"] for r in rows if r["bench"] == "switch"}, key=impl_key):
        pts = sorted((r["tasks"], r["ns"], r.get("ns_min", r["ns"]), r.get("ns_max", r["ns"])) for r in rows
                     if r["bench"] == "switch" and r["impl"] == impl and r["tasks"] in switch_tasks)
        ax.errorbar([p[0] for p in pts], [p[1] for p in pts], capsize=3, label=impl, **style(impl),
                    yerr=[[p[1] - p[2] for p in pts], [p[3] - p[1] for p in pts]])
    ax.set(xscale="log", yscale="log", xlabel="tasks (log)", ylabel="ns per task switch (log)",
           title=f"Task switch cost vs number of tasks (median, bars: min..max of the runs)\n{machine}")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    fig.savefig(out / "switch.png", dpi=110)
    plt.close(fig)

    periods = sorted({r["period_ms"] for r in rows if r["bench"] == "timers"})
    fig, axes = plt.subplots(len(periods), 2, figsize=(12, 4.5 * len(periods)), squeeze=False)
    quantiles = [("p50_us", "p50"), ("p90_us", "p90"), ("p99_us", "p99"), ("p999_us", "p99.9"), ("max_us", "max")]
    for row_axes, period in zip(axes, periods):
        prs = [r for r in rows if r["bench"] == "timers" and r["period_ms"] == period]
        counts = sorted({r["tasks"] for r in prs})
        mid = counts[len(counts) // 2]
        for impl in sorted({r["impl"] for r in prs if r["impl"] != "floor xN"}, key=impl_key):
            r = find(prs, impl=impl, tasks=mid) or find(prs, impl=impl, tasks=1)
            if r:
                pts = [(i, r[k]) for i, (k, _) in enumerate(quantiles) if r.get(k, 0) > 0]
                row_axes[0].plot([p[0] for p in pts], [p[1] for p in pts], label=impl, **style(impl))
            # One sleeper is the floor for every N: measured once, drawn across.
            by_n = {x["tasks"]: x["p99_us"] for x in prs if x["impl"] == impl and x["p99_us"] > 0}
            if impl == "floor" and len(by_n) == 1:
                by_n = {n: next(iter(by_n.values())) for n in counts}
            pts = sorted(by_n.items())
            row_axes[1].plot([p[0] for p in pts], [p[1] for p in pts], label=impl, **style(impl))
        row_axes[0].set(yscale="log", ylabel="lateness µs (log)", xticks=range(len(quantiles)),
                        xticklabels=[q[1] for q in quantiles],
                        title=f"lateness distribution, {mid} tasks every {period} ms")
        row_axes[1].set(xscale="log", yscale="log", xlabel="tasks (log)", ylabel="p99 lateness µs (log)",
                        title=f"p99 lateness vs tasks, every {period} ms")
        for a in row_axes:
            a.grid(True, which="both", alpha=0.3)
            a.legend(fontsize=7)
    fig.suptitle("Timer lateness: when a periodic task ran minus its deadline (floor: one clock_nanosleep "
                 f"sleeper)\n{machine}")
    fig.tight_layout()
    fig.savefig(out / "timers.png", dpi=100)
    plt.close(fig)

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for a, bench, unit, scale in ((axes[0], "handoff", "ns per hand-off", 1),
                                  (axes[1], "pingpong", "µs per round trip", 1000)):
        items = sorted((r for r in rows if r["bench"] == bench), key=lambda r: (impl_key(r["impl"]), r.get("via", "")))
        if bench == "handoff" and (ring := find(rows, bench="switch", impl="floor", tasks=2)):
            items = [dict(ring, via="ring of 2")] + items
        labels = [r["impl"] + (f" ({r['via']})" if "via" in r else "") for r in items]
        bars = a.barh(labels, [r["ns"] / scale for r in items], color=[palette(impl_key(r["impl"]) % 20) for r in items])
        a.bar_label(bars, labels=[f"{r['ns'] / scale:,.1f}" for r in items], fontsize=7, padding=2)
        a.set(xscale="log", xlabel=f"{unit} (log)",
              title={"handoff": "Hand-off between two tasks", "pingpong": "Loopback TCP ping-pong, 64 B"}[bench])
        a.grid(True, axis="x", which="both", alpha=0.3)
        a.invert_yaxis()
    fig.suptitle(machine)
    fig.tight_layout()
    fig.savefig(out / "io.png", dpi=100)
    plt.close(fig)
    return True


# --- main ----------------------------------------------------------------------------------------------------

def build(build_dir):
    log(f"building optimised (Release) in {build_dir}")
    run(["cmake", "-S", ROOT, "-B", build_dir, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
         "-DWEFT_BENCH_BASELINES=ON"], timeout=600)
    run(["cmake", "--build", build_dir, "--target", "bench_suite"], timeout=1800)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="run_suite.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--reps", type=int, default=3, help="runs per figure (default 3); the tables show medians")
    p.add_argument("--out", type=Path, default=HERE / "results", help="where results.md/json and charts go")
    p.add_argument("--build-dir", type=Path, default=ROOT / "build" / "bench-suite")
    p.add_argument("--no-build", action="store_true", help="use the programs already in --build-dir")
    p.add_argument("--smoke", action="store_true", help="tiny sizes, one run: checks that everything runs")
    p.add_argument("--only", default="", help="implementations to run, comma-separated (e.g. weft,asio)")
    p.add_argument("--no-lx106", action="store_true", help="skip the ESP8266 figures")
    p.add_argument("--no-charts", action="store_true")
    p.add_argument("--report-from", type=Path,
                   help="no runs: redo the tables, targets and charts from the records of this results.json")
    p.add_argument("--charts-from", type=Path, help=argparse.SUPPRESS)  # charts only, in another python
    a = p.parse_args(argv)
    if not 1 <= a.reps <= 100:
        p.error(f"--reps={a.reps}: expected 1 .. 100")
    known = {"floor", "weft", "poll", "libuv", "asio", "asyncio"}
    a.only = {x for x in a.only.split(",") if x}
    if a.only - known:
        p.error(f"--only: unknown {sorted(a.only - known)} (known: {', '.join(sorted(known))})")
    if a.smoke:
        a.reps = 1
    return a


def main(argv):
    a = parse_args(argv)
    if a.charts_from:
        try:
            result = json.loads(a.charts_from.read_text())
        except (OSError, json.JSONDecodeError) as e:
            log(f"--charts-from: cannot read {a.charts_from}: {e}")
            return 2
        return 0 if charts(result, a.charts_from.parent) else 1
    if a.report_from:
        try:
            result = json.loads(a.report_from.read_text())
            records = result["records"]
        except (OSError, json.JSONDecodeError, KeyError, TypeError) as e:
            log(f"--report-from: cannot read the records of {a.report_from}: {e}")
            return 2
        return write_report(result["meta"], records, result.get("minimal_apps", []), result.get("lx106"),
                            a.report_from.parent, not a.no_charts)
    started = time.monotonic()
    try:
        build_dir = a.build_dir.resolve()
        if not a.no_build:
            build(build_dir)
        elif not (build_dir / "bench").is_dir():
            raise SuiteError(f"--no-build: {build_dir} has no bench/ programs; build first (drop --no-build)")
        programs = Programs(build_dir)
        s = sizes(a.smoke)
        jobs = make_jobs(programs, s, a.only)
        if not jobs:
            raise SuiteError("nothing to run (check --only and the build)")
        meta = dict(date=time.strftime("%Y-%m-%d %H:%M"), reps=a.reps, smoke=a.smoke, sizes=s,
                    machine=machine_info(), load_before=load_average())
        records = []
        for rep in range(a.reps):
            for label, every_rep, fn in jobs:
                if rep > 0 and not every_rep:
                    continue
                log(f"run {rep + 1}/{a.reps}: {label}")
                for r in fn():
                    r["rep"] = rep
                    records.append(r)
        lx106 = None if a.no_lx106 else run_lx106(build_dir, a.smoke)
        minimal = minimal_app_sizes(programs)
        meta["load_after"] = load_average()
        meta["seconds"] = round(time.monotonic() - started, 1)
    except SuiteError as e:
        log(f"failed: {e}")
        return 1
    return write_report(meta, records, minimal, lx106, a.out, not a.no_charts)


def write_report(meta, records, minimal, lx106, out, with_charts):
    summary = summarise(records)
    add_ratios(summary)
    result = dict(meta=meta, descriptions=DESCRIPTIONS, anchors=ANCHORS, summary=summary,
                  targets=check_targets(summary), minimal_apps=minimal, lx106=lx106, records=records)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(result, indent=1) + "\n")
    (out / "results.md").write_text(markdown(result))
    (out / "readme.md").write_text(readme_block(result))
    drew = with_charts and charts(result, out)
    print((out / "results.md").read_text())
    missed = [t for t in result["targets"] if not t["met"]]
    log(f"done in {meta['seconds']} s: {out / 'results.md'}, results.json"
        f"{', switch.png, timers.png, io.png' if drew else ''}; "
        f"{len(result['targets']) - len(missed)} targets met, {len(missed)} missed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
