#!/usr/bin/env python3
"""TLS servers weft did not write, for the TLS tests: Debian's `openssl s_server` and Python's ssl module.

    python3 tls_server.py MODE --cert PEM --key KEY

Listens on 127.0.0.1 (an ephemeral port) and prints "PORT <n>" once it accepts connections. Modes:
    openssl   runs `openssl s_server -www` with the certificate (answers GET / with an HTTP status page)
    echo      Python ssl: answers each line with "echo: <line>" until the client closes
    frag      the same, but every TLS byte it sends goes out in its own 1-byte TCP segment
    cut       after the handshake, sends the first half of an application-data record, then closes
    stall     plain TCP: accepts, reads the ClientHello and never answers
"""
import argparse
import socket
import ssl
import subprocess
import sys
import threading
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run_openssl(args):
    port = free_port()
    child = subprocess.Popen(["openssl", "s_server", "-quiet", "-www", "-accept", f"127.0.0.1:{port}",
                              "-cert", args.cert, "-key", args.key], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL)
    for _ in range(600):  # until it accepts (a loaded machine may be slow)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    print(f"PORT {port}", flush=True)
    child.wait()


def serve_tls(conn, context, mode):
    """One connection through ssl.SSLObject over memory BIOs, so this side decides how the raw bytes go."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_side=True)
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send_out(limit=None):
        data = outgoing.read()
        if limit is not None:
            data = data[:limit]
        if mode == "frag":
            for i in range(len(data)):
                conn.sendall(data[i:i + 1])
                time.sleep(0.001)
        else:
            conn.sendall(data)

    def pump():
        data = conn.recv(65536)
        if not data:
            raise EOFError
        incoming.write(data)

    while True:
        try:
            tls.do_handshake()
            send_out()
            break
        except ssl.SSLWantReadError:
            send_out()
            pump()
    if mode == "cut":
        tls.write(b"this record is cut in half by the server" * 4)
        record = outgoing.read()
        conn.sendall(record[:len(record) // 2])
        return
    line = b""
    while True:
        try:
            chunk = tls.read(4096)
        except ssl.SSLWantReadError:
            pump()
            continue
        except ssl.SSLZeroReturnError:
            return
        if not chunk:
            return
        line += chunk
        while b"\n" in line:
            text, line = line.split(b"\n", 1)
            tls.write(b"echo: " + text + b"\n")
            send_out()


def run_python(args):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    print(f"PORT {listener.getsockname()[1]}", flush=True)
    context = None
    if args.mode != "stall":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
    while True:
        conn, _ = listener.accept()

        def handle(c=conn):
            try:
                if args.mode == "stall":
                    c.recv(65536)
                    time.sleep(3600)
                else:
                    serve_tls(c, context, args.mode)
            except (OSError, EOFError, ssl.SSLError):
                pass
            finally:
                c.close()

        threading.Thread(target=handle, daemon=True).start()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["openssl", "echo", "frag", "cut", "stall"])
    p.add_argument("--cert")
    p.add_argument("--key")
    args = p.parse_args()
    if args.mode == "openssl":
        run_openssl(args)
    else:
        run_python(args)


if __name__ == "__main__":
    sys.exit(main())
