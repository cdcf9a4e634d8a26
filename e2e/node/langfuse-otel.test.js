// End-to-end: the real Langfuse OpenTelemetry SDK (@langfuse/tracing with LangfuseSpanProcessor
// from @langfuse/otel) sends a nested trace to a real `keel serve`; the test reads it back
// through the Langfuse-style read API and compares every field it sent. The SDK talks to Keel
// through a small recording relay on 127.0.0.1, so what it put on the wire can be saved as the
// Java fixture (KEEL_RECORD_FIXTURES=1) that keeps the mapping tested without Node.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { propagateAttributes, setLangfuseTracerProvider, startActiveObservation }
  from '@langfuse/tracing';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { picoUsd, readApi, startKeel } from './support/keel.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'keel-tracing', 'src',
  'test', 'resources', 'fixtures', 'otel', 'langfuse-js-v5.json');

const PROPAGATED = {
  userId: 'user-7',
  sessionId: 'sess-3',
  tags: ['support', 'beta'],
  traceName: 'support-request',
  metadata: { tenant: 'acme' },
  version: 'v9',
};
const QUESTION = { question: 'Where is my order?' };
const ANSWER = { answer: 'It shipped yesterday.' };
const MESSAGES = [{ role: 'system', content: 'You help with orders.' },
  { role: 'user', content: 'Where is my order?' }];
const REPLY = { role: 'assistant', content: 'It shipped yesterday.' };
const SENT_USAGE = { input: 20, output: 5, total: 25 };
const SENT_COST = { input: 0.000003, output: 0.000003, total: 0.000006 };
// Keel prices this one itself: gpt-4o-mini at 0.15e-6 input, 0.075e-6 cached, 0.6e-6 output.
const PRICED_USAGE = { input: 1000, input_cached_tokens: 200, output: 100, total: 1300 };
const PRICED_TOTAL = '0.000225';

let keel;
let relay;
let ids;

before(async () => {
  keel = await startKeel();
  relay = await startRelay(keel.baseUrl);
  ids = await sendTrace(relay.url, keel);
});

after(async () => {
  relay?.close();
  await keel?.stop();
});

describe('Langfuse OTel SDK to Keel', () => {
  test('the SDK exported OTLP/JSON that Keel answered with 200', () => {
    assert.ok(relay.exchanges.length >= 1, 'the SDK sent nothing');
    for (const x of relay.exchanges) {
      assert.equal(x.path, '/api/public/otel/v1/traces');
      assert.match(x.headers['content-type'], /application\/json/);
      assert.equal(x.status, 200, `Keel answered ${x.status}: ${x.answer}`);
    }
    if (process.env.KEEL_RECORD_FIXTURES === '1') {
      writeFileSync(FIXTURE, `${JSON.stringify(fixture(relay.exchanges), null, 2)}\n`);
    }
  });

  test('the trace carries the propagated attributes and the root span I/O', async () => {
    const { status, body: t } = await readApi(keel, `/api/public/traces/${ids.traceId}`);

    assert.equal(status, 200);
    assert.equal(t.id, ids.traceId);
    assert.equal(t.name, PROPAGATED.traceName);
    assert.equal(t.userId, PROPAGATED.userId);
    assert.equal(t.sessionId, PROPAGATED.sessionId);
    assert.deepEqual([...t.tags].sort(), [...PROPAGATED.tags].sort());
    assert.equal(t.metadata.tenant, 'acme');
    assert.equal(t.version, PROPAGATED.version);
    assert.equal(t.release, 'r-1');
    assert.equal(t.environment, 'staging');
    assert.deepEqual(t.input, QUESTION);
    assert.deepEqual(t.output, ANSWER);
    assert.equal(t.timestamp, isoMillis(ids.rootStart));
    assert.equal(t.observations.length, 5);
    assert.equal(picoUsd(t.totalCost), picoUsd(SENT_COST.total) + picoUsd(PRICED_TOTAL));
  });

  test('spans keep their types, parents, times, I/O and metadata', async () => {
    const byId = await observations();

    const root = byId[ids.rootId];
    assert.equal(root.type, 'SPAN');
    assert.equal(root.name, 'handle-question');
    assert.equal(root.parentObservationId, null);
    assert.equal(root.startTime, isoMillis(ids.rootStart));
    assert.equal(root.endTime, isoMillis(ids.rootEnd));
    assert.deepEqual(root.input, QUESTION);
    assert.deepEqual(root.output, ANSWER);
    assert.equal(root.metadata.channel, 'web');
    const tool = byId[ids.toolId];
    assert.equal(tool.type, 'TOOL');
    assert.equal(tool.parentObservationId, ids.rootId);
    assert.deepEqual(tool.input, { orderId: 42 });
    assert.deepEqual(tool.output, { status: 'shipped' });
    const event = byId[ids.eventId];
    assert.equal(event.type, 'EVENT');
    assert.equal(event.parentObservationId, ids.rootId);
    assert.equal(event.metadata.reason, 'cold');
    assert.equal(event.level, 'WARNING');
    assert.equal(event.statusMessage, 'cache was cold');
  });

  test('a generation keeps model, parameters, prompt, usage and the cost it sent', async () => {
    const g = (await observations())[ids.generationId];

    assert.equal(g.type, 'GENERATION');
    assert.equal(g.parentObservationId, ids.rootId);
    assert.equal(g.model, 'gpt-4o-mini');
    assert.deepEqual(g.modelParameters, { temperature: 0.2, max_tokens: 200 });
    assert.deepEqual(g.input, MESSAGES);
    assert.deepEqual(g.output, REPLY);
    assert.equal(g.promptName, 'support-answer');
    assert.equal(g.promptVersion, 3);
    assert.equal(g.completionStartTime, ids.completionStart.toISOString());
    assert.equal(g.startTime, isoMillis(ids.generationStart));
    assert.deepEqual(g.usageDetails, SENT_USAGE);
    assert.deepEqual(Object.keys(g.costDetails).sort(), Object.keys(SENT_COST).sort());
    for (const [k, v] of Object.entries(SENT_COST)) {
      assert.equal(picoUsd(g.costDetails[k]), picoUsd(v), `costDetails.${k}`);
    }
    assert.equal(picoUsd(g.calculatedTotalCost), picoUsd(SENT_COST.total));
  });

  test('a generation that sent usage but no cost is priced by Keel', async () => {
    const g = (await observations())[ids.pricedId];

    assert.equal(g.type, 'GENERATION');
    assert.deepEqual(g.usageDetails, PRICED_USAGE);
    assert.equal(picoUsd(g.calculatedTotalCost), picoUsd(PRICED_TOTAL));
    assert.equal(g.level, 'DEFAULT');
  });
});

async function observations() {
  const { body } = await readApi(keel, `/api/public/traces/${ids.traceId}`);
  return Object.fromEntries(body.observations.map((o) => [o.id, o]));
}

// The nested trace: a root span with a tool call, two generations and an event under it.
async function sendTrace(baseUrl, k) {
  const processor = new LangfuseSpanProcessor({
    baseUrl, publicKey: k.publicKey, secretKey: k.secretKey, environment: 'staging',
    release: 'r-1', mediaUploadEnabled: false,
  });
  const provider = new NodeTracerProvider({ spanProcessors: [processor] });
  // register() installs the async context manager that parents spans and propagates attributes.
  provider.register();
  setLangfuseTracerProvider(provider);
  const out = {};
  await propagateAttributes(PROPAGATED, () => startActiveObservation('handle-question',
    async (root) => {
      root.update({ input: QUESTION, metadata: { channel: 'web' } });
      const tool = root.startObservation('lookup-order', { input: { orderId: 42 } },
        { asType: 'tool' });
      tool.update({ output: { status: 'shipped' } }).end();
      const gen = root.startObservation('answer', {
        model: 'gpt-4o-mini', modelParameters: { temperature: 0.2, max_tokens: 200 },
        input: MESSAGES, prompt: { name: 'support-answer', version: 3, isFallback: false },
      }, { asType: 'generation' });
      out.completionStart = new Date(Date.now() + 1);
      gen.update({ output: REPLY, usageDetails: SENT_USAGE, costDetails: SENT_COST,
        completionStartTime: out.completionStart }).end();
      const priced = root.startObservation('summarise', { model: 'gpt-4o-mini' },
        { asType: 'generation' });
      priced.update({ usageDetails: PRICED_USAGE }).end();
      const event = root.startObservation('cache-miss', {
        metadata: { reason: 'cold' }, level: 'WARNING', statusMessage: 'cache was cold',
      }, { asType: 'event' });
      root.update({ output: ANSWER });
      Object.assign(out, {
        traceId: root.traceId, rootId: root.id, toolId: tool.id, generationId: gen.id,
        pricedId: priced.id, eventId: event.id, rootSpan: root.otelSpan,
        generationStart: hrDate(gen.otelSpan.startTime),
      });
    }));
  await provider.forceFlush();
  await provider.shutdown();
  out.rootStart = hrDate(out.rootSpan.startTime);
  out.rootEnd = hrDate(out.rootSpan.endTime);
  return out;
}

// A relay that forwards every request to Keel unchanged and keeps both sides of it.
function startRelay(target) {
  const exchanges = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const { hostname, port } = new URL(target);
      const headers = { ...req.headers, host: `${hostname}:${port}` };
      delete headers['transfer-encoding'];
      headers['content-length'] = String(body.length);
      const up = request({ hostname, port, path: req.url, method: req.method, headers }, (r) => {
        const answer = [];
        r.on('data', (c) => answer.push(c));
        r.on('end', () => {
          const text = Buffer.concat(answer).toString();
          exchanges.push({ path: req.url, headers: req.headers, body: body.toString(),
            status: r.statusCode, answer: text });
          res.writeHead(r.statusCode, r.headers);
          res.end(text);
        });
      });
      up.on('error', (e) => {
        res.writeHead(502);
        res.end(String(e));
      });
      up.end(body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}`, exchanges, close: () => server.close(),
    }));
  });
}

// What the Java replay test needs: the bodies, their content type and the SDK's headers, with
// the keys (random per run) left out and the local node binary's path, which the SDK puts in
// the default service.name, cut to its file name.
function fixture(exchanges) {
  return {
    sdk: '@langfuse/otel 5.11.1 + @langfuse/tracing 5.11.1',
    ids: {
      traceId: ids.traceId, rootId: ids.rootId, toolId: ids.toolId,
      generationId: ids.generationId, pricedId: ids.pricedId, eventId: ids.eventId,
    },
    exports: exchanges.map((x) => ({
      contentType: x.headers['content-type'],
      sdkName: x.headers['x-langfuse-sdk-name'],
      sdkVersion: x.headers['x-langfuse-sdk-version'],
      body: JSON.parse(x.body.replace(/"unknown_service:[^"]*\/([^"/]*)"/g,
        '"unknown_service:$1"')),
    })),
  };
}

function hrDate([seconds, nanos]) {
  return new Date(seconds * 1000 + Math.floor(nanos / 1e6));
}

function isoMillis(date) {
  return date.toISOString();
}
