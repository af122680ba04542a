"""Shared by the hostile-peer tests: weft-cloud and a demo app as child processes, the REST API, a device's
control channel, the Blynk frame format, and what /proc says about a process.

Plain Python (no packages beyond the standard library) so the tests share no code with what they test.
Waits poll with generous limits: the machine may be a loaded 2-core box; nothing here asserts speed.
"""
import asyncio
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
import urllib.request

# Blynk commands and statuses (../shared/docs/blynk-protocol.md, framework/blynk/protocol.hpp).
RESPONSE, PING, BRIDGE, HARDWARE, HW_LOGIN, REDIRECT = 0, 6, 15, 20, 29, 41
OK, INVALID_TOKEN = 200, 9
HEADER = struct.Struct(">BHH")  # command, message id, body length (the status for RESPONSE)


def frame(command, msg_id, *fields):
    body = b"\0".join(f if isinstance(f, bytes) else str(f).encode() for f in fields)
    return HEADER.pack(command, msg_id, len(body)) + body


async def read_frame(reader):
    """(command, id, body or status) of the next frame; raises IncompleteReadError at the end."""
    command, msg_id, length = HEADER.unpack(await reader.readexactly(HEADER.size))
    if command == RESPONSE:
        return command, msg_id, length
    return command, msg_id, await reader.readexactly(length)


def raise_fd_limit(wanted):
    """Lifts the soft RLIMIT_NOFILE towards `wanted` (never above the hard limit); returns the new soft limit."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def rss_kib(pid):
    """VmRSS of a process, in KiB (0 once it has gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def open_fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


class Scratch:
    """A scratch directory, removed at the end."""

    def __enter__(self):
        self.path = tempfile.mkdtemp(prefix="weft-hostile-")
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)

    def file(self, name):
        return os.path.join(self.path, name)


class Process:
    """A child in its own process group, its output in a log file. stop(): SIGTERM, then SIGKILL."""

    def __init__(self, argv, log_path, env=None):
        self.log_path = log_path
        full_env = dict(os.environ)
        full_env.update(env or {})
        with open(log_path, "ab") as log:
            self.proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=full_env,
                                         start_new_session=True)
        self.pid = self.proc.pid

    def output(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def terminate(self, timeout=10):
        """SIGTERM to the process itself; its exit status (None if it did not end within `timeout`)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.pid, signal.SIGTERM)
                self.proc.wait(3)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                try:
                    os.killpg(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait()


def wait_for(check, seconds, interval=0.05):
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if check():
            return True
        time.sleep(interval)
    return check()


class Cloud(Process):
    """weft-cloud on free ports, with a project file or tokens; its addresses and tokens from the ready file."""

    def __init__(self, binary, scratch, args, name="cloud"):
        ready = scratch.file(name + ".ready")
        super().__init__([binary, "--port", "0", "--ready-file", ready, "--quiet"] + args,
                         scratch.file(name + ".log"))
        if not wait_for(lambda: os.path.exists(ready), 15):
            raise RuntimeError("weft-cloud did not start:\n" + self.output())
        self.tokens = []
        for line in open(ready).read().splitlines():
            key, _, value = line.partition("=")
            if key == "blynk":
                self.blynk = value
            elif key == "http":
                self.http = value
            elif key == "token":
                self.tokens.append(value)
        self.port = int(self.blynk.rsplit(":", 1)[1])

    def rest(self, target, timeout=10):
        """(status, body) of GET http://<http>/<target>; (0, '') when it failed."""
        try:
            with urllib.request.urlopen(f"http://{self.http}{target}", timeout=timeout) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()
        except OSError:
            return 0, ""

    def value(self, token, pin):
        status, body = self.rest(f"/{token}/get/{pin}")
        return json.loads(body) if status == 200 else None

    def online(self, token):
        return self.rest(f"/{token}/isHardwareConnected")[1] == "true"


class App(Process):
    """A demo app on the simulated board (the binary reads WEFT_SIM_* itself), with its control channel."""

    def __init__(self, binary, scratch, name, server, token, extra_env=None):
        self.control_path = scratch.file(name + ".sock")
        env = {"WEFT_SIM_CONTROL": "unix:" + self.control_path, "WEFT_BLYNK_TOKEN": token,
               "WEFT_BLYNK_SERVER": server}
        env.update(extra_env or {})
        super().__init__([binary], scratch.file(name + ".log"), env)

    def control(self, request):
        """One request on the control channel: the reply as a dict ({} on failure)."""
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s, s.makefile("rb") as replies:
                s.settimeout(5)
                s.connect(self.control_path)
                s.sendall((json.dumps(request) + "\n").encode())
                return json.loads(replies.readline())
        except (OSError, ValueError):
            return {}

    def level(self, pin):
        return self.control({"op": "pin", "pin": pin}).get("state", {}).get("level", -1)


async def in_thread(function, *args):
    """A blocking call (REST, control channel) off the event loop, so a proxy on the loop keeps pumping."""
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)
