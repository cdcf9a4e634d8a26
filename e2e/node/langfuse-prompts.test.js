// End-to-end: the Langfuse v3 JS SDK's prompt client (`langfuse` on npm) against a real
// `keel serve`: create text and chat prompts, read them by the default label, by label and by
// version, compile them with variables, and move labels with updatePrompt.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Langfuse } from 'langfuse';
import { basicAuth, startKeel } from './support/keel.js';

let keel;
let langfuse;
// Names are unique per run so that a retried run never reads an earlier run's versions.
const RUN = randomUUID().slice(0, 8);
const TEXT = `e2e/${RUN}/greeting`;
const CHAT = `e2e/${RUN}/support-chat`;

before(async () => {
  keel = await startKeel();
  langfuse = new Langfuse({
    publicKey: keel.publicKey, secretKey: keel.secretKey, baseUrl: keel.baseUrl,
  });
});

after(async () => {
  await langfuse?.shutdownAsync();
  await keel?.stop();
});

describe('Langfuse v3 SDK prompts against Keel', () => {
  test('createPrompt saves versions; getPrompt reads production by default', async () => {
    const v1 = await langfuse.createPrompt({
      name: TEXT, prompt: 'Hello {{name}}, welcome to {{place}}!',
      config: { model: 'gpt-4o-mini', temperature: 0.2 }, labels: ['production'],
      commitMessage: 'first',
    });
    const v2 = await langfuse.createPrompt({ name: TEXT, prompt: 'Hi {{name}} ({{place}})' });

    const prod = await langfuse.getPrompt(TEXT, undefined, { cacheTtlSeconds: 0 });

    assert.equal(v1.version, 1);
    assert.equal(v2.version, 2);
    assert.deepEqual(v2.labels, ['latest']);
    assert.equal(prod.version, 1);
    assert.equal(prod.isFallback, false);
    assert.deepEqual(prod.config, { model: 'gpt-4o-mini', temperature: 0.2 });
    assert.deepEqual(prod.labels, ['production']);
    assert.equal(prod.commitMessage, 'first');
    assert.equal(prod.compile({ name: 'Ann', place: 'Keel' }), 'Hello Ann, welcome to Keel!');
  });

  test('getPrompt by version and by label', async () => {
    const byVersion = await langfuse.getPrompt(TEXT, 2, { cacheTtlSeconds: 0 });
    const latest = await langfuse.getPrompt(TEXT, undefined,
      { label: 'latest', cacheTtlSeconds: 0 });

    assert.equal(byVersion.prompt, 'Hi {{name}} ({{place}})');
    assert.equal(byVersion.compile({ name: 'Bo', place: 'home' }), 'Hi Bo (home)');
    assert.equal(latest.version, 2);
  });

  test('updatePrompt moves a label and getPrompt sees it', async () => {
    await langfuse.updatePrompt({ name: TEXT, version: 2, newLabels: ['production'] });

    const prod = await langfuse.getPrompt(TEXT, undefined, { cacheTtlSeconds: 0 });
    const v1 = await langfuse.getPrompt(TEXT, 1, { cacheTtlSeconds: 0 });

    assert.equal(prod.version, 2);
    assert.deepEqual([...prod.labels].sort(), ['latest', 'production']);
    assert.deepEqual(v1.labels, []);
  });

  test('chat prompts: create, get by label, compile every message', async () => {
    await langfuse.createPrompt({
      name: CHAT, type: 'chat', labels: ['staging'], config: { max_tokens: 200 },
      prompt: [
        { role: 'system', content: 'You help customers of {{company}}.' },
        { role: 'user', content: '{{question}}' },
      ],
    });

    const staging = await langfuse.getPrompt(CHAT, undefined,
      { label: 'staging', type: 'chat', cacheTtlSeconds: 0 });
    const compiled = staging.compile({ company: 'Acme', question: 'Where is my order?' });

    assert.equal(staging.type, 'chat');
    assert.equal(staging.version, 1);
    assert.deepEqual(staging.config, { max_tokens: 200 });
    assert.deepEqual(compiled.map(({ role, content }) => ({ role, content })), [
      { role: 'system', content: 'You help customers of Acme.' },
      { role: 'user', content: 'Where is my order?' },
    ]);
  });

  test('an unknown prompt is an error the SDK reports, and a fallback is used', async () => {
    const missing = `e2e/${RUN}/missing`;

    await assert.rejects(langfuse.getPrompt(missing, undefined,
      { cacheTtlSeconds: 0, maxRetries: 0 }), /Prompt not found/);
    const fallback = await langfuse.getPrompt(missing, undefined,
      { cacheTtlSeconds: 0, maxRetries: 0, fallback: 'Hi {{name}}' });

    assert.equal(fallback.isFallback, true);
    assert.equal(fallback.compile({ name: 'Cy' }), 'Hi Cy');
  });

  test('a bad template is a 400 naming the problem', async () => {
    const res = await fetch(`${keel.baseUrl}/api/public/v2/prompts`, {
      method: 'POST',
      headers: { authorization: basicAuth(keel), 'content-type': 'application/json' },
      body: JSON.stringify({ name: `e2e/${RUN}/bad`, prompt: 'Hello {{name' }),
    });

    assert.equal(res.status, 400);
    assert.match((await res.json()).message, /unclosed '\{\{' at line 1, column 7/);
  });
});
