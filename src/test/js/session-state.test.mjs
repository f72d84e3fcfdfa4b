import { test } from 'node:test';
import assert from 'node:assert/strict';
import { opened, resumeAfter, reduce, catchUp } from '../../main/webapp/app/session-state.js';

const session = (overrides = {}) => ({
  id: 's1', kind: 'workflow', workflow_yaml: 'name: a',
  messages: [
    { id: 'q1', role: 'user', content: 'hi', status: 'complete' },
    { id: 'a1', role: 'assistant', content: 'hello', status: 'complete' },
  ],
  applied_changes: [{ id: 'c1', status: 'applied' }],
  streaming: null, last_event_id: 40,
  ...overrides,
});

/** Feeds events through the reducer and returns the final state and every action, in order. */
function play(state, events) {
  const actions = [];
  for (const [event, data] of events) {
    const step = reduce(state, event, data);
    state = step.state;
    actions.push(...step.actions);
  }
  return { state, actions };
}

test('a page resumes after the latest id, or just before the answer in flight', () => {
  assert.equal(resumeAfter(session()), 40);
  assert.equal(resumeAfter(session({ streaming: { message_id: 'a2', first_event_id: 31, last_event_id: 40 } })), 30);
});

test('replayed events of finished messages and seen changes show nothing', () => {
  const { actions } = play(opened(session()), [
    ['message_created', { message: { id: 'q1' } }],
    ['streaming_chunk', { message_id: 'a1', content: 'hel' }],
    ['streaming_changes', { change_id: 'c1', status: 'applied', kind: 'workflow', yaml: 'name: a' }],
    ['streaming_complete', { message: { id: 'a1', content: 'hello' } }],
  ]);
  assert.deepEqual(actions, []);
});

test('an answer streams once, whatever is repeated', () => {
  const created = { message: { id: 'q2', role: 'user', content: 'more' } };
  const { state, actions } = play(opened(session()), [
    ['message_created', created],
    ['message_created', created],
    ['status_update', { message_id: 'a2', status: 'Thinking' }],
    ['streaming_chunk', { message_id: 'a2', content: 'Hi' }],
    ['streaming_changes', { change_id: 'c2', status: 'applied', kind: 'workflow', yaml: 'name: b' }],
    ['streaming_changes', { change_id: 'c2', status: 'applied', kind: 'workflow', yaml: 'name: b' }],
    ['streaming_changes', { change_id: 'c3', status: 'duplicate', kind: 'workflow' }],
    ['streaming_complete', { message: { id: 'a2', content: 'Hi' } }],
    ['streaming_complete', { message: { id: 'a2', content: 'Hi' } }],
    ['streaming_chunk', { message_id: 'a2', content: 'late' }],
  ]);
  assert.deepEqual(actions.map((a) => a.type), ['show-message', 'status', 'chunk', 'apply-workflow', 'complete']);
  assert.equal(state.activeAnswerId, null);
});

test('a failed answer is shown once and ends what is active', () => {
  const { state, actions } = play(opened(session()), [
    ['streaming_chunk', { message_id: 'a2', content: 'Hi' }],
    ['streaming_error', { message_id: 'a2', error: { code: 'upstream_timeout', message: 'silent' } }],
    ['streaming_error', { message_id: 'a2', error: { code: 'upstream_timeout', message: 'silent' } }],
  ]);
  assert.deepEqual(actions.map((a) => a.type), ['chunk', 'fail']);
  assert.equal(state.activeAnswerId, null);
});

test('replay_truncated asks for the stored state once, never in a loop', () => {
  const { actions } = play(opened(session()), [
    ['replay_truncated', { requested_after: 0 }],
    ['replay_truncated', { requested_after: 0 }],
    ['replay_truncated', { requested_after: 0 }],
  ]);
  assert.deepEqual(actions, [{ type: 'catch-up' }]);
});

test('catching up shows only what is not on screen yet', () => {
  const state = opened(session());
  const later = session({
    messages: [...session().messages, { id: 'q2', role: 'user', content: 'x', status: 'complete' },
      { id: 'a2', role: 'assistant', content: 'y', status: 'complete' }],
    applied_changes: [{ id: 'c1', status: 'applied' }, { id: 'c2', status: 'applied' }],
    workflow_yaml: 'name: b',
  });
  const caught = catchUp(state, later);
  assert.deepEqual(caught.actions.map((a) => a.type), ['show-message', 'show-message', 'show-workflow']);
  assert.ok(caught.state.finishedMessages.has('a2') && caught.state.seenChanges.has('c2'));
  assert.deepEqual(reduce(caught.state, 'streaming_complete', { message: { id: 'a2' } }).actions, []);
});

test('an answer on screen that ended among the lost events is completed in place, not shown twice', () => {
  const { state } = play(opened(session()), [
    ['message_created', { message: { id: 'q2', role: 'user', content: 'x' } }],
    ['streaming_chunk', { message_id: 'a2', content: 'part' }],
  ]);
  const stored = { id: 'a2', role: 'assistant', content: 'part and the rest', status: 'complete' };
  const later = session({ messages: [...session().messages, { id: 'q2', role: 'user', content: 'x', status: 'complete' }, stored] });
  const caught = catchUp(state, later);
  assert.deepEqual(caught.actions.filter((a) => a.type !== 'show-workflow'), [{ type: 'complete', message: stored }]);
  assert.equal(caught.state.activeAnswerId, null);

  const failed = { ...stored, status: 'error', error: { code: 'server_restarted', message: 'ask again' } };
  const afterFailure = catchUp(state, session({ messages: [...session().messages, later.messages[2], failed] }));
  assert.deepEqual(afterFailure.actions[0], { type: 'fail', messageId: 'a2', error: failed.error });
});

test('a proposal and an invalid change each say so once', () => {
  const { actions } = play(opened(session({ kind: 'job' })), [
    ['streaming_changes', { change_id: 'p1', status: 'proposed', kind: 'job_code' }],
    ['streaming_changes', { change_id: 'p1', status: 'proposed', kind: 'job_code' }],
    ['streaming_changes', { change_id: 'i1', status: 'invalid', kind: 'workflow', error: 'no name' }],
    ['change_updated', { change_id: 'p1', status: 'accepted' }],
  ]);
  assert.deepEqual(actions.map((a) => a.type), ['propose', 'invalid-change', 'decided']);
});
