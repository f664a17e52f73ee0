// Protobuf beyond the WebSocket: the official centrifuge-js Protobuf build over HTTP-streaming
// (octet-stream connect body, varint-delimited replies, Protobuf EmulationRequests to /emulation),
// and the unidirectional gRPC stream consumed with @grpc/grpc-js and the project's unistream.proto.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { Centrifuge } from 'centrifuge/build/protobuf';
import WebSocket from 'ws';
import { MISSION_CAPS, ROOT_DIR, api, connectionToken, freePort, startServer, waitForEvent, withTimeout } from './helpers.mjs';

const CHANNEL = 'chat:room-42';
const decode = bytes => JSON.parse(new TextDecoder().decode(bytes));
const PROTO = path.join(ROOT_DIR, 'src', 'main', 'proto', 'unistream.proto');
const definition = protoLoader.loadSync(PROTO, { keepCase: true, longs: Number, defaults: false });
const { CentrifugoUniStream } = grpc.loadPackageDefinition(definition).centrifugal.centrifugo.unistream;

test.describe('Protobuf over http_stream and uni_grpc', () => {
  let server;
  let uniGrpcPort;
  before(async () => {
    uniGrpcPort = await freePort();
    server = await startServer({
      args: ['--http_stream.enabled', '--uni_grpc.enabled', '--uni_grpc.port', String(uniGrpcPort),
        '--uni_grpc.address', '127.0.0.1'],
    });
    const line = `uni gRPC transport listening on 127.0.0.1:${uniGrpcPort}`;
    const deadline = Date.now() + 10_000;
    while (!server.logs().includes(line)) {
      if (Date.now() > deadline || server.exited()) throw new Error(`no "${line}" in the server log:\n${server.logs()}`);
      await new Promise(r => setTimeout(r, 50));
    }
  });
  after(async () => {
    await server?.stop();
  });

  function httpStreamClient(t, user, caps = MISSION_CAPS) {
    const c = new Centrifuge([{ transport: 'http_stream', endpoint: `${server.httpUrl}/connection/http_stream` }], {
      token: connectionToken(user, { caps }),
      websocket: WebSocket,
      emulationEndpoint: `${server.httpUrl}/emulation`,
      minReconnectDelay: 100,
      maxReconnectDelay: 500,
    });
    t.after(() => c.disconnect());
    return c;
  }

  test('centrifuge-js (build/protobuf) over http_stream: connect, subscribe, receive, history', async t => {
    const c = httpStreamClient(t, 'alice', [{ channels: [CHANNEL], allow: ['sub', 'hst'] }]);
    const sub = c.newSubscription(CHANNEL);
    const connected = waitForEvent(c, 'connected', { timeoutMs: 10_000 });
    const subscribed = waitForEvent(sub, 'subscribed', { timeoutMs: 10_000 });
    sub.subscribe();
    c.connect();
    const ctx = await connected;
    assert.equal(ctx.transport, 'http_stream');
    await subscribed; // the subscribe command travelled as a Protobuf EmulationRequest

    const publication = waitForEvent(sub, 'publication', { timeoutMs: 10_000 });
    const res = await api(server, '/api/publish', { channel: CHANNEL, data: { text: 'over protobuf http_stream' } });
    assert.equal(res.json?.error, undefined, res.text);
    const pub = await publication;
    assert.ok(pub.data instanceof Uint8Array, `protobuf build delivers bytes, got ${typeof pub.data}`);
    assert.deepEqual(decode(pub.data), { text: 'over protobuf http_stream' });

    const bytes = Uint8Array.from([0, 1, 2, 254, 255, 10]);
    const binary = waitForEvent(sub, 'publication', { timeoutMs: 10_000 });
    await api(server, '/api/publish', { channel: CHANNEL, b64data: Buffer.from(bytes).toString('base64') });
    assert.deepEqual(Array.from((await binary).data), Array.from(bytes));

    const history = await sub.history({ limit: 10 });
    assert.ok(history.publications.length >= 2);
    assert.deepEqual(Array.from(history.publications[history.publications.length - 1].data), Array.from(bytes));
  });

  test('a server API disconnect reaches the Protobuf http_stream client with its code', async t => {
    const c = httpStreamClient(t, 'bob');
    const connected = waitForEvent(c, 'connected', { timeoutMs: 10_000 });
    c.connect();
    await connected;
    const disconnected = waitForEvent(c, 'disconnected', { timeoutMs: 10_000 });
    const res = await api(server, '/api/disconnect', { user: 'bob' });
    assert.equal(res.status, 200);
    const d = await disconnected;
    assert.equal(d.code, 3503);
    assert.equal(c.state, 'disconnected');
  });

  test('uni_grpc with @grpc/grpc-js: connect push, publications, then a disconnect push and the end', async () => {
    const client = new CentrifugoUniStream(`127.0.0.1:${uniGrpcPort}`, grpc.credentials.createInsecure());
    try {
      const call = client.Consume({ token: connectionToken('carol', { channels: [CHANNEL] }), name: 'grpc-js' });
      const pushes = [];
      const waiters = [];
      call.on('data', p => {
        const w = waiters.shift();
        if (w) w(p);
        else pushes.push(p);
      });
      const ended = new Promise(resolve => {
        call.on('status', s => resolve(s));
        call.on('error', () => {});
      });
      const next = async what => {
        for (;;) {
          const p = pushes.length ? pushes.shift() : await withTimeout(new Promise(r => waiters.push(r)), 10_000, what);
          if (Object.keys(p).length > 0) return p; // skip pings (empty pushes)
        }
      };

      const first = await next('connect push');
      assert.equal(typeof first.connect?.client, 'string', JSON.stringify(first));
      assert.equal(typeof first.connect.session, 'string');
      assert.ok(CHANNEL in (first.connect.subs ?? {}), JSON.stringify(first.connect));

      const res = await api(server, '/api/publish', { channel: CHANNEL, data: { via: 'uni_grpc' } });
      assert.equal(res.json?.error, undefined, res.text);
      const push = await next('publication');
      assert.equal(push.channel, CHANNEL);
      assert.deepEqual(decode(push.pub.data), { via: 'uni_grpc' });
      assert.equal(push.pub.offset, res.json.result.offset);

      await api(server, '/api/disconnect', { user: 'carol' });
      const bye = await next('disconnect push');
      assert.equal(bye.disconnect.code, 3503);
      const status = await withTimeout(ended, 10_000, 'end of the stream');
      assert.equal(status.code, grpc.status.OK);
    } finally {
      client.close();
    }
  });
});
