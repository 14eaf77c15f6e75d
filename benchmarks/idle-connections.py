#!/usr/bin/python3
"""Memory per idle HTTP/2 connection of a server: open N connections (preface, SETTINGS, ACK, one
GET answered), leave them idle, and divide the growth of the server's resident memory by N.

usage: benchmarks/idle-connections.py <server-pid> <port> [connections=10000]
Loopback only; the connections are closed at the end.
"""
import gc
import resource
import socket
import sys
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
SETTINGS = bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])
SETTINGS_ACK = bytes([0, 0, 0, 4, 1, 0, 0, 0, 0])
# HEADERS on stream 1, END_STREAM|END_HEADERS: :method GET, :scheme http, :path /, :authority localhost
GET = bytes([0, 0, 14, 1, 5, 0, 0, 0, 1, 0x82, 0x86, 0x84, 0x41, 0x09]) + b"localhost"


def rss(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def settle(pid, seconds=3.0):
    time.sleep(seconds)
    return rss(pid)


def main():
    pid, port = int(sys.argv[1]), int(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count + 100)), hard))
    # A first handful warms the server (JIT, pools), so the baseline is a running server's.
    warm = [open_connection(port) for _ in range(50)]
    before = settle(pid)
    sockets = []
    for i in range(count):
        sockets.append(open_connection(port))
    after = settle(pid, 5.0)
    per = (after - before) / count
    print(f"server RSS: {before / 2**20:.1f} MiB before, {after / 2**20:.1f} MiB with {count} more idle connections "
          f"-> {per / 1024:.2f} KiB per idle connection")
    for s in sockets + warm:
        s.close()
    gc.collect()


def open_connection(port):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(PREFACE + SETTINGS + SETTINGS_ACK + GET)
    # Read until the response's END_STREAM has arrived (the answer to GET /), so the connection is idle after real use.
    data = b""
    deadline = time.time() + 10
    while time.time() < deadline:
        chunk = s.recv(65536)
        if not chunk:
            raise RuntimeError("server closed the connection")
        data += chunk
        if ended(data):
            return s
    raise RuntimeError("no response in 10 s")


def ended(data):
    offset = 0
    while offset + 9 <= len(data):
        length = int.from_bytes(data[offset:offset + 3], "big")
        kind, flags = data[offset + 3], data[offset + 4]
        stream = int.from_bytes(data[offset + 5:offset + 9], "big") & 0x7FFFFFFF
        if offset + 9 + length > len(data):
            return False
        if stream == 1 and kind in (0, 1) and flags & 1:
            return True
        offset += 9 + length
    return False


if __name__ == "__main__":
    main()
