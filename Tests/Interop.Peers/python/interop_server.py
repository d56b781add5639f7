#!/usr/bin/python3
"""python3-grpcio (gRPC C-core) interop server: grpc.testing.TestService with the "server
features" of grpc/grpc doc/interop-test-descriptions.md, so our C# client is tested against a
gRPC implementation nobody here wrote. Unlike grpc-js, C-core compresses responses when asked
(response_compressed, ResponseParameters.compressed), which exercises our client's decompression.

    /usr/bin/python3 interop_server.py --port=0   prints "LISTENING <port>" once bound (127.0.0.1)

The port printed is a WireTap relaying to the C-core server: it tells the handlers whether each
request arrived compressed (expect_compressed), which the python API hides. SIGTERM/SIGINT exit 0.
"""
import signal
import sys
import threading
import time
from concurrent import futures

import grpc

from interop_protos import TEST_SERVICE, Protos, parse_flags
from wire_tap import WireTap

ECHO_INITIAL = 'x-grpc-test-echo-initial'
ECHO_TRAILING = 'x-grpc-test-echo-trailing-bin'
STATUS_CODES = {code.value[0]: code for code in grpc.StatusCode}


class Failure(Exception):
    """Ends the call with this status (after the echoed trailers)."""

    def __init__(self, code, details):
        super().__init__(details)
        self.code = STATUS_CODES.get(code, grpc.StatusCode.UNKNOWN)
        self.details = details


class Call:
    """One call's side of the spec: echoed metadata, response compression, the final status.

    Headers go out lazily, with the first response or the status, so the call-level
    compression can still be chosen from the first request that asks for responses."""

    def __init__(self, context, protos):
        self.context = context
        self.protos = protos
        self.compressing = None  # decided before the headers are sent
        metadata = context.invocation_metadata()
        self._initial = [(key, value) for key, value in metadata if key == ECHO_INITIAL]
        context.set_trailing_metadata([(key, value) for key, value in metadata if key == ECHO_TRAILING])

    def send_headers(self, compress=False, extra=()):
        if self.compressing is None:
            self.compressing = compress
            self.context.set_compression(grpc.Compression.Gzip if compress else grpc.Compression.NoCompression)
            self.context.send_initial_metadata([*self._initial, *extra])

    def compress_next(self, compress):
        """Sets the next response's compressed flag (C-core compresses per call, and can skip a message)."""
        self.send_headers(compress)
        if compress and not self.compressing:
            raise Failure(grpc.StatusCode.INVALID_ARGUMENT.value[0],
                          'compressed responses must be asked for from the first response on')
        if self.compressing and not compress:
            self.context.disable_next_message_compression()

    def payload(self, response_type, size):
        # Only COMPRESSABLE exists; the spec wants any other type refused, not guessed at.
        if response_type != self.protos.COMPRESSABLE:
            raise Failure(grpc.StatusCode.INVALID_ARGUMENT.value[0], f'unsupported response_type {response_type}')
        return self.protos.Payload(type=response_type, body=bytes(size))

    def fail(self, failure):
        self.send_headers()
        self.context.abort(failure.code, failure.details)


def requested_status(request):
    """The spec's [Echo Status]: a request carrying response_status ends the call with it."""
    if request.HasField('response_status'):
        return Failure(request.response_status.code, request.response_status.message)
    return None


def compression_mismatch(request, compressed):
    """The spec's [CompressedRequest]: expect_compressed must match the frame's flag, checked
    both ways (as grpc-c++ does) so a client that compresses when told not to is caught."""
    if not request.HasField('expect_compressed') or request.expect_compressed.value == compressed:
        return None
    if compressed is None:
        return Failure(grpc.StatusCode.INTERNAL.value[0], 'the wire tap did not see this request')
    expected = 'a compressed' if request.expect_compressed.value else 'an uncompressed'
    return Failure(grpc.StatusCode.INVALID_ARGUMENT.value[0], f'expected {expected} request')


class TestService:
    """Handlers get (request, compressed) pairs: the deserializers ask the wire tap."""

    def __init__(self, protos):
        self.protos = protos

    def empty_call(self, pair, context):
        call = Call(context, self.protos)
        call.send_headers()
        return self.protos.Empty()

    def unary_call(self, pair, context):
        request, compressed = pair
        call = Call(context, self.protos)
        try:
            failure = requested_status(request) or compression_mismatch(request, compressed)
            if failure:
                raise failure
            call.send_headers(request.response_compressed.value)
            return self.protos.SimpleResponse(payload=call.payload(request.response_type, request.response_size))
        except Failure as failure:
            call.fail(failure)

    def cacheable_unary_call(self, pair, context):
        # A fresh timestamp per call, with headers a caching proxy may act on.
        call = Call(context, self.protos)
        call.send_headers(extra=[('cache-control', 'public, max-age=60')])
        body = str(time.monotonic_ns()).encode()
        return self.protos.SimpleResponse(payload=self.protos.Payload(type=self.protos.COMPRESSABLE, body=body))

    def streaming_input_call(self, pairs, context):
        call = Call(context, self.protos)
        total = 0
        try:
            for request, compressed in pairs:
                failure = compression_mismatch(request, compressed)
                if failure:
                    raise failure
                total += len(request.payload.body)
        except Failure as failure:
            call.fail(failure)
        except grpc.RpcError:
            return None  # cancelled or past its deadline: nobody is listening any more
        call.send_headers()
        return self.protos.StreamingInputCallResponse(aggregated_payload_size=total)

    def streaming_output_call(self, pair, context):
        return self._respond(context, [pair[0]])

    def full_duplex_call(self, pairs, context):
        return self._respond(context, (request for request, _ in pairs))

    def half_duplex_call(self, pairs, context):
        def all_first():
            yield from [request for request, _ in pairs]
        return self._respond(context, all_first())

    def _respond(self, context, requests):
        """Answers StreamingOutputCallRequests in order; each interval_us is a sleep counted from
        the previous response, and a response_status ends the call."""
        call = Call(context, self.protos)
        try:
            for request in requests:
                failure = requested_status(request)
                if failure:
                    raise failure
                for params in request.response_parameters:
                    if params.interval_us > 0:
                        time.sleep(params.interval_us / 1e6)
                    if not context.is_active():
                        return
                    payload = call.payload(request.response_type, params.size)
                    call.compress_next(params.compressed.value)
                    yield self.protos.StreamingOutputCallResponse(payload=payload)
        except Failure as failure:
            call.fail(failure)
        except grpc.RpcError:
            return  # cancelled or past its deadline while reading requests
        call.send_headers()


def handlers(protos, tap):
    # Every request goes through the tap, so each message it recorded is also taken out again.
    def tapped(message_class):
        return lambda data: (message_class.FromString(data), tap.flag_of(data))

    service = TestService(protos)
    p = protos
    serialize = lambda message: message.SerializeToString()  # noqa: E731
    table = {
        'EmptyCall': grpc.unary_unary_rpc_method_handler(
            service.empty_call, tapped(p.Empty), serialize),
        'UnaryCall': grpc.unary_unary_rpc_method_handler(
            service.unary_call, tapped(p.SimpleRequest), serialize),
        'CacheableUnaryCall': grpc.unary_unary_rpc_method_handler(
            service.cacheable_unary_call, tapped(p.SimpleRequest), serialize),
        'StreamingOutputCall': grpc.unary_stream_rpc_method_handler(
            service.streaming_output_call, tapped(p.StreamingOutputCallRequest), serialize),
        'StreamingInputCall': grpc.stream_unary_rpc_method_handler(
            service.streaming_input_call, tapped(p.StreamingInputCallRequest), serialize),
        'FullDuplexCall': grpc.stream_stream_rpc_method_handler(
            service.full_duplex_call, tapped(p.StreamingOutputCallRequest), serialize),
        'HalfDuplexCall': grpc.stream_stream_rpc_method_handler(
            service.half_duplex_call, tapped(p.StreamingOutputCallRequest), serialize),
        # UnimplementedCall is left out on purpose: C-core answers it with UNIMPLEMENTED.
    }
    return grpc.method_handlers_generic_handler(TEST_SERVICE, table)


def main():
    flags = parse_flags(sys.argv[1:], {'port': '0'})
    protos = Protos()
    # The tap must exist before the handlers that ask it; it learns the server's port after.
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=32))
    server_port = server.add_insecure_port('127.0.0.1:0')
    tap = WireTap(('127.0.0.1', server_port), watch_requests=True, port=int(flags['port']))
    server.add_generic_rpc_handlers((handlers(protos, tap),))
    server.start()
    print(f'LISTENING {tap.port}', flush=True)

    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    while not stopping.wait(3600):
        pass
    tap.close()
    server.stop(grace=2).wait()
    sys.exit(0)


if __name__ == '__main__':
    main()
