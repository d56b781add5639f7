// Sends one trace (a server span with a client child), a counter and a log record to the dashboard with the
// OpenTelemetry JavaScript SDK, flushes, and prints what it sent as one JSON line for the test to compare.
//   node send.js --protocol=grpc|http --grpc=http://127.0.0.1:<port> --http=http://127.0.0.1:<port> --token=<text>
// Traces go over the chosen protocol; metrics and logs always over OTLP/HTTP (protobuf), the JS SDK's usual setup.
'use strict';

const { trace, context, SpanKind, SpanStatusCode } = require('@opentelemetry/api');
const { SeverityNumber } = require('@opentelemetry/api-logs');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { BasicTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { MeterProvider, PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics');
const { LoggerProvider, SimpleLogRecordProcessor } = require('@opentelemetry/sdk-logs');
const { OTLPTraceExporter: ProtoTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { OTLPTraceExporter: GrpcTraceExporter } = require('@opentelemetry/exporter-trace-otlp-grpc');
const { OTLPMetricExporter } = require('@opentelemetry/exporter-metrics-otlp-proto');
const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-proto');

function parseArgs() {
  const args = {};
  for (const arg of process.argv.slice(2)) {
    const match = /^--([^=]+)=(.*)$/.exec(arg);
    if (!match) throw new Error(`unexpected argument ${arg}`);
    args[match[1]] = match[2];
  }
  for (const required of ['protocol', 'grpc', 'http', 'token']) {
    if (!args[required]) throw new Error(`--${required} is required`);
  }
  return args;
}

async function main() {
  const args = parseArgs();
  const resource = resourceFromAttributes({ 'service.name': 'js-peer', 'service.instance.id': `js-peer-${args.protocol}` });

  const traceExporter = args.protocol === 'grpc'
    ? new GrpcTraceExporter({ url: args.grpc })
    : new ProtoTraceExporter({ url: `${args.http}/v1/traces` });
  const tracerProvider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(traceExporter)] });
  const meterProvider = new MeterProvider({
    resource,
    readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${args.http}/v1/metrics` }), exportIntervalMillis: 60000 })],
  });
  const loggerProvider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${args.http}/v1/logs` }) })] });

  const tracer = tracerProvider.getTracer('js-peer-tracer', '1.0.0');
  const parent = tracer.startSpan('js handle', { kind: SpanKind.SERVER, attributes: { 'peer.token': args.token, 'attempt': 2 } });
  const parentContext = trace.setSpan(context.active(), parent);
  const child = tracer.startSpan('js call', { kind: SpanKind.CLIENT }, parentContext);
  child.addEvent('retry', { 'delay.ms': 50 });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'peer failed' });
  child.end();
  loggerProvider.getLogger('js-peer-logger').emit({
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: `js log ${args.token}`,
    attributes: { 'peer.token': args.token },
    context: parentContext,
  });
  parent.end();

  const counter = meterProvider.getMeter('js-peer-meter').createCounter('js.requests', { unit: '{request}', description: 'Requests.' });
  counter.add(3, { route: 'a' });
  counter.add(4, { route: 'a' });

  await tracerProvider.forceFlush();
  await meterProvider.forceFlush();
  await loggerProvider.forceFlush();
  await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown(), loggerProvider.shutdown()]);

  console.log(JSON.stringify({
    traceId: parent.spanContext().traceId,
    parentSpanId: parent.spanContext().spanId,
    childSpanId: child.spanContext().spanId,
  }));
}

main().catch((error) => {
  console.error(`FAIL send: ${error.stack || error}`);
  process.exit(1);
});
