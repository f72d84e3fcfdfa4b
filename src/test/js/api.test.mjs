import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Api } from '../../main/webapp/app/api.js';

/** A fetch that records its calls and answers with the given status and JSON body. */
function answering(status, body, calls) {
  return async (url, init) => {
    calls.push({ url: String(url), ...init });
    return {
      ok: status < 300,
      status,
      headers: { get: (name) => (name === 'Content-Type' ? 'application/problem+json' : null) },
      json: async () => body,
    };
  };
}

test('a question is posted as JSON with the session token', async () => {
  const calls = [];
  const api = new Api(new URL('http://relay/api/'), answering(202, { message_id: 'q' }, calls));
  assert.deepEqual(await api.ask('s1', 'hello', 'tok'), { message_id: 'q' });
  assert.equal(calls[0].url, 'http://relay/api/sessions/s1/messages');
  assert.equal(calls[0].method, 'POST');
  assert.equal(calls[0].headers['X-Session-Token'], 'tok');
  assert.deepEqual(JSON.parse(calls[0].body), { content: 'hello' });
});

test("a refusal's problem detail becomes the error's message", async () => {
  const api = new Api(new URL('http://relay/api/'), answering(409, { detail: 'Another answer is streaming' }, []));
  await assert.rejects(api.ask('s1', 'again', 'tok'), /Another answer is streaming/);
});

test('the default fetch is called as a plain function, never as a method of the client', async () => {
  const original = globalThis.fetch;
  const seen = [];
  globalThis.fetch = function (url) {
    seen.push(this);
    return answering(200, {}, [])(url, {});
  };
  try {
    await new Api(new URL('http://relay/api/')).session('s1', 'tok');
  } finally {
    globalThis.fetch = original;
  }
  assert.ok(!(seen[0] instanceof Api), 'fetch was not called with the client as this');
});

test('a refusal keeps its status, and a server out of reach is said in words', async () => {
  const api = new Api(new URL('http://relay/api/'), answering(409, { detail: 'busy' }, []));
  await assert.rejects(api.ask('s1', 'again', 'tok'), (e) => e.status === 409);
  const offline = new Api(new URL('http://relay/api/'), async () => { throw new TypeError('Failed to fetch'); });
  await assert.rejects(offline.revert('s1', 'c1', 'tok'), (e) => e.status === 0 && /cannot be reached/.test(e.message)
    && !/Failed to fetch/.test(e.message));
});

test('an undo and a watch-only link are posts with the owner token', async () => {
  const calls = [];
  const api = new Api(new URL('http://relay/api/'), answering(201, { viewer_token: 'v' }, calls));
  await api.revert('s1', 'c1', 'tok');
  await api.viewerToken('s1', 'tok');
  assert.deepEqual(calls.map((c) => `${c.method} ${c.url} ${c.headers['X-Session-Token']}`), [
    'POST http://relay/api/sessions/s1/changes/c1/revert tok',
    'POST http://relay/api/sessions/s1/viewer-token tok',
  ]);
});
