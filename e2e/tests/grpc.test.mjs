// The gRPC server API with the standard Node gRPC client (@grpc/grpc-js) and the project's own
// src/main/proto/api.proto, against the real server jar started with the gRPC API enabled.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';
import { MISSION_CAPS, ROOT_DIR, connectionToken, freePort, startServer, waitForEvent, withTimeout } from './helpers.mjs';

const PROTO = path.join(ROOT_DIR, 'src', 'main', 'proto', 'api.proto');
const GRPC_KEY = 'e2e-grpc-key';

const definition = protoLoader.loadSync(PROTO, { keepCase: true, longs: Number, enums: String, defaults: false });
const { CentrifugoApi } = grpc.loadPackageDefinition(definition).centrifugal.centrifugo.api;

test.describe('gRPC server API (@grpc/grpc-js + api.proto)', () => {
  let server;
  let client;
  before(async () => {
    const grpcPort = await freePort();
    server = await startServer({
      args: ['--grpc_api.enabled', '--grpc_api.port', String(grpcPort), '--grpc_api.address', '127.0.0.1',
        '--grpc_api.key', GRPC_KEY],
    });
    // The gRPC server is up once this very process says so (bounded wait; guards against a port
    // taken by someone else between choosing it and binding it).
    const line = `gRPC server API listening on 127.0.0.1:${grpcPort}`;
    const deadline = Date.now() + 10_000;
    while (!server.logs().includes(line)) {
      if (Date.now() > deadline || server.exited()) throw new Error(`no "${line}" in the server log:\n${server.logs()}`);
      await new Promise(r => setTimeout(r, 50));
    }
    client = new CentrifugoApi(`127.0.0.1:${grpcPort}`, grpc.credentials.createInsecure());
  });
  after(async () => {
    client?.close();
    await server?.stop();
  });

  /** A unary call; resolves { err, res } so that status errors can be asserted. */
  function call(method, request, metadata = authorized()) {
    const deadline = new Date(Date.now() + 5000);
    return withTimeout(new Promise(resolve => {
      client[method](request, metadata, { deadline }, (err, res) => resolve({ err, res }));
    }), 6000, `gRPC ${method}`);
  }

  function authorized(extra = {}) {
    const md = new grpc.Metadata();
    md.set('authorization', `apikey ${GRPC_KEY}`);
    for (const [k, v] of Object.entries(extra)) md.set(k, v);
    return md;
  }

  test('Publish reaches a centrifuge-js subscriber', async t => {
    const js = new Centrifuge(server.wsUrl, { token: connectionToken('alice', { caps: MISSION_CAPS }), websocket: WebSocket });
    t.after(() => js.disconnect());
    const sub = js.newSubscription('chat:room-42');
    const subscribed = waitForEvent(sub, 'subscribed', { timeoutMs: 10_000 });
    sub.subscribe();
    js.connect();
    await subscribed;

    const publication = waitForEvent(sub, 'publication', { timeoutMs: 10_000 });
    const { err, res } = await call('Publish', { channel: 'chat:room-42', data: Buffer.from('{"via":"grpc"}') });
    assert.equal(err, null);
    assert.equal(res.error, undefined, JSON.stringify(res));
    assert.ok(res.result.offset > 0);
    assert.equal(typeof res.result.epoch, 'string');
    assert.deepEqual((await publication).data, { via: 'grpc' });
  });

  test('History, Info and Batch answer like the HTTP API', async () => {
    await call('Publish', { channel: 'chat:grpc-history', data: Buffer.from('{"n":1}') });
    const history = await call('History', { channel: 'chat:grpc-history', limit: -1 });
    assert.equal(history.err, null);
    assert.equal(history.res.result.publications.length, 1);
    assert.equal(history.res.result.publications[0].data.toString(), '{"n":1}');
    assert.equal(history.res.result.offset, 1);

    const info = await call('Info', {});
    assert.equal(info.err, null);
    assert.equal(info.res.result.nodes.length, 1);
    assert.match(info.res.result.nodes[0].version, / OSS$/);

    const batch = await call('Batch', {
      commands: [{ publish: { channel: 'chat:x', data: Buffer.from('{}') } }, { publish: { channel: 'nope:x', data: Buffer.from('{}') } }],
    });
    assert.equal(batch.err, null);
    assert.equal(batch.res.replies.length, 2);
    assert.ok(batch.res.replies[0].publish, JSON.stringify(batch.res.replies[0]));
    assert.deepEqual(batch.res.replies[1].error, { code: 102, message: 'unknown channel' });
  });

  test('errors travel in the response, or as a status in transport error mode', async () => {
    const inBody = await call('Publish', { channel: 'nope:x', data: Buffer.from('{}') });
    assert.equal(inBody.err, null);
    assert.deepEqual(inBody.res.error, { code: 102, message: 'unknown channel' });

    const transport = await call('Publish', { channel: 'nope:x', data: Buffer.from('{}') },
      authorized({ 'x-centrifugo-error-mode': 'transport' }));
    assert.equal(transport.err?.code, grpc.status.NOT_FOUND);
    assert.equal(transport.err?.details, 'unknown channel');
  });

  test('a missing or wrong key is UNAUTHENTICATED', async () => {
    const none = await call('Info', {}, new grpc.Metadata());
    assert.equal(none.err?.code, grpc.status.UNAUTHENTICATED);
    assert.equal(none.err?.details, 'unauthenticated');
    const wrong = new grpc.Metadata();
    wrong.set('authorization', 'apikey nope');
    assert.equal((await call('Info', {}, wrong)).err?.code, grpc.status.UNAUTHENTICATED);
  });
});
