#!/usr/bin/env node
'use strict';
// grpc-js interop server: grpc.testing.TestService with the "server features" of grpc/grpc
// doc/interop-test-descriptions.md, plus grpc.health.v1.Health and server reflection, so our
// C# clients are tested against a gRPC implementation nobody here wrote.
//   node server.js --port=0     prints "LISTENING <port>" once bound (127.0.0.1 only)
const { setTimeout: sleep } = require('node:timers/promises');
const { ReflectionService } = require('@grpc/reflection');
const { grpc, loadTestAndHealth } = require('./protos');
const { carryCompressionFlags, wasCompressed } = require('./compression-flags');
const { parseFlags } = require('./flags');

const ECHO_INITIAL = 'x-grpc-test-echo-initial';
const ECHO_TRAILING = 'x-grpc-test-echo-trailing-bin';
// Services this server really serves: reported SERVING by health and listed by reflection.
const SERVED = ['grpc.testing.TestService', 'grpc.health.v1.Health'];

// ---- request → response helpers ------------------------------------------------------

// Failures are status objects: grpc-js sends {code, details, metadata} as the call status.
const invalidArgument = (details) => ({ code: grpc.status.INVALID_ARGUMENT, details });

function payload(type, size) {
  // Only COMPRESSABLE exists; the spec wants any other type refused, not guessed at.
  if (type !== 'COMPRESSABLE') throw invalidArgument(`unsupported response_type ${type}`);
  return { type, body: Buffer.alloc(size) };
}

// The spec's [Echo Status]: a request carrying response_status ends the call with it.
function requestedStatus(request) {
  const status = request.response_status;
  return status && { code: status.code, details: status.message };
}

// The spec's [CompressedRequest]: expect_compressed must match the frame's compressed flag.
// Checked both ways (as grpc-c++ does) so a client that compresses when told not to is caught.
function compressionMismatch(request) {
  const expected = request.expect_compressed;
  if (!expected || expected.value === wasCompressed(request)) return null;
  return invalidArgument(`expected a${expected.value ? ' compressed' : 'n uncompressed'} request`);
}

// The spec's [Echo Metadata]: the initial key comes back in headers, the -bin key in trailers.
function sendEchoedHeaders(call, extra = {}) {
  const headers = new grpc.Metadata();
  for (const value of call.metadata.get(ECHO_INITIAL)) headers.add(ECHO_INITIAL, value);
  for (const [key, value] of Object.entries(extra)) headers.set(key, value);
  call.sendMetadata(headers);
}

function echoedTrailers(call) {
  const trailers = new grpc.Metadata();
  for (const value of call.metadata.get(ECHO_TRAILING)) trailers.add(ECHO_TRAILING, value);
  return trailers;
}

// ---- TestService ------------------------------------------------------------------------
// response_compressed / ResponseParameters.compressed are accepted but not honoured: the
// grpc-js server never compresses a response (its frame writer always sets flag 0).

function unary(call, callback) {
  sendEchoedHeaders(call);
  const trailers = echoedTrailers(call);
  const request = call.request;
  try {
    const failure = requestedStatus(request) ?? compressionMismatch(request);
    if (failure) throw failure;
    callback(null, { payload: payload(request.response_type, request.response_size) }, trailers);
  } catch (failure) {
    callback({ ...failure, metadata: trailers });
  }
}

function cacheableUnary(call, callback) {
  // A fresh timestamp per call, with headers a caching proxy may act on.
  sendEchoedHeaders(call, { 'cache-control': 'public, max-age=60' });
  const body = Buffer.from(process.hrtime.bigint().toString());
  callback(null, { payload: { type: 'COMPRESSABLE', body } }, echoedTrailers(call));
}

function streamingInput(call, callback) {
  sendEchoedHeaders(call);
  const trailers = echoedTrailers(call);
  let total = 0;
  let failed = false;
  call.on('data', (request) => {
    const failure = failed ? null : compressionMismatch(request);
    if (failure) {
      failed = true;
      callback({ ...failure, metadata: trailers });
    }
    total += request.payload?.body.length ?? 0;
  });
  call.on('end', () => failed || callback(null, { aggregated_payload_size: total }, trailers));
}

// Answers StreamingOutputCallRequests in order on one chain, so each interval_us is a sleep
// counted from the previous response, and a response_status ends the call after what was
// already queued and stops reading further requests.
function responder(call) {
  let chain = Promise.resolve();
  let closed = false;
  const trailers = echoedTrailers(call);
  const close = (status) => {
    if (closed || call.cancelled) return;
    closed = true;
    if (status) call.emit('error', { ...status, metadata: trailers });
    else call.end(trailers);
  };
  const enqueue = (step) => { chain = chain.then(step).catch(close); };
  return {
    answer(request) {
      if (closed) return;
      const status = requestedStatus(request);
      if (status) return enqueue(() => close(status));
      for (const params of request.response_parameters) {
        enqueue(async () => {
          if (params.interval_us > 0) await sleep(params.interval_us / 1000);
          if (closed || call.cancelled) return;
          call.write({ payload: payload(request.response_type, params.size) });
        });
      }
    },
    finish: () => enqueue(() => close()),
  };
}

function streamingOutput(call) {
  sendEchoedHeaders(call);
  const responses = responder(call);
  responses.answer(call.request);
  responses.finish();
}

function fullDuplex(call) {
  sendEchoedHeaders(call);
  const responses = responder(call);
  call.on('data', (request) => responses.answer(request));
  call.on('end', () => responses.finish());
}

function halfDuplex(call) {
  sendEchoedHeaders(call);
  const requests = [];
  call.on('data', (request) => requests.push(request));
  call.on('end', () => {
    const responses = responder(call);
    requests.forEach((request) => responses.answer(request));
    responses.finish();
  });
}

// ---- grpc.health.v1.Health ----------------------------------------------------------------
// Statuses never change in this server, so Watch sends one answer and stays open.

function healthService(servingNames) {
  const serving = new Set(['', ...servingNames]);
  return {
    Check(call, callback) {
      if (serving.has(call.request.service)) return callback(null, { status: 'SERVING' });
      callback({ code: grpc.status.NOT_FOUND, details: `unknown service ${call.request.service}` });
    },
    Watch(call) {
      call.write({ status: serving.has(call.request.service) ? 'SERVING' : 'SERVICE_UNKNOWN' });
    },
  };
}

// ---- main ---------------------------------------------------------------------------------

function main() {
  const { port } = parseFlags(process.argv.slice(2), { port: '0' });
  const definition = carryCompressionFlags(loadTestAndHealth());
  const testService = definition['grpc.testing.TestService'];

  const server = new grpc.Server();
  // UnimplementedCall is left out on purpose: grpc-js answers it with UNIMPLEMENTED.
  server.addService(testService, {
    EmptyCall: (call, callback) => {
      sendEchoedHeaders(call);
      callback(null, {}, echoedTrailers(call));
    },
    UnaryCall: unary,
    CacheableUnaryCall: cacheableUnary,
    StreamingOutputCall: streamingOutput,
    StreamingInputCall: streamingInput,
    FullDuplexCall: fullDuplex,
    HalfDuplexCall: halfDuplex,
  });
  server.addService(definition['grpc.health.v1.Health'], healthService(SERVED));
  // Without the list, reflection would also advertise UnimplementedService (it is in test.proto).
  new ReflectionService(definition, { services: SERVED }).addToServer(server);

  server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, boundPort) => {
    if (error) {
      console.error(`bind failed: ${error.message}`);
      process.exit(1);
    }
    console.log(`LISTENING ${boundPort}`);
  });

  // Graceful first; Watch streams never end by themselves, so force after a short grace.
  const stop = () => {
    setTimeout(() => server.forceShutdown(), 2000).unref();
    server.tryShutdown(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
