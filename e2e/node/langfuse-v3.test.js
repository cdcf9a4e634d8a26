// End-to-end: the Langfuse v3 JS SDK (`langfuse` on npm) sends a nested trace (spans, a
// generation with usage, usageDetails and costDetails, an event, scores, user, session, tags)
// through POST /api/public/ingestion to a real `keel serve`; the test reads it back through the
// public API and compares every field sent. A small recorder on 127.0.0.1 sits between the SDK
// and Keel and keeps the batches the SDK put on the wire; with KEEL_RECORD_FIXTURES=1 they are
// written to keel-tracing/src/test/resources/fixtures/langfuse-js-v3/ for the Java replay IT.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { Langfuse } from 'langfuse';
import { readApi, startKeel } from './support/keel.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'keel-tracing',
  'src', 'test', 'resources', 'fixtures', 'langfuse-js-v3');

let keel;
let recorder;
const batches = [];

// Forwards every request to Keel unchanged and keeps ingestion bodies.
function startRecorder(target) {
  return new Promise((ready) => {
    const server = createServer(async (req, res) => {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const body = Buffer.concat(chunks);
      if (req.url.startsWith('/api/public/ingestion')) batches.push(JSON.parse(body.toString()));
      const headers = { ...req.headers };
      delete headers.host;
      delete headers['content-length'];
      const upstream = await fetch(target + req.url, {
        method: req.method, headers, body: body.length ? body : undefined,
      });
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    });
    server.listen(0, '127.0.0.1', () => ready(server));
  });
}

before(async () => {
  keel = await startKeel();
  recorder = await startRecorder(keel.baseUrl);
});

after(async () => {
  recorder?.close();
  await keel?.stop();
});

describe('Langfuse v3 SDK ingestion into Keel', () => {
  test('a nested trace reads back field by field', async () => {
    const langfuse = new Langfuse({
      publicKey: keel.publicKey, secretKey: keel.secretKey,
      baseUrl: `http://127.0.0.1:${recorder.address().port}`, flushAt: 100,
      flushInterval: 60_000,
    });
    const traceId = randomUUID();
    const trace = langfuse.trace({
      id: traceId, name: 'support-chat', userId: 'user-42', sessionId: 'session-7',
      tags: ['support', 'e2e'], metadata: { plan: 'pro', nested: { a: 1 } },
      input: { question: 'Where is my order?' }, release: 'r-1', version: 'v-1',
    });
    const span = trace.span({ name: 'retrieve', input: { query: 'order 123' },
      metadata: { index: 'orders' } });
    span.event({ name: 'cache-miss', metadata: { key: 'order:123' } });
    const generation = span.generation({
      name: 'answer', model: 'gpt-4o', modelParameters: { temperature: 0.2, max_tokens: 200 },
      input: [{ role: 'user', content: 'Where is my order?' }],
    });
    generation.end({
      output: { role: 'assistant', content: 'It ships tomorrow.' },
      usageDetails: { input: 120, output: 30, input_cached_tokens: 20, total: 170 },
      costDetails: { input: 0.0003, output: 0.0003, total: 0.0006 },
    });
    const plain = trace.generation({ name: 'summarize', model: 'gpt-4o',
      usage: { input: 50, output: 10, total: 60 } });
    plain.end({ output: 'summary' });
    span.end({ output: { documents: 2 } });
    trace.score({ name: 'helpful', value: 1, comment: 'good answer' });
    trace.score({ name: 'tone', value: 'friendly', dataType: 'CATEGORICAL' });
    trace.update({ output: { answer: 'It ships tomorrow.' } });
    await langfuse.shutdownAsync();

    const { status, body: t } = await readApi(keel, `/api/public/traces/${traceId}`);
    assert.equal(status, 200);
    assert.equal(t.name, 'support-chat');
    assert.equal(t.userId, 'user-42');
    assert.equal(t.sessionId, 'session-7');
    assert.equal(t.release, 'r-1');
    assert.equal(t.version, 'v-1');
    assert.deepEqual([...t.tags].sort(), ['e2e', 'support']);
    assert.deepEqual(t.metadata, { plan: 'pro', nested: { a: 1 } });
    assert.deepEqual(t.input, { question: 'Where is my order?' });
    assert.deepEqual(t.output, { answer: 'It ships tomorrow.' });
    const byName = Object.fromEntries(t.observations.map((o) => [o.name, o]));
    assert.equal(byName.retrieve.type, 'SPAN');
    assert.deepEqual(byName.retrieve.input, { query: 'order 123' });
    assert.deepEqual(byName.retrieve.output, { documents: 2 });
    assert.ok(byName.retrieve.endTime);
    assert.equal(byName['cache-miss'].type, 'EVENT');
    assert.equal(byName['cache-miss'].parentObservationId, byName.retrieve.id);
    const gen = byName.answer;
    assert.equal(gen.type, 'GENERATION');
    assert.equal(gen.parentObservationId, byName.retrieve.id);
    assert.equal(gen.model, 'gpt-4o');
    assert.deepEqual(gen.modelParameters, { temperature: 0.2, max_tokens: 200 });
    assert.deepEqual(gen.input, [{ role: 'user', content: 'Where is my order?' }]);
    assert.deepEqual(gen.output, { role: 'assistant', content: 'It ships tomorrow.' });
    assert.deepEqual(gen.usageDetails,
      { input: 120, output: 30, input_cached_tokens: 20, total: 170 });
    assert.equal(Number(gen.costDetails.total), 0.0006);
    assert.equal(Number(gen.calculatedTotalCost), 0.0006);
    const summarize = byName.summarize;
    assert.deepEqual(summarize.usageDetails, { input: 50, output: 10, total: 60 });
    assert.ok(Number(summarize.calculatedTotalCost) > 0, 'priced from Keel\'s table');
    const scores = Object.fromEntries(t.scores.map((s) => [s.name, s]));
    assert.equal(scores.helpful.value, 1);
    assert.equal(scores.helpful.comment, 'good answer');
    assert.equal(scores.tone.stringValue, 'friendly');
    assert.equal(scores.tone.dataType, 'CATEGORICAL');

    assert.ok(batches.length > 0);
    if (process.env.KEEL_RECORD_FIXTURES === '1') {
      mkdirSync(FIXTURES, { recursive: true });
      batches.forEach((b, i) => writeFileSync(join(FIXTURES, `nested-trace-${i + 1}.json`),
        `${JSON.stringify(b, null, 2)}\n`));
    }
  });
});
