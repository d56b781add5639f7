'use strict';
// Loads the standard gRPC service contracts (health, reflection) the peers call, from Tests/Protos, where the
// repository keeps the upstream files.
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTOS = path.resolve(__dirname, '..', 'Protos');

const HEALTH = 'grpc/health/v1/health.proto';
const REFLECTION_V1ALPHA = 'grpc/reflection/v1alpha/reflection.proto';
const REFLECTION_V1 = 'grpc/reflection/v1/reflection.proto';

// keepCase: field names as in the protos (file_containing_symbol); defaults: repeated fields are [] and unset
// message fields are null.
const OPTIONS = { keepCase: true, defaults: true, enums: String, oneofs: true, includeDirs: [PROTOS] };

const loadHealthAndReflection = () => protoLoader.loadSync([HEALTH, REFLECTION_V1ALPHA, REFLECTION_V1], OPTIONS);

module.exports = { grpc, loadHealthAndReflection };
