#!/usr/bin/env python3
"""A small HTTP server, built on Python's standard http.server, that weft's HTTP client is tested against
(a server weft did not write), and the "cloud" of the dash_button app in the simulation.

    python3 tests/net/http_receiver.py [--port N] [--record FILE] [--tls CERT KEY]

It listens on 127.0.0.1 (port 0: an ephemeral one) and prints "PORT <n>" on stdout once it accepts
connections. Every request is appended to the record file as one JSON line (keys sorted, compact):
    {"body":"...","headers":{"Host":"..."},"json":{...} or null,"method":"POST","path":"/...","peer":<port>}
("peer" is the client's port: two requests on one kept-alive connection show the same one)
and summarised on stderr ("receiver: POST /trigger/button_pressed {"value1": "micropython1"} -> 200").

What it answers depends on the path (any method):
    /status/<code>            <code> with a small JSON body
    /slow/<ms>                waits <ms>, then 200
    /slow-body/<ms>           sends the head at once and the body after <ms>
    /chunked                  200 with a chunked body (with a chunk extension and a trailer)
    /huge/<n>                 200 with a Content-Length body of <n> bytes ('x')
    /huge-chunked/<n>         the same, chunked
    /until-close              200 with neither Content-Length nor chunked: the body ends at the close
    /garbage                  bytes that are not HTTP, then closes
    /close-early              closes without answering
    /close-mid-head           half a head, then closes
    /close-mid-body           Content-Length 100, 10 bytes, then closes
    /redirect/<n>             302 to /redirect/<n-1>; /redirect/0 answers 200
    /see-other                303 to /echo
    /echo                     200, the request as JSON: {"body","headers","method","path"}
    /interim                  100 Continue and 103 Early Hints, then 200 "ok"
    /keep-alive               200 with Content-Length, keeping the connection open
    /keep-then-close          200 with Content-Length and no "Connection: close", then closes anyway (an
                              idle kept-alive connection the server drops)
    anything else             200, like an IFTTT webhook ("Congratulations! You've fired the ... event")
"""
import argparse
import json
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless a handler closes
    server_version = "http_receiver/1"
    record_lock = threading.Lock()

    def log_message(self, format, *args):  # the summary line in record() replaces http.server's log
        pass

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def record(self, body, status):
        text = body.decode("utf-8", errors="replace")
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = None
        entry = {"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                 "body": text, "json": parsed, "peer": self.client_address[1]}
        with Handler.record_lock:
            if self.server.record_path:
                with open(self.server.record_path, "a", encoding="utf-8") as f:
                    f.write(json.dumps(entry, sort_keys=True, separators=(",", ":")) + "\n")
            print(f"receiver: {self.command} {self.path} {text} -> {status}", file=sys.stderr, flush=True)

    def send(self, status, body=b"", content_type="application/json", headers=(), close=False):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def raw(self, data):
        self.wfile.write(data)
        self.wfile.flush()
        self.close_connection = True

    def handle_any(self):
        body = self.read_body()
        parts = self.path.split("?")[0].strip("/").split("/")
        route, arg = parts[0], parts[1] if len(parts) > 1 else ""
        status = 200
        if route == "status":
            status = int(arg)
            self.record(body, status)
            self.send(status, json.dumps({"status": status}).encode())
        elif route == "slow":
            self.record(body, status)
            time.sleep(int(arg) / 1000)
            self.send(200, b'{"slow":true}')
        elif route == "drip":  # the head one byte every `arg` ms: each read succeeds, the whole takes long
            self.record(body, status)
            head = b"HTTP/1.1 200 OK\r\nX-Pad: " + b"a" * 300 + b"\r\nContent-Length: 0\r\n\r\n"
            try:
                for i in range(len(head)):
                    self.wfile.write(head[i:i + 1])
                    self.wfile.flush()
                    time.sleep(int(arg) / 1000)
            except OSError:
                pass  # the client gave up: what the test wants
            self.close_connection = True
        elif route == "slow-body":
            self.record(body, status)
            self.send_response(200)
            self.send_header("Content-Length", "4")
            self.end_headers()
            self.wfile.flush()
            time.sleep(int(arg) / 1000)
            self.wfile.write(b"late")
        elif route == "chunked":
            self.record(body, status)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for piece in (b"Hello, ", b"chunked ", b"world!"):
                self.wfile.write(b"%x;piece=1\r\n%s\r\n" % (len(piece), piece))
                self.wfile.flush()
            self.wfile.write(b"0\r\nX-Trailer: done\r\n\r\n")
        elif route in ("huge", "huge-chunked"):
            self.record(body, status)
            n = int(arg)
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            if route == "huge":
                self.send_header("Content-Length", str(n))
            else:
                self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            block = b"x" * 4096
            try:
                while n > 0:
                    piece = block[:n]
                    self.wfile.write(piece if route == "huge" else b"%x\r\n%s\r\n" % (len(piece), piece))
                    n -= len(piece)
                if route == "huge-chunked":
                    self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up: expected for a body over its limit
        elif route == "until-close":
            self.record(body, status)
            self.raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nuntil the end")
        elif route == "garbage":
            self.record(body, 0)
            self.raw(b"\x16\x03\x01 this is not HTTP at all \x00\xff\r\n\r\n")
        elif route == "close-early":
            self.record(body, 0)
            self.close_connection = True
        elif route == "close-mid-head":
            self.record(body, 0)
            self.raw(b"HTTP/1.1 200 OK\r\nContent-")
        elif route == "close-mid-body":
            self.record(body, 200)
            self.raw(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
        elif route == "redirect":
            n = int(arg)
            if n > 0:
                self.record(body, 302)
                self.send(302, headers=[("Location", f"/redirect/{n - 1}")])
            else:
                self.record(body, 200)
                self.send(200, b'{"redirected":true}')
        elif route == "see-other":
            self.record(body, 303)
            self.send(303, headers=[("Location", "/echo")])
        elif route == "echo":
            self.record(body, 200)
            echo = {"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                    "body": body.decode("utf-8", errors="replace")}
            self.send(200, json.dumps(echo, sort_keys=True).encode())
        elif route == "interim":
            self.record(body, 200)
            self.raw(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                     b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        elif route == "keep-alive":
            self.record(body, 200)
            self.send(200, b"kept")
        elif route == "keep-then-close":
            self.record(body, 200)
            self.send(200, b"dropped")
            self.close_connection = True
        else:
            self.record(body, 200)
            event = parts[1] if route == "trigger" and len(parts) > 1 else "webhook"
            self.send(200, f"Congratulations! You've fired the {event} event".encode(), "text/html")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_any


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: an ephemeral one)")
    parser.add_argument("--record", default="", help="append every request to this file as a JSON line")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"), help="serve HTTPS (Python's ssl module)")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*args.tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    server.record_path = args.record
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
