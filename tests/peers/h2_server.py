#!/usr/bin/python3
"""A Python h2 asyncio server for the interop tests: answers GET with the request headers as
JSON and POST /post by echoing the body. Prints 'listening PORT' once bound (port 0 picks one)."""
import asyncio
import json
import sys

import h2.config
import h2.connection
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
                self.requests[event.stream_id] = (dict(event.headers), bytearray())
            elif isinstance(event, h2.events.DataReceived):
                self.requests[event.stream_id][1].extend(event.data)
                self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            elif isinstance(event, h2.events.StreamEnded):
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
