// The official centrifuge-js SDK's Protobuf build against the real server: it offers the
// `centrifuge-protobuf` WebSocket subprotocol (the `ws` package refuses a 101 that does not
// echo it), sends binary length-delimited commands and receives payloads as raw bytes.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Centrifuge } from 'centrifuge/build/protobuf';
import { Centrifuge as JsonCentrifuge } from 'centrifuge';
import WebSocket from 'ws';
import { MISSION_CAPS, api, connectionToken, openWebSocket, startServer, waitForClose, waitForEvent } from './helpers.mjs';

const CHANNEL = 'chat:room-42';
const decode = bytes => JSON.parse(new TextDecoder().decode(bytes));

test.describe('Protobuf client protocol with centrifuge-js (build/protobuf)', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  /** A connected Protobuf client subscribed to CHANNEL, with its received publications. */
  async function subscribedClient(t, user, caps = MISSION_CAPS) {
    const client = new Centrifuge(server.wsUrl, {
      token: connectionToken(user, { caps }),
      websocket: WebSocket,
    });
    t.after(() => client.disconnect());
    const sub = client.newSubscription(CHANNEL);
    const subscribed = waitForEvent(sub, 'subscribed', { timeoutMs: 10_000 });
    sub.subscribe();
    client.connect();
    const ctx = await subscribed;
    return { client, sub, ctx };
  }

  test('connects over the centrifuge-protobuf subprotocol, subscribes and receives a JSON publication as bytes', async t => {
    const { client, sub, ctx } = await subscribedClient(t, 'alice');
    assert.equal(client.state, 'connected');
    assert.equal(ctx.channel, CHANNEL);

    const publication = waitForEvent(sub, 'publication', { timeoutMs: 10_000 });
    const res = await api(server, '/api/publish', { channel: CHANNEL, data: { user: 'Alice', text: 'Hello everyone!' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.error, undefined, res.text);
    const pub = await publication;
    assert.ok(pub.data instanceof Uint8Array, `protobuf build delivers bytes, got ${typeof pub.data}`);
    assert.deepEqual(decode(pub.data), { user: 'Alice', text: 'Hello everyone!' });
    assert.equal(pub.offset, res.json.result.offset);
  });

  test('a binary (b64data) publication reaches the Protobuf client byte for byte', async t => {
    const { sub } = await subscribedClient(t, 'bob');
    const bytes = Uint8Array.from([0, 1, 2, 254, 255, 10]);
    const publication = waitForEvent(sub, 'publication', { timeoutMs: 10_000 });
    const res = await api(server, '/api/publish', { channel: CHANNEL, b64data: Buffer.from(bytes).toString('base64') });
    assert.equal(res.json?.error, undefined, res.text);
    const pub = await publication;
    assert.deepEqual(Array.from(pub.data), Array.from(bytes));
  });

  test('history through the Protobuf client returns the stored payloads', async t => {
    const { sub } = await subscribedClient(t, 'carol', [{ channels: [CHANNEL], allow: ['sub', 'hst'] }]);
    const res = await api(server, '/api/publish', { channel: CHANNEL, data: { n: 'history-check' } });
    assert.equal(res.json?.error, undefined, res.text);
    const history = await sub.history({ limit: 100 });
    assert.ok(history.publications.length >= 1);
    const last = history.publications[history.publications.length - 1];
    assert.deepEqual(decode(last.data), { n: 'history-check' });
    assert.equal(last.offset, res.json.result.offset);
  });

  test('a JSON SDK client on the same channel gets its own format, and 3506 for binary data', async t => {
    const json = new JsonCentrifuge(server.wsUrl, {
      token: connectionToken('dave', { caps: MISSION_CAPS }),
      websocket: WebSocket,
    });
    t.after(() => json.disconnect());
    const jsonSub = json.newSubscription(CHANNEL);
    const subscribed = waitForEvent(jsonSub, 'subscribed', { timeoutMs: 10_000 });
    jsonSub.subscribe();
    json.connect();
    await subscribed;
    const { sub } = await subscribedClient(t, 'erin');

    const jsonPub = waitForEvent(jsonSub, 'publication', { timeoutMs: 10_000 });
    const pbPub = waitForEvent(sub, 'publication', { timeoutMs: 10_000 });
    await api(server, '/api/publish', { channel: CHANNEL, data: { both: true } });
    assert.deepEqual((await jsonPub).data, { both: true });
    assert.deepEqual(decode((await pbPub).data), { both: true });

    const disconnected = waitForEvent(json, 'disconnected', { timeoutMs: 10_000 });
    const binary = waitForEvent(sub, 'publication', { timeoutMs: 10_000 });
    await api(server, '/api/publish', { channel: CHANNEL, b64data: Buffer.from([0xff, 0x00]).toString('base64') });
    assert.deepEqual(Array.from((await binary).data), [0xff, 0x00]);
    const ctx = await disconnected;
    assert.equal(ctx.code, 3506);
  });

  test('the 101 response echoes the centrifuge-protobuf subprotocol to a raw client', async () => {
    const ws = new WebSocket(server.wsUrl, 'centrifuge-protobuf');
    ws.on('error', () => {});
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.once('close', code => reject(new Error(`closed before open: ${code}`)));
    });
    assert.equal(ws.protocol, 'centrifuge-protobuf');
    ws.closedPromise = new Promise(resolve => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.send(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01])); // declared length far beyond the frame
    const closed = await waitForClose(ws);
    assert.equal(closed.code, 3501);
  });

  test('format=protobuf on the URL selects Protobuf without a subprotocol', async () => {
    const ws = await openWebSocket(`${server.wsUrl}?format=protobuf`);
    assert.equal(ws.protocol, '');
    const frame = new Promise(resolve => ws.once('message', (data, isBinary) => resolve({ data, isBinary })));
    // Command{id:1, connect:{token}} delimited, built by hand from client.proto field numbers
    const token = Buffer.from(connectionToken('frank'));
    const connect = Buffer.concat([Buffer.from([0x0a]), varint(token.length), token]);
    const command = Buffer.concat([Buffer.from([0x08, 0x01, 0x22]), varint(connect.length), connect]);
    ws.send(Buffer.concat([varint(command.length), command]));
    const { data, isBinary } = await frame;
    assert.equal(isBinary, true);
    // Reply{id:1 (08 01), connect (field 5, 2A) ...} after the length prefix
    const body = data.subarray(varintLength(data));
    assert.deepEqual(Array.from(body.subarray(0, 3)), [0x08, 0x01, 0x2a]);
    ws.close();
  });
});

function varint(n) {
  const out = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

function varintLength(buf) {
  let i = 0;
  while (buf[i] & 0x80) i++;
  return i + 1;
}
