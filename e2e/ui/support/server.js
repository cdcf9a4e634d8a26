// Runs `keel serve` for the UI suite: a fresh SQLite folder, a random master key, the built-in
// provider simulator (no provider variables reach the child) and a free port on 127.0.0.1.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const HOST = '127.0.0.1';
// `keel` builds first when sources changed; that can take a few minutes on a busy machine.
const START_TIMEOUT_MS = 300_000;

function pickPort() {
  return new Promise((done, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, HOST, () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });
}

function cleanEnv(masterKey) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(OPENAI_|ANTHROPIC_)/.test(k) && k !== 'KEEL_DATABASE_URL'
      && k !== 'KEEL_REDIS_URL') {
      env[k] = v;
    }
  }
  env.KEEL_MASTER_KEY = masterKey;
  return env;
}

/** Starts Keel and resolves once it is healthy: { baseUrl, masterKey, stop() }. */
export async function startKeel() {
  const port = await pickPort();
  const data = mkdtempSync(join(tmpdir(), 'keel-ui-'));
  const masterKey = `sk-keel-ui-${randomBytes(16).toString('hex')}`;
  // KEEL_COMMAND may point at another launcher (a checkout's build under test).
  const child = spawn(process.env.KEEL_COMMAND || join(ROOT, 'keel'),
    ['serve', '--host', HOST, '--port', String(port), '--data', data],
    { cwd: ROOT, env: cleanEnv(masterKey), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (c) => { output = (output + c).slice(-8000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const kill = (sig) => { try { process.kill(-child.pid, sig); } catch { /* gone */ } };
  const onExit = () => kill('SIGKILL');
  process.once('exit', onExit);

  const keel = {
    baseUrl: `http://${HOST}:${port}`,
    masterKey,
    output: () => output,
    async stop() {
      process.removeListener('exit', onExit);
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        kill('SIGTERM');
        const t = setTimeout(() => kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(t);
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await keel.stop();
      throw new Error(`keel serve exited (${child.exitCode}):\n${output}`);
    }
    try {
      if ((await fetch(`${keel.baseUrl}/api/public/health`)).ok) {
        return keel;
      }
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  await keel.stop();
  throw new Error(`keel serve not healthy in ${START_TIMEOUT_MS} ms:\n${output}`);
}

/** One chat completion through the gateway, with trace headers; returns the trace id. */
export async function chat(keel, { user, session, name, tags, content, model = 'gpt-4o-mini' }) {
  const headers = {
    authorization: `Bearer ${keel.masterKey}`,
    'content-type': 'application/json',
  };
  if (user) headers['x-keel-user-id'] = user;
  if (session) headers['x-keel-session-id'] = session;
  if (name) headers['x-keel-trace-name'] = name;
  if (tags) headers['x-keel-tags'] = tags.join(',');
  const res = await fetch(`${keel.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ model, messages: [
      { role: 'system', content: 'You answer briefly.' },
      { role: 'user', content },
    ] }),
  });
  if (res.status !== 200) {
    throw new Error(`chat failed: ${res.status} ${await res.text()}`);
  }
  await res.json();
  return res.headers.get('x-keel-trace-id');
}

/** Waits until the read API lists at least `count` traces (traces are written in the background). */
export async function waitForTraces(keel, count) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${keel.baseUrl}/api/public/traces?limit=100`,
      { headers: { authorization: `Bearer ${keel.masterKey}` } });
    const body = await res.json();
    if (body.data && body.data.length >= count) {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`fewer than ${count} traces stored after 10 s`);
}

/** Creates a text prompt version through the Langfuse-compatible API. */
export async function createPrompt(keel, name, prompt, labels = []) {
  const res = await fetch(`${keel.baseUrl}/api/public/v2/prompts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keel.masterKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, type: 'text', prompt, labels }),
  });
  if (res.status >= 300) {
    throw new Error(`prompt create failed: ${res.status} ${await res.text()}`);
  }
  return res.json();
}
