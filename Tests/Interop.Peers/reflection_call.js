#!/usr/bin/env node
'use strict';
// Calls a gRPC server knowing nothing of its protos, the way grpcurl, grpcui and Postman do: the server's reflection
// service describes each service, and the request is built from that description.
//   node reflection_call.js --server_host=127.0.0.1 --server_port=<p>                       lists the services
//   node reflection_call.js --server_host=127.0.0.1 --server_port=<p> \
//       --method=prober.v1.Prober/Probe --request='{"endpoint":"http://127.0.0.1:5400/fast","repetitions":3}'
// The request is JSON with the .proto's field names; the answer (each message, for a server stream, up to
// --max_messages) is printed as JSON. --header='name: value' adds metadata to the call (e.g. a prober's API key:
// --header='authorization: Bearer <key>'). Exit 0 = the call succeeded; otherwise its gRPC status is on stderr.
const protobuf = require('protobufjs');
const descriptor = require('protobufjs/ext/descriptor');
const { grpc, loadHealthAndReflection } = require('./protos');
const { parseFlags } = require('./flags');
const { reflect } = require('./reflect');

const CALL_TIMEOUT_MS = 10_000;

const deadline = () => ({ deadline: Date.now() + CALL_TIMEOUT_MS });

// The schema of `service`, built from the files the server sends for it (with everything they import).
async function describe(reflection, service) {
  const response = await reflect(reflection, { file_containing_symbol: service }, deadline());
  if (response.message_response !== 'file_descriptor_response') {
    throw new Error(`the server does not describe ${service}: ${JSON.stringify(response.error_response)}`);
  }
  const files = response.file_descriptor_response.file_descriptor_proto.map((bytes) => descriptor.FileDescriptorProto.decode(bytes));
  const root = protobuf.Root.fromDescriptor({ file: files });
  root.resolveAll();
  return root;
}

function call(client, path, method, request, maxMessages, metadata) {
  const serialize = (value) => Buffer.from(method.resolvedRequestType.encode(method.resolvedRequestType.fromObject(value)).finish());
  const deserialize = (bytes) => method.resolvedResponseType.toObject(method.resolvedResponseType.decode(bytes), { longs: String, enums: String });
  return new Promise((resolve, reject) => {
    if (!method.responseStream) {
      client.makeUnaryRequest(path, serialize, deserialize, request, metadata, deadline(),
        (error, response) => (error ? reject(error) : resolve([response])));
      return;
    }
    const messages = [];
    const stream = client.makeServerStreamRequest(path, serialize, deserialize, request, metadata, deadline());
    stream.on('data', (message) => {
      messages.push(message);
      if (messages.length >= maxMessages) stream.cancel();
    });
    stream.on('error', (error) => (error.code === grpc.status.CANCELLED && messages.length >= maxMessages ? resolve(messages) : reject(error)));
    stream.on('end', () => resolve(messages));
  });
}

async function main() {
  const flags = parseFlags(process.argv.slice(2), { server_host: '127.0.0.1', server_port: '', method: '', request: '{}', max_messages: '10', header: '' });
  if (!/^\d+$/.test(flags.server_port)) throw new Error('--server_port=<port> is required');
  const target = `${flags.server_host}:${flags.server_port}`;
  const credentials = grpc.credentials.createInsecure();
  const reflection = new (grpc.loadPackageDefinition(loadHealthAndReflection()).grpc.reflection.v1alpha.ServerReflection)(target, credentials);

  if (!flags.method) {
    const listed = await reflect(reflection, { list_services: '' }, deadline());
    for (const service of listed.list_services_response.service) console.log(service.name);
    return;
  }
  const match = /^([\w.]+)\/(\w+)$/.exec(flags.method);
  if (!match) throw new Error(`--method=${flags.method}: expected package.Service/Method`);
  const [, serviceName, methodName] = match;
  const method = (await describe(reflection, serviceName)).lookupService(serviceName).methods[methodName];
  if (!method) throw new Error(`${serviceName} has no method ${methodName}`);
  if (method.requestStream) throw new Error(`${flags.method} is client-streaming: not supported by this client`);

  const metadata = new grpc.Metadata();
  if (flags.header) {
    const colon = flags.header.indexOf(':');
    if (colon < 1) throw new Error(`--header=${flags.header}: expected 'name: value'`);
    metadata.add(flags.header.slice(0, colon).trim().toLowerCase(), flags.header.slice(colon + 1).trim());
  }
  const client = new grpc.Client(target, credentials);
  try {
    for (const message of await call(client, `/${serviceName}/${methodName}`, method, JSON.parse(flags.request), Number(flags.max_messages), metadata)) {
      console.log(JSON.stringify(message));
    }
  } finally {
    client.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`FAIL reflection_call: ${error.code !== undefined ? `${grpc.status[error.code]}: ${error.details}` : error.message}`);
    process.exit(1);
  });
