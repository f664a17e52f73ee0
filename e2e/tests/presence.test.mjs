// Presence and join/leave through the official SDK (client-protocol.md §6, §7.2, §8.3, §8.7).
//
// Config: e2e/conf/features.json — namespace "chat" has presence, join_leave,
// allow_presence_for_subscriber.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';
import { E2E_DIR, connectionToken, startServer, waitForEvent } from './helpers.mjs';

const FEATURES_CONFIG = path.join(E2E_DIR, 'conf', 'features.json');
const PRESENCE_DEADLINE_MS = 5000;
const POLL_INTERVAL_MS = 100;

/** A connected client subscribed to channel; resolves once subscribed. `join` (if asked)
 * is the promise of the subscription's own join, registered before subscribing. */
async function subscribedClient(t, server, channel, user, { tokenClaims = {}, subOptions = {}, ownJoin = false } = {}) {
  const client = new Centrifuge(server.wsUrl, { token: connectionToken(user, tokenClaims), websocket: WebSocket });
  t.after(() => client.disconnect());
  const sub = client.newSubscription(channel, subOptions);
  const connected = waitForEvent(client, 'connected', { timeoutMs: 10_000 });
  const subscribed = waitForEvent(sub, 'subscribed', { timeoutMs: 10_000 });
  const join = ownJoin ? waitForEvent(sub, 'join', { timeoutMs: 10_000, filter: ctx => ctx.info?.user === user }) : null;
  sub.subscribe();
  client.connect();
  const { client: clientId } = await connected;
  await subscribed;
  return { client, sub, clientId, join };
}

/** Polls sub.presence() until `done(clients)` holds, within PRESENCE_DEADLINE_MS. */
async function presenceUntil(sub, done, what) {
  const deadline = Date.now() + PRESENCE_DEADLINE_MS;
  let last;
  while (Date.now() < deadline) {
    last = (await sub.presence()).clients;
    if (done(last)) return last;
    await new Promise(r => setTimeout(r, POLL_INTERVAL_MS));
  }
  throw new Error(`presence did not reach "${what}" within ${PRESENCE_DEADLINE_MS} ms; last: ${JSON.stringify(last)}`);
}

test.describe('presence and join/leave', () => {
  let server;
  before(async () => {
    server = await startServer({ args: ['--config', FEATURES_CONFIG] });
  });
  after(async () => {
    await server?.stop();
  });

  test('presence, presence stats, join and leave of a second client', async t => {
    const channel = `chat:presence-${randomUUID()}`;
    const alice = await subscribedClient(t, server, channel, 'alice', { subOptions: { joinLeave: true }, ownJoin: true });

    // §5.8: a subscriber with join/leave enabled also receives its own join.
    const ownJoin = await alice.join;
    assert.deepEqual(ownJoin.info, { client: alice.clientId, user: 'alice' });
    assert.equal(ownJoin.channel, channel);

    // §8.7: presence maps client id → ClientInfo.
    const p1 = await alice.sub.presence();
    assert.deepEqual(Object.keys(p1.clients), [alice.clientId]);
    assert.equal(p1.clients[alice.clientId].user, 'alice');
    assert.equal(p1.clients[alice.clientId].client, alice.clientId);
    assert.deepEqual(await alice.sub.presenceStats(), { numClients: 1, numUsers: 1 });

    // A second client (with conn info from its token) joins: alice sees the join.
    const bobJoin = waitForEvent(alice.sub, 'join', { timeoutMs: 10_000, filter: ctx => ctx.info?.user === 'bob' });
    const bob = await subscribedClient(t, server, channel, 'bob', { tokenClaims: { info: { name: 'Bob' } } });
    const j = await bobJoin;
    assert.equal(j.channel, channel);
    assert.deepEqual(j.info, { client: bob.clientId, user: 'bob', connInfo: { name: 'Bob' } });

    const p2 = await alice.sub.presence();
    assert.deepEqual(Object.keys(p2.clients).sort(), [alice.clientId, bob.clientId].sort());
    assert.equal(p2.clients[bob.clientId].user, 'bob');
    assert.deepEqual(p2.clients[bob.clientId].connInfo, { name: 'Bob' });
    assert.deepEqual(await alice.sub.presenceStats(), { numClients: 2, numUsers: 2 });
    // bob did not ask for join/leave, but may read presence as a subscriber.
    assert.deepEqual(await bob.sub.presenceStats(), { numClients: 2, numUsers: 2 });

    // A second connection of the same user counts as a client, not as a user.
    const alice2 = await subscribedClient(t, server, channel, 'alice');
    assert.deepEqual(await alice.sub.presenceStats(), { numClients: 3, numUsers: 2 });
    const alice2Leave = waitForEvent(alice.sub, 'leave', { timeoutMs: 10_000, filter: ctx => ctx.info?.client === alice2.clientId });
    alice2.client.disconnect();
    assert.deepEqual((await alice2Leave).info, { client: alice2.clientId, user: 'alice' });

    // bob disconnects: alice sees the leave, and presence drops him.
    const bobLeave = waitForEvent(alice.sub, 'leave', { timeoutMs: 10_000, filter: ctx => ctx.info?.user === 'bob' });
    bob.client.disconnect();
    const l = await bobLeave;
    assert.equal(l.channel, channel);
    assert.equal(l.info.client, bob.clientId);
    assert.equal(l.info.user, 'bob');

    const p3 = await presenceUntil(alice.sub, clients => !(bob.clientId in clients) && !(alice2.clientId in clients), 'only alice');
    assert.deepEqual(Object.keys(p3), [alice.clientId]);
    assert.deepEqual(await alice.sub.presenceStats(), { numClients: 1, numUsers: 1 });
  });

  test('an abruptly cut client leaves presence too', async t => {
    const channel = `chat:presence-${randomUUID()}`;
    const alice = await subscribedClient(t, server, channel, 'alice', { subOptions: { joinLeave: true } });

    // carol's transport is a raw ws we can destroy without a close frame.
    const sockets = [];
    class RecordingWebSocket extends WebSocket {
      constructor(...args) {
        super(...args);
        sockets.push(this);
      }
    }
    const carol = new Centrifuge(server.wsUrl, {
      token: connectionToken('carol'),
      websocket: RecordingWebSocket,
      minReconnectDelay: 60_000, // stays away once cut
      maxReconnectDelay: 60_000,
    });
    t.after(() => carol.disconnect());
    const carolSub = carol.newSubscription(channel);
    const carolConnected = waitForEvent(carol, 'connected', { timeoutMs: 10_000 });
    const carolSubscribed = waitForEvent(carolSub, 'subscribed', { timeoutMs: 10_000 });
    carolSub.subscribe();
    carol.connect();
    const { client: carolId } = await carolConnected;
    await carolSubscribed;
    await presenceUntil(alice.sub, clients => carolId in clients, 'carol present');

    const leave = waitForEvent(alice.sub, 'leave', { timeoutMs: 10_000, filter: ctx => ctx.info?.client === carolId });
    sockets[0].terminate();
    assert.equal((await leave).info.user, 'carol');
    await presenceUntil(alice.sub, clients => !(carolId in clients), 'carol gone');
    assert.deepEqual(await alice.sub.presenceStats(), { numClients: 1, numUsers: 1 });
  });
});
