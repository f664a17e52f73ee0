// History, positioning and recovery through the official SDK (client-protocol.md §5.6, §7.3,
// §8.2, §8.5, §8.6): the socket is cut abruptly, publications are made through the HTTP API
// while the client is away, and the SDK's resubscribe recovers them (or reports that it could
// not, when history was trimmed).
//
// Config: e2e/conf/features.json — namespace "chat" (history 100, force_recovery) and
// namespace "short" (history_size 2).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { setImmediate as nextTick } from 'node:timers/promises';
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';
import { E2E_DIR, api, connectionToken, startServer, waitForEvent, withTimeout } from './helpers.mjs';

const FEATURES_CONFIG = path.join(E2E_DIR, 'conf', 'features.json');
/** The SDK's reconnect backoff is min + random(0, min·2^n): at least this long, so the test
 * has time to publish while the client is away (it publishes as soon as 'connecting' fires). */
const MIN_RECONNECT_DELAY_MS = 1500;

/** A `websocket` option for the SDK whose instances are recorded, so a test can cut one. */
function recordingWebSocket() {
  const instances = [];
  class RecordingWebSocket extends WebSocket {
    constructor(...args) {
      super(...args);
      instances.push(this);
    }
  }
  return { RecordingWebSocket, instances };
}

/** Records every 'publication' of sub; waitFor(n) resolves once n have arrived (bounded). */
function collectPublications(sub) {
  const items = [];
  let waiter = null;
  sub.on('publication', ctx => {
    // Never throw here: an exception escaping an SDK handler stops the client.
    items.push(ctx);
    if (waiter && items.length >= waiter.n) waiter.resolve(items);
  });
  return {
    items,
    waitFor(n, timeoutMs = 10_000) {
      if (items.length >= n) return Promise.resolve(items);
      return withTimeout(
        new Promise(resolve => {
          waiter = { n, resolve };
        }),
        timeoutMs,
        `${n} publications on ${sub.channel}`,
      ).catch(e => {
        throw new Error(`${e.message}; got ${items.length}: ${JSON.stringify(items.map(p => [p.offset, p.data]))}`);
      });
    },
  };
}

/** POST /api/publish; returns the result ({offset, epoch} for a channel with history). */
async function publish(server, channel, data) {
  const res = await api(server, '/api/publish', { channel, data });
  assert.equal(res.status, 200);
  assert.equal(res.json?.error, undefined, `publish to ${channel} failed: ${res.text}`);
  return res.json.result;
}

/** A client (fast-reconnect disabled) with one subscription; resolves once subscribed. */
async function subscribedClient(t, server, channel, { subOptions = {} } = {}) {
  const { RecordingWebSocket, instances } = recordingWebSocket();
  const client = new Centrifuge(server.wsUrl, {
    token: connectionToken('alice'),
    websocket: RecordingWebSocket,
    minReconnectDelay: MIN_RECONNECT_DELAY_MS,
    maxReconnectDelay: 2 * MIN_RECONNECT_DELAY_MS,
  });
  t.after(() => client.disconnect());
  const sub = client.newSubscription(channel, subOptions);
  const pubs = collectPublications(sub);
  const subscribed = waitForEvent(sub, 'subscribed', { timeoutMs: 10_000 });
  sub.subscribe();
  client.connect();
  const ctx = await subscribed;
  return { client, sub, pubs, instances, subscribedCtx: ctx };
}

/**
 * Cuts the client's socket without a close frame, publishes `count` messages through the API
 * as soon as the SDK reports 'connecting' (i.e. while it is away), checks they really were
 * published before it reconnected, and resolves with the publish results and the context of
 * the resubscribe's 'subscribed' event.
 */
async function cutPublishAndResubscribe(server, { client, sub, instances }, channel, count, label) {
  assert.equal(instances.length, 1, 'one WebSocket before the cut');
  const connecting = waitForEvent(client, 'connecting', { timeoutMs: 5000 });
  const resubscribed = waitForEvent(sub, 'subscribed', { timeoutMs: 15_000 });
  const disconnectedAt = Date.now();
  instances[0].terminate();
  const c = await connecting;
  // The SDK maps a close without an application code (1006 here) to connecting code 1.
  assert.deepEqual({ code: c.code, reason: c.reason }, { code: 1, reason: 'transport closed' });

  const results = [];
  for (let i = 1; i <= count; i++) results.push(await publish(server, channel, { n: i, text: `${label} ${i}` }));
  assert.equal(
    instances.length,
    1,
    `the SDK reconnected ${Date.now() - disconnectedAt} ms after the cut, before the ${count} publications were made; the test premise failed`,
  );
  assert.equal(client.state, 'connecting');

  const ctx = await resubscribed;
  assert.equal(instances.length, 2, 'the resubscribe came over a new WebSocket');
  return { results, ctx };
}

test.describe('recovery and history', () => {
  let server;
  before(async () => {
    server = await startServer({ args: ['--config', FEATURES_CONFIG] });
  });
  after(async () => {
    await server?.stop();
  });

  test('force_recovery: 5 publications missed during an abrupt disconnect are recovered in order', async t => {
    const channel = `chat:recovery-${randomUUID()}`;
    const s = await subscribedClient(t, server, channel);
    const first = s.subscribedCtx;
    // §8.2: force_recovery makes the subscription recoverable and positioned without the client asking.
    assert.equal(first.recoverable, true, `first subscribe: ${JSON.stringify(first)}`);
    assert.equal(first.positioned, true);
    assert.equal(first.wasRecovering, false);
    assert.equal(first.recovered, false);
    assert.equal(typeof first.streamPosition?.epoch, 'string');
    assert.ok(first.streamPosition.epoch.length > 0, 'a stream has a non-empty epoch');
    assert.equal(first.streamPosition.offset, 0, 'a fresh channel starts at offset 0');
    const epoch = first.streamPosition.epoch;

    // Two live publications first, so the recovery starts from a non-zero offset.
    for (let i = 1; i <= 2; i++) {
      const r = await publish(server, channel, { n: i, text: `before ${i}` });
      assert.deepEqual(r, { offset: i, epoch });
    }
    await s.pubs.waitFor(2);
    assert.deepEqual(s.pubs.items.map(p => p.offset), [1, 2]);
    s.pubs.items.length = 0;

    const { results, ctx } = await cutPublishAndResubscribe(server, s, channel, 5, 'missed');
    assert.deepEqual(results.map(r => r.offset), [3, 4, 5, 6, 7]);
    assert.ok(results.every(r => r.epoch === epoch));

    // §5.6 step 3 / §8.5: recovered, from the client's position, with the missed publications.
    assert.equal(ctx.wasRecovering, true, `resubscribe: ${JSON.stringify(ctx)}`);
    assert.equal(ctx.recovered, true, `resubscribe: ${JSON.stringify(ctx)}`);
    assert.equal(ctx.recoverable, true);
    assert.equal(ctx.positioned, true);
    assert.equal(ctx.hasRecoveredPublications, true);
    assert.deepEqual(ctx.streamPosition, { offset: 2, epoch }, 'offset = the position recovered from');

    const recovered = await s.pubs.waitFor(5);
    await nextTick(); // recovered publications are emitted synchronously after 'subscribed'
    assert.equal(s.pubs.items.length, 5, `exactly the 5 missed publications: ${JSON.stringify(s.pubs.items.map(p => p.offset))}`);
    assert.deepEqual(
      recovered.map(p => p.data),
      [1, 2, 3, 4, 5].map(n => ({ n, text: `missed ${n}` })),
    );
    assert.deepEqual(recovered.map(p => p.offset), [3, 4, 5, 6, 7]);
    assert.ok(recovered.every(p => p.channel === channel));

    // The stream top agrees, and the subscription keeps receiving live publications.
    const top = await s.sub.history();
    assert.deepEqual({ offset: top.offset, epoch: top.epoch, n: top.publications.length }, { offset: 7, epoch, n: 0 });
    assert.deepEqual(await publish(server, channel, { n: 6, text: 'live' }), { offset: 8, epoch });
    const [live] = (await s.pubs.waitFor(6)).slice(5);
    assert.deepEqual({ offset: live.offset, data: live.data }, { offset: 8, data: { n: 6, text: 'live' } });
    assert.equal(s.sub.state, 'subscribed');
  });

  test('history_size 2 with 5 missed: the resubscribe reports recovered false (wasRecovering true)', async t => {
    const channel = `short:recovery-${randomUUID()}`;
    const s = await subscribedClient(t, server, channel, { subOptions: { recoverable: true } });
    assert.equal(s.subscribedCtx.recoverable, true, `first subscribe: ${JSON.stringify(s.subscribedCtx)}`);
    const epoch = s.subscribedCtx.streamPosition.epoch;

    assert.deepEqual(await publish(server, channel, { n: 0, text: 'before' }), { offset: 1, epoch });
    await s.pubs.waitFor(1);
    s.pubs.items.length = 0;

    const { results, ctx } = await cutPublishAndResubscribe(server, s, channel, 5, 'missed');
    assert.deepEqual(results.map(r => r.offset), [2, 3, 4, 5, 6]);

    // §5.6 step 4: not recovered, no publications, position = the current top.
    assert.equal(ctx.wasRecovering, true, `resubscribe: ${JSON.stringify(ctx)}`);
    assert.equal(ctx.recovered, false, `resubscribe: ${JSON.stringify(ctx)}`);
    assert.equal(ctx.hasRecoveredPublications, false);
    assert.deepEqual(ctx.streamPosition, { offset: 6, epoch }, 'offset/epoch = the current top');
    await nextTick();
    assert.deepEqual(s.pubs.items, [], 'an unrecovered resubscribe delivers no publications');

    // Only the last 2 publications are retained.
    const h = await s.sub.history({ limit: 10 });
    assert.deepEqual(h.publications.map(p => p.offset), [5, 6]);
    assert.deepEqual(h.publications.map(p => p.data.n), [4, 5]);
    assert.deepEqual({ offset: h.offset, epoch: h.epoch }, { offset: 6, epoch });

    // The subscription continues from the top.
    await publish(server, channel, { n: 6, text: 'live' });
    const [live] = await s.pubs.waitFor(1);
    assert.deepEqual({ offset: live.offset, data: live.data }, { offset: 7, data: { n: 6, text: 'live' } });
  });

  test('sub.history({limit: 10}) returns the publications with offsets and the epoch', async t => {
    const channel = `chat:history-${randomUUID()}`;
    const s = await subscribedClient(t, server, channel);
    const epoch = s.subscribedCtx.streamPosition.epoch;
    const sent = [1, 2, 3].map(n => ({ n, text: `history ${n}` }));
    for (const data of sent) await publish(server, channel, data);
    await s.pubs.waitFor(3);

    const h = await s.sub.history({ limit: 10 });
    assert.equal(h.epoch, epoch);
    assert.equal(h.offset, 3);
    assert.deepEqual(h.publications.map(p => p.data), sent);
    assert.deepEqual(h.publications.map(p => p.offset), [1, 2, 3]);
    assert.ok(h.publications.every(p => p.channel === channel));

    // §7.3: since → only later publications; no limit → position only; reverse → newest first.
    const since = await s.sub.history({ since: { offset: 1, epoch }, limit: 10 });
    assert.deepEqual(since.publications.map(p => p.offset), [2, 3]);
    const position = await s.sub.history();
    assert.deepEqual({ n: position.publications.length, offset: position.offset, epoch: position.epoch }, { n: 0, offset: 3, epoch });
    const reversed = await s.sub.history({ limit: 2, reverse: true });
    assert.deepEqual(reversed.publications.map(p => p.offset), [3, 2]);
  });
});
