"""The real Blynk client (apps/blynk_gpio on the simulated board) reaches weft-cloud through FaultProxy
(fault_proxy.py), which breaks the link in every way it knows, one fault after another. After each:

  * recovery: the device is online again and every pin holds its last value within RECOVERY_BOUND_S of the
    link being healed (generous: a loaded 2-core machine; the backoff alone may take retry_max = 8 s);
  * nothing lost: the last value of every pin the device writes (V4 button presses, V6 the pot) is what the
    REST API returns, and the last value the REST API wrote to V1 is what the device's LED shows;
  * no storm: while the proxy answers every login with REDIRECT, or accepts and drops every connection, the
    device makes at most ATTEMPTS_PER_MINUTE_CEILING connection attempts a minute over the LOOP_WINDOW_S
    window. The backoff (2 s doubling up to 8 s, each delay jittered down to half, and two REDIRECTs followed
    at once) allows at most 7 attempts in 15 s, 28 a minute; a client with no backoff makes thousands a
    second.

The device's heartbeat is 3 s (WEFT_BLYNK_HEARTBEAT), so a dead link is noticed after 3 + 3 x 2 s.
Prints one line per fault and the figures at the end.

usage: fault_proxy_test.py --cloud weft-cloud --app blynk_gpio --project blynk_gpio.project
"""
import argparse
import asyncio
import sys
import time

from fault_proxy import FaultProxy
from hostile_support import App, Cloud, Scratch, in_thread

RECOVERY_BOUND_S = 40
ATTEMPTS_PER_MINUTE_CEILING = 40
LOOP_WINDOW_S = 15  # how long the redirect loop and the flapping last


class Device:
    """The app behind the proxy, and what the test made it (and the cloud) hold last."""

    def __init__(self, cloud, app, token):
        self.cloud, self.app, self.token = cloud, app, token
        self.presses = 0
        self.pot = 0
        self.v1 = 1  # the project's initial value

    async def change_everything(self):
        """A new value on every pin: a button press (V4), the pot (V6), and V1 from the REST side."""
        await in_thread(self.app.control, {"op": "press", "pin": "GPIO0"})
        await in_thread(self.app.control, {"op": "release", "pin": "GPIO0"})
        self.presses += 1
        self.pot = (self.pot + 137) % 1024
        await in_thread(self.app.control, {"op": "adc", "value": self.pot})
        self.v1 = 1 - self.v1
        status, _ = await in_thread(self.cloud.rest, f"/{self.token}/update/V1?value={self.v1}")
        assert status == 200, f"REST update of V1: {status}"

    def mismatches(self):
        """What differs from the last values, [] when everything arrived."""
        wrong = []
        if not self.cloud.online(self.token):
            wrong.append("device offline")
        if self.presses and self.cloud.value(self.token, "V4") != [str(self.presses)]:
            wrong.append(f"V4 {self.cloud.value(self.token, 'V4')} != {self.presses}")
        if self.cloud.value(self.token, "V6") != [str(self.pot)]:
            wrong.append(f"V6 {self.cloud.value(self.token, 'V6')} != {self.pot}")
        if self.app.level("GPIO4") != self.v1:
            wrong.append(f"LED {self.app.level('GPIO4')} != V1 {self.v1}")
        return wrong

    async def recovered(self, bound):
        """Seconds until mismatches() is empty; raises after `bound`."""
        t0 = time.monotonic()
        while True:
            wrong = await in_thread(self.mismatches)
            if not wrong:
                return time.monotonic() - t0
            if time.monotonic() - t0 > bound:
                raise AssertionError(f"not recovered after {bound} s: {', '.join(wrong)}")
            await asyncio.sleep(0.2)


async def run(args):
    results = []
    with Scratch() as scratch:
        cloud = Cloud(args.cloud, scratch, ["--project", args.project])
        proxy = await FaultProxy("127.0.0.1", cloud.port).start()
        token = cloud.tokens[0]
        app = App(args.app, scratch, "app", f"127.0.0.1:{proxy.port}", token,
                  {"WEFT_BLYNK_HEARTBEAT": "3", "WEFT_BLYNK_RETRY_MAX": "8"})
        device = Device(cloud, app, token)
        try:
            await device.recovered(RECOVERY_BOUND_S)

            async def fault(name, start, duration=2.0, keep_mode=False, loop_window=False):
                """start() injects the fault and returns; it lasts `duration` s, then the link is healed."""
                await device.change_everything()  # in flight as the fault strikes
                t0 = time.monotonic()
                await start()
                await device.change_everything()  # while it lasts (into the fault, where there is one)
                await asyncio.sleep(max(0.0, duration - (time.monotonic() - t0)))
                attempts = proxy.attempts_since(t0)
                window = time.monotonic() - t0
                if not keep_mode:
                    proxy.mode = "pass"
                seconds = await device.recovered(RECOVERY_BOUND_S)
                proxy.mode = "pass"
                per_minute = attempts * 60 / window
                results.append((name, seconds, attempts, window))
                print(f"fault {name}: recovered in {seconds:.1f} s (bound {RECOVERY_BOUND_S} s); "
                      f"{attempts} connection attempts in {window:.1f} s ({per_minute:.0f}/min)", flush=True)
                if loop_window:
                    assert per_minute <= ATTEMPTS_PER_MINUTE_CEILING, \
                        f"{name}: {per_minute:.0f} attempts/min > {ATTEMPTS_PER_MINUTE_CEILING}"

            def mode(name, drop_open_links):
                async def start():
                    proxy.mode = name
                    if drop_open_links:
                        proxy.reset()
                return start

            def poke(inject, direction):
                async def start():
                    inject(direction)
                    if direction == "down":  # the cloud speaks when the REST API writes
                        await in_thread(cloud.rest, f"/{token}/update/V9?value=x")
                return start

            async def reset():
                proxy.reset()

            async def stall():
                asyncio.get_running_loop().create_task(proxy.stall(4))

            # Everything must flow while every byte is a segment of its own: recovery is checked in that mode.
            await fault("1-byte fragments both ways", mode("fragment", True), keep_mode=True)
            await fault("close mid-frame (device to cloud)", poke(proxy.cut_mid_frame, "up"))
            await fault("close mid-frame (cloud to device)", poke(proxy.cut_mid_frame, "down"))
            await fault("TCP RST both ways", reset)
            await fault("corrupt frame (device to cloud)", poke(proxy.corrupt, "up"))
            await fault("corrupt frame (cloud to device)", poke(proxy.corrupt, "down"))
            await fault("stall 4 s", stall, duration=4)
            # The open link goes silent: the device writes into it until its heartbeat finds it dead.
            await fault("black-hole 12 s", mode("blackhole", False), duration=12)
            await fault("REDIRECT loop", mode("redirect", True), LOOP_WINDOW_S, loop_window=True)
            await fault("accept-then-drop flapping", mode("flap", True), LOOP_WINDOW_S, loop_window=True)
        except BaseException:
            print("--- app log (tail) ---\n" + app.output()[-4000:], file=sys.stderr)
            print("--- cloud log (tail) ---\n" + cloud.output()[-2000:], file=sys.stderr)
            raise
        finally:
            await proxy.stop()
            app.stop()
            cloud.stop()
    print(f"figures: faults survived {len(results)}/{len(results)}; worst recovery "
          f"{max(r[1] for r in results):.1f} s; pins checked per fault 3 (V4, V6 from the device, V1 to it); "
          f"values lost 0")
    return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cloud", required=True)
    p.add_argument("--app", required=True)
    p.add_argument("--project", required=True)
    sys.exit(asyncio.run(run(p.parse_args())))


if __name__ == "__main__":
    main()
