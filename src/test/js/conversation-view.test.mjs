import { mount } from './dom.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConversationView } from '../../main/webapp/app/conversation-view.js';

function view() {
  const announcer = mount('p');
  return { view: new ConversationView(mount('section'), { instant: () => true, announcer }), announcer };
}

const texts = (list, selector) => [...list.querySelectorAll(selector)].map((element) => element.textContent.trim());

// DOMPurify needs a browser's DOM (under linkedom it passes HTML through): that the model's HTML renders inert is
// tested in Chromium (WebPageIT.modelTextCarryingHtmlRendersInert).
test('stored messages: the user\'s as text, the assistant\'s as markdown, an ended one with its note', () => {
  const { view: conversation } = view();
  conversation.append({ id: 'u1', role: 'user', content: '<b>not bold</b>' });
  conversation.append({ id: 'a1', role: 'assistant', content: 'Runs **daily**' });
  conversation.append({ id: 'a2', role: 'assistant', content: 'Half', status: 'error', error: { message: 'cut off' } });
  conversation.append({ id: 'a3', role: 'assistant', content: 'Stopped', status: 'cancelled' });
  const list = conversation.list;
  assert.equal(list.querySelector('[data-message-id="u1"] .body').textContent, '<b>not bold</b>');
  assert.equal(list.querySelector('[data-message-id="u1"] .body b'), null, 'a question is never HTML');
  assert.equal(list.querySelector('[data-message-id="a1"] strong').textContent, 'daily');
  assert.deepEqual(texts(list, '.note'), ['Incomplete: cut off', 'Cancelled']);
  assert.ok(list.querySelector('[data-message-id="a2"]').classList.contains('incomplete'));
});

test('a queued question is shown once, stays below whatever arrives, and goes when sent', () => {
  const { view: conversation } = view();
  conversation.append({ id: 'u1', role: 'user', content: 'first' });
  const queued = conversation.queued('q1', 'second');
  assert.equal(conversation.queued('q1', 'second'), queued, 'shown once however often the state says so');
  conversation.append({ id: 'a1', role: 'assistant', content: 'answer' });
  conversation.changeLine('c1', 'Workflow updated');
  const order = [...conversation.list.children].map((element) => element.dataset.messageId ?? element.dataset.changeId);
  assert.deepEqual(order, ['u1', 'a1', 'c1', 'q1']);
  assert.deepEqual(texts(queued, '.note'), ['Waiting: sent when the current answer ends']);
  conversation.removeQueued('q1');
  assert.equal(conversation.list.querySelector('.queued'), null);
});

test('a change line is made once and updated in place, its buttons calling back', () => {
  const { view: conversation } = view();
  const clicked = [];
  const line = conversation.changeLine('c1', 'Workflow updated', [{ label: 'Undo', className: 'undo', onClick: () => clicked.push('undo') }]);
  assert.equal(conversation.changeLine('c1', 'Workflow updated (undone)'), line);
  assert.equal(conversation.list.querySelectorAll('.change-line').length, 1);
  assert.equal(line.textContent, 'Workflow updated (undone)');
  assert.equal(line.querySelector('button'), null, 'the buttons are the ones given now');
  conversation.changeLine('c1', 'Workflow updated', [{ label: 'Undo', className: 'undo', onClick: () => clicked.push('undo') }],
    [{ job: 'fetch', name: 'Fetch', diff: '@@ -1 +1 @@\n-a\n+b\n' }]);
  line.querySelector('button.undo').click();
  assert.deepEqual(clicked, ['undo']);
  assert.equal(line.querySelector('details.step-change summary').textContent, 'Fetch: show the code change');
});

test('an answer streams into one element, busy until complete, then shows the stored text and is announced once', () => {
  const { view: conversation, announcer } = view();
  conversation.push('a1', 'Runs **dai');
  conversation.push('a1', 'ly** now');
  const answer = conversation.list.querySelector('[data-message-id="a1"]');
  assert.equal(conversation.list.querySelectorAll('.message.assistant').length, 1);
  assert.ok(answer.classList.contains('streaming'));
  assert.equal(answer.getAttribute('aria-busy'), 'true');
  assert.equal(announcer.textContent, '', 'nothing is spoken while it streams');
  conversation.complete({ id: 'a1', content: 'Runs **daily** now.' });
  assert.equal(answer.dataset.complete, 'true');
  assert.equal(answer.getAttribute('aria-busy'), null);
  assert.ok(!answer.classList.contains('streaming'));
  assert.equal(answer.querySelector('strong').textContent, 'daily');
  assert.equal(announcer.textContent, 'The assistant answered: Runs daily now.');
  assert.equal(conversation.streaming, null);
});

test('a failed or cancelled answer keeps what arrived, says which, and is no longer busy', () => {
  for (const [code, note, spoken] of [['cancelled', 'Cancelled', 'The answer was cancelled.'],
    ['upstream_error', 'Incomplete', 'The answer failed.']]) {
    const { view: conversation, announcer } = view();
    conversation.push('a1', 'Let me look at');
    conversation.fail('a1', { code });
    const answer = conversation.list.querySelector('[data-message-id="a1"]');
    assert.equal(answer.querySelector('.body').textContent.trim(), 'Let me look at');
    assert.deepEqual(texts(answer, '.note'), [note]);
    assert.equal(answer.getAttribute('aria-busy'), null);
    assert.equal(announcer.textContent, spoken);
    conversation.fail('a1', { code }); // a repeated failure of an answer no longer streaming changes nothing
    assert.equal(answer.querySelectorAll('.note').length, 1);
  }
});
