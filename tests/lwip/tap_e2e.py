#!/usr/bin/env python3
"""The chip's socket port on Debian's real lwIP over a TAP device, end to end.

Creates a network namespace of its own with a TAP device (10.77.0.1 on the kernel side), runs weft-cloud in
it on 10.77.0.1 and lwip_tap_device (the Blynk client on board/esp8266/lwip over lwIP at 10.77.0.2). Checks
that the device logs in, receives a REST write, and logs in again after the cloud restarts and receives the
next write. Nothing outside the namespace is touched; the namespace is deleted at the end.

Exit 77 (ctest SKIP) with one line saying why when the namespace or the TAP device cannot be made (not root /
no CAP_NET_ADMIN, no /dev/net/tun, no iproute2).
"""
import argparse
import os
import queue
import shutil
import subprocess
import sys
import threading
import time

SKIP = 77
TOKEN = "LwipTapDeviceToken0123456789abcd"
KERNEL_IP = "10.77.0.1"
DEVICE_IP = "10.77.0.2"
TAP = "wtap0"
BLYNK_PORT = 8080
HTTP_PORT = 8081


def skip(why):
    print(f"SKIP: lwIP TAP test: {why}", flush=True)
    sys.exit(SKIP)


def ip(*args, check=True):
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=check)


class Lines:
    """A process's output, line by line, with waits that time out."""

    def __init__(self, proc, tag):
        self.q = queue.Queue()
        self.tag = tag
        threading.Thread(target=self._pump, args=(proc.stdout,), daemon=True).start()

    def _pump(self, stream):
        for line in stream:
            print(f"[{self.tag}] {line.rstrip()}", flush=True)
            self.q.put(line.rstrip())

    def wait_for(self, text, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.q.get(timeout=max(0.05, end - time.monotonic()))
            except queue.Empty:
                break
            if text in line:
                return
        raise AssertionError(f"{self.tag}: no line with {text!r} within {timeout} s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--device", required=True)
    ap.add_argument("--cloud", required=True)
    a = ap.parse_args()

    if os.geteuid() != 0:
        skip("needs root (CAP_NET_ADMIN) to create a network namespace and a TAP device")
    if not os.path.exists("/dev/net/tun"):
        skip("/dev/net/tun is missing (no TUN/TAP support in this kernel or container)")
    if shutil.which("ip") is None:
        skip("the ip command is missing (apt-get install iproute2)")
    ns = f"weft-lwip-{os.getpid()}"
    if ip("netns", "add", ns, check=False).returncode != 0:
        skip(f"cannot create network namespace {ns} (no CAP_NET_ADMIN?)")
    procs = []
    try:
        made = ip("-n", ns, "tuntap", "add", "dev", TAP, "mode", "tap", check=False)
        if made.returncode != 0:
            skip(f"cannot create TAP device {TAP}: {made.stderr.strip()}")
        ip("-n", ns, "link", "set", "lo", "up")
        ip("-n", ns, "addr", "add", f"{KERNEL_IP}/24", "dev", TAP)
        ip("-n", ns, "link", "set", TAP, "up")

        def start(cmd, tag):
            p = subprocess.Popen(["ip", "netns", "exec", ns, *cmd], stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True)
            procs.append(p)
            return p, Lines(p, tag)

        cloud_cmd = [a.cloud, "--address", KERNEL_IP, "--port", str(BLYNK_PORT), "--http-port", str(HTTP_PORT),
                     "--token", TOKEN]

        def rest_write(value):
            url = f"http://{KERNEL_IP}:{HTTP_PORT}/{TOKEN}/update/V1?value={value}"
            code = ("import sys, urllib.request\n"
                    "print(urllib.request.urlopen(sys.argv[1], timeout=10).status)\n")
            r = subprocess.run(["ip", "netns", "exec", ns, sys.executable, "-c", code, url], capture_output=True,
                               text=True, timeout=30)
            assert r.returncode == 0 and r.stdout.strip() == "200", f"REST write failed: {r.stdout} {r.stderr}"

        cloud, _ = start(cloud_cmd, "cloud")
        time.sleep(0.5)
        device, dev = start([a.device, TAP, DEVICE_IP, KERNEL_IP, f"{KERNEL_IP}:{BLYNK_PORT}", TOKEN], "device")
        dev.wait_for("device: connected", 60)
        rest_write(1)
        dev.wait_for("device: V1 = 1", 30)

        cloud.terminate()
        cloud.wait(timeout=30)
        procs.remove(cloud)
        time.sleep(1.0)  # the device sees the connection drop and retries while the cloud is away
        cloud, _ = start(cloud_cmd, "cloud")
        dev.wait_for("device: connected", 60)
        rest_write(0)
        dev.wait_for("device: V1 = 0", 30)
        print("PASS: logged in over lwIP, received REST writes, reconnected after a cloud restart", flush=True)
        return 0
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        ip("netns", "del", ns, check=False)


if __name__ == "__main__":
    sys.exit(main())
