// Starts a real Keel (`keel serve`) for the end-to-end suite and stops it again. Keel runs in
// front of its built-in provider simulator: the child gets no OPENAI_* or ANTHROPIC_* variables,
// a fresh SQLite data folder and random keys, and listens on a free port of 127.0.0.1 only.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const HOST = '127.0.0.1';
// The first run builds Keel with Maven before serving, which takes about 30 s on a quiet machine.
const STARTUP_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;
const LOG_TAIL_CHARS = 6_000;

/** Finds a port that is free on 127.0.0.1 by letting the OS pick one. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * Spawns `keel serve` in its own process group and waits until /api/public/health answers.
 * Returns the base URL, the keys and `stop()`, which must be called (also on failure).
 */
export async function startKeel() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'keel-e2e-'));
  const keys = {
    masterKey: `sk-keel-e2e-${randomBytes(16).toString('hex')}`,
    publicKey: `pk-lf-e2e-${randomBytes(8).toString('hex')}`,
    secretKey: `sk-lf-e2e-${randomBytes(16).toString('hex')}`,
  };
  const child = spawn(join(REPO_ROOT, 'keel'),
    ['serve', '--host', HOST, '--port', String(port), '--data', dataDir],
    { cwd: REPO_ROOT, env: childEnv(keys), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = captureLog(child);
  const release = killOnExit(child, dataDir);
  const keel = {
    ...keys,
    baseUrl: `http://${HOST}:${port}`,
    log: () => log.text.slice(-LOG_TAIL_CHARS),
    stop: () => {
      release();
      return stopKeel(child, dataDir);
    },
  };
  try {
    await waitForHealth(keel.baseUrl, child, log);
  } catch (e) {
    await keel.stop();
    throw e;
  }
  return keel;
}

/** Basic auth for the Langfuse-style read API with the project key pair. */
export function basicAuth(keel) {
  const pair = Buffer.from(`${keel.publicKey}:${keel.secretKey}`).toString('base64');
  return `Basic ${pair}`;
}

/** GETs a path of the read API with Basic auth; returns status and parsed JSON. */
export async function readApi(keel, path) {
  const res = await fetch(keel.baseUrl + path, { headers: { authorization: basicAuth(keel) } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/**
 * Polls GET /api/public/traces/{id} until the trace holds an observation of the given type
 * carrying usage: traces are written asynchronously, shortly after the answer.
 */
export async function waitForTrace(keel, traceId, type = 'GENERATION', timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await readApi(keel, `/api/public/traces/${encodeURIComponent(traceId)}`);
    const observations = last.body?.observations ?? [];
    if (last.status === 200 && observations.some((o) => o.type === type)) {
      return last.body;
    }
    await sleep(50);
  }
  throw new Error(`trace ${traceId} with a ${type} not readable within ${timeoutMs} ms; `
    + `last answer: ${last?.status} ${JSON.stringify(last?.body)}`);
}

/** Money as integer pico-dollars, so comparisons are exact rather than floating point. */
export function picoUsd(value) {
  const text = typeof value === 'number' ? value.toFixed(12) : String(value).trim();
  const match = /^(\d+)(?:\.(\d{0,12})\d*)?$/.exec(text);
  if (!match) {
    throw new Error(`not a plain non-negative USD amount: ${value}`);
  }
  return BigInt(match[1]) * 10n ** 12n + BigInt((match[2] ?? '').padEnd(12, '0'));
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function childEnv(keys) {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    // Provider variables would send traffic upstream instead of to the simulator; a database
    // or Redis URL would share state with other runs.
    if (/^(OPENAI_|ANTHROPIC_)/.test(name)
      || name === 'KEEL_DATABASE_URL' || name === 'KEEL_REDIS_URL') {
      delete env[name];
    }
  }
  env.KEEL_MASTER_KEY = keys.masterKey;
  env.KEEL_INIT_PROJECT_PUBLIC_KEY = keys.publicKey;
  env.KEEL_INIT_PROJECT_SECRET_KEY = keys.secretKey;
  return env;
}

function captureLog(child) {
  const log = { text: '' };
  const append = (chunk) => {
    log.text = (log.text + chunk.toString()).slice(-4 * LOG_TAIL_CHARS);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  return log;
}

async function waitForHealth(baseUrl, child, log) {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`keel serve exited early (${child.exitCode ?? child.signalCode}):\n`
        + log.text.slice(-LOG_TAIL_CHARS));
    }
    try {
      const res = await fetch(`${baseUrl}/api/public/health`);
      if (res.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`keel serve not healthy within ${STARTUP_TIMEOUT_MS} ms:\n`
    + log.text.slice(-LOG_TAIL_CHARS));
}

async function stopKeel(child, dataDir) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dataDir, { recursive: true, force: true });
}

// Keel runs in its own process group, so it would outlive an interrupted test run.
function killOnExit(child, dataDir) {
  const onExit = () => {
    killGroup(child, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  const onSignal = (signal) => {
    onExit();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.removeListener('exit', onExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
}

function killGroup(child, signal) {
  try {
    // Negative pid: the whole group, so the JVM started by the launcher script goes too.
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
