#!/usr/bin/env node
'use strict';
// grpc-js interop client: runs one case of grpc/grpc doc/interop-test-descriptions.md.
//   node client.js --server_host=127.0.0.1 --server_port=<p> --test_case=<name>
// Exit 0 = pass; otherwise the reason is on stderr.
const { grpc, loadTest } = require('./protos');
const { carryCompressionFlags, wasCompressed } = require('./compression-flags');
const { parseFlags } = require('./flags');

const CASE_TIMEOUT_MS = 30_000;
const GZIP = 2; // grpc-js CompressionAlgorithms.gzip

const zeros = (size) => ({ body: Buffer.alloc(size) });

// ---- asserts ------------------------------------------------------------------------------

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function checkStatus(outcome, code, what) {
  const { status } = outcome;
  check(status.code === code,
    `${what}: expected status ${grpc.status[code]}, got ${grpc.status[status.code]} "${status.details}"`);
}

function checkPayload(message, size, what) {
  const body = message?.payload?.body;
  check(body, `${what}: response has no payload`);
  check(body.length === size, `${what}: payload is ${body.length} bytes, expected ${size}`);
  check(body.every((b) => b === 0), `${what}: payload is not all zeros`);
}

function checkCompressed(message, expected, what) {
  const actual = wasCompressed(message);
  check(actual !== undefined, `${what}: the compressed flag was not observed`);
  check(actual === expected, `${what}: response ${expected ? 'lacks' : 'has'} the compressed flag`);
}

// ---- calls: each resolves once the status arrived, with everything the case may check ----

function unary(client, method, request, { metadata = new grpc.Metadata(), deadline } = {}) {
  return new Promise((resolve) => {
    const outcome = { headers: null, response: null };
    const call = client[method](request, metadata, { deadline }, (error, response) => {
      outcome.response = response ?? null;
    });
    call.on('metadata', (headers) => { outcome.headers = headers; });
    call.on('status', (status) => resolve({ ...outcome, status }));
  });
}

// Tracks a streaming call: its responses, headers and final status. Errors are ignored as
// events because the same information arrives as the status, which every case checks.
function track(call) {
  const outcome = { headers: null, responses: [] };
  call.on('metadata', (headers) => { outcome.headers = headers; });
  call.on('data', (response) => outcome.responses.push(response));
  call.on('error', () => {});
  const done = new Promise((resolve) => call.on('status', (status) => resolve({ ...outcome, status })));
  const nextResponse = () => new Promise((resolve, reject) => {
    call.once('data', resolve);
    done.then((o) => reject(new Error(`stream ended (${grpc.status[o.status.code]}) before a response`)));
  });
  return { done, nextResponse };
}

// ---- cases ----------------------------------------------------------------------------------

const LARGE_REQUEST = { response_type: 'COMPRESSABLE', response_size: 314159, payload: zeros(271828) };

function echoMetadata() {
  const metadata = new grpc.Metadata();
  metadata.set('x-grpc-test-echo-initial', 'test_initial_metadata_value');
  metadata.set('x-grpc-test-echo-trailing-bin', Buffer.from([0xab, 0xab, 0xab]));
  return metadata;
}

function checkEchoedMetadata(outcome, what) {
  const initial = outcome.headers?.get('x-grpc-test-echo-initial') ?? [];
  check(initial[0] === 'test_initial_metadata_value', `${what}: initial metadata echo missing, got ${JSON.stringify(initial)}`);
  const trailing = outcome.status.metadata.get('x-grpc-test-echo-trailing-bin');
  check(Buffer.isBuffer(trailing[0]) && trailing[0].equals(Buffer.from([0xab, 0xab, 0xab])),
    `${what}: trailing metadata echo missing, got ${JSON.stringify(trailing)}`);
}

async function statusRoundTrip({ test }, code, message) {
  const response_status = { code, message };
  const viaUnary = await unary(test, 'UnaryCall', { response_status });
  checkStatus(viaUnary, code, 'UnaryCall');
  check(viaUnary.status.details === message,
    `UnaryCall: status message ${JSON.stringify(viaUnary.status.details)}, expected ${JSON.stringify(message)}`);
  return response_status;
}

const CASES = {
  async empty_unary({ test }) {
    const outcome = await unary(test, 'EmptyCall', {});
    checkStatus(outcome, grpc.status.OK, 'EmptyCall');
    check(outcome.response !== null, 'EmptyCall: null response');
  },

  async large_unary({ test }) {
    const outcome = await unary(test, 'UnaryCall', LARGE_REQUEST);
    checkStatus(outcome, grpc.status.OK, 'UnaryCall');
    checkPayload(outcome.response, 314159, 'UnaryCall');
  },

  // grpc-js compresses per channel (no per-call switch for unary calls), hence two channels.
  async client_compressed_unary({ test, gzipTest }) {
    const probe = await unary(test, 'UnaryCall', { ...LARGE_REQUEST, expect_compressed: { value: true } });
    checkStatus(probe, grpc.status.INVALID_ARGUMENT, 'probe (uncompressed, expect_compressed=true)');
    const compressed = await unary(gzipTest, 'UnaryCall', { ...LARGE_REQUEST, expect_compressed: { value: true } });
    checkStatus(compressed, grpc.status.OK, 'compressed call');
    checkPayload(compressed.response, 314159, 'compressed call');
    const plain = await unary(test, 'UnaryCall', { ...LARGE_REQUEST, expect_compressed: { value: false } });
    checkStatus(plain, grpc.status.OK, 'uncompressed call');
    checkPayload(plain.response, 314159, 'uncompressed call');
  },

  async server_compressed_unary({ test }) {
    for (const value of [true, false]) {
      const what = `UnaryCall response_compressed=${value}`;
      const outcome = await unary(test, 'UnaryCall', { ...LARGE_REQUEST, response_compressed: { value } });
      checkStatus(outcome, grpc.status.OK, what);
      checkPayload(outcome.response, 314159, what);
      checkCompressed(outcome.response, value, what);
    }
  },

  async client_streaming({ test }) {
    let response = null;
    const call = test.StreamingInputCall((error, r) => { response = r ?? null; });
    const { done } = track(call);
    for (const size of [27182, 8, 1828, 45904]) call.write({ payload: zeros(size) });
    call.end();
    const outcome = await done;
    checkStatus(outcome, grpc.status.OK, 'StreamingInputCall');
    check(response?.aggregated_payload_size === 74922,
      `aggregated_payload_size is ${response?.aggregated_payload_size}, expected 74922`);
  },

  async server_streaming({ test }) {
    const sizes = [31415, 9, 2653, 58979];
    const request = { response_type: 'COMPRESSABLE', response_parameters: sizes.map((size) => ({ size })) };
    const outcome = await track(test.StreamingOutputCall(request)).done;
    checkStatus(outcome, grpc.status.OK, 'StreamingOutputCall');
    check(outcome.responses.length === 4, `got ${outcome.responses.length} responses, expected 4`);
    sizes.forEach((size, i) => checkPayload(outcome.responses[i], size, `response ${i}`));
  },

  async server_compressed_streaming({ test }) {
    const expected = [{ compressed: true, size: 31415 }, { compressed: false, size: 92653 }];
    const request = {
      response_type: 'COMPRESSABLE',
      response_parameters: expected.map(({ compressed, size }) => ({ size, compressed: { value: compressed } })),
    };
    const outcome = await track(test.StreamingOutputCall(request)).done;
    checkStatus(outcome, grpc.status.OK, 'StreamingOutputCall');
    check(outcome.responses.length === 2, `got ${outcome.responses.length} responses, expected 2`);
    expected.forEach(({ compressed, size }, i) => {
      checkPayload(outcome.responses[i], size, `response ${i}`);
      checkCompressed(outcome.responses[i], compressed, `response ${i}`);
    });
  },

  async ping_pong({ test }) {
    const call = test.FullDuplexCall();
    const { done, nextResponse } = track(call);
    const steps = [[31415, 27182], [9, 8], [2653, 1828], [58979, 45904]];
    for (const [size, requestSize] of steps) {
      const response = nextResponse();
      call.write({ response_type: 'COMPRESSABLE', response_parameters: [{ size }], payload: zeros(requestSize) });
      checkPayload(await response, size, `reply to the ${size}-byte request`);
    }
    call.end();
    const outcome = await done;
    checkStatus(outcome, grpc.status.OK, 'FullDuplexCall');
    check(outcome.responses.length === 4, `got ${outcome.responses.length} responses, expected 4`);
  },

  async empty_stream({ test }) {
    const call = test.FullDuplexCall();
    const { done } = track(call);
    call.end();
    const outcome = await done;
    checkStatus(outcome, grpc.status.OK, 'FullDuplexCall');
    check(outcome.responses.length === 0, `got ${outcome.responses.length} responses, expected 0`);
  },

  async custom_metadata({ test }) {
    const viaUnary = await unary(test, 'UnaryCall', LARGE_REQUEST, { metadata: echoMetadata() });
    checkStatus(viaUnary, grpc.status.OK, 'UnaryCall');
    checkEchoedMetadata(viaUnary, 'UnaryCall');

    const call = test.FullDuplexCall(echoMetadata());
    const { done } = track(call);
    call.write({ response_type: 'COMPRESSABLE', response_parameters: [{ size: 314159 }], payload: zeros(271828) });
    call.end();
    const viaDuplex = await done;
    checkStatus(viaDuplex, grpc.status.OK, 'FullDuplexCall');
    checkEchoedMetadata(viaDuplex, 'FullDuplexCall');
  },

  async status_code_and_message(stubs) {
    const message = 'test status message';
    const response_status = await statusRoundTrip(stubs, grpc.status.UNKNOWN, message);
    const call = stubs.test.FullDuplexCall();
    const { done } = track(call);
    call.write({ response_status });
    call.end();
    const viaDuplex = await done;
    checkStatus(viaDuplex, grpc.status.UNKNOWN, 'FullDuplexCall');
    check(viaDuplex.status.details === message, `FullDuplexCall: status message "${viaDuplex.status.details}"`);
  },

  async special_status_message(stubs) {
    await statusRoundTrip(stubs, grpc.status.UNKNOWN, '\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n');
  },

  async unimplemented_method({ test }) {
    checkStatus(await unary(test, 'UnimplementedCall', {}), grpc.status.UNIMPLEMENTED, 'TestService/UnimplementedCall');
  },

  async unimplemented_service({ unimplemented }) {
    checkStatus(await unary(unimplemented, 'UnimplementedCall', {}), grpc.status.UNIMPLEMENTED, 'UnimplementedService/UnimplementedCall');
  },

  async cancel_after_begin({ test }) {
    const call = test.StreamingInputCall(() => {});
    const { done } = track(call);
    call.cancel();
    checkStatus(await done, grpc.status.CANCELLED, 'StreamingInputCall');
  },

  async cancel_after_first_response({ test }) {
    const call = test.FullDuplexCall();
    const { done, nextResponse } = track(call);
    const first = nextResponse();
    call.write({ response_type: 'COMPRESSABLE', response_parameters: [{ size: 31415 }], payload: zeros(27182) });
    checkPayload(await first, 31415, 'first response');
    call.cancel();
    checkStatus(await done, grpc.status.CANCELLED, 'FullDuplexCall');
  },

  async timeout_on_sleeping_server({ test }) {
    const call = test.FullDuplexCall({ deadline: Date.now() + 1 });
    const { done } = track(call);
    call.write({ payload: zeros(27182) });
    checkStatus(await done, grpc.status.DEADLINE_EXCEEDED, 'FullDuplexCall');
  },
};

// ---- main -------------------------------------------------------------------------------------

async function main() {
  const flags = parseFlags(process.argv.slice(2), { server_host: '127.0.0.1', server_port: '', test_case: '' });
  const run = CASES[flags.test_case];
  if (!run) throw new Error(`unknown --test_case=${flags.test_case}; known: ${Object.keys(CASES).join(', ')}`);
  check(/^\d+$/.test(flags.server_port), '--server_port=<port> is required');

  const proto = grpc.loadPackageDefinition(carryCompressionFlags(loadTest())).grpc.testing;
  const target = `${flags.server_host}:${flags.server_port}`;
  const insecure = grpc.credentials.createInsecure();
  const stubs = {
    test: new proto.TestService(target, insecure),
    gzipTest: new proto.TestService(target, insecure, { 'grpc.default_compression_algorithm': GZIP }),
    unimplemented: new proto.UnimplementedService(target, insecure),
  };
  const timeout = new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`no result after ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS).unref());
  await Promise.race([run(stubs), timeout]);
  console.log(`PASS ${flags.test_case}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    const testCase = process.argv.find((a) => a.startsWith('--test_case='))?.slice('--test_case='.length);
    console.error(`FAIL ${testCase ?? 'client.js'}: ${error.message}`);
    process.exit(1);
  });
