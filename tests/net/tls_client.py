#!/usr/bin/env python3
"""A TLS client weft did not write (Python's ssl module), for the tests of weft's TLS servers.

    python3 tls_client.py --port N --ca CA.pem [--host NAME] [--send TEXT] [--https PATH [--host-header H]]

Connects to 127.0.0.1:N, verifies the server against CA.pem for NAME (default localhost), then either sends
TEXT and prints what comes back until a newline or the end, or (--https) GETs PATH over HTTPS and prints the
status and the body (Host: localhost:N, or H). Exit status 0; 1 with the error on stdout when the connection or the verification failed.
"""
import argparse
import http.client
import socket
import ssl
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--ca", required=True)
    p.add_argument("--host", default="localhost")
    p.add_argument("--send")
    p.add_argument("--https")
    p.add_argument("--host-header")
    args = p.parse_args()
    context = ssl.create_default_context(cafile=args.ca)
    try:
        if args.https is not None:
            c = http.client.HTTPSConnection("127.0.0.1", args.port, timeout=20, context=context)
            c.sock = context.wrap_socket(socket.create_connection(("127.0.0.1", args.port), timeout=20),
                                         server_hostname=args.host)
            c.request("GET", args.https, headers={"Host": args.host_header or f"localhost:{args.port}"})
            r = c.getresponse()
            print(f"{r.status} {r.read().decode()}")
            return 0
        with socket.create_connection(("127.0.0.1", args.port), timeout=20) as raw:
            with context.wrap_socket(raw, server_hostname=args.host) as tls, tls.makefile("rb") as lines:
                tls.sendall((args.send or "").encode())
                print(lines.readline().decode(), end="")
                print(f"\ncipher {tls.cipher()[0]} {tls.version()}")
        return 0
    except (OSError, ssl.SSLError) as e:
        print(f"error: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
