#!/usr/bin/python3
"""A Python h2 client for the interop tests: opens STREAMS streams at once on one connection,
each POSTing a body with trailers to /post, and checks that every body comes back intact.
Usage: h2_client.py HOST PORT [STREAMS]. Prints 'ok N' and exits 0 on success."""
import hashlib
import socket
import sys

import h2.config
import h2.connection
import h2.events

host, port = sys.argv[1], int(sys.argv[2])
count = int(sys.argv[3]) if len(sys.argv) > 3 else 100

sock = socket.create_connection((host, port))
conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
conn.initiate_connection()
sock.sendall(conn.data_to_send())

bodies = {}
pending = {}
for i in range(count):
    stream_id = conn.get_next_available_stream_id()
    body = hashlib.sha256(str(i).encode()).digest() * (50 + i)
    bodies[stream_id] = body
    pending[stream_id] = body
    conn.send_headers(stream_id, [(":method", "POST"), (":scheme", "http"), (":authority", f"{host}:{port}"), (":path", "/post"), ("content-type", "application/x-test")])
sock.sendall(conn.data_to_send())


def send_pending():
    """Sends what the flow-control windows allow; a finished body is followed by its trailers."""
    for stream_id in list(pending):
        body = pending[stream_id]
        while body:
            window = min(conn.local_flow_control_window(stream_id), conn.max_outbound_frame_size)
            if window <= 0:
                break
            conn.send_data(stream_id, body[:window])
            body = body[window:]
        if body:
            pending[stream_id] = body
        else:
            del pending[stream_id]
            conn.send_headers(stream_id, [("x-stream", str(stream_id))], end_stream=True)
    sock.sendall(conn.data_to_send())


send_pending()
received = {sid: bytearray() for sid in bodies}
statuses, trailers, ended = {}, {}, set()
while len(ended) < count:
    data = sock.recv(65535)
    if not data:
        sys.exit("connection closed early")
    for event in conn.receive_data(data):
        if isinstance(event, h2.events.ResponseReceived):
            statuses[event.stream_id] = dict(event.headers)[":status"]
        elif isinstance(event, h2.events.DataReceived):
            received[event.stream_id] += event.data
            conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        elif isinstance(event, h2.events.TrailersReceived):
            trailers[event.stream_id] = dict(event.headers)
        elif isinstance(event, h2.events.StreamEnded):
            ended.add(event.stream_id)
        elif isinstance(event, h2.events.StreamReset):
            sys.exit(f"stream {event.stream_id} reset: {event.error_code}")
    send_pending()

for sid, body in bodies.items():
    if statuses.get(sid) != "200":
        sys.exit(f"stream {sid}: status {statuses.get(sid)}")
    if bytes(received[sid]) != body:
        sys.exit(f"stream {sid}: body differs ({len(received[sid])} of {len(body)} octets)")
    if trailers.get(sid, {}).get("x-stream") != str(sid):
        sys.exit(f"stream {sid}: trailers {trailers.get(sid)}")

conn.close_connection()
sock.sendall(conn.data_to_send())
sock.close()
print(f"ok {count}")
