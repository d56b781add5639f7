"""Recovers the per-message "compressed" flag, which python3-grpcio never shows.

The interop spec asserts on byte 0 of each gRPC frame: a server rejects a request whose flag
contradicts expect_compressed, a client checks the flag of each response in
server_compressed_*. C-core decompresses inside its filter stack and the python API exposes
neither the flag nor the frame, so a peer puts a WireTap between itself and the other side:
a byte-for-byte TCP relay that also reads the HTTP/2 DATA frames of one direction, splits them
into gRPC messages and remembers each message's flag under the hash of its (decompressed)
bytes. The deserializer that later gets exactly those bytes from C-core asks flag_of(bytes).
Messages are matched by content, first in first out, which is exact for the interop cases:
a peer runs one call at a time, and equal messages there only ever follow one another.
"""
import collections
import gzip
import hashlib
import socket
import struct
import threading
import zlib

PREFACE = b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'
DATA = 0x0
PADDED = 0x8


def _decompressed(body):
    # The encoding is named in HEADERS (HPACK, not decoded here); gzip has a magic number and
    # deflate in gRPC is the zlib format, so try them in that order.
    try:
        return gzip.decompress(body) if body[:2] == b'\x1f\x8b' else zlib.decompress(body)
    except (OSError, EOFError, zlib.error):
        return body  # an unknown encoding: flag_of will not find it, and says so


class _MessageReader:
    """Feeds on one direction of an HTTP/2 connection, calls record(flag, body) per gRPC message."""

    def __init__(self, record, client_to_server):
        self._record = record
        self._pending = bytearray()
        self._preface = len(PREFACE) if client_to_server else 0
        self._streams = collections.defaultdict(bytearray)

    def feed(self, chunk):
        self._pending += chunk
        if self._preface:
            skipped = min(self._preface, len(self._pending))
            del self._pending[:skipped]
            self._preface -= skipped
        while len(self._pending) >= 9:
            length = int.from_bytes(self._pending[:3], 'big')
            if len(self._pending) < 9 + length:
                return
            frame_type, flags, stream = struct.unpack('>BBI', self._pending[3:9])
            payload = bytes(self._pending[9:9 + length])
            del self._pending[:9 + length]
            if frame_type == DATA:
                if flags & PADDED:
                    payload = payload[1:len(payload) - payload[0]]
                self._data(stream & 0x7FFFFFFF, payload)

    def _data(self, stream, payload):
        buffer = self._streams[stream]
        buffer += payload
        while len(buffer) >= 5:
            flag, length = struct.unpack('>BI', buffer[:5])
            if len(buffer) < 5 + length:
                return
            self._record(flag, bytes(buffer[5:5 + length]))
            del buffer[:5 + length]


class WireTap:
    """Listens on 127.0.0.1:<port> and relays each connection to upstream (host, port), watching
    the messages sent by the connecting side (requests) or by the upstream side (responses)."""

    def __init__(self, upstream, watch_requests, port=0):
        self._upstream = upstream
        self._watch_requests = watch_requests
        self._flags = collections.defaultdict(collections.deque)
        self._lock = threading.Lock()
        self._listener = socket.create_server(('127.0.0.1', port))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def flag_of(self, body):
        """True/False: whether the message with these (decompressed) bytes was compressed on
        the wire; None when the tap saw no such message."""
        with self._lock:
            flags = self._flags.get(hashlib.sha256(body).digest())
            return bool(flags.popleft()) if flags else None

    def _record(self, flag, body):
        if flag & 1:
            body = _decompressed(body)
        with self._lock:
            self._flags[hashlib.sha256(body).digest()].append(flag & 1)

    def _accept(self):
        while True:
            try:
                downstream, _ = self._listener.accept()
            except OSError:
                return  # closed
            try:
                upstream = socket.create_connection(self._upstream)
            except OSError:
                downstream.close()
                continue
            for sock in (downstream, upstream):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            watched = _MessageReader(self._record, client_to_server=self._watch_requests)
            open_directions = [2]
            lock = threading.Lock()

            def finished():
                with lock:
                    open_directions[0] -= 1
                    if open_directions[0]:
                        return
                downstream.close()
                upstream.close()

            requests, responses = (watched, None) if self._watch_requests else (None, watched)
            for args in ((downstream, upstream, requests, finished), (upstream, downstream, responses, finished)):
                threading.Thread(target=self._pump, args=args, daemon=True).start()

    @staticmethod
    def _pump(source, sink, reader, finished):
        # Each message is recorded before its last byte is passed on, so it is known by the
        # time the receiving peer deserializes it.
        try:
            while chunk := source.recv(65536):
                if reader:
                    reader.feed(chunk)
                sink.sendall(chunk)
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            # One side went away: end both directions (shutdown also wakes the other pump's recv).
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        finally:
            finished()

    def close(self):
        self._listener.close()
