// Server-side disconnects seen through the official SDK: a reconnecting code (3011) makes
// centrifuge-js reconnect and resubscribe by itself; the default code of the server API
// disconnect (3503 force disconnect, terminal) makes it stay disconnected
// (client-protocol.md §3.2, §3.5; server-api.md §6.5).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';
import { MISSION_CAPS, anyEventWithin, api, connectionToken, startServer, waitForEvent } from './helpers.mjs';

const CHANNEL = 'chat:room-42';
/** How long a terminally disconnected client is watched for a reconnect attempt. The SDK's
 * first reconnect delay is 0.5–1 s (minReconnectDelay 500 ms), so 2 s covers it. */
const NO_RECONNECT_WINDOW_MS = 2000;

/** A connected client subscribed to CHANNEL; resolves once subscribed. */
async function subscribedClient(t, server, user) {
  const client = new Centrifuge(server.wsUrl, {
    token: connectionToken(user, { caps: MISSION_CAPS }),
    websocket: WebSocket,
  });
  t.after(() => client.disconnect());
  const sub = client.newSubscription(CHANNEL);
  const connected = waitForEvent(client, 'connected', { timeoutMs: 10_000 });
  const subscribed = waitForEvent(sub, 'subscribed', { timeoutMs: 10_000 });
  sub.subscribe();
  client.connect();
  const ctx = await connected;
  await subscribed;
  return { client, sub, clientId: ctx.client };
}

async function publish(server, data) {
  const res = await api(server, '/api/publish', { channel: CHANNEL, data });
  assert.equal(res.status, 200);
  assert.equal(res.json?.error, undefined, `publish failed: ${res.text}`);
}

test.describe('server-side disconnect', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  test('3011 force reconnect: the SDK reconnects, resubscribes and receives new publications', async t => {
    const { client, sub, clientId } = await subscribedClient(t, server, 'alice');

    // Registered before the disconnect, so each resolves on the first such event after it.
    const connecting = waitForEvent(client, 'connecting', { timeoutMs: 5000 });
    const reconnected = waitForEvent(client, 'connected', { timeoutMs: 15_000 });
    const resubscribed = waitForEvent(sub, 'subscribed', { timeoutMs: 15_000 });

    const res = await api(server, '/api/disconnect', {
      user: 'alice',
      disconnect: { code: 3011, reason: 'force reconnect' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { result: {} });

    const c = await connecting;
    assert.equal(c.code, 3011);
    assert.equal(c.reason, 'force reconnect');
    const again = await reconnected;
    assert.notEqual(again.client, clientId, 'a reconnect is a new session with a new client id');
    await resubscribed;
    assert.equal(client.state, 'connected');
    assert.equal(sub.state, 'subscribed');

    const publication = waitForEvent(sub, 'publication', { timeoutMs: 10_000 });
    const data = { user: 'Alice', text: 'after reconnect' };
    await publish(server, data);
    assert.deepEqual((await publication).data, data);
  });

  test('default disconnect (3503 force disconnect) is terminal: the SDK does not reconnect', async t => {
    const { client, sub } = await subscribedClient(t, server, 'alice');

    const disconnected = waitForEvent(client, 'disconnected', { timeoutMs: 5000 });
    const res = await api(server, '/api/disconnect', { user: 'alice' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { result: {} });

    const d = await disconnected;
    assert.equal(d.code, 3503);
    assert.equal(d.reason, 'force disconnect');
    assert.equal(client.state, 'disconnected');

    const followUp = await anyEventWithin(
      [
        [client, 'connecting'],
        [client, 'connected'],
        [sub, 'subscribed'],
      ],
      NO_RECONNECT_WINDOW_MS,
    );
    assert.equal(followUp.occurred, false, `unexpected '${followUp.event}' after a terminal disconnect: ${JSON.stringify(followUp.ctx)}`);
    assert.equal(client.state, 'disconnected');
  });

  test('disconnect targets only the named user', async t => {
    const alice = await subscribedClient(t, server, 'alice');
    const bob = await subscribedClient(t, server, 'bob');

    const aliceGone = waitForEvent(alice.client, 'disconnected', { timeoutMs: 5000 });
    const res = await api(server, '/api/disconnect', { user: 'alice' });
    assert.equal(res.status, 200);
    assert.equal((await aliceGone).code, 3503);

    const publication = waitForEvent(bob.sub, 'publication', { timeoutMs: 10_000 });
    const data = { user: 'Bob', text: 'still here' };
    await publish(server, data);
    assert.deepEqual((await publication).data, data);
    assert.equal(bob.client.state, 'connected');
  });
});

test.describe('server restart', () => {
  let server;
  after(async () => {
    await server?.stop();
  });

  test('the SDK reconnects and resubscribes after the server restarts on the same port', async t => {
    server = await startServer();
    const { client, sub, clientId } = await subscribedClient(t, server, 'carol');

    const connecting = waitForEvent(client, 'connecting', { timeoutMs: 10_000 });
    const reconnected = waitForEvent(client, 'connected', { timeoutMs: 25_000 });
    const resubscribed = waitForEvent(sub, 'subscribed', { timeoutMs: 25_000 });
    const port = server.port;
    await server.stop();
    // A graceful shutdown closes every connection with 3001 "shutdown", a reconnecting code
    // (client-protocol.md §3.2, §8.9).
    const c = await connecting;
    assert.equal(c.code, 3001);
    assert.equal(c.reason, 'shutdown');

    server = await startServer({ port });
    const again = await reconnected;
    assert.notEqual(again.client, clientId);
    await resubscribed;

    const publication = waitForEvent(sub, 'publication', { timeoutMs: 10_000 });
    const data = { user: 'Carol', text: 'after restart' };
    await publish(server, data);
    assert.deepEqual((await publication).data, data);
  });
});
