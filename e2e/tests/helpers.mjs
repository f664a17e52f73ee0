// Shared helpers of the Gyre e2e suite: run the real server jar, mint tokens, call the
// HTTP API, and wait for events with a bound (every wait either resolves or fails in time;
// nothing here sleeps and hopes).
//
// This file is not a test file: `node --test tests/` only picks files ending `.test.mjs`.

import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT_DIR = path.resolve(E2E_DIR, '..');
/** The server jar, ../target/gyre.jar relative to e2e/ (GYRE_JAR overrides). */
export const JAR = process.env.GYRE_JAR ? path.resolve(process.env.GYRE_JAR) : path.join(ROOT_DIR, 'target', 'gyre.jar');
/** The MISSION example config, exactly. */
export const CONFIG = path.join(ROOT_DIR, 'conf', 'config.json');
export const HMAC_SECRET = 'your-secret-key';
export const API_KEY = 'your-api-key';

/** The connection-JWT `caps` claim that lets a token subscribe to the MISSION channel. */
export const MISSION_CAPS = [{ channels: ['chat:room-42'], allow: ['sub'] }];

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const MAX_LOG_CHARS = 64 * 1024;
/** Every server's output is also written to a file here (GYRE_E2E_LOG_DIR overrides);
 * GYRE_E2E_LOGS=1 also copies it to stderr. */
export const LOG_DIR = process.env.GYRE_E2E_LOG_DIR || path.join(os.tmpdir(), 'gyre-e2e-logs');

/** Servers still running; killed if this test process exits without stopping them. */
const running = new Set();
const killRunning = () => {
  for (const proc of running) proc.kill('SIGKILL');
};
process.once('exit', killRunning);
// The test runner ends a file that overruns its timeout with a signal, which skips 'exit':
// without these, its servers would outlive the run and load the machine.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.once(signal, () => {
    killRunning();
    process.exit(1);
  });
}

/** Fails with a clear message when the jar has not been built. */
export function requireJar() {
  if (!existsSync(JAR)) {
    throw new Error(`Gyre jar not found at ${JAR}. Build it first: cd ${ROOT_DIR} && mvn -B -q package -DskipTests`);
  }
  return JAR;
}

/** A TCP port that is free on this machine right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(err => (err ? reject(err) : resolve(port)));
    });
  });
}

/** Resolves after ms; used only between bounded polls of /health. */
const pause = ms => new Promise(r => setTimeout(r, ms));

/** Resolves with the promise's value, or with null if it has not settled within ms. */
function settleWithin(promise, ms) {
  let timer;
  const timeout = new Promise(r => {
    timer = setTimeout(() => r(null), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Rejects with a timeout error if `promise` has not settled within ms. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Starts `java -jar target/gyre.jar --config conf/config.json --port <free port>` and waits,
 * within a bound, until GET /health answers 200. Retries on another port if the chosen one
 * was taken in between. Returns a handle with port, URLs, logs() and stop().
 */
export async function startServer({ args = [], port, timeoutMs = START_TIMEOUT_MS } = {}) {
  requireJar();
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const p = port ?? (await freePort());
    try {
      return await startOnce(p, args, timeoutMs);
    } catch (e) {
      lastError = e;
      if (port !== undefined || !e.portInUse) break;
    }
  }
  throw lastError;
}

async function startOnce(port, args, timeoutMs) {
  const proc = spawn('java', ['-jar', JAR, '--config', CONFIG, '--port', String(port), ...args], {
    cwd: ROOT_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  let log = '';
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `gyre-${port}-${Date.now()}.log`);
  const logStream = createWriteStream(logFile);
  const append = chunk => {
    log += chunk.toString();
    if (log.length > MAX_LOG_CHARS) log = log.slice(-MAX_LOG_CHARS);
    logStream.write(chunk);
    if (process.env.GYRE_E2E_LOGS === '1') process.stderr.write(chunk);
  };
  proc.stdout.on('data', append);
  proc.stderr.on('data', append);
  let exited = null;
  const exitPromise = new Promise(resolve => {
    proc.once('exit', (code, signal) => {
      exited = { code, signal };
      running.delete(proc);
      logStream.end();
      resolve(exited);
    });
    proc.once('error', err => {
      exited = { error: err };
      running.delete(proc);
      resolve(exited);
    });
  });

  const server = {
    port,
    host: 'localhost',
    httpUrl: `http://localhost:${port}`,
    wsUrl: `ws://localhost:${port}/connection/websocket`,
    proc,
    logFile,
    logs: () => log,
    exited: () => exited !== null,
    async stop() {
      if (exited === null) {
        proc.kill('SIGTERM');
        const done = await settleWithin(exitPromise, STOP_TIMEOUT_MS);
        if (done === null && exited === null) {
          proc.kill('SIGKILL');
          await settleWithin(exitPromise, STOP_TIMEOUT_MS);
        }
      }
      return exited;
    },
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== null) {
      const err = new Error(`Gyre exited before becoming healthy (${JSON.stringify(exited)}) on port ${port}. Log (${logFile}):\n${log}`);
      err.portInUse = /address already in use|BindException/i.test(log);
      throw err;
    }
    try {
      const res = await fetch(`${server.httpUrl}/health`, { signal: AbortSignal.timeout(1000) });
      const body = await res.text();
      if (res.status === 200) {
        console.log(`Gyre listening on port ${port}; its log: ${logFile}`);
        return server;
      }
      append(`[e2e] /health answered ${res.status} ${body}\n`);
    } catch {
      // not listening yet
    }
    await pause(100);
  }
  await server.stop();
  throw new Error(`Gyre did not answer 200 on /health within ${timeoutMs} ms on port ${port}. Log (${logFile}):\n${log}`);
}

// ---------------------------------------------------------------------------------- tokens

const b64url = input => Buffer.from(input).toString('base64url');

/** An HS256 JWT with the given claims, signed with the config's HMAC secret. */
export function mintJwt(claims, secret = HMAC_SECRET) {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/** A connection token for `user`, valid for ttlSeconds, with optional caps and extra claims. */
export function connectionToken(user, { caps, ttlSeconds = 3600, ...extra } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: user, iat: now, exp: now + ttlSeconds, ...extra };
  if (caps) claims.caps = caps;
  return mintJwt(claims);
}

/** Runs `java -jar target/gyre.jar gentoken -c conf/config.json -u <user> -q` and returns the token. */
export function gentoken(user, timeoutMs = 20_000) {
  requireJar();
  return new Promise((resolve, reject) => {
    const proc = spawn('java', ['-jar', JAR, 'gentoken', '-c', CONFIG, '-u', user, '-q'], {
      cwd: ROOT_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', c => (out += c));
    proc.stderr.on('data', c => (err += c));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`gentoken did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    proc.once('error', e => {
      clearTimeout(timer);
      reject(e);
    });
    proc.once('exit', code => {
      clearTimeout(timer);
      if (code === 0) resolve(out.trim());
      else reject(new Error(`gentoken exited with ${code}: ${err}`));
    });
  });
}

// -------------------------------------------------------------------------------- HTTP API

/**
 * POSTs to the server API. `body` is sent as is when a string, JSON-encoded otherwise.
 * Returns { status, headers, text, json } (json is undefined when the body is not JSON).
 */
export async function api(server, pathname, body, { method = 'POST', key = API_KEY, headers = {} } = {}) {
  const h = { ...headers };
  if (key !== null && key !== undefined) h.Authorization = `apikey ${key}`;
  const init = { method, headers: h, signal: AbortSignal.timeout(5000) };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${server.httpUrl}${pathname}`, init);
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

// ------------------------------------------------------------------------------------ events

/**
 * Resolves with the arguments' first value of the next `event` on `emitter` that passes
 * `filter`; rejects if none comes within timeoutMs. Register it before causing the event.
 */
export function waitForEvent(emitter, event, { timeoutMs = 5000, filter = () => true } = {}) {
  return new Promise((resolve, reject) => {
    const onEvent = ctx => {
      let ok;
      try {
        ok = filter(ctx);
      } catch (e) {
        cleanup();
        reject(e);
        return;
      }
      if (!ok) return;
      cleanup();
      resolve(ctx);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for '${event}' event`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      emitter.removeListener(event, onEvent);
    };
    emitter.on(event, onEvent);
  });
}

/**
 * Bounded wait for an event that must NOT occur: resolves { occurred: false } when none of
 * `targets` ([emitter, event] pairs) fires within windowMs, or { occurred: true, event, ctx }
 * as soon as one does.
 */
export function anyEventWithin(targets, windowMs) {
  return new Promise(resolve => {
    const listeners = [];
    const finish = result => {
      clearTimeout(timer);
      for (const [emitter, event, fn] of listeners) emitter.removeListener(event, fn);
      resolve(result);
    };
    for (const [emitter, event] of targets) {
      const fn = ctx => finish({ occurred: true, event, ctx });
      listeners.push([emitter, event, fn]);
      emitter.on(event, fn);
    }
    const timer = setTimeout(() => finish({ occurred: false }), windowMs);
  });
}

// ------------------------------------------------------------------------------ raw WebSocket

/** Opens a raw WebSocket (JSON protocol) within a bound. */
export function openWebSocket(url, timeoutMs = 5000) {
  const ws = new WebSocket(url);
  const closed = new Promise(resolve => {
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  ws.closedPromise = closed;
  ws.on('error', () => {}); // surfaced through 'close'
  return withTimeout(
    new Promise((resolve, reject) => {
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`WebSocket upgrade refused: ${res.statusCode}`)));
      closed.then(c => reject(new Error(`WebSocket closed before open: ${c.code} ${c.reason}`)));
    }),
    timeoutMs,
    `WebSocket open to ${url}`,
  ).catch(e => {
    ws.terminate();
    throw e;
  });
}

/** Resolves with { code, reason } of the socket's close, or rejects after timeoutMs. */
export function waitForClose(ws, timeoutMs = 5000) {
  return withTimeout(ws.closedPromise, timeoutMs, 'WebSocket close');
}

/** Resolves with the next parsed reply (one JSON line of a frame) that passes filter. */
export function nextReply(ws, { timeoutMs = 5000, filter = () => true } = {}) {
  let onMessage;
  return withTimeout(
    new Promise((resolve, reject) => {
      onMessage = data => {
        for (const line of data.toString().split('\n')) {
          if (!line.trim()) continue;
          let reply;
          try {
            reply = JSON.parse(line);
          } catch (e) {
            reject(new Error(`server sent a non-JSON line: ${line}`));
            return;
          }
          if (filter(reply)) {
            resolve(reply);
            return;
          }
        }
      };
      ws.on('message', onMessage);
    }),
    timeoutMs,
    'a WebSocket reply',
  ).finally(() => ws.removeListener('message', onMessage));
}
