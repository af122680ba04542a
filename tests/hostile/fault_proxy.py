"""FaultProxy: a TCP proxy between a Blynk device and its server that injects the faults a real network (or a
hostile server) produces, on demand, while the test watches both ends.

Python asyncio, not C++: each fault is a few lines over plain sockets (SO_LINGER for RST, TCP_NODELAY for
1-byte segments), it needs no build, and it shares no code (codec, loop, sockets) with the client and server
it tests, so a bug there cannot hide itself here.

Faults on the links open now:
  cut_mid_frame(direction)  the next chunk in that direction is forwarded only in part (3 bytes: a header cut
                            short), then both sides are closed
  reset()                   both sides get a TCP RST (SO_LINGER 0)
  corrupt(direction)        the next frame header in that direction gets a body length of 0x7Fxx: the stream
                            is out of step from there
  stall(seconds)            nothing is forwarded for a while, then everything is, in order
Modes (what happens to new connections, and to the bytes of open ones), set with `mode`:
  "pass"       forward (the default)
  "fragment"   forward one byte per segment, both ways
  "blackhole"  accept, read and drop everything both ways; never answer, never close
  "redirect"   answer every login itself with REDIRECT to the proxy's own address (a redirect loop)
  "flap"       accept, then close at once
`accepted` holds the time of every connection accepted: the test computes attempts per minute from it.

Standalone, for trying a device by hand:  python3 fault_proxy.py LISTEN_PORT UPSTREAM_HOST:PORT MODE
"""
import asyncio
import socket
import struct
import sys
import time

HEADER_SIZE = 5
REDIRECT, RESPONSE = 41, 0


class _Link:
    """One proxied connection: the device side and the server side, and a pump each way."""

    def __init__(self, proxy, device, server):
        self.proxy = proxy
        self.ends = {"up": device, "down": server}  # "up": device -> server, "down": server -> device
        self.cut = set()  # directions whose next chunk is cut short
        self.corrupt = set()  # directions whose next frame header gets a bad length
        self.closed = False

    async def pump(self, direction, reader, writer):
        try:
            while not self.closed:
                data = await reader.read(4096)
                if not data:
                    if self.proxy.mode == "blackhole":
                        return  # a black hole passes no FIN either: the other side stays open, unanswered
                    break
                await self.proxy.unstalled.wait()
                if self.proxy.mode == "blackhole":
                    continue
                if direction in self.corrupt and len(data) >= HEADER_SIZE:
                    self.corrupt.discard(direction)
                    data = data[:3] + bytes([0x7F]) + data[4:]
                if direction in self.cut:
                    writer.write(data[:3])
                    await writer.drain()
                    self.close()
                    break
                if self.proxy.mode == "fragment":
                    for i in range(len(data)):
                        writer.write(data[i:i + 1])
                        await writer.drain()
                        await asyncio.sleep(0.0005)  # one segment per byte, not coalesced by the kernel
                else:
                    writer.write(data)
                    await writer.drain()
        except (ConnectionError, OSError):
            pass
        self.close()

    def close(self, rst=False):
        if self.closed:
            return
        self.closed = True
        for reader_writer in self.ends.values():
            writer = reader_writer[1]
            if rst:
                sock = writer.get_extra_info("socket")
                if sock is not None:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.transport.abort()
            else:
                writer.close()
        self.proxy.links.discard(self)


class FaultProxy:
    def __init__(self, upstream_host, upstream_port):
        self.upstream = (upstream_host, upstream_port)
        self.mode = "pass"
        self.accepted = []  # monotonic time of each accepted connection
        self.links = set()
        self.unstalled = asyncio.Event()
        self.unstalled.set()
        self._holes = []  # black-holed connections (closed when the proxy stops)

    async def start(self, port=0):
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", port)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def stop(self):
        self.server.close()
        for link in list(self.links):
            link.close()
        for w in self._holes:
            w.close()

    def attempts_since(self, t0):
        return sum(1 for t in self.accepted if t >= t0)

    # ---- faults on the open links ----
    def cut_mid_frame(self, direction):
        for link in self.links:
            link.cut.add(direction)

    def corrupt(self, direction):
        for link in self.links:
            link.corrupt.add(direction)

    def reset(self):
        for link in list(self.links):
            link.close(rst=True)

    async def stall(self, seconds):
        self.unstalled.clear()
        await asyncio.sleep(seconds)
        self.unstalled.set()

    # ---- new connections ----
    async def _serve(self, reader, writer):
        try:
            await self._serve_one(reader, writer)
        except asyncio.CancelledError:  # the proxy stops
            writer.close()

    async def _serve_one(self, reader, writer):
        self.accepted.append(time.monotonic())
        mode = self.mode
        if mode == "flap":
            writer.close()
            return
        if mode == "blackhole":
            self._holes.append(writer)
            try:
                while await reader.read(4096):
                    pass
            except (ConnectionError, OSError):
                pass
            writer.close()
            return
        if mode == "redirect":
            try:
                header = await reader.readexactly(HEADER_SIZE)
                _, msg_id, length = struct.unpack(">BHH", header)
                await reader.readexactly(length)
                body = b"127.0.0.1\0" + str(self.port).encode()
                writer.write(struct.pack(">BHH", REDIRECT, msg_id, len(body)) + body)
                await writer.drain()
                await reader.read()  # until the device goes
            except (asyncio.IncompleteReadError, ConnectionError, OSError):
                pass
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.close()
            return
        for w in (writer, up_writer):
            w.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        link = _Link(self, (reader, writer), (up_reader, up_writer))
        self.links.add(link)
        await asyncio.gather(link.pump("up", reader, up_writer), link.pump("down", up_reader, writer))


async def _main(listen_port, upstream, mode):
    host, port = upstream.rsplit(":", 1)
    proxy = await FaultProxy(host, int(port)).start(listen_port)
    proxy.mode = mode
    print(f"fault_proxy: 127.0.0.1:{proxy.port} -> {upstream}, mode {mode}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: fault_proxy.py LISTEN_PORT UPSTREAM_HOST:PORT pass|fragment|blackhole|redirect|flap")
    asyncio.run(_main(int(sys.argv[1]), sys.argv[2], sys.argv[3]))
