// End-to-end: the official OpenAI and Anthropic Node SDKs talk to a real `keel serve` in front of
// its provider simulator; then the Langfuse-style read API must hold one trace per call whose
// usage and cost match what the client was told.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { picoUsd, readApi, startKeel, waitForTrace } from './support/keel.js';
import {
  assertAnthropicUsage, assertOpenAiUsage, collectMessageDeltaUsage, collectOpenAiStream, traceIdOf,
} from './support/sdk-checks.js';

const HAIKU = 'claude-3-5-haiku-20241022';
// 14 prompt tokens, all cached, and 10 completion tokens.
const USAGE = '[[sim usage prompt=14 cached=14 completion=10]]';
const OPENAI_WIRE = { prompt: 14, cached: 14, completion: 10 };
// The same usage under Keel's (Langfuse's) keys, as stored on the GENERATION.
const OPENAI_USAGE = { input_cached_tokens: 14, output: 10, total: 24 };
// Prices of the real twins, per token: gpt-4o-mini cached 0.075e-6 and output 0.6e-6;
// claude-3-5-haiku input 0.8e-6, cache read 0.08e-6, cache write 1e-6, output 4e-6;
// gpt-4o cached 1.25e-6 and output 10e-6.
const MINI_COST = '0.00000705';
const HAIKU_COST = '0.00004112';
const GPT4O_COST = '0.0001175';
const EMBEDDING_PICO_USD_PER_TOKEN = 20_000n;

const WEATHER_SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
  additionalProperties: false,
};

let keel;
let openai;
let anthropic;
// Every call a test made: its trace id and the cost the client saw, for the read-API checks.
const calls = [];

before(async () => {
  keel = await startKeel();
  openai = new OpenAI({ apiKey: keel.masterKey, baseURL: `${keel.baseUrl}/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: keel.masterKey, baseURL: keel.baseUrl, maxRetries: 0 });
}, { timeout: 150_000 });

after(async () => {
  await keel?.stop();
});

describe('OpenAI SDK', () => {
  test('chat: answer, usage with cost, trace id header', async () => {
    const { data, response } = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `Say hello. [[sim reply="Hello from Keel."]] ${USAGE}` }],
    }).withResponse();

    assert.equal(data.object, 'chat.completion');
    assert.equal(data.choices[0].message.role, 'assistant');
    assert.equal(data.choices[0].message.content, 'Hello from Keel.');
    assert.equal(data.choices[0].finish_reason, 'stop');
    assertOpenAiUsage(data.usage, OPENAI_WIRE);
    assert.equal(picoUsd(data.usage.cost), picoUsd(MINI_COST));
    assert.equal(picoUsd(response.headers.get('x-keel-cost-usd')), picoUsd(MINI_COST));
    await expectTrace(
      traceIdOf(response), 'gpt-4o-mini', OPENAI_USAGE, data.usage.cost, 'Hello from Keel.');
  });

  test('chat stream with include_usage: text assembled, final usage chunk with cost', async () => {
    const reply = 'Streams arrive in small pieces.';
    const { data: stream, response } = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user',
        content: `Stream please. [[sim reply="${reply}"]] [[sim ttft_ms=150]] ${USAGE}` }],
      stream: true,
      stream_options: { include_usage: true },
    }).withResponse();

    const { text, usage, chunks } = await collectOpenAiStream(stream);

    assert.equal(text, reply);
    assert.ok(chunks > 2, `expected several chunks, got ${chunks}`);
    assertOpenAiUsage(usage, OPENAI_WIRE);
    assert.equal(picoUsd(usage.cost), picoUsd(MINI_COST));
    const { generation } = await expectTrace(
      traceIdOf(response), 'gpt-4o-mini', OPENAI_USAGE, usage.cost, reply);
    assert.ok(generation.completionStartTime, 'completionStartTime missing on a stream');
    // The simulator held the first token for 150 ms; timestamps may be rounded to the ms.
    assert.ok(generation.timeToFirstToken >= 0.149, `ttft ${generation.timeToFirstToken}`);
  });

  test('chat stream without include_usage: no usage chunk, usage still traced', async () => {
    const reply = 'Nobody asked for usage.';
    const { data: stream, response } = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `Quiet stream. [[sim reply="${reply}"]] ${USAGE}` }],
      stream: true,
    }).withResponse();

    let text = '';
    for await (const chunk of stream) {
      assert.equal(chunk.usage ?? null, null, `unrequested usage: ${JSON.stringify(chunk)}`);
      assert.equal(chunk.choices.length, 1, `chunk without a choice: ${JSON.stringify(chunk)}`);
      text += chunk.choices[0].delta?.content ?? '';
    }

    assert.equal(text, reply);
    await expectTrace(traceIdOf(response), 'gpt-4o-mini', OPENAI_USAGE, MINI_COST, reply);
  });

  test('chat with a forced tool: one call to that tool with schema-valid arguments', async () => {
    const { data, response } = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `Weather in Paris? ${USAGE}` }],
      tools: [{
        type: 'function',
        function: { name: 'get_weather', description: 'Weather', parameters: WEATHER_SCHEMA },
      }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    }).withResponse();

    const toolCalls = data.choices[0].message.tool_calls;
    assert.equal(toolCalls?.length, 1, JSON.stringify(data.choices[0]));
    assert.equal(toolCalls[0].type, 'function');
    assert.equal(toolCalls[0].function.name, 'get_weather');
    assert.equal(typeof toolCalls[0].id, 'string');
    assert.equal(typeof JSON.parse(toolCalls[0].function.arguments).city, 'string');
    assertOpenAiUsage(data.usage, OPENAI_WIRE);
    assert.equal(picoUsd(data.usage.cost), picoUsd(MINI_COST));
    await expectTrace(
      traceIdOf(response), 'gpt-4o-mini', OPENAI_USAGE, data.usage.cost, 'get_weather');
  });

  test('chat routed to an Anthropic model: OpenAI shape, usage and cost', async () => {
    const { data, response } = await openai.chat.completions.create({
      model: HAIKU,
      messages: [{ role: 'user', content: `Hi Claude. [[sim reply="Hi from Haiku."]] ${USAGE}` }],
    }).withResponse();

    assert.equal(data.choices[0].message.content, 'Hi from Haiku.');
    assert.equal(data.choices[0].finish_reason, 'stop');
    assertOpenAiUsage(data.usage, OPENAI_WIRE);
    assert.equal(picoUsd(data.usage.cost), picoUsd(HAIKU_COST));
    await expectTrace(
      traceIdOf(response), HAIKU, OPENAI_USAGE, data.usage.cost, 'Hi from Haiku.');
  });

  test('chat stream routed to an Anthropic model: text and final usage with cost', async () => {
    const reply = 'Haiku streams through the OpenAI shape.';
    const { data: stream, response } = await openai.chat.completions.create({
      model: HAIKU,
      messages: [{ role: 'user', content: `Stream it. [[sim reply="${reply}"]] ${USAGE}` }],
      stream: true,
      stream_options: { include_usage: true },
    }).withResponse();

    const { text, usage } = await collectOpenAiStream(stream);

    assert.equal(text, reply);
    assertOpenAiUsage(usage, OPENAI_WIRE);
    assert.equal(picoUsd(usage.cost), picoUsd(HAIKU_COST));
    await expectTrace(traceIdOf(response), HAIKU, OPENAI_USAGE, usage.cost, reply);
  });

  test('embeddings: one deterministic unit vector per input, priced per token', async () => {
    const request = { model: 'text-embedding-3-small', input: ['first text', 'second text'] };

    const { data, response } = await openai.embeddings.create(request).withResponse();
    const again = await openai.embeddings.create({ ...request, input: 'first text' });

    assert.deepEqual(data.data.map((d) => d.index), [0, 1]);
    for (const item of data.data) {
      assert.equal(item.embedding.length, 1536);
      const norm = Math.hypot(...item.embedding);
      assert.ok(Math.abs(norm - 1) < 1e-3, `norm ${norm}`);
    }
    assert.deepEqual(again.data[0].embedding, data.data[0].embedding);
    assert.notDeepEqual(data.data[1].embedding, data.data[0].embedding);
    assert.ok(data.usage.prompt_tokens > 0);
    assert.equal(data.usage.total_tokens, data.usage.prompt_tokens);
    const cost = response.headers.get('x-keel-cost-usd');
    assert.equal(picoUsd(cost), BigInt(data.usage.prompt_tokens) * EMBEDDING_PICO_USD_PER_TOKEN);
    const traceId = traceIdOf(response);
    calls.push({ traceId, cost });
    const trace = await waitForTrace(keel, traceId, 'EMBEDDING');
    const embedding = trace.observations.find((o) => o.type === 'EMBEDDING');
    assert.equal(embedding.model, 'text-embedding-3-small');
    assert.equal(embedding.usageDetails.input, data.usage.prompt_tokens);
    assert.equal(picoUsd(embedding.calculatedTotalCost), picoUsd(cost));
    assert.equal(picoUsd(trace.totalCost), picoUsd(cost));
  });

  test('models list names the simulated chat and embedding models', async () => {
    const ids = [];
    for await (const model of openai.models.list()) {
      assert.equal(model.object, 'model');
      ids.push(model.id);
    }

    for (const id of ['gpt-4o', 'gpt-4o-mini', HAIKU, 'text-embedding-3-small']) {
      assert.ok(ids.includes(id), `${id} missing from ${ids}`);
    }
  });

  test('request headers choose the trace id, name, user, session and tags', async () => {
    const traceId = `e2e-${randomUUID()}`;
    const headers = {
      'x-keel-trace-id': traceId,
      'x-keel-trace-name': 'e2e-headers',
      'x-keel-user-id': 'user-e2e',
      'x-keel-session-id': 'session-e2e',
      'x-keel-tags': 'e2e, node',
    };

    const { data, response } = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `Tag me. [[sim reply="Tagged."]] ${USAGE}` }],
    }, { headers }).withResponse();

    assert.equal(response.headers.get('x-keel-trace-id'), traceId);
    const { trace } = await expectTrace(
      traceId, 'gpt-4o-mini', OPENAI_USAGE, data.usage.cost, 'Tagged.');
    assert.equal(trace.name, 'e2e-headers');
    assert.equal(trace.userId, 'user-e2e');
    assert.equal(trace.sessionId, 'session-e2e');
    assert.deepEqual([...trace.tags].sort(), ['e2e', 'node']);
  });

  test('bad key: AuthenticationError 401', async () => {
    const client = new OpenAI({
      apiKey: 'sk-keel-not-a-key', baseURL: `${keel.baseUrl}/v1`, maxRetries: 0,
    });

    await assert.rejects(
      client.chat.completions.create({
        model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }],
      }),
      (e) => e instanceof OpenAI.AuthenticationError && e.status === 401,
    );
  });

  test('unknown model: NotFoundError 404', async () => {
    await assert.rejects(
      openai.chat.completions.create({
        model: 'no-such-model-e2e', messages: [{ role: 'user', content: 'hi' }],
      }),
      (e) => e instanceof OpenAI.NotFoundError && e.status === 404,
    );
  });
});

describe('Anthropic SDK', () => {
  // 14 input tokens: 8 at the full rate, 4 read from and 2 written to the cache.
  const CACHE_USAGE = '[[sim usage prompt=14 cached=4 cache_write=2 completion=10]]';
  const CACHE_WIRE = { input: 8, cacheRead: 4, cacheWrite: 2, output: 10 };
  const CACHE_DETAILS = { input: 8, input_cached_tokens: 4, input_cache_creation: 2, output: 10,
    total: 24 };
  const CACHE_COST = '0.00004872';

  test('messages: answer, usage with cache fields and cost', async () => {
    const { data, response } = await anthropic.messages.create({
      model: HAIKU,
      max_tokens: 64,
      messages: [{ role: 'user', content: `Hello. [[sim reply="Hello, human."]] ${CACHE_USAGE}` }],
    }).withResponse();

    assert.equal(data.type, 'message');
    assert.equal(data.role, 'assistant');
    assert.deepEqual(data.content.map((b) => [b.type, b.text]), [['text', 'Hello, human.']]);
    assert.equal(data.stop_reason, 'end_turn');
    assertAnthropicUsage(data.usage, CACHE_WIRE);
    assert.equal(picoUsd(data.usage.cost), picoUsd(CACHE_COST));
    assert.equal(picoUsd(response.headers.get('x-keel-cost-usd')), picoUsd(CACHE_COST));
    await expectTrace(
      traceIdOf(response), HAIKU, CACHE_DETAILS, data.usage.cost, 'Hello, human.');
  });

  test('messages stream: text assembled, final usage, cost in message_delta', async () => {
    const reply = 'Streaming from Haiku, one delta at a time.';
    const stream = anthropic.messages.stream({
      model: HAIKU,
      max_tokens: 64,
      messages: [{ role: 'user', content: `Stream. [[sim reply="${reply}"]] ${CACHE_USAGE}` }],
    });
    const { response } = await stream.withResponse();

    const deltaUsage = await collectMessageDeltaUsage(stream);
    const final = await stream.finalMessage();

    assert.equal(final.content.map((b) => b.text).join(''), reply);
    assert.equal(final.stop_reason, 'end_turn');
    assertAnthropicUsage(final.usage, CACHE_WIRE);
    assert.equal(picoUsd(deltaUsage.cost), picoUsd(CACHE_COST));
    await expectTrace(traceIdOf(response), HAIKU, CACHE_DETAILS, deltaUsage.cost, reply);
  });

  test('messages with a forced tool: one tool_use block with schema-valid input', async () => {
    const { data, response } = await anthropic.messages.create({
      model: HAIKU,
      max_tokens: 128,
      messages: [{ role: 'user', content: `Weather in Oslo? ${CACHE_USAGE}` }],
      tools: [{ name: 'get_weather', description: 'Weather', input_schema: WEATHER_SCHEMA }],
      tool_choice: { type: 'tool', name: 'get_weather' },
    }).withResponse();

    const uses = data.content.filter((b) => b.type === 'tool_use');
    assert.equal(uses.length, 1, JSON.stringify(data.content));
    assert.equal(uses[0].name, 'get_weather');
    assert.equal(typeof uses[0].id, 'string');
    assert.equal(typeof uses[0].input.city, 'string');
    assert.equal(data.stop_reason, 'tool_use');
    assertAnthropicUsage(data.usage, CACHE_WIRE);
    assert.equal(picoUsd(data.usage.cost), picoUsd(CACHE_COST));
    await expectTrace(
      traceIdOf(response), HAIKU, CACHE_DETAILS, data.usage.cost, 'get_weather');
  });

  test('messages routed to an OpenAI model: Anthropic shape, usage and cost', async () => {
    const { data, response } = await anthropic.messages.create({
      model: 'gpt-4o',
      max_tokens: 64,
      messages: [{ role: 'user', content: `Hi GPT. [[sim reply="Hi from GPT-4o."]] ${USAGE}` }],
    }).withResponse();

    assert.deepEqual(data.content.map((b) => [b.type, b.text]), [['text', 'Hi from GPT-4o.']]);
    assert.equal(data.stop_reason, 'end_turn');
    assertAnthropicUsage(data.usage, { input: 0, cacheRead: 14, cacheWrite: 0, output: 10 });
    assert.equal(picoUsd(data.usage.cost), picoUsd(GPT4O_COST));
    await expectTrace(
      traceIdOf(response), 'gpt-4o', OPENAI_USAGE, data.usage.cost, 'Hi from GPT-4o.');
  });

  test('bad key: AuthenticationError 401 with an authentication_error body', async () => {
    const client = new Anthropic({ apiKey: 'sk-keel-not-a-key', baseURL: keel.baseUrl,
      maxRetries: 0 });

    await assert.rejects(
      client.messages.create({
        model: HAIKU, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }],
      }),
      (e) => e instanceof Anthropic.AuthenticationError && e.status === 401
        && e.error?.error?.type === 'authentication_error',
    );
  });

  test('unknown model: NotFoundError 404 with a not_found_error body', async () => {
    await assert.rejects(
      anthropic.messages.create({
        model: 'no-such-model-e2e', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }],
      }),
      (e) => e instanceof Anthropic.NotFoundError && e.status === 404
        && e.error?.error?.type === 'not_found_error',
    );
  });
});

describe('read API', () => {
  test('trace list holds every call with the cost its client saw', async () => {
    const { status, body } = await readApi(keel, '/api/public/traces?limit=100');

    assert.equal(status, 200);
    const byId = new Map(body.data.map((t) => [t.id, t]));
    assert.ok(calls.length > 0, 'no calls were recorded');
    for (const call of calls) {
      const trace = byId.get(call.traceId);
      assert.ok(trace, `trace ${call.traceId} missing from the list`);
      assert.equal(picoUsd(trace.totalCost), picoUsd(call.cost), `totalCost of ${call.traceId}`);
    }
  });

  test('without credentials: 401', async () => {
    const res = await fetch(`${keel.baseUrl}/api/public/traces`);

    assert.equal(res.status, 401);
  });
});

// Usage keys with a zero count may be present or left out; both mean zero.
function nonZero(details) {
  return Object.fromEntries(Object.entries(details ?? {}).filter(([, v]) => v !== 0));
}

// The stored GENERATION must carry the usage and cost the client saw, and the answer's text.
async function expectTrace(traceId, model, usageDetails, cost, text) {
  calls.push({ traceId, cost });
  const trace = await waitForTrace(keel, traceId);
  const generations = trace.observations.filter((o) => o.type === 'GENERATION');
  assert.equal(generations.length, 1, `generations of ${traceId}`);
  const generation = generations[0];
  assert.equal(generation.model, model);
  assert.equal(generation.level, 'DEFAULT');
  assert.deepEqual(nonZero(generation.usageDetails), nonZero(usageDetails));
  assert.equal(picoUsd(generation.calculatedTotalCost), picoUsd(cost));
  assert.equal(picoUsd(generation.costDetails.total), picoUsd(cost));
  assert.equal(picoUsd(trace.totalCost), picoUsd(cost));
  const output = JSON.stringify(generation.output);
  assert.ok(output.includes(text), `output of ${traceId} lacks ${text}: ${output}`);
  return { trace, generation };
}
