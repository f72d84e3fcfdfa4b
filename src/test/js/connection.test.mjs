import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { SessionConnection } from '../../main/webapp/app/connection.js';

/** A stand-in for the browser's WebSocket: records what the page opened, and lets the test play the server. */
class FakeSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 3;
  static opened = [];

  constructor(url) {
    this.url = new URL(url);
    this.readyState = FakeSocket.CONNECTING;
    this.listeners = {};
    FakeSocket.opened.push(this);
  }

  addEventListener(type, listener) {
    (this.listeners[type] ??= []).push(listener);
  }

  emit(type, event = {}) {
    (this.listeners[type] ?? []).forEach((listener) => listener(event));
  }

  open() {
    this.readyState = FakeSocket.OPEN;
    this.emit('open');
  }

  frame(event, id, data = {}) {
    this.emit('message', { data: JSON.stringify(id === undefined ? { event, data } : { event, id, data }) });
  }

  close(code = 1006, reason = '') {
    this.readyState = FakeSocket.CLOSED;
    this.emit('close', { code, reason });
  }
}

function connect(lastEventId = 0) {
  FakeSocket.opened = [];
  globalThis.WebSocket = FakeSocket;
  globalThis.navigator = { onLine: true };
  const events = [];
  const states = [];
  const connection = new SessionConnection('ws://relay/ws/sessions/s1?access_token=t', {
    lastEventId,
    onEvent: (event, data, id) => events.push(`${event}#${id}`),
    onState: (state) => states.push(state),
  });
  return { connection, events, states };
}

const lastSocket = () => FakeSocket.opened.at(-1);

test('a dropped socket reconnects after a backoff, resumes after the last id it saw, and repeats nothing', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { events, states } = connect(4);
  assert.equal(lastSocket().url.searchParams.get('last_event_id'), '4');
  lastSocket().open();
  lastSocket().frame('streaming_chunk', 5);
  lastSocket().frame('streaming_chunk', 6);
  lastSocket().close();
  assert.equal(FakeSocket.opened.length, 1, 'not at once: after a backoff');
  t.mock.timers.tick(400);
  assert.equal(FakeSocket.opened.length, 2);
  assert.equal(lastSocket().url.searchParams.get('last_event_id'), '6');
  lastSocket().open();
  lastSocket().frame('streaming_chunk', 6);
  lastSocket().frame('error', undefined, { status: 400 });
  lastSocket().frame('streaming_complete', 7);
  assert.deepEqual(events, ['streaming_chunk#5', 'streaming_chunk#6', 'error#undefined', 'streaming_complete#7']);
  assert.deepEqual(states, ['open', 'reconnecting', 'open']);
});

test('a refused socket (1008) is not retried', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { states } = connect();
  lastSocket().close(1008, 'unknown session');
  t.mock.timers.tick(10_000);
  assert.equal(FakeSocket.opened.length, 1);
  assert.deepEqual(states, ['refused: unknown session']);
});

test('offline, it waits for the network instead of retrying, and reconnects the moment it is back', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { connection, states } = connect();
  lastSocket().open();
  globalThis.navigator.onLine = false;
  connection.offline();
  t.mock.timers.tick(60_000);
  assert.equal(FakeSocket.opened.length, 1, 'no attempt while offline');
  globalThis.navigator.onLine = true;
  connection.online();
  assert.equal(FakeSocket.opened.length, 2, 'at once, not after a backoff');
  assert.deepEqual(states, ['open', 'offline', 'offline', 'reconnecting']);
});

test('closed by the page, it stays closed', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { connection } = connect();
  lastSocket().open();
  connection.close();
  t.mock.timers.tick(60_000);
  assert.equal(FakeSocket.opened.length, 1);
});
