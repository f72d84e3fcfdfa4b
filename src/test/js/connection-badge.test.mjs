import { mount, document } from './dom.mjs';
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionBadge, LOST_AFTER_MILLIS } from '../../main/webapp/app/connection-badge.js';

test('reconnecting says so, and says the connection is lost only after a while; open clears it', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const badge = new ConnectionBadge(mount('span'), document.body);
    badge.show('reconnecting');
    assert.equal(badge.element.textContent, 'Reconnecting…');
    assert.equal(document.body.dataset.connection, 'reconnecting');
    mock.timers.tick(LOST_AFTER_MILLIS - 1);
    assert.equal(badge.element.textContent, 'Reconnecting…');
    mock.timers.tick(1);
    assert.equal(badge.element.textContent, 'Connection lost: still trying to reconnect…');
    badge.show('reconnecting'); // another attempt does not take the word back
    assert.equal(badge.element.textContent, 'Connection lost: still trying to reconnect…');
    badge.show('open');
    assert.equal(badge.element.textContent, '');
    mock.timers.tick(LOST_AFTER_MILLIS * 2);
    assert.equal(badge.element.textContent, '', 'a connection back in time cancels the word');
  } finally {
    mock.timers.reset();
  }
});

test('offline and a refused session each have their own words', () => {
  const badge = new ConnectionBadge(mount('span'), document.body);
  badge.show('offline');
  assert.equal(badge.element.textContent, 'Offline: the page reconnects when the network is back');
  badge.show('refused:4403');
  assert.equal(badge.element.textContent, 'This session cannot be followed any more: reload the page');
  assert.equal(document.body.dataset.connection, 'refused:4403');
});
