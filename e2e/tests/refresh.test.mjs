// Connection expiration and client-side refresh (client-protocol.md §4.5) with the official SDK.
//
// Config: e2e/conf/features.json sets client.expired_close_delay to 2 s (default 25 s), so an
// unrefreshed connection is closed with 3005 about 2 s after its token's exp. (1 s would race
// with the SDK: it refreshes `ttl` whole seconds after the connect reply, i.e. up to 1 s after
// exp when the token was minted late in a second.)

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';
import {
  E2E_DIR,
  api,
  connectionToken,
  mintJwt,
  nextReply,
  openWebSocket,
  startServer,
  waitForClose,
  waitForEvent,
} from './helpers.mjs';

const FEATURES_CONFIG = path.join(E2E_DIR, 'conf', 'features.json');
const EXPIRED_CLOSE_DELAY_MS = 2000;
/** Past exp + expired_close_delay by this much, the connection must still be up. */
const MARGIN_MS = 700;

const pause = ms => new Promise(r => setTimeout(r, ms));

test.describe('connection refresh', () => {
  let server;
  before(async () => {
    server = await startServer({ args: ['--config', FEATURES_CONFIG] });
  });
  after(async () => {
    await server?.stop();
  });

  test('without a refresh the connection is closed with 3005 after exp + expired_close_delay', async t => {
    const exp = Math.floor(Date.now() / 1000) + 2;
    const ws = await openWebSocket(server.wsUrl);
    t.after(() => ws.terminate());
    const reply = nextReply(ws, { filter: r => r.id === 1 });
    ws.send(JSON.stringify({ connect: { token: mintJwt({ sub: 'dave', exp }) }, id: 1 }));
    const r = await reply;
    assert.equal(r.connect?.expires, true, JSON.stringify(r));
    assert.ok(r.connect.ttl >= 1 && r.connect.ttl <= 2, `ttl: ${JSON.stringify(r)}`);

    const close = await waitForClose(ws, (exp * 1000 - Date.now()) + EXPIRED_CLOSE_DELAY_MS + 3000);
    const closedAt = Date.now();
    assert.deepEqual(close, { code: 3005, reason: 'connection expired' });
    assert.ok(closedAt >= exp * 1000 + EXPIRED_CLOSE_DELAY_MS - 100, `closed ${exp * 1000 - closedAt} ms before exp + delay`);
  });

  test('a token expiring in 3 s is refreshed through getToken; the subscription keeps receiving', async t => {
    const channel = `chat:refresh-${randomUUID()}`;
    const exp = Math.floor(Date.now() / 1000) + 3;
    let getTokenCalls = 0;
    const client = new Centrifuge(server.wsUrl, {
      token: connectionToken('erin', { exp }),
      getToken: async () => {
        getTokenCalls++;
        return connectionToken('erin', { ttlSeconds: 3600 });
      },
      websocket: WebSocket,
    });
    t.after(() => client.disconnect());
    const sub = client.newSubscription(channel);

    const connected = waitForEvent(client, 'connected', { timeoutMs: 10_000 });
    const subscribed = waitForEvent(sub, 'subscribed', { timeoutMs: 10_000 });
    sub.subscribe();
    client.connect();
    await connected;
    await subscribed;

    // Anything of these from now on means the connection or subscription was lost.
    const trouble = [];
    for (const [emitter, event] of [
      [client, 'connecting'],
      [client, 'disconnected'],
      [client, 'error'],
      [sub, 'subscribing'],
      [sub, 'unsubscribed'],
      [sub, 'error'],
    ]) {
      emitter.on(event, ctx => trouble.push({ event, ctx }));
    }

    // Bounded: the one wait of this test is until just past exp + expired_close_delay, the
    // moment by which an unrefreshed connection would have been closed with 3005.
    await pause(Math.max(0, exp * 1000 + EXPIRED_CLOSE_DELAY_MS + MARGIN_MS - Date.now()));

    assert.ok(getTokenCalls >= 1, 'the SDK asked getToken for a fresh token');
    assert.deepEqual(trouble, [], `unexpected events: ${JSON.stringify(trouble)}`);
    assert.equal(client.state, 'connected');
    assert.equal(sub.state, 'subscribed');

    const publication = waitForEvent(sub, 'publication', { timeoutMs: 5000 });
    const data = { text: 'after the original expiry' };
    const res = await api(server, '/api/publish', { channel, data });
    assert.equal(res.json?.error, undefined, res.text);
    assert.deepEqual((await publication).data, data);
    assert.deepEqual(trouble, [], `unexpected events: ${JSON.stringify(trouble)}`);
  });
});
