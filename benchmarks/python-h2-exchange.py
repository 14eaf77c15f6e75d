#!/usr/bin/python3
"""The in-memory exchange of ConnectionBenchmarks, in Python's h2: a client and a server
H2Connection wired back to back, batches of concurrent GET requests with eight typical headers,
each answered with an 80-byte body. Prints requests per second, for the ratio in
docs/performance.md.

usage: benchmarks/python-h2-exchange.py [seconds=5] [concurrency=10]
"""
import sys
import time

import h2.config
import h2.connection
import h2.events

REQUEST = [
    (":method", "GET"), (":scheme", "https"), (":authority", "example.com"), (":path", "/index.html"),
    ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"),
    ("accept", "text/html,application/xhtml+xml"), ("accept-encoding", "gzip, deflate, br"),
    ("accept-language", "en-US,en;q=0.9"),
]
BODY = b"x" * 80
RESPONSE = [(":status", "200"), ("content-type", "application/json"), ("content-length", str(len(BODY)))]


def connect():
    client = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="latin-1"))
    server = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False, header_encoding="latin-1"))
    server.local_settings.max_concurrent_streams = 1000
    client.initiate_connection()
    server.initiate_connection()
    server.receive_data(client.data_to_send())
    client.receive_data(server.data_to_send())
    server.receive_data(client.data_to_send())
    return client, server


def exchange(client, server, concurrency):
    for _ in range(concurrency):
        client.send_headers(client.get_next_available_stream_id(), REQUEST, end_stream=True)
    for event in server.receive_data(client.data_to_send()):
        if isinstance(event, h2.events.RequestReceived):
            server.send_headers(event.stream_id, RESPONSE)
            server.send_data(event.stream_id, BODY, end_stream=True)
    responses = 0
    for event in client.receive_data(server.data_to_send()):
        if isinstance(event, h2.events.DataReceived):
            client.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            responses += 1
    server.receive_data(client.data_to_send())
    return responses


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    concurrency = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    client, server = connect()
    for _ in range(200):
        exchange(client, server, concurrency)
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if client.highest_outbound_stream_id > (1 << 30):
            client, server = connect()
        done += exchange(client, server, concurrency)
    elapsed = time.perf_counter() - start
    print(f"python h2 {h2.__version__}: {done / elapsed:,.0f} requests/s ({done} requests in {elapsed:.1f} s, concurrency {concurrency})")


if __name__ == "__main__":
    main()
