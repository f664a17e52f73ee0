// The snippets of MISSION.md, run literally against the real server with the official
// centrifuge-js SDK (Node needs the `ws` package passed as the `websocket` option).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';
import {
  MISSION_CAPS,
  connectionToken,
  gentoken,
  nextReply,
  openWebSocket,
  startServer,
  waitForClose,
  waitForEvent,
} from './helpers.mjs';

const MISSION_DATA = { user: 'Alice', text: 'Hello everyone!' };

/** The backend publish exactly as in MISSION.md. */
async function missionPublish(port) {
  const res = await fetch(`http://localhost:${port}/api/publish`, {
    method: 'POST',
    headers: { Authorization: 'apikey your-api-key' },
    body: JSON.stringify({ channel: 'chat:room-42', data: { user: 'Alice', text: 'Hello everyone!' } }),
  });
  return { status: res.status, body: await res.json() };
}

function assertPublishOk({ status, body }) {
  assert.equal(status, 200);
  assert.equal('error' in body, false, `publish answered an error: ${JSON.stringify(body)}`);
  assert.equal(typeof body.result, 'object');
  assert.notEqual(body.result, null);
}

test.describe('MISSION snippets', () => {
  let server;
  let port;
  before(async () => {
    server = await startServer();
    port = server.port;
  });
  after(async () => {
    await server?.stop();
  });

  test('a subscriber of chat:room-42 receives the backend publish', async t => {
    const token = connectionToken('alice', { caps: MISSION_CAPS });

    const client = new Centrifuge(`ws://localhost:${port}/connection/websocket`, { token, websocket: WebSocket });
    t.after(() => client.disconnect());
    const sub = client.newSubscription('chat:room-42');
    const received = [];
    sub.on('publication', ctx => received.push(ctx.data));
    const subscribed = waitForEvent(sub, 'subscribed', { timeoutMs: 10_000 });
    const publication = waitForEvent(sub, 'publication', { timeoutMs: 10_000 });
    sub.subscribe(); client.connect();

    await subscribed;
    assert.equal(client.state, 'connected');

    const res = await missionPublish(port);
    assertPublishOk(res);

    const ctx = await publication;
    assert.equal(ctx.channel, 'chat:room-42');
    assert.deepEqual(ctx.data, MISSION_DATA);
    assert.deepEqual(received, [MISSION_DATA]);
  });

  test('a token without caps connects but may not subscribe to chat:room-42 (103)', async t => {
    // No allow_subscribe_for_client in the chat namespace: Centrifugo v5/v6 refuse the
    // subscription with 103 permission denied (client-protocol.md §5.2).
    const token = await gentoken('alice');
    const client = new Centrifuge(server.wsUrl, { token, websocket: WebSocket });
    t.after(() => client.disconnect());
    const sub = client.newSubscription('chat:room-42');
    const connected = waitForEvent(client, 'connected', { timeoutMs: 10_000 });
    const unsubscribed = waitForEvent(sub, 'unsubscribed', { timeoutMs: 10_000 });
    sub.subscribe(); client.connect();

    const c = await connected;
    assert.equal(typeof c.client, 'string');
    assert.ok(c.client.length > 0);
    const u = await unsubscribed;
    assert.equal(u.code, 103);
    assert.equal(u.reason, 'permission denied');
    assert.equal(client.state, 'connected');
  });

  test('a subscriber keeps receiving while bad clients are closed with 3501', async t => {
    const token = connectionToken('alice', { caps: MISSION_CAPS });
    const client = new Centrifuge(server.wsUrl, { token, websocket: WebSocket });
    t.after(() => client.disconnect());
    const sub = client.newSubscription('chat:room-42');
    const subscribed = waitForEvent(sub, 'subscribed', { timeoutMs: 10_000 });
    sub.subscribe(); client.connect();
    await subscribed;
    let disconnects = 0;
    client.on('disconnected', () => disconnects++);
    client.on('connecting', () => disconnects++);

    // Bad client 1: garbage as its very first frame.
    const bad1 = await openWebSocket(server.wsUrl);
    t.after(() => bad1.terminate());
    bad1.send('this is not json {{{');
    const close1 = await waitForClose(bad1);
    assert.equal(close1.code, 3501);
    assert.equal(close1.reason, 'bad request');

    // Bad client 2: connects properly, then sends garbage.
    const bad2 = await openWebSocket(server.wsUrl);
    t.after(() => bad2.terminate());
    const connectReply = nextReply(bad2, { filter: r => r.id === 1 });
    bad2.send(JSON.stringify({ connect: { token: connectionToken('mallory'), name: 'bad' }, id: 1 }));
    const reply = await connectReply;
    assert.equal(typeof reply.connect?.client, 'string', `connect reply: ${JSON.stringify(reply)}`);
    bad2.send('\u0000\u0001garbage');
    const close2 = await waitForClose(bad2);
    assert.equal(close2.code, 3501);
    assert.equal(close2.reason, 'bad request');

    // The good subscriber is untouched and still receives.
    const publication = waitForEvent(sub, 'publication', { timeoutMs: 10_000 });
    assertPublishOk(await missionPublish(server.port));
    const ctx = await publication;
    assert.deepEqual(ctx.data, MISSION_DATA);
    assert.equal(client.state, 'connected');
    assert.equal(sub.state, 'subscribed');
    assert.equal(disconnects, 0);
  });
});
