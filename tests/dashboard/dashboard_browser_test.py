#!/usr/bin/env python3
"""The dashboard in a real browser: blynk_gpio on the simulated board against weft-cloud, the page in
Debian's Chromium (headless, driven over the DevTools protocol: cdp.py), and these behaviours asserted:

  - the page lays out the project's widgets (apps/blynk_gpio/blynk_gpio.project);
  - clicking the V1 button switches the LED pin GPIO4 of the simulated board (read on its control channel);
  - a device write updates the gauge (the pot turned on the control channel: the app writes V6);
  - the terminal echoes what is typed (the app's V5 handler answers);
  - the board on the page: pressing the FLASH button (GPIO0) there reaches the app (V4 counts, a notification);
  - the device going away shows it offline.

    dashboard_browser_test.py --cloud BIN --sim BIN --app BIN --project FILE [--screenshot PNG]

Exit status 0 passed, 1 failed, 77 skipped (no Chromium: `apt-get install -y chromium`, as ./weft test does).
Every wait polls with a generous timeout: nothing here measures time.
"""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "..", "..", "board", "linux", "cloud")]
import cdp  # noqa: E402
import run_sim  # noqa: E402  (its control-channel client)

SKIP = 77


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def control(port, request):
    """One request on the board's control channel; its reply."""
    return json.loads(run_sim.control(f"127.0.0.1:{port}", json.dumps(request)))


def wait_until(check, what, timeout=30.0):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} (last: {last!r})")


def gpio_level(port, pin):
    return control(port, {"op": "pin", "pin": pin})["state"]["level"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cloud", required=True)
    ap.add_argument("--sim", required=True)
    ap.add_argument("--app", required=True)
    ap.add_argument("--project", required=True)
    ap.add_argument("--screenshot", help="save a PNG of the dashboard in the known state reached mid-test")
    args = ap.parse_args()

    chromium = cdp.find_chromium()
    if chromium is None:
        print("SKIP: no Chromium (apt-get install -y chromium; ./weft test installs it): browser tests skipped")
        return SKIP

    tmp = tempfile.mkdtemp(prefix="weft-dashboard-test-")
    ready = os.path.join(tmp, "ready")
    procs = []
    try:
        cloud = subprocess.Popen([args.cloud, "--port", "0", "--project", args.project, "--ready-file", ready,
                                  "--quiet", "--notify-interval", "0"], start_new_session=True)
        procs.append(cloud)
        info = wait_until(lambda: os.path.exists(ready) and open(ready).read(), "the cloud's ready file")
        fields = [line.partition("=") for line in info.splitlines()]
        http = next(v for k, _, v in fields if k == "http")
        admin = next(v for k, _, v in fields if k == "admin_key")
        token, bridge = [v for k, _, v in fields if k == "token"][:2]

        ctl = free_port()
        env = dict(os.environ, WEFT_BLYNK_TOKEN=token, WEFT_BLYNK_SERVER=next(v for k, _, v in fields if k == "blynk"),
                   WEFT_BLYNK_BRIDGE_TOKEN=bridge)
        app = subprocess.Popen([args.sim, "--control", f"tcp:{ctl}", "--", args.app], env=env,
                               start_new_session=True)
        procs.append(app)
        wait_until(lambda: _answers(ctl), "the board's control channel")
        attach = urllib.request.Request(f"http://{http}/api/attach/{token}", data=f"127.0.0.1:{ctl}".encode(),
                                        method="POST", headers={"Authorization": f"Bearer {admin}"})
        urllib.request.urlopen(attach, timeout=10).read()

        dev = f'.device[data-token="{token}"]'
        with cdp.Chromium(f"http://{http}/#key={admin}", chromium, width=1200, height=1000) as page:
            # The project's widgets, each on its pin.
            page.wait_for(f"document.querySelector('{dev} .state').dataset.online === 'true'", "the device online")
            shown = set(page.eval(f"[...document.querySelectorAll('{dev} .widget')]"
                                  ".map(w => w.dataset.type + ' ' + w.dataset.pin)"))
            expected = {"button D2", "display D14", "button V1", "led V1", "slider A5", "terminal V5", "gauge V6",
                        "chart V6", "display V2", "display V3", "display V4", "lcd V7"}
            assert expected <= shown, f"widgets missing from the page: {sorted(expected - shown)} (shown {shown})"
            page.wait_for(f"document.querySelector('{dev} .lcd').textContent.includes('weft blynk_gpio')",
                          "the LCD line the app prints at connection")
            assert page.eval("location.hash") == "", "the admin key stays in the address bar"

            # The V1 button drives the LED on GPIO4, through the cloud and the app's handler.
            v1 = f'{dev} .widget[data-type="button"][data-pin="V1"] button'
            page.wait_for(f"document.querySelector('{v1}').classList.contains('on')", "V1 synced on")
            wait_until(lambda: gpio_level(ctl, "GPIO4") == 1, "GPIO4 high (V1 starts on)")
            page.click(v1)
            wait_until(lambda: gpio_level(ctl, "GPIO4") == 0, "GPIO4 low after clicking V1 off")
            page.wait_for(f"document.querySelector('{dev} .gpio[data-gpio=\"4\"]').dataset.level === '0'",
                          "the board on the page showing GPIO4 low")
            page.click(v1)
            wait_until(lambda: gpio_level(ctl, "GPIO4") == 1, "GPIO4 high after clicking V1 on")

            # A device write updates the gauge: the pot turned on the board, the app writes V6 (a few turns:
            # the chart of V6 gets a history).
            for value in (200, 450, 300, 820, 700):
                control(ctl, {"op": "adc", "value": value})
                page.wait_for(f"document.querySelector('{dev} .widget[data-type=\"gauge\"] text').textContent"
                              f" === '{value}'", f"the gauge showing {value}")
            points = page.eval(f"document.querySelector('{dev} .widget[data-type=\"chart\"] polyline')"
                               ".getAttribute('points').split(' ').length")
            assert points >= 10, f"the chart of V6 draws {points} points for 6 values"

            # The terminal echoes.
            page.type(f'{dev} .terminal input', "hello weft")
            page.wait_for(f"document.querySelector('{dev} .terminal pre').textContent.includes('echo: hello weft')",
                          "the app's echo in the terminal")

            # The board's FLASH button pressed on the page reaches the app: V4 counts it, a notification.
            flash = f'{dev} .gpio[data-gpio="0"] button'
            page.wait_for(f"!!document.querySelector('{flash}')", "the FLASH button on the page")
            page.eval(f"document.querySelector('{flash}').dispatchEvent(new PointerEvent('pointerdown'))")
            wait_until(lambda: gpio_level(ctl, "GPIO0") == 0, "GPIO0 pressed from the page")
            page.eval(f"document.querySelector('{flash}').dispatchEvent(new PointerEvent('pointerup'))")
            wait_until(lambda: gpio_level(ctl, "GPIO0") == 1, "GPIO0 released from the page")
            page.wait_for(f"document.querySelector('{dev} .widget[data-pin=\"V4\"] .value').textContent === '1'",
                          "V4 counting the press")
            page.wait_for("[...document.querySelectorAll('#events li')].some(l => "
                          "l.textContent.includes('button pressed 1 times'))", "the notification in the events")

            # The slider drives PWM on GPIO5 (gpio_auto), shown as brightness on the board.
            page.eval(f"(() => {{ const r = document.querySelector('{dev} .widget[data-pin=\"A5\"] input');"
                      " r.value = 512; r.dispatchEvent(new Event('change')); })()")
            wait_until(lambda: control(ctl, {"op": "pin", "pin": "GPIO5"})["state"]["pwm_duty"] == 512,
                       "PWM duty 512 on GPIO5")
            page.wait_for(f"document.querySelector('{dev} .gpio[data-gpio=\"5\"]').dataset.pwm === '512'",
                          "the board on the page showing the PWM duty")
            if args.screenshot:
                page.eval("window.scrollTo(0, 0)")
                page.screenshot(args.screenshot)

            # The device goes away: the page shows it offline.
            os.killpg(app.pid, signal.SIGTERM)  # weft-sim and the app under it
            app.wait(30)
            page.wait_for(f"document.querySelector('{dev} .state').dataset.online === 'false'",
                          "the device shown offline")
            assert page.eval(f"document.querySelector('{dev} .state').textContent") == "offline"
        print("dashboard_browser_test: passed")
        return 0
    finally:
        for p in reversed(procs):  # each in its own process group, children included
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(p.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    p.wait(10)
                    time.sleep(0.2)  # let the group's other members go
                except subprocess.TimeoutExpired:
                    continue


def _answers(port):
    try:
        return control(port, {"op": "time"}).get("ok")
    except OSError:
        return False


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        print(f"dashboard_browser_test: FAILED: {e}", file=sys.stderr)
        sys.exit(1)
