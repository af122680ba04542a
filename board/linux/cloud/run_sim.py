#!/usr/bin/env python3
"""The `./weft sim` runner: an app on the simulated ESP8266, connected to the local Blynk cloud.

    run_sim.py [APP] [--scenario FILE] [--server HOST:PORT --token TOKEN] [--tls] [--peer] [--virtual] ...
    run_sim.py ctl HOST:PORT '{"op":"pin","pin":"GPIO4"}'     one request on a control channel, prints the reply

Unless --server is given it makes a local CA and a certificate for localhost signed by it (openssl, in the
run's own directory, mode 0700, removed at the end; the key mode 0600, the CA's key deleted once it signed),
starts weft-cloud (board/linux/cloud) with the app's project file
(apps/APP/APP.project), generated tokens and a TLS port showing that certificate, then runs the app under
weft-sim with WEFT_BLYNK_TOKEN, WEFT_BLYNK_SERVER and WEFT_BLYNK_BRIDGE_TOKEN set (apps/common/app_config.hpp)
-- with --tls also WEFT_BLYNK_TLS=1 and WEFT_TLS_CA=<run dir>/tls/ca.pem (apps/common/app_transport.hpp), so the
app talks TLS to the cloud's TLS port and verifies it against that CA -- streams every process's log
with its level, prints how to interact (curl lines for the REST API, the control channel), and stops
everything on Ctrl-C. Exit status: the app's (with a scenario: 0 passed, 1 an expectation failed), 130 after
Ctrl-C, 2 for a usage error, 1 when the cloud cannot start.
"""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))

COLORS = {"E": "\033[31m", "W": "\033[33m", "I": "", "D": "\033[2m"}
RESET = "\033[0m"


def fail(message, code=2):
    print(f"weft sim: {message}", file=sys.stderr)
    sys.exit(code)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


class Streamer(threading.Thread):
    """Copies a child's output line by line, prefixed with its name; colours the weft log level."""

    lock = threading.Lock()

    def __init__(self, name, stream, color):
        super().__init__(daemon=True)
        self.name_, self.stream, self.color = name, stream, color

    def run(self):
        for raw in iter(self.stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            level = ""
            # weft log lines: "[   12.345678] I text"
            if line.startswith("[") and "] " in line:
                after = line.split("] ", 1)[1]
                level = after[:1] if after[1:2] == " " else ""
            if self.color and COLORS.get(level):
                line = COLORS[level] + line + RESET
            with Streamer.lock:
                print(f"{self.name_:>5} | {line}", flush=True)


def start(name, cmd, env, color):
    try:
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, start_new_session=True)
    except OSError as e:
        fail(f"cannot start {cmd[0]}: {e}", 1)
    Streamer(name, p.stdout, color).start()
    return p


def stop(p, grace=3.0):
    if p is None or p.poll() is not None:
        return
    try:
        os.killpg(p.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        p.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()


def wait_ready(path, cloud, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cloud.poll() is not None:
            fail(f"the local cloud exited with status {cloud.returncode} (see its log above)", 1)
        if os.path.exists(path):
            info = {"token": []}
            with open(path) as f:
                for line in f:
                    key, _, value = line.strip().partition("=")
                    if key == "token":
                        info["token"].append(value)
                    else:
                        info[key] = value
            return info
        time.sleep(0.05)
    fail("the local cloud did not start within 15 s", 1)


def make_local_ca(directory):
    """A local CA and a certificate for localhost (DNS:localhost, IP:127.0.0.1) signed by it, made afresh at
    each start in DIRECTORY with Debian's openssl, on P-256 keys (fast to make and to handshake). The keys are
    created mode 0600 (umask), the directory 0700; the CA's key is deleted once it signed (nothing else will
    be signed by it). Returns the paths of ca.pem, server.pem, server.key."""
    if shutil.which("openssl") is None:
        fail("openssl is not installed (apt-get install -y openssl; ./weft installs it): it makes the local "
             "cloud's TLS certificate", 1)
    os.makedirs(directory, mode=0o700, exist_ok=True)
    os.chmod(directory, 0o700)
    ca, ca_key = os.path.join(directory, "ca.pem"), os.path.join(directory, "ca.key")
    cert, key = os.path.join(directory, "server.pem"), os.path.join(directory, "server.key")
    csr, ext = os.path.join(directory, "server.csr"), os.path.join(directory, "server.ext")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    with open(ext, "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    steps = [
        ["openssl", "req", "-x509", *ec, "-days", "30", "-subj", "/CN=weft sim local CA", "-keyout", ca_key,
         "-out", ca],
        ["openssl", "req", *ec, "-subj", "/CN=localhost", "-keyout", key, "-out", csr],
        ["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-days", "30",
         "-extfile", ext, "-out", cert],
    ]
    old = os.umask(0o077)
    try:
        for step in steps:
            r = subprocess.run(step, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
            if r.returncode != 0:
                fail(f"cannot make the local CA in {directory}: {' '.join(step[:3])} failed: "
                     f"{r.stderr.decode(errors='replace').strip()}", 1)
    finally:
        os.umask(old)
    os.chmod(key, 0o600)
    for leftover in (ca_key, csr, ext, os.path.join(directory, "ca.srl")):
        if os.path.exists(leftover):
            os.remove(leftover)
    return ca, cert, key


def attach_board(http, admin_key, token, ctl):
    """Tells the cloud's dashboard where the device's control channel is (POST /api/attach/TOKEN)."""
    req = urllib.request.Request(f"http://{http}/api/attach/{token}", data=ctl.encode(), method="POST",
                                 headers={"Authorization": f"Bearer {admin_key}"})
    try:
        urllib.request.urlopen(req, timeout=10).read()
    except OSError as e:
        print(f"weft sim: the dashboard cannot drive the board of {token[:6]}...: {e}", file=sys.stderr)


def open_browser(url):
    """Opens the dashboard when a desktop session is there ($DISPLAY or $WAYLAND_DISPLAY, and xdg-open)."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) or not shutil.which("xdg-open"):
        return
    subprocess.Popen(["xdg-open", url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     stdin=subprocess.DEVNULL, start_new_session=True)


def control(address, request):
    """One JSON request line on a control channel (tcp HOST:PORT or a unix socket path); its reply line."""
    if address.startswith("unix:") or address.startswith("/"):
        s = socket.socket(socket.AF_UNIX)
        s.connect(address[5:] if address.startswith("unix:") else address)
    else:
        host, _, port = address.replace("tcp:", "").rpartition(":")
        s = socket.create_connection((host or "127.0.0.1", int(port)), timeout=10)
    with s, s.makefile("rb") as replies:
        s.sendall(request.encode() + b"\n")
        return replies.readline().decode().strip()


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "ctl":
        if len(sys.argv) != 4:
            fail("usage: ./weft sim ctl HOST:PORT '{\"op\":\"state\"}'")
        try:
            print(control(sys.argv[2], sys.argv[3]))
        except (OSError, ValueError) as e:
            fail(f"cannot talk to the control channel at {sys.argv[2]}: {e} (is the device still running?)", 1)
        return 0

    ap = argparse.ArgumentParser(prog="./weft sim", description="Run an app on the simulated ESP8266 with the "
                                 "local Blynk cloud (board/linux/cloud/README.md).")
    ap.add_argument("app", nargs="?", default="blynk_gpio", help="an app under apps/ (default blynk_gpio)")
    ap.add_argument("--scenario", help="a scenario file (board/linux/sim/SCENARIOS.md); the run ends with it")
    ap.add_argument("--server", help="HOST:PORT of another Blynk server instead of the local cloud")
    ap.add_argument("--token", help="the device's token (required with --server)")
    ap.add_argument("--bridge-token", help="the token the app's bridge writes to")
    ap.add_argument("--project", help="the local cloud's project file (default apps/APP/APP.project)")
    ap.add_argument("--port", type=int, default=8080,
                    help="the local cloud's port (Blynk and REST; default 8080, a free one if taken)")
    ap.add_argument("--tls-port", type=int, default=9443,
                    help="the local cloud's TLS port (Blynk and HTTPS; default 9443, a free one if taken)")
    ap.add_argument("--tls", action="store_true",
                    help="the app talks TLS (verified) to the cloud's TLS port, or to --server")
    ap.add_argument("--ca", help="with --server --tls: the CA file to verify that server against (default: "
                    "the system bundle)")
    ap.add_argument("--peer", action="store_true", help="also run a second device with the bridge's token")
    ap.add_argument("--virtual", action="store_true", help="virtual clock (weft-sim --virtual)")
    ap.add_argument("--trace", action="store_true", help="log every change of the simulated world")
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build", "default"))
    ap.add_argument("--no-color", action="store_true")
    ap.add_argument("--no-browser", action="store_true", help="do not open the dashboard in a browser")
    args = ap.parse_args()

    build = os.path.abspath(args.build_dir)
    app_bin = os.path.join(build, "apps", args.app, args.app)
    sim_bin = os.path.join(build, "board", "linux", "sim", "weft-sim")
    cloud_bin = os.path.join(build, "board", "linux", "cloud", "weft-cloud")
    for b in (app_bin, sim_bin) + (() if args.server else (cloud_bin,)):
        if not os.access(b, os.X_OK):
            fail(f"{b} is not built: run `./weft sim {args.app}` (it builds), or "
                 f"`cmake --build {build} --target {args.app} weft-sim weft-cloud`")
    if args.server and not args.token:
        fail("--server needs --token (the device's token on that server)")
    if args.ca and not (args.server and args.tls):
        fail("--ca goes with --server HOST:PORT --tls (the local cloud's CA is made by this runner)")
    if args.ca and not os.access(args.ca, os.R_OK):
        fail(f"cannot read the CA file {args.ca}")
    if args.scenario and not os.path.exists(args.scenario):
        fail(f"no scenario file {args.scenario}")
    color = sys.stdout.isatty() and not args.no_color

    tmp = tempfile.mkdtemp(prefix="weft-sim-")
    cloud = None
    devices = []
    admin_key = ""
    interrupted = False

    def on_signal(signum, frame):
        nonlocal interrupted
        interrupted = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        https = None
        ca_file = args.ca
        if args.server:
            server, http = args.server, None
            tokens = [args.token] + ([args.bridge_token] if args.bridge_token else [])
        else:
            project = args.project or os.path.join(ROOT, "apps", args.app, args.app + ".project")
            port = args.port if args.port == 0 or port_is_free(args.port) else 0
            if port != args.port:
                print(f"weft sim: port {args.port} is taken: the local cloud picks a free one")
            ready = os.path.join(tmp, "cloud.ready")
            tls_port = args.tls_port if args.tls_port == 0 or port_is_free(args.tls_port) else 0
            if tls_port != args.tls_port:
                print(f"weft sim: port {args.tls_port} is taken: the local cloud's TLS port is a free one")
            ca_file, cert, key = make_local_ca(os.path.join(tmp, "tls"))
            cmd = [cloud_bin, "--port", str(port), "--ready-file", ready, "--quiet", "--tls-port", str(tls_port),
                   "--tls-cert", cert, "--tls-key", key]
            if os.path.exists(project):
                cmd += ["--project", project]
            if args.token:
                cmd += ["--token", args.token]
            cloud = start("cloud", cmd, os.environ.copy(), color)
            info = wait_ready(ready, cloud)
            server, http, tokens = info["blynk"], info["http"], info["token"]
            # The certificate names localhost (mbedTLS checks names, not addresses).
            https = "localhost:" + info["tls"].rpartition(":")[2]
            if args.tls:
                server = https
            admin_key = info.get("admin_key", "")
            if args.token:  # the device's own token first
                tokens = [args.token] + [t for t in tokens if t != args.token]
        token = tokens[0]
        bridge = args.bridge_token or (tokens[1] if len(tokens) > 1 else "")

        def run_device(name, dev_token, dev_bridge, scenario):
            ctl = f"127.0.0.1:{free_port()}"
            env = os.environ.copy()
            env.update(WEFT_BLYNK_TOKEN=dev_token, WEFT_BLYNK_SERVER=server, WEFT_BLYNK_BRIDGE_TOKEN=dev_bridge)
            if args.tls:
                env["WEFT_BLYNK_TLS"] = "1"
                if ca_file:
                    env["WEFT_TLS_CA"] = ca_file
            cmd = [sim_bin, "--control", "tcp:" + ctl.split(":")[1]]
            if scenario:
                cmd += ["--scenario", scenario]
            if args.virtual:
                cmd.append("--virtual")
            if args.trace:
                cmd.append("--trace")
            devices.append(start(name, cmd + ["--", app_bin], env, color))
            return ctl

        ctl = run_device("app", token, bridge, args.scenario)
        peer_ctl = run_device("peer", bridge, token, None) if args.peer and bridge else None
        dashboard = None
        if http and admin_key:
            attach_board(http, admin_key, token, ctl)
            if peer_ctl:
                attach_board(http, admin_key, bridge, peer_ctl)
            dashboard = f"http://{http}/#key={admin_key}"

        me = "./weft sim ctl"
        over = " over TLS (verified against " + (ca_file or "the system bundle") + ")" if args.tls else ""
        lines = [f"weft sim: {args.app} on the simulated ESP8266, Blynk server {server}{over}, "
                 f"token {token[:4]}\u2026"]
        if http:
            # The token is never printed in full: it goes to a file only this user can read, for the shell.
            token_file = os.path.join(tmp, "token")
            with open(os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
                f.write(token + "\n")
            base = f"http://{http}/$WEFT_TOKEN"
            lines += [
                f"  play the phone app (the legacy Blynk REST API), after  export WEFT_TOKEN=$(cat {token_file})",
                f'    curl "{base}/isHardwareConnected"',
                f'    curl "{base}/update/V1?value=1"        # the app\'s V1 handler runs',
                f'    curl "{base}/get/V3"                   # what the device wrote',
                f'    curl "{base}/update/D2?value=0"        # a physical pin (gpio_auto)',
                "  every device and event (tokens included: the admin key the cloud made for this run):",
                f"    curl -H 'Authorization: Bearer {admin_key}' 'http://{http}/devices'",
                f"    curl -H 'Authorization: Bearer {admin_key}' 'http://{http}/events'",
            ]
        if https:
            lines += [
                f"  the same over HTTPS (the cloud's TLS port also serves the Blynk protocol: ./weft sim {args.app} "
                "--tls):",
                f'    curl --cacert {ca_file} "https://{https}/$WEFT_TOKEN/get/V3"',
            ]
        lines += [
            "  the simulated board (control channel, board/linux/sim/SCENARIOS.md):",
            f"    {me} {ctl} '{{\"op\":\"pin\",\"pin\":\"GPIO4\"}}'",
            f"    {me} {ctl} '{{\"op\":\"press\",\"pin\":\"GPIO0\"}}'   and release, adc, state, ...",
        ]
        if peer_ctl:
            lines.append(f"    the peer device: {me} {peer_ctl} '{{\"op\":\"pin\",\"pin\":\"GPIO4\"}}'")
        if dashboard:
            lines.append(f"  the dashboard (widgets and the board in a browser):\n    {dashboard}")
        lines.append("  Ctrl-C stops everything.")
        with Streamer.lock:
            print("\n".join(lines), flush=True)
        if dashboard and not args.no_browser:
            open_browser(dashboard)

        code = None
        while code is None and not interrupted:
            code = devices[0].poll()
            if cloud is not None and cloud.poll() is not None and code is None:
                print(f"weft sim: the local cloud exited with status {cloud.returncode}", file=sys.stderr)
                code = 1
            time.sleep(0.05)
        if interrupted:
            code = 130
        elif code != 0:
            print(f"weft sim: {args.app} exited with status {code}", file=sys.stderr)
        return code
    finally:
        for d in devices:
            stop(d)
        stop(cloud)
        time.sleep(0.1)  # let the streamers print the last lines
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
