#!/usr/bin/env node
'use strict';
// Checks a server's grpc.health.v1.Health and server reflection with grpc-js as the client.
//   node health_reflection.js --server_host=127.0.0.1 --server_port=<p> --expect_services=a.B,c.D
// Exit 0 = every check passed; otherwise the reason is on stderr.
const protobuf = require('protobufjs');
const descriptor = require('protobufjs/ext/descriptor');
const { grpc, loadHealthAndReflection } = require('./protos');
const { parseFlags } = require('./flags');
const { reflect } = require('./reflect');

const CALL_TIMEOUT_MS = 10_000;
const UNKNOWN_NAME = 'aspireprober.interop.NoSuchService';

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const deadline = () => ({ deadline: Date.now() + CALL_TIMEOUT_MS });

// ---- health -------------------------------------------------------------------------------

function healthCheck(health, service) {
  return new Promise((resolve) =>
    health.Check({ service }, deadline(), (error, response) => resolve({ error, response })));
}

async function checkHealth(health) {
  const server = await healthCheck(health, '');
  check(!server.error, `Health/Check(""): ${server.error?.message}`);
  check(server.response.status === 'SERVING', `Health/Check(""): status ${server.response.status}, expected SERVING`);
  const unknown = await healthCheck(health, UNKNOWN_NAME);
  check(unknown.error?.code === grpc.status.NOT_FOUND,
    `Health/Check("${UNKNOWN_NAME}"): expected NOT_FOUND, got ${unknown.error ? grpc.status[unknown.error.code] : 'SERVING-like answer'}`);
}

// ---- reflection -----------------------------------------------------------------------------

// Decodes a file_descriptor_response and proves it is complete: every import of every file
// is in the answer, and the files build a schema in which every type reference resolves.
function resolveFiles(response, symbol) {
  check(response.message_response === 'file_descriptor_response',
    `file_containing_symbol(${symbol}): got ${response.message_response} ${JSON.stringify(response.error_response ?? '')}`);
  const files = response.file_descriptor_response.file_descriptor_proto.map((bytes) => descriptor.FileDescriptorProto.decode(bytes));
  const names = new Set(files.map((f) => f.name));
  for (const file of files) {
    for (const dependency of file.dependency) {
      check(names.has(dependency), `file_containing_symbol(${symbol}): ${file.name} imports ${dependency}, which was not returned`);
    }
  }
  const root = protobuf.Root.fromDescriptor({ file: files });
  try {
    root.resolveAll();
  } catch (error) {
    throw new Error(`file_containing_symbol(${symbol}): descriptors do not resolve: ${error.message}`);
  }
  return { root, names: [...names] };
}

async function checkReflection(reflection, version, expectedServices) {
  const listed = await reflect(reflection, { list_services: '' }, deadline());
  check(listed.message_response === 'list_services_response', `${version} list_services: got ${listed.message_response}`);
  const serviceNames = listed.list_services_response.service.map((s) => s.name);
  for (const name of expectedServices) {
    check(serviceNames.includes(name), `${version} list_services: ${name} missing from [${serviceNames.join(', ')}]`);
    const { root, names } = resolveFiles(await reflect(reflection, { file_containing_symbol: name }, deadline()), name);
    const service = root.lookupService(name);
    check(Object.keys(service.methods).length > 0, `${version}: ${name} has no methods in its descriptor`);
    console.log(`${version}: ${name} (${Object.keys(service.methods).length} methods) from ${names.join(', ')}`);
  }
  const missing = await reflect(reflection, { file_containing_symbol: UNKNOWN_NAME }, deadline());
  check(missing.message_response === 'error_response' && missing.error_response.error_code === grpc.status.NOT_FOUND,
    `${version} file_containing_symbol(${UNKNOWN_NAME}): expected error_response NOT_FOUND, got ${JSON.stringify(missing.error_response ?? missing.message_response)}`);
}

// v1alpha is what most tools still call, so it is required; v1 is checked when offered.
async function checkReflectionVersions(proto, target, credentials, expectedServices) {
  await checkReflection(new proto.v1alpha.ServerReflection(target, credentials), 'v1alpha', expectedServices);
  try {
    await checkReflection(new proto.v1.ServerReflection(target, credentials), 'v1', expectedServices);
  } catch (error) {
    if (error.code !== grpc.status.UNIMPLEMENTED) throw error;
    console.log('v1: not offered by the server (UNIMPLEMENTED), skipped');
  }
}

// ---- main -------------------------------------------------------------------------------------

async function main() {
  const flags = parseFlags(process.argv.slice(2), { server_host: '127.0.0.1', server_port: '', expect_services: '' });
  check(/^\d+$/.test(flags.server_port), '--server_port=<port> is required');
  const expectedServices = flags.expect_services.split(',').filter(Boolean);
  check(expectedServices.length > 0, '--expect_services=<a.B,c.D> is required');

  const proto = grpc.loadPackageDefinition(loadHealthAndReflection()).grpc;
  const target = `${flags.server_host}:${flags.server_port}`;
  const credentials = grpc.credentials.createInsecure();
  await checkHealth(new proto.health.v1.Health(target, credentials));
  console.log('health: "" is SERVING, unknown service is NOT_FOUND');
  await checkReflectionVersions(proto.reflection, target, credentials, expectedServices);
  console.log('PASS health_reflection');
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`FAIL health_reflection: ${error.message}`);
    process.exit(1);
  });
