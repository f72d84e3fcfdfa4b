// The page's view (main.js) on the real index.html in linkedom's DOM: the REST API answered by a fake server that
// records what it was asked, the WebSocket a fake this test feeds the session's events through. main.js starts
// when imported, so the whole file is one page's life: open a session, watch an answer stream, type ahead.
import { document, window } from './dom.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const page = readFileSync(new URL('../../main/webapp/index.html', import.meta.url), 'utf8');
document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(page)[1];
const base = 'http://page.test/assistant-stream/';
Object.defineProperty(document, 'baseURI', { value: base });
window.HTMLElement.prototype.focus = () => {};
const storage = new Map([['assistant-stream:token:s1', 'owner-token']]);
const sockets = [];
const requests = [];

class FakeSocket extends EventTarget {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 3;

  constructor(url) {
    super();
    this.url = new URL(url);
    this.readyState = FakeSocket.OPEN;
    sockets.push(this);
    queueMicrotask(() => this.dispatchEvent(new Event('open')));
  }

  /** One frame of the session's stream, as the server writes it. */
  frame(id, event, data) {
    const message = new Event('message');
    message.data = JSON.stringify({ id, event, data });
    this.dispatchEvent(message);
  }

  close() {
    this.readyState = FakeSocket.CLOSED;
  }
}

const stored = {
  id: 's1', kind: 'workflow', access: 'owner', last_event_id: 40, streaming: null,
  workflow_yaml: 'name: Patient-Sync\ntriggers:\n  webhook: { type: webhook }\njobs:\n  fetch: { name: Fetch, body: get() }\n'
    + 'edges:\n  webhook->fetch: { source_trigger: webhook, target_job: fetch, condition_type: always }\n',
  messages: [
    { id: 'q1', role: 'user', content: 'What does it do?', status: 'complete' },
    { id: 'a1', role: 'assistant', content: 'It **fetches** patients.', status: 'complete' },
  ],
  applied_changes: [],
};

function answer(status, body) {
  return { ok: status < 400, status, headers: new Headers({ 'Content-Type': 'application/json' }), json: async () => body };
}

let answers = 1;
Object.assign(globalThis, {
  location: new URL(`${base}#session=s1`),
  addEventListener: window.addEventListener.bind(window),
  matchMedia: () => ({ matches: true }), // reduced motion: text shows as it arrives, no animation frames needed
  localStorage: { getItem: (key) => storage.get(key) ?? null, setItem: (key, value) => storage.set(key, value) },
  navigator: { onLine: true },
  WebSocket: FakeSocket,
  fetch: async (url, { method, headers, body }) => {
    requests.push({ method, path: new URL(url).pathname, token: headers['X-Session-Token'], body: body && JSON.parse(body) });
    if (method === 'GET') return answer(200, stored);
    answers++;
    return answer(202, { message_id: `q${answers}`, assistant_message_id: `a${answers}` });
  },
});

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));
const $ = (id) => document.getElementById(id);
const shown = () => [...$('messages').querySelectorAll('.message')].map((m) => `${m.dataset.messageId}:${m.textContent.trim()}`);

await import('../../main/webapp/app/main.js');
await settled();
const socket = sockets[0];

test('a session link opens the session with its token: its messages, its diagram, its stream from the last id', () => {
  assert.deepEqual(requests.shift(), { method: 'GET', path: '/assistant-stream/api/sessions/s1', token: 'owner-token', body: undefined });
  assert.equal($('panel').hidden, false);
  assert.equal($('chooser').hidden, true);
  assert.deepEqual(shown(), ['q1:What does it do?', 'a1:It fetches patients.']);
  assert.equal($('workflow').dataset.name, 'Patient-Sync');
  assert.equal(socket.url.pathname, '/assistant-stream/ws/sessions/s1');
  assert.equal(socket.url.searchParams.get('access_token'), 'owner-token');
  assert.equal(socket.url.searchParams.get('last_event_id'), '40');
  assert.equal(document.body.dataset.connection, 'open');
  assert.equal($('send').textContent, 'Send');
});

test('an answer streams into the list, the diagram first, and a question typed meanwhile waits for its end', async () => {
  $('question').value = 'Run it daily';
  $('ask').dispatchEvent(new window.Event('submit', { cancelable: true }));
  await settled();
  assert.deepEqual(requests.shift(), { method: 'POST', path: '/assistant-stream/api/sessions/s1/messages', token: 'owner-token',
    body: { content: 'Run it daily' } });
  socket.frame(41, 'message_created', { message: { id: 'q2', role: 'user', content: 'Run it daily', status: 'complete' } });
  socket.frame(42, 'status_update', { message_id: 'a2', status: 'Thinking' });
  assert.equal($('status').textContent, 'Thinking');
  socket.frame(43, 'streaming_changes', { change_id: 'c1', message_id: 'a2', status: 'applied', kind: 'workflow',
    yaml: stored.workflow_yaml.replace('Patient-Sync', 'Daily-Sync') });
  socket.frame(44, 'streaming_chunk', { message_id: 'a2', content: 'It now runs ' });
  assert.equal($('workflow').dataset.name, 'Daily-Sync', 'the diagram changed before the text was done');
  assert.ok(document.body.classList.contains('is-streaming'));
  assert.equal($('send').textContent, 'Queue');

  $('question').value = 'And on Sundays?';
  $('ask').dispatchEvent(new window.Event('submit', { cancelable: true }));
  await settled();
  assert.deepEqual(requests, [], 'nothing is sent while an answer streams');
  assert.deepEqual(shown().slice(-2), ['a2:It now runs', 'queued-2:And on Sundays?Waiting: sent when the current answer ends']);

  socket.frame(44, 'streaming_chunk', { message_id: 'a2', content: 'It now runs ' }); // a repeat shows nothing
  socket.frame(45, 'streaming_chunk', { message_id: 'a2', content: 'every day.' });
  socket.frame(46, 'streaming_complete', { message: { id: 'a2', role: 'assistant', content: 'It now runs every day.',
    status: 'complete', changes: ['c1'] } });
  await settled();
  assert.equal($('messages').querySelector('[data-message-id="a2"]').dataset.complete, 'true');
  assert.equal($('messages').querySelector('[data-message-id="a2"] .body').textContent.trim(), 'It now runs every day.');
  assert.equal($('messages').querySelector('.change-line').textContent, 'Workflow updated: Daily-SyncUndoShow diagram');
  assert.deepEqual(requests.shift(), { method: 'POST', path: '/assistant-stream/api/sessions/s1/messages', token: 'owner-token',
    body: { content: 'And on Sundays?' } }, 'the waiting question goes out when the answer ends');
  assert.equal($('messages').querySelector('.queued'), null);
  assert.equal(window.assistantStream.state.model.activeAnswerId, 'a3', 'and its answer is the one awaited now');
});

test('a failed answer shows the banner with Retry and keeps its text', async () => {
  socket.frame(47, 'message_created', { message: { id: 'q3', role: 'user', content: 'And on Sundays?', status: 'complete' } });
  socket.frame(48, 'streaming_chunk', { message_id: 'a3', content: 'Let me' });
  socket.frame(49, 'streaming_error', { message_id: 'a3', error: { code: 'upstream_error', message: 'The service failed' } });
  await settled();
  assert.equal($('banner').hidden, false);
  assert.equal($('banner-text').textContent, 'The answer failed: The service failed');
  assert.equal($('retry').hidden, false);
  assert.equal($('messages').querySelector('[data-message-id="a3"] .note').textContent, 'Incomplete');
  assert.equal($('status').textContent, '');
  assert.ok(!document.body.classList.contains('is-streaming'));
});
