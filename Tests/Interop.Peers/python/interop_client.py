#!/usr/bin/python3
"""python3-grpcio (gRPC C-core) interop client: runs one case of grpc/grpc
doc/interop-test-descriptions.md, the same 17 cases as ../client.js.

    /usr/bin/python3 interop_client.py --server_host=127.0.0.1 --server_port=<p> --test_case=<name>

Exit 0 = pass (and "PASS <case>" on stdout); otherwise "FAIL <case>: <reason>" on stderr, exit 1.
The server_compressed_* cases talk through a WireTap, the only way to see each response's
compressed flag from python; every other case talks to the server directly.
"""
import os
import queue
import sys
import threading

import grpc

from interop_protos import TEST_SERVICE, UNIMPLEMENTED_SERVICE, Protos, parse_flags
from wire_tap import WireTap

CASE_TIMEOUT_S = 30
ECHO_INITIAL = ('x-grpc-test-echo-initial', 'test_initial_metadata_value')
ECHO_TRAILING = ('x-grpc-test-echo-trailing-bin', b'\xab\xab\xab')


class CaseFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CaseFailed(message)


class Outcome:
    """Everything a case may check about a finished call."""

    def __init__(self, call, responses):
        self.responses = responses
        self.code = call.code()
        self.details = call.details()
        self.initial_metadata = call.initial_metadata() or ()
        self.trailing_metadata = call.trailing_metadata() or ()


class Stubs:
    """Multi-callables for both services. With a tap, self.flags collects the compressed flag of
    each response in the order they were deserialized (None: the tap did not see it)."""

    def __init__(self, channel, protos, tap=None):
        self.flags = []
        serialize = lambda message: message.SerializeToString()  # noqa: E731

        def deserialize(message_class):
            if tap is None:
                return message_class.FromString

            def observed(data):
                self.flags.append(tap.flag_of(data))
                return message_class.FromString(data)
            return observed

        def method(kind, service, name, response_class):
            return getattr(channel, kind)(f'/{service}/{name}', request_serializer=serialize,
                                          response_deserializer=deserialize(response_class))

        self.empty_call = method('unary_unary', TEST_SERVICE, 'EmptyCall', protos.Empty)
        self.unary_call = method('unary_unary', TEST_SERVICE, 'UnaryCall', protos.SimpleResponse)
        self.streaming_output_call = method('unary_stream', TEST_SERVICE, 'StreamingOutputCall',
                                            protos.StreamingOutputCallResponse)
        self.streaming_input_call = method('stream_unary', TEST_SERVICE, 'StreamingInputCall',
                                           protos.StreamingInputCallResponse)
        self.full_duplex_call = method('stream_stream', TEST_SERVICE, 'FullDuplexCall',
                                       protos.StreamingOutputCallResponse)
        self.unimplemented_method = method('unary_unary', TEST_SERVICE, 'UnimplementedCall', protos.Empty)
        self.unimplemented_service = method('unary_unary', UNIMPLEMENTED_SERVICE, 'UnimplementedCall', protos.Empty)


# ---- calls: each returns once the status arrived ------------------------------------------------

def unary(method, request, **kwargs):
    try:
        response, call = method.with_call(request, **kwargs)
        return Outcome(call, [response])
    except grpc.RpcError as error:  # also the call: code, details, metadata
        return Outcome(error, [])


def drain(call):
    """Reads a response stream to its end; a non-OK status shows as the outcome's code."""
    responses = []
    try:
        for response in call:
            responses.append(response)
    except grpc.RpcError:
        pass
    return Outcome(call, responses)


class Requests:
    """A request stream the case writes to as it goes: iter(Requests) blocks until the next write."""

    def __init__(self):
        self._queue = queue.Queue()

    def __iter__(self):
        return iter(self._queue.get, None)

    def write(self, request):
        self._queue.put(request)

    def end(self):
        self._queue.put(None)


# ---- asserts ---------------------------------------------------------------------------------

def check_status(outcome, code, what):
    check(outcome.code == code, f'{what}: expected status {code.name}, got {outcome.code.name} "{outcome.details}"')


def check_payload(message, size, what):
    check(message is not None and message.HasField('payload'), f'{what}: response has no payload')
    body = message.payload.body
    check(len(body) == size, f'{what}: payload is {len(body)} bytes, expected {size}')
    check(body.count(0) == size, f'{what}: payload is not all zeros')


def check_flags(stubs, expected, what):
    check(None not in stubs.flags, f'{what}: the compressed flag was not observed')
    for i, (actual, wanted) in enumerate(zip(stubs.flags, expected)):
        check(actual == wanted, f'{what}: response {i} {"lacks" if wanted else "has"} the compressed flag')
    check(len(stubs.flags) == len(expected), f'{what}: saw {len(stubs.flags)} responses, expected {len(expected)}')


def check_echoed_metadata(outcome, what):
    check(ECHO_INITIAL in outcome.initial_metadata,
          f'{what}: initial metadata echo missing, got {list(outcome.initial_metadata)}')
    check(ECHO_TRAILING in outcome.trailing_metadata,
          f'{what}: trailing metadata echo missing, got {list(outcome.trailing_metadata)}')


# ---- cases -------------------------------------------------------------------------------------

class Cases:
    def __init__(self, protos, stubs, tapped_stubs):
        self.p = protos
        self.stubs = stubs
        self.tapped_stubs = tapped_stubs  # () -> Stubs through a WireTap

    def zeros(self, size):
        return self.p.Payload(type=self.p.COMPRESSABLE, body=bytes(size))

    def large_request(self, **fields):
        return self.p.SimpleRequest(response_type=self.p.COMPRESSABLE, response_size=314159,
                                    payload=self.zeros(271828), **fields)

    def output_request(self, sizes, **fields):
        return self.p.StreamingOutputCallRequest(
            response_type=self.p.COMPRESSABLE, response_parameters=[{'size': size} for size in sizes], **fields)

    def status_round_trip(self, code, message):
        status = self.p.EchoStatus(code=code.value[0], message=message)
        outcome = unary(self.stubs.unary_call, self.p.SimpleRequest(response_status=status))
        check_status(outcome, code, 'UnaryCall')
        check(outcome.details == message, f'UnaryCall: status message {outcome.details!r}, expected {message!r}')
        return status

    def empty_unary(self):
        outcome = unary(self.stubs.empty_call, self.p.Empty())
        check_status(outcome, grpc.StatusCode.OK, 'EmptyCall')
        check(outcome.responses[0] is not None, 'EmptyCall: null response')

    def large_unary(self):
        outcome = unary(self.stubs.unary_call, self.large_request())
        check_status(outcome, grpc.StatusCode.OK, 'UnaryCall')
        check_payload(outcome.responses[0], 314159, 'UnaryCall')

    # C-core compresses per call: compression=Gzip sets the flag on this call's message only.
    def client_compressed_unary(self):
        probe = unary(self.stubs.unary_call, self.large_request(expect_compressed={'value': True}))
        check_status(probe, grpc.StatusCode.INVALID_ARGUMENT, 'probe (uncompressed, expect_compressed=true)')
        compressed = unary(self.stubs.unary_call, self.large_request(expect_compressed={'value': True}),
                           compression=grpc.Compression.Gzip)
        check_status(compressed, grpc.StatusCode.OK, 'compressed call')
        check_payload(compressed.responses[0], 314159, 'compressed call')
        plain = unary(self.stubs.unary_call, self.large_request(expect_compressed={'value': False}))
        check_status(plain, grpc.StatusCode.OK, 'uncompressed call')
        check_payload(plain.responses[0], 314159, 'uncompressed call')

    def server_compressed_unary(self):
        stubs = self.tapped_stubs()
        for value in (True, False):
            what = f'UnaryCall response_compressed={str(value).lower()}'
            stubs.flags.clear()
            outcome = unary(stubs.unary_call, self.large_request(response_compressed={'value': value}))
            check_status(outcome, grpc.StatusCode.OK, what)
            check_payload(outcome.responses[0], 314159, what)
            check_flags(stubs, [value], what)

    def client_streaming(self):
        requests = [self.p.StreamingInputCallRequest(payload=self.zeros(size)) for size in (27182, 8, 1828, 45904)]
        outcome = unary(self.stubs.streaming_input_call, iter(requests))
        check_status(outcome, grpc.StatusCode.OK, 'StreamingInputCall')
        size = outcome.responses[0].aggregated_payload_size
        check(size == 74922, f'aggregated_payload_size is {size}, expected 74922')

    def server_streaming(self):
        sizes = [31415, 9, 2653, 58979]
        outcome = drain(self.stubs.streaming_output_call(self.output_request(sizes)))
        check_status(outcome, grpc.StatusCode.OK, 'StreamingOutputCall')
        check(len(outcome.responses) == 4, f'got {len(outcome.responses)} responses, expected 4')
        for i, size in enumerate(sizes):
            check_payload(outcome.responses[i], size, f'response {i}')

    def server_compressed_streaming(self):
        stubs = self.tapped_stubs()
        expected = [(True, 31415), (False, 92653)]
        request = self.p.StreamingOutputCallRequest(
            response_type=self.p.COMPRESSABLE,
            response_parameters=[{'size': size, 'compressed': {'value': flag}} for flag, size in expected])
        outcome = drain(stubs.streaming_output_call(request))
        check_status(outcome, grpc.StatusCode.OK, 'StreamingOutputCall')
        check(len(outcome.responses) == 2, f'got {len(outcome.responses)} responses, expected 2')
        for i, (_, size) in enumerate(expected):
            check_payload(outcome.responses[i], size, f'response {i}')
        check_flags(stubs, [flag for flag, _ in expected], 'StreamingOutputCall')

    def ping_pong(self):
        requests = Requests()
        call = self.stubs.full_duplex_call(iter(requests))
        for size, request_size in [(31415, 27182), (9, 8), (2653, 1828), (58979, 45904)]:
            requests.write(self.output_request([size], payload=self.zeros(request_size)))
            try:
                response = next(call)
            except (StopIteration, grpc.RpcError):
                raise CaseFailed(f'stream ended ({call.code().name}) before the reply to the {size}-byte request')
            check_payload(response, size, f'reply to the {size}-byte request')
        requests.end()
        outcome = drain(call)
        check_status(outcome, grpc.StatusCode.OK, 'FullDuplexCall')
        check(not outcome.responses, f'got {4 + len(outcome.responses)} responses, expected 4')

    def empty_stream(self):
        outcome = drain(self.stubs.full_duplex_call(iter(())))
        check_status(outcome, grpc.StatusCode.OK, 'FullDuplexCall')
        check(not outcome.responses, f'got {len(outcome.responses)} responses, expected 0')

    def custom_metadata(self):
        metadata = (ECHO_INITIAL, ECHO_TRAILING)
        via_unary = unary(self.stubs.unary_call, self.large_request(), metadata=metadata)
        check_status(via_unary, grpc.StatusCode.OK, 'UnaryCall')
        check_echoed_metadata(via_unary, 'UnaryCall')

        request = self.output_request([314159], payload=self.zeros(271828))
        via_duplex = drain(self.stubs.full_duplex_call(iter([request]), metadata=metadata))
        check_status(via_duplex, grpc.StatusCode.OK, 'FullDuplexCall')
        check_echoed_metadata(via_duplex, 'FullDuplexCall')

    def status_code_and_message(self):
        message = 'test status message'
        status = self.status_round_trip(grpc.StatusCode.UNKNOWN, message)
        request = self.p.StreamingOutputCallRequest(response_status=status)
        via_duplex = drain(self.stubs.full_duplex_call(iter([request])))
        check_status(via_duplex, grpc.StatusCode.UNKNOWN, 'FullDuplexCall')
        check(via_duplex.details == message, f'FullDuplexCall: status message {via_duplex.details!r}')

    def special_status_message(self):
        self.status_round_trip(grpc.StatusCode.UNKNOWN,
                               '\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n')

    def unimplemented_method(self):
        outcome = unary(self.stubs.unimplemented_method, self.p.Empty())
        check_status(outcome, grpc.StatusCode.UNIMPLEMENTED, 'TestService/UnimplementedCall')

    def unimplemented_service(self):
        outcome = unary(self.stubs.unimplemented_service, self.p.Empty())
        check_status(outcome, grpc.StatusCode.UNIMPLEMENTED, 'UnimplementedService/UnimplementedCall')

    def cancel_after_begin(self):
        requests = Requests()
        future = self.stubs.streaming_input_call.future(iter(requests))
        future.cancel()
        requests.end()
        check(future.code() == grpc.StatusCode.CANCELLED,
              f'StreamingInputCall: expected status CANCELLED, got {future.code().name} "{future.details()}"')

    def cancel_after_first_response(self):
        requests = Requests()
        call = self.stubs.full_duplex_call(iter(requests))
        requests.write(self.output_request([31415], payload=self.zeros(27182)))
        try:
            check_payload(next(call), 31415, 'first response')
        except (StopIteration, grpc.RpcError):
            raise CaseFailed(f'stream ended ({call.code().name}) before a response')
        call.cancel()
        requests.end()
        check_status(drain(call), grpc.StatusCode.CANCELLED, 'FullDuplexCall')

    def timeout_on_sleeping_server(self):
        requests = Requests()
        call = self.stubs.full_duplex_call(iter(requests), timeout=0.001)
        requests.write(self.p.StreamingOutputCallRequest(payload=self.zeros(27182)))
        outcome = drain(call)
        requests.end()
        check_status(outcome, grpc.StatusCode.DEADLINE_EXCEEDED, 'FullDuplexCall')


CASE_NAMES = [
    'empty_unary', 'large_unary', 'client_streaming', 'server_streaming', 'ping_pong', 'empty_stream',
    'custom_metadata', 'status_code_and_message', 'special_status_message', 'unimplemented_method',
    'unimplemented_service', 'cancel_after_begin', 'cancel_after_first_response', 'timeout_on_sleeping_server',
    'client_compressed_unary', 'server_compressed_unary', 'server_compressed_streaming',
]


def finish(code, stream, line):
    # os._exit: request-stream threads and C-core's own must not keep a failed case alive.
    print(line, file=stream, flush=True)
    os._exit(code)


def main():
    flags = parse_flags(sys.argv[1:], {'server_host': '127.0.0.1', 'server_port': '', 'test_case': ''})
    test_case = flags['test_case']
    try:
        check(test_case in CASE_NAMES, f'unknown --test_case={test_case}; known: {", ".join(CASE_NAMES)}')
        check(flags['server_port'].isdigit(), '--server_port=<port> is required')
        timer = threading.Timer(CASE_TIMEOUT_S, finish, (1, sys.stderr, f'FAIL {test_case}: no result after {CASE_TIMEOUT_S} s'))
        timer.daemon = True
        timer.start()

        protos = Protos()
        server = (flags['server_host'], int(flags['server_port']))
        channel = grpc.insecure_channel(f'{server[0]}:{server[1]}')

        def tapped_stubs():
            tap = WireTap(server, watch_requests=False)
            return Stubs(grpc.insecure_channel(f'127.0.0.1:{tap.port}'), protos, tap)

        getattr(Cases(protos, Stubs(channel, protos), tapped_stubs), test_case)()
    except CaseFailed as failure:
        finish(1, sys.stderr, f'FAIL {test_case}: {failure}')
    except Exception as error:  # noqa: BLE001 - any other error is a failed case, with its reason
        finish(1, sys.stderr, f'FAIL {test_case}: {type(error).__name__}: {error}')
    finish(0, sys.stdout, f'PASS {test_case}')


if __name__ == '__main__':
    main()
