'use strict';
// The interop spec asserts on the per-message "compressed" flag (byte 0 of each gRPC
// frame): the server must reject a request whose flag contradicts expect_compressed, and a
// client checks the flag of each response in server_compressed_*. grpc-js decompresses
// before applications see a message and exposes no such flag, so this module wraps the two
// grpc-js internals that still hold the frame and carries the flag onto the deserialized
// message. package.json pins grpc-js to an exact version because of this; the checks
// below fail loudly if an upgrade moved these internals.
const { BaseServerInterceptingCall } = require('@grpc/grpc-js/build/src/server-interceptors');
const { CompressionFilter } = require('@grpc/grpc-js/build/src/compression-filter');

const COMPRESSED = Symbol('compressed');

for (const [owner, method] of [[BaseServerInterceptingCall, 'decompressMessage'], [CompressionFilter, 'receiveMessage']]) {
  if (typeof owner?.prototype?.[method] !== 'function') {
    throw new Error(`grpc-js internals changed (${method} missing): compression flags cannot be observed`);
  }
}

// Server side: decompressMessage(frame, encoding) gets the whole frame and returns the
// bytes handed straight to the method's requestDeserialize.
const serverDecompress = BaseServerInterceptingCall.prototype.decompressMessage;
BaseServerInterceptingCall.prototype.decompressMessage = async function (frame, encoding) {
  const body = await serverDecompress.call(this, frame, encoding);
  body[COMPRESSED] = frame[0] === 1;
  return body;
};

// Client side: receiveMessage(frame) returns the bytes handed to responseDeserialize.
const clientReceive = CompressionFilter.prototype.receiveMessage;
CompressionFilter.prototype.receiveMessage = async function (message) {
  const frame = await message;
  const body = await clientReceive.call(this, frame);
  body[COMPRESSED] = frame[0] === 1;
  return body;
};

function carry(deserialize) {
  return (bytes) => {
    const message = deserialize(bytes);
    if (COMPRESSED in bytes) Object.defineProperty(message, COMPRESSED, { value: bytes[COMPRESSED] });
    return message;
  };
}

// Makes every service of a proto-loader package definition copy the flag from the bytes
// to the messages it deserializes. Message and enum entries (which have `format`) are skipped.
function carryCompressionFlags(packageDefinition) {
  for (const definition of Object.values(packageDefinition)) {
    if (typeof definition.format === 'string') continue;
    for (const method of Object.values(definition)) {
      method.requestDeserialize = carry(method.requestDeserialize);
      method.responseDeserialize = carry(method.responseDeserialize);
    }
  }
  return packageDefinition;
}

// true/false as the frame said; undefined if the message did not come through grpc-js' wire path.
const wasCompressed = (message) => message[COMPRESSED];

module.exports = { carryCompressionFlags, wasCompressed };
