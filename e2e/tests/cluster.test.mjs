// Three Gyre nodes forming one cluster on 127.0.0.1, driven with the official SDK: subscribers
// on node 1 and node 3 receive, in order, what a backend publishes through node 2; presence
// asked of node 2 lists both (docs/operations.md "A cluster").

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';
import { E2E_DIR, api, connectionToken, startServer, waitForEvent } from './helpers.mjs';

const FEATURES_CONFIG = path.join(E2E_DIR, 'conf', 'features.json');
const nodes = [];
const clients = [];

async function waitForNodes(server, expected, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    const r = await api(server, '/api/info', {});
    last = r.json?.result?.nodes ?? [];
    if (last.length === expected) return last;
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error(`expected ${expected} nodes, info lists ${JSON.stringify(last)}`);
}

before(async () => {
  // A cluster name of its own: no other run on this machine can join it.
  process.env.GYRE_CLUSTER_NAME = `gyre-e2e-${randomUUID()}`;
  for (let i = 0; i < 3; i++) {
    nodes.push(await startServer({ args: ['--config', FEATURES_CONFIG, '--cluster'], timeoutMs: 60_000 }));
  }
  await waitForNodes(nodes[1], 3);
});

after(async () => {
  for (const c of clients) c.disconnect();
  for (const n of nodes) await n.stop();
  delete process.env.GYRE_CLUSTER_NAME;
});

function subscriber(node, user) {
  const client = new Centrifuge(node.wsUrl, { token: connectionToken(user), websocket: WebSocket });
  clients.push(client);
  const sub = client.newSubscription('chat:cluster');
  const received = [];
  sub.on('publication', ctx => received.push({ data: ctx.data, offset: ctx.offset }));
  const subscribed = waitForEvent(sub, 'subscribed', { timeoutMs: 10_000 });
  sub.subscribe();
  client.connect();
  return { client, sub, received, subscribed };
}

test('SDK subscribers on nodes 1 and 3 receive in order what node 2 publishes; presence via node 2 lists both', async () => {
  const alice = subscriber(nodes[0], 'alice');
  const carol = subscriber(nodes[2], 'carol');
  await alice.subscribed;
  await carol.subscribed;

  for (let i = 1; i <= 10; i++) {
    const r = await api(nodes[1], '/api/publish', { channel: 'chat:cluster', data: { n: i } });
    assert.equal(r.status, 200);
    assert.equal(r.json.result.offset, i);
  }
  for (const s of [alice, carol]) {
    const deadline = Date.now() + 10_000;
    while (s.received.length < 10 && Date.now() < deadline) {
      await waitForEvent(s.sub, 'publication', { timeoutMs: deadline - Date.now() }).catch(() => {});
    }
    assert.deepEqual(s.received.map(p => p.data.n), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(s.received.map(p => Number(p.offset)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  }

  const presence = await api(nodes[1], '/api/presence', { channel: 'chat:cluster' });
  const users = Object.values(presence.json.result.presence).map(i => i.user).sort();
  assert.deepEqual(users, ['alice', 'carol']);
});
