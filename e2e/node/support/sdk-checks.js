// Checks of what the official SDKs hand back from Keel: usage shapes and streamed events.

import assert from 'node:assert/strict';

/** The trace id Keel names in its answer's headers. */
export function traceIdOf(response) {
  const id = response.headers.get('x-keel-trace-id');
  assert.ok(id, 'x-keel-trace-id header missing');
  return id;
}

/** OpenAI's usage: `prompt` counts every input token, cached ones included. */
export function assertOpenAiUsage(usage, { prompt, cached, completion }) {
  assert.equal(usage.prompt_tokens, prompt);
  assert.equal(usage.prompt_tokens_details?.cached_tokens, cached);
  assert.equal(usage.completion_tokens, completion);
  assert.equal(usage.total_tokens, prompt + completion);
}

/** Anthropic's usage: `input` counts only the tokens read neither from nor into the cache. */
export function assertAnthropicUsage(usage, { input, cacheRead, cacheWrite, output }) {
  assert.equal(usage.input_tokens, input);
  assert.equal(usage.cache_read_input_tokens ?? 0, cacheRead);
  assert.equal(usage.cache_creation_input_tokens ?? 0, cacheWrite);
  assert.equal(usage.output_tokens, output);
}

/** Reads a chat completion stream: the text, the one usage chunk and the chunk count. */
export async function collectOpenAiStream(stream) {
  let text = '';
  let usage = null;
  let chunks = 0;
  const finishReasons = [];
  for await (const chunk of stream) {
    if (chunks++ === 0) {
      assert.equal(chunk.choices[0]?.delta?.role, 'assistant', 'first chunk names the role');
    }
    assert.equal(chunk.object, 'chat.completion.chunk');
    text += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.choices[0]?.finish_reason) {
      finishReasons.push(chunk.choices[0].finish_reason);
    }
    if (chunk.usage) {
      assert.equal(usage, null, 'usage arrived in more than one chunk');
      assert.deepEqual(chunk.choices, [], 'the usage chunk must carry no choices');
      usage = chunk.usage;
    }
  }
  assert.ok(usage, 'no usage chunk at the end of the stream');
  assert.deepEqual(finishReasons, ['stop']);
  return { text, usage, chunks };
}

// The SDK's accumulated message keeps only the token counts, so Keel's cost is read from the
// raw message_delta event.
export async function collectMessageDeltaUsage(stream) {
  let usage = null;
  const types = [];
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === 'message_delta') {
      usage = event.usage;
    }
  }
  assert.equal(types[0], 'message_start');
  assert.equal(types.at(-1), 'message_stop');
  assert.equal(types.filter((t) => t === 'message_delta').length, 1, `events: ${types}`);
  return usage;
}
