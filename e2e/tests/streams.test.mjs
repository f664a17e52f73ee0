// HTTP-streaming and SSE with the official centrifuge-js SDK (its bidirectional emulation:
// fetch + ReadableStream, built into Node 20, and EventSource from the `eventsource` package),
// and raw clients of the unidirectional transports, which the SDK does not implement.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Centrifuge } from 'centrifuge';
import { EventSource } from 'eventsource';
import WebSocket from 'ws';
import { MISSION_CAPS, api, connectionToken, startServer, waitForEvent, withTimeout } from './helpers.mjs';

const CHANNEL = 'chat:room-42';
const TRANSPORT_FLAGS = [
  '--http_stream.enabled', '--sse.enabled',
  '--uni_http_stream.enabled', '--uni_sse.enabled', '--uni_websocket.enabled',
];

async function publish(server, data) {
  const res = await api(server, '/api/publish', { channel: CHANNEL, data });
  assert.equal(res.status, 200);
  assert.equal(typeof res.json?.result, 'object', `publish answered ${res.text}`);
  assert.equal('error' in res.json, false, `publish answered ${res.text}`);
}

test.describe('centrifuge-js over HTTP-streaming and SSE', () => {
  let server;
  before(async () => {
    server = await startServer({ args: TRANSPORT_FLAGS });
  });
  after(async () => {
    await server?.stop();
  });

  const endpoints = () => ({
    websocket: { transport: 'websocket', endpoint: `ws://localhost:${server.port}/connection/websocket` },
    http_stream: { transport: 'http_stream', endpoint: `${server.httpUrl}/connection/http_stream` },
    sse: { transport: 'sse', endpoint: `${server.httpUrl}/connection/sse` },
  });

  /** An SDK client over the given transport list; Node needs an absolute emulation endpoint. */
  function client(t, transports, user = 'alice') {
    const c = new Centrifuge(transports, {
      token: connectionToken(user, { caps: MISSION_CAPS }),
      websocket: WebSocket,
      eventsource: EventSource,
      emulationEndpoint: `${server.httpUrl}/emulation`,
      minReconnectDelay: 100,
      maxReconnectDelay: 500,
    });
    t.after(() => c.disconnect());
    return c;
  }

  /** Connects, subscribes to the channel, receives a publication; returns the connected context. */
  async function connectSubscribeReceive(c) {
    const sub = c.newSubscription(CHANNEL);
    const connected = waitForEvent(c, 'connected', { timeoutMs: 10_000 });
    const subscribed = waitForEvent(sub, 'subscribed', { timeoutMs: 10_000 });
    sub.subscribe();
    c.connect();
    const ctx = await connected;
    await subscribed;
    const publication = waitForEvent(sub, 'publication', { timeoutMs: 10_000 });
    const data = { text: `over ${ctx.transport}`, at: Date.now() };
    await publish(server, data);
    assert.deepEqual((await publication).data, data);
    publication.catch(() => {});
    return ctx;
  }

  for (const name of ['http_stream', 'sse']) {
    test(`${name}: connect, subscribe and receive`, async t => {
      const ctx = await connectSubscribeReceive(client(t, [endpoints()[name]]));
      assert.equal(ctx.transport, name);
      assert.equal(typeof ctx.client, 'string');
    });
  }

  test('the transport list falls back websocket → http_stream', async t => {
    const e = endpoints();
    const broken = { transport: 'websocket', endpoint: `ws://localhost:${server.port}/connection/missing` };
    const ctx = await connectSubscribeReceive(client(t, [broken, e.http_stream, e.sse]));
    assert.equal(ctx.transport, 'http_stream');
  });

  test('the transport list falls back websocket → http_stream → sse', async t => {
    const e = endpoints();
    const brokenWs = { transport: 'websocket', endpoint: `ws://localhost:${server.port}/connection/missing` };
    const brokenStream = { transport: 'http_stream', endpoint: `${server.httpUrl}/connection/missing` };
    const ctx = await connectSubscribeReceive(client(t, [brokenWs, brokenStream, e.sse]));
    assert.equal(ctx.transport, 'sse');
  });

  test('with a working websocket the list uses it first', async t => {
    const e = endpoints();
    const ctx = await connectSubscribeReceive(client(t, [e.websocket, e.http_stream, e.sse]));
    assert.equal(ctx.transport, 'websocket');
  });

  test('a server API disconnect reaches the SDK as the terminal code over http_stream', async t => {
    const c = client(t, [endpoints().http_stream], 'zoe');
    const connected = waitForEvent(c, 'connected', { timeoutMs: 10_000 });
    c.connect();
    await connected;
    const disconnected = waitForEvent(c, 'disconnected', { timeoutMs: 10_000 });
    const res = await api(server, '/api/disconnect', { user: 'zoe' });
    assert.equal(res.status, 200);
    const d = await disconnected;
    assert.equal(d.code, 3503);
    assert.equal(d.reason, 'force disconnect');
    assert.equal(c.state, 'disconnected');
  });
});

test.describe('unidirectional transports with raw clients', () => {
  let server;
  before(async () => {
    server = await startServer({ args: TRANSPORT_FLAGS });
  });
  after(async () => {
    await server?.stop();
  });

  /** A bare ConnectRequest whose token subscribes the client to the channel server-side. */
  const connectRequest = user => ({ token: connectionToken(user, { channels: [CHANNEL] }), name: 'raw' });

  /** A queue of pushes with a bounded next(). */
  function pushQueue() {
    const items = [];
    const waiters = [];
    return {
      add(p) {
        const w = waiters.shift();
        if (w) w(p);
        else items.push(p);
      },
      next(what) {
        if (items.length) return Promise.resolve(items.shift());
        return withTimeout(new Promise(r => waiters.push(r)), 10_000, what);
      },
    };
  }

  async function expectConnectThenPublication(queue, transport) {
    const first = await queue.next(`${transport} connect push`);
    assert.equal(typeof first.connect?.client, 'string', `first push: ${JSON.stringify(first)}`);
    assert.equal(typeof first.connect.session, 'string');
    assert.ok(CHANNEL in (first.connect.subs ?? {}), `subs: ${JSON.stringify(first.connect.subs)}`);
    const data = { via: transport };
    await publish(server, data);
    let push = await queue.next(`${transport} publication`);
    while (push && Object.keys(push).length === 0) push = await queue.next(`${transport} publication`); // pings
    assert.equal(push.channel, CHANNEL, `push: ${JSON.stringify(push)}`);
    assert.deepEqual(push.pub.data, data);
    assert.equal(typeof push.pub.offset, 'number'); // chat keeps history: publications are positioned
  }

  test('uni_http_stream: connect push, then publications', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.httpUrl}/connection/uni_http_stream`, {
      method: 'POST', body: JSON.stringify(connectRequest('u1')), signal: controller.signal,
    });
    assert.equal(res.status, 200);
    const queue = pushQueue();
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffered += decoder.decode(value, { stream: true });
        let nl;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          queue.add(JSON.parse(buffered.slice(0, nl)));
          buffered = buffered.slice(nl + 1);
        }
      }
    })().catch(() => {});
    try {
      await expectConnectThenPublication(queue, 'uni_http_stream');
    } finally {
      controller.abort();
    }
  });

  test('uni_sse: connect push, then publications', async () => {
    const url = `${server.httpUrl}/connection/uni_sse?cf_connect=${encodeURIComponent(JSON.stringify(connectRequest('u2')))}`;
    const es = new EventSource(url);
    const queue = pushQueue();
    es.onmessage = e => queue.add(JSON.parse(e.data));
    try {
      await expectConnectThenPublication(queue, 'uni_sse');
    } finally {
      es.close();
    }
  });

  test('uni_websocket: connect push, then publications, then the close code of a disconnect', async () => {
    const ws = new WebSocket(`ws://localhost:${server.port}/connection/uni_websocket`);
    const queue = pushQueue();
    const closed = new Promise(r => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));
    ws.on('message', data => {
      for (const line of data.toString().split('\n')) queue.add(JSON.parse(line));
    });
    await withTimeout(new Promise((r, j) => { ws.once('open', r); ws.once('error', j); }), 5000, 'uni_websocket open');
    ws.send(JSON.stringify(connectRequest('u3')));
    try {
      await expectConnectThenPublication(queue, 'uni_websocket');
      const res = await api(server, '/api/disconnect', { user: 'u3' });
      assert.equal(res.status, 200);
      assert.deepEqual(await queue.next('disconnect push'), { disconnect: { code: 3503, reason: 'force disconnect' } });
      assert.deepEqual(await withTimeout(closed, 5000, 'uni_websocket close'), { code: 3503, reason: 'force disconnect' });
    } finally {
      ws.terminate();
    }
  });
});
