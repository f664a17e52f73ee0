// The HTTP server API as a plain HTTP client sees it (spec/server-api.md §1–3, §6.14, §8).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY, api, startServer } from './helpers.mjs';

const PUBLISH = { channel: 'chat:room-42', data: { user: 'Alice', text: 'Hello everyone!' } };

test.describe('HTTP API', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  test.describe('request processing (§1, §2)', () => {
    test('wrong API key → 401 with an empty body', async () => {
      const res = await api(server, '/api/publish', PUBLISH, { key: 'wrong-key' });
      assert.equal(res.status, 401);
      assert.equal(res.text, '');
    });

    test('no credentials at all → 401 with an empty body', async () => {
      const res = await api(server, '/api/publish', PUBLISH, { key: null });
      assert.equal(res.status, 401);
      assert.equal(res.text, '');
    });

    test('X-API-Key header and a case-insensitive "ApiKey" scheme are accepted', async () => {
      const viaHeader = await api(server, '/api/publish', PUBLISH, { key: null, headers: { 'X-API-Key': API_KEY } });
      assert.equal(viaHeader.status, 200);
      assert.equal(viaHeader.json?.error, undefined, viaHeader.text);
      const viaScheme = await api(server, '/api/publish', PUBLISH, { key: null, headers: { Authorization: `ApiKey ${API_KEY}` } });
      assert.equal(viaScheme.status, 200);
      assert.equal(viaScheme.json?.error, undefined, viaScheme.text);
    });

    test('GET → 405 with an empty body (checked before auth)', async () => {
      const res = await api(server, '/api/publish', undefined, { method: 'GET' });
      assert.equal(res.status, 405);
      assert.equal(res.text, '');
      const noKey = await api(server, '/api/publish', undefined, { method: 'GET', key: null });
      assert.equal(noKey.status, 405);
    });

    test('malformed JSON → 400 plain-text "Bad Request"', async () => {
      const res = await api(server, '/api/publish', '{"channel": "chat:room-42", "data":');
      assert.equal(res.status, 400);
      assert.equal(res.text, 'Bad Request');
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    });

    test('empty body → 400 "Bad Request"', async () => {
      const res = await api(server, '/api/info', '');
      assert.equal(res.status, 400);
      assert.equal(res.text, 'Bad Request');
    });
  });

  test.describe('publish (§3, §6.1)', () => {
    test('MISSION publish → 200 with a result and no error', async () => {
      const res = await api(server, '/api/publish', PUBLISH);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal('error' in res.json, false, res.text);
      assert.equal(typeof res.json.result, 'object');
    });

    test('unknown namespace → 200 {"error":{"code":102,"message":"unknown channel"}}', async () => {
      const res = await api(server, '/api/publish', { channel: 'nope:x', data: {} });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { error: { code: 102, message: 'unknown channel' } });
    });

    test('missing channel → 200 {"error":{"code":107,"message":"bad request"}}', async () => {
      const res = await api(server, '/api/publish', { data: { text: 'x' } });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { error: { code: 107, message: 'bad request' } });
    });
  });

  test.describe('legacy endpoint POST /api (§8)', () => {
    test('newline-joined publish and info commands → two reply lines in order', async () => {
      const body = [
        JSON.stringify({ method: 'publish', params: PUBLISH }),
        JSON.stringify({ method: 'info', id: 2 }),
      ].join('\n');
      const res = await api(server, '/api', body);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      const lines = res.text.split('\n');
      assert.equal(lines.length, 2, `expected two reply lines, got: ${res.text}`);
      const [first, second] = lines.map(l => JSON.parse(l));

      // Reply 1: id 0 is omitted; publish succeeds.
      assert.equal('id' in first, false);
      assert.equal(first.error, undefined, `publish via legacy endpoint answered ${lines[0]}`);
      assert.equal(typeof first.result, 'object');

      // Reply 2: info, id echoed, one node.
      assert.equal(second.id, 2);
      assert.equal(second.error, undefined, lines[1]);
      assert.ok(Array.isArray(second.result?.nodes), lines[1]);
      assert.equal(second.result.nodes.length, 1);
      const node = second.result.nodes[0];
      for (const key of ['uid', 'name', 'version', 'num_clients', 'num_users', 'num_channels', 'num_subs']) {
        assert.ok(key in node, `node lacks ${key}: ${lines[1]}`);
      }
    });

    test('legacy info alone answers one line with the id', async () => {
      const res = await api(server, '/api', JSON.stringify({ method: 'info', id: 7 }));
      assert.equal(res.status, 200);
      assert.equal(res.json?.id, 7);
      assert.ok(Array.isArray(res.json?.result?.nodes), res.text);
    });

    test('legacy unknown method string → 400 "Bad Request"', async () => {
      const res = await api(server, '/api', JSON.stringify({ method: 'no_such_method', params: {} }));
      assert.equal(res.status, 400);
      assert.equal(res.text, 'Bad Request');
    });
  });

  test.describe('batch (§6.14)', () => {
    test('publish ok + publish to unknown namespace → replies [{publish:{}}, {error:102}]', async () => {
      const res = await api(server, '/api/batch', {
        commands: [{ publish: PUBLISH }, { publish: { channel: 'nope:x', data: {} } }],
      });
      assert.equal(res.status, 200);
      assert.ok(Array.isArray(res.json?.replies), res.text);
      assert.equal(res.json.replies.length, 2);
      const [ok, bad] = res.json.replies;
      assert.equal(ok.error, undefined, JSON.stringify(ok));
      assert.equal(typeof ok.publish, 'object', `first reply must carry the "publish" key: ${JSON.stringify(ok)}`);
      assert.deepEqual(bad, { error: { code: 102, message: 'unknown channel' } });
    });
  });
});
