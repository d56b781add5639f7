'use strict';
// Loads the .proto contracts the peers speak, from where the product keeps them, so the
// peers test exactly the contract the C# side compiles.
const fs = require('node:fs');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const REPO = path.resolve(__dirname, '..', '..');
const TEST_PROTOS = path.join(REPO, 'Tests', 'Protos');
const PLATFORM_PROTOS = path.join(REPO, 'platform', 'Grpc', 'Protos');

const TEST = 'grpc/testing/test.proto';
const HEALTH = 'grpc/health/v1/health.proto';
const REFLECTION_V1ALPHA = 'grpc/reflection/v1alpha/reflection.proto';
const REFLECTION_V1 = 'grpc/reflection/v1/reflection.proto';

// keepCase: field names as in the spec (response_size); defaults: repeated fields are []
// and unset message fields are null, which is how "absent BoolValue" is told apart.
const OPTIONS = { keepCase: true, defaults: true, enums: String, oneofs: true };

function includeDirFor(file, candidates) {
  const dir = candidates.find((d) => fs.existsSync(path.join(d, file)));
  if (!dir) throw new Error(`${file} not found under ${candidates.join(' or ')}`);
  return dir;
}

// One package definition per program: @grpc/reflection serves the descriptors of exactly
// the files loaded together here.
function load(files, candidates) {
  const includeDirs = [...new Set(files.map((f) => includeDirFor(f, candidates)))];
  return protoLoader.loadSync(files, { ...OPTIONS, includeDirs });
}

const loadTestAndHealth = () => load([TEST, HEALTH], [TEST_PROTOS, PLATFORM_PROTOS]);
const loadTest = () => load([TEST], [TEST_PROTOS]);
const loadHealthAndReflection = () => load(
  [HEALTH, REFLECTION_V1ALPHA, REFLECTION_V1], [PLATFORM_PROTOS]);

module.exports = { grpc, loadTestAndHealth, loadTest, loadHealthAndReflection };
