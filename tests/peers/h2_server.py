#!/usr/bin/python3
"""A Python h2 asyncio server for the interop tests: answers GET with the request headers as
JSON and POST /post by echoing the body. Prints 'listening PORT' once bound (port 0 picks one).

Early answers, as Go, Node.js, nginx and Apache give them (RFC 9113 §8.1): a request to /early is
answered as soon as its headers arrive, with 1000 octets of body, and then reset with NO_ERROR
while the client is still uploading; /early-short declares 1000 octets and sends 500 before
END_STREAM; /early-cut sends 500 of the 1000 and resets with NO_ERROR before END_STREAM."""
import asyncio
import json
import sys

import h2.config
import h2.connection
import h2.errors
import h2.events


class Protocol(asyncio.Protocol):
    def __init__(self):
        self.conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=False, header_encoding="utf-8"))
        self.requests = {}

    def connection_made(self, transport):
        self.transport = transport
        self.conn.initiate_connection()
        self.transport.write(self.conn.data_to_send())

    def data_received(self, data):
        try:
            events = self.conn.receive_data(data)
        except Exception:
            self.transport.write(self.conn.data_to_send())
            self.transport.close()
            return
        for event in events:
            if isinstance(event, h2.events.RequestReceived):
                headers = dict(event.headers)
                if headers[":path"].startswith("/early"):
                    self.answer_early(event.stream_id, headers[":path"])
                else:
                    self.requests[event.stream_id] = (headers, bytearray())
            elif isinstance(event, h2.events.DataReceived):
                if event.stream_id in self.requests:
                    self.requests[event.stream_id][1].extend(event.data)
                self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            elif isinstance(event, h2.events.StreamEnded):
                if event.stream_id in self.requests:
                    self.respond(event.stream_id)
        self.transport.write(self.conn.data_to_send())

    def respond(self, stream_id):
        headers, body = self.requests.pop(stream_id)
        if headers[":method"] == "POST":
            payload = bytes(body)
        else:
            payload = json.dumps(headers).encode()
        self.conn.send_headers(stream_id, [(":status", "200"), ("content-length", str(len(payload))), ("server", "python-h2")])
        self.pending = getattr(self, "pending", [])
        self.pending.append([stream_id, payload])
        self.flush()

    def answer_early(self, stream_id, path):
        self.conn.send_headers(stream_id, [(":status", "200"), ("content-length", "1000"), ("server", "python-h2")])
        if path == "/early":
            self.conn.send_data(stream_id, b"e" * 1000, end_stream=True)
            self.conn.reset_stream(stream_id, h2.errors.ErrorCodes.NO_ERROR)
        elif path == "/early-short":
            self.conn.send_data(stream_id, b"e" * 500, end_stream=True)
        else:
            self.conn.send_data(stream_id, b"e" * 500)
            self.conn.reset_stream(stream_id, h2.errors.ErrorCodes.NO_ERROR)

    def flush(self):
        """Sends what the flow-control windows allow; the rest waits for WINDOW_UPDATE."""
        still = []
        for stream_id, payload in self.pending:
            if not payload:
                self.conn.send_data(stream_id, b"", end_stream=True)
                continue
            while payload:
                window = min(self.conn.local_flow_control_window(stream_id), self.conn.max_outbound_frame_size)
                if window <= 0:
                    break
                chunk, payload = payload[:window], payload[window:]
                self.conn.send_data(stream_id, chunk, end_stream=not payload)
            if payload:
                still.append([stream_id, payload])
        self.pending = still

    def connection_lost(self, exc):
        pass


class Flowing(Protocol):
    def data_received(self, data):
        super().data_received(data)
        if getattr(self, "pending", None):
            self.flush()
            self.transport.write(self.conn.data_to_send())


async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Flowing, "127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    print(f"listening {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
