#!/usr/bin/env node
'use strict';
// A slow consumer of AspireProber's stock.v1 stream, written with grpc-js: reads --first updates, then stops reading
// (the stream is paused, so HTTP/2 flow control pushes back on the server) until a line arrives on stdin, then reads
// --then more and prints every sequence it received as JSON.
//   node slow_stock_consumer.js --server_host=127.0.0.1 --server_port=<p> --consumer=jsslow --first=20 --then=200
const path = require('node:path');
const protoLoader = require('@grpc/proto-loader');
const grpc = require('@grpc/grpc-js');
const readline = require('node:readline');
const { parseFlags } = require('./flags');

const STOCK_PROTOS = path.resolve(__dirname, '..', '..', 'StockStreamService', 'Protos');

function main() {
  const flags = parseFlags(process.argv.slice(2), { server_host: '127.0.0.1', server_port: '', consumer: 'jsslow', first: '20', then: '200' });
  const definition = protoLoader.loadSync('stock/v1/stock.proto', { keepCase: true, longs: String, defaults: true, includeDirs: [STOCK_PROTOS] });
  const stock = grpc.loadPackageDefinition(definition).stock.v1;
  const client = new stock.StockService(`${flags.server_host}:${flags.server_port}`, grpc.credentials.createInsecure());
  const first = Number(flags.first);
  const total = first + Number(flags.then);
  const sequences = [];

  const call = client.GetUpdates({ consumer: flags.consumer });
  call.on('data', (update) => {
    sequences.push(update.sequence);
    if (sequences.length === first) {
      call.pause();
      console.log(`stalled after ${first}`);
      readline.createInterface({ input: process.stdin }).once('line', () => call.resume());
    } else if (sequences.length === total) {
      console.log(JSON.stringify({ sequences }));
      call.cancel();
      process.exit(0);
    }
  });
  call.on('error', (error) => {
    if (error.code !== grpc.status.CANCELLED) {
      console.error(`GetUpdates failed: ${error.code} ${error.details}`);
      process.exit(1);
    }
  });
}

main();
