#!/usr/bin/python3
"""Validates the python3-grpcio peers before they are pointed at our C# implementation:
python client -> python server, grpc-js client.js -> python server (grpc-js checks the
compressed flags the python server sets) and python client -> grpc-js server.js.

    /usr/bin/python3 selftest.py        (node and Tests/Interop.Peers/node_modules needed)
"""
import os
import subprocess
import sys

from interop_client import CASE_NAMES

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.dirname(HERE)
PYTHON = [sys.executable]
NODE = ['node']

# server.js never compresses a response, so these must fail, on exactly that assert: it
# proves the python client really reads the compressed flag through its wire tap.
GRPC_JS_SERVER_FAILURES = {
    'server_compressed_unary': 'UnaryCall response_compressed=true: response 0 lacks the compressed flag',
    'server_compressed_streaming': 'StreamingOutputCall: response 0 lacks the compressed flag',
}


def start(command, cwd):
    server = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline().strip()
    if not line.startswith('LISTENING '):
        server.kill()
        raise SystemExit(f'{command} printed {line!r} instead of "LISTENING <port>"')
    return server, line.split()[1]


def run_cases(rows, label, client, cwd, port, expected_failures=None):
    for case in CASE_NAMES:
        result = subprocess.run([*client, '--server_host=127.0.0.1', f'--server_port={port}', f'--test_case={case}'],
                                cwd=cwd, capture_output=True, text=True, timeout=60)
        output = (result.stderr or result.stdout).strip()
        expected = (expected_failures or {}).get(case)
        ok = result.returncode != 0 and output.endswith(expected) if expected else result.returncode == 0
        note = f'expected failure: {output}' if expected else ('' if result.returncode == 0 else output)
        rows.append((ok, f'{label} {case}', note))


def stop(rows, label, server):
    # A server must exit 0 on SIGTERM, promptly.
    server.terminate()
    try:
        code = server.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.kill()
        code = 'none (killed after 5 s)'
    rows.append((code == 0, f'{label} exits 0 on SIGTERM', '' if code == 0 else f'exit {code}'))


def main():
    rows = []
    server, port = start([*PYTHON, 'interop_server.py', '--port=0'], HERE)
    try:
        run_cases(rows, 'python -> python', [*PYTHON, 'interop_client.py'], HERE, port)
        run_cases(rows, 'grpc-js -> python', [*NODE, 'client.js'], PEERS, port)
    finally:
        stop(rows, 'interop_server.py', server)
    server, port = start([*NODE, 'server.js', '--port=0'], PEERS)
    try:
        run_cases(rows, 'python -> grpc-js', [*PYTHON, 'interop_client.py'], HERE, port, GRPC_JS_SERVER_FAILURES)
    finally:
        server.kill()

    for ok, name, note in rows:
        print(f'{"ok  " if ok else "FAIL"} {name}{f"  ({note})" if note else ""}')
    failed = sum(not ok for ok, _, _ in rows)
    print(f'{len(rows) - failed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
