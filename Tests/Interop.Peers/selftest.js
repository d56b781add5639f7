#!/usr/bin/env node
'use strict';
// Runs client.js and health_reflection.js against server.js: grpc-js against itself, which
// validates both peers before they are pointed at our C# implementation.
//   npm test
const { spawn, execFile } = require('node:child_process');
const { once } = require('node:events');
const path = require('node:path');
const readline = require('node:readline');

const CASES = [
  'empty_unary', 'large_unary', 'client_streaming', 'server_streaming', 'ping_pong', 'empty_stream',
  'custom_metadata', 'status_code_and_message', 'special_status_message', 'unimplemented_method',
  'unimplemented_service', 'cancel_after_begin', 'cancel_after_first_response',
  'timeout_on_sleeping_server', 'client_compressed_unary', 'server_compressed_unary',
  'server_compressed_streaming',
];
// The grpc-js server cannot compress responses, so these must fail, and fail on exactly
// that assert: it proves the client really inspects the compressed flag.
const EXPECTED_FAILURES = {
  server_compressed_unary: 'response_compressed=true: response lacks the compressed flag',
  server_compressed_streaming: 'response 0: response lacks the compressed flag',
};

const script = (name) => path.join(__dirname, name);

function run(file, args) {
  return new Promise((resolve) => execFile(process.execPath, [script(file), ...args], { timeout: 60_000 },
    (error, stdout, stderr) => resolve({ ok: !error, output: (stderr || stdout).trim() })));
}

async function startServer() {
  const server = spawn(process.execPath, [script('server.js'), '--port=0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(readline.createInterface({ input: server.stdout }), 'line');
  const match = /^LISTENING (\d+)$/.exec(line);
  if (!match) throw new Error(`server printed "${line}" instead of "LISTENING <port>"`);
  return { server, port: match[1] };
}

async function main() {
  const { server, port } = await startServer();
  const target = [`--server_host=127.0.0.1`, `--server_port=${port}`];
  const rows = [];
  for (const testCase of CASES) {
    const { ok, output } = await run('client.js', [...target, `--test_case=${testCase}`]);
    const expected = EXPECTED_FAILURES[testCase];
    const asExpected = expected ? !ok && output.endsWith(expected) : ok;
    rows.push({ name: testCase, asExpected, note: expected ? `expected failure: ${output}` : (ok ? '' : output) });
  }
  const health = await run('health_reflection.js', [...target, '--expect_services=grpc.testing.TestService,grpc.health.v1.Health']);
  rows.push({ name: 'health_reflection', asExpected: health.ok, note: health.ok ? '' : health.output });

  // The server must exit 0 on SIGTERM, promptly.
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
  const [code, signal] = await once(server, 'exit');
  clearTimeout(timer);
  rows.push({ name: 'server exits 0 on SIGTERM', asExpected: code === 0, note: code === 0 ? '' : `exit ${code ?? signal}` });

  for (const { name, asExpected, note } of rows) console.log(`${asExpected ? 'ok  ' : 'FAIL'} ${name}${note ? `  (${note})` : ''}`);
  const failed = rows.filter((r) => !r.asExpected).length;
  console.log(`${rows.length - failed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
