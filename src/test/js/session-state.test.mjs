import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  opened, resumeAfter, reduce, catchUp, undoable, inForceFrom, holdsQuestions, typed, nextQueued, asked, deferred, dropped,
} from '../../main/webapp/app/session-state.js';

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

test('only the change whose content is in force can be undone, and an undo restores what it replaced', () => {
  const start = opened(session({ workflow_yaml: 'name: a', applied_changes: [] }));
  const { state: twoApplied } = play(start, [
    ['streaming_changes', { change_id: 'c1', message_id: 'a2', status: 'applied', kind: 'workflow', yaml: 'name: b' }],
    ['streaming_changes', { change_id: 'c2', message_id: 'a3', status: 'applied', kind: 'workflow', yaml: 'name: c' }],
  ]);
  assert.equal(undoable(twoApplied), 'c2', 'the latest one: undoing c1 would lose c2');

  const { state: undone, actions } = play(twoApplied, [
    ['change_updated', { change_id: 'c2', status: 'reverted', workflow_yaml: 'name: b' }],
    ['change_updated', { change_id: 'c2', status: 'reverted', workflow_yaml: 'name: b' }],
  ]);
  assert.deepEqual(actions[0], { type: 'reverted', changeId: 'c2', kind: 'workflow', content: 'name: b' });
  assert.equal(undone.current, 'name: b');
  assert.equal(undoable(undone), 'c1', 'then the one before it');
  assert.deepEqual(inForceFrom(undone, 'a3'), [], 'an undone change is no longer in force');
  assert.equal(inForceFrom(undone, 'a2')[0].id, 'c1');
});

test('an accepted proposal can be undone; a proposal, a rejection and an undone change cannot', () => {
  const job = { kind: 'job', job: { code: 'a();' }, workflow_yaml: null };
  const { state: proposed } = play(opened(session({ ...job, applied_changes: [] })), [
    ['streaming_changes', { change_id: 'p1', message_id: 'a2', status: 'proposed', kind: 'job_code', code: 'b();' }],
  ]);
  assert.equal(undoable(proposed), null);
  const { state: accepted } = play(proposed, [['change_updated', { change_id: 'p1', status: 'accepted', job_code: 'b();' }]]);
  assert.equal(accepted.current, 'b();');
  assert.equal(undoable(accepted), 'p1');
  const { state: reverted } = play(accepted, [['change_updated', { change_id: 'p1', status: 'reverted', job_code: 'a();' }]]);
  assert.equal(reverted.current, 'a();');
  assert.equal(undoable(reverted), null);
});

test('a session opened with stored changes knows which one is in force', () => {
  const state = opened(session({
    workflow_yaml: 'name: c\r\n',
    applied_changes: [
      { id: 'c1', message_id: 'a1', kind: 'workflow', status: 'applied', yaml: 'name: b\n' },
      { id: 'c2', message_id: 'a1', kind: 'workflow', status: 'applied', yaml: 'name: c\n' },
      { id: 'c3', message_id: 'a1', kind: 'workflow', status: 'invalid', error: 'no jobs' },
    ],
  }));
  assert.equal(undoable(state), 'c2', 'line ends do not matter');
  assert.equal(state.changes.has('c3'), false, 'invalid changes are not listed');
});

test('a global session is about its workflow: its changes carry per-step diffs and an undo restores the workflow', () => {
  const global = session({ kind: 'global', workflow_yaml: 'name: a', applied_changes: [] });
  const diffs = [{ job: 'fetch', name: 'Fetch', diff: '+x' }];
  const { state, actions } = play(opened(global), [
    ['streaming_changes', { change_id: 'g1', message_id: 'a2', status: 'applied', kind: 'workflow', yaml: 'name: b', code_diffs: diffs }],
  ]);
  assert.equal(actions[0].type, 'apply-workflow');
  assert.deepEqual(state.changes.get('g1').codeDiffs, diffs);
  assert.equal(undoable(state), 'g1', 'the global change in force is the one to undo');
  const undone = play(state, [['change_updated', { change_id: 'other', status: 'reverted', workflow_yaml: 'name: a' }]]);
  assert.deepEqual(undone.actions[0], { type: 'reverted', changeId: 'other', kind: 'workflow', content: 'name: a' },
    'an undo of a change this page never saw still restores the workflow, not job code');
});

test('an answer\'s status shows until its text starts, a later status stays to the end, and its end clears it', () => {
  let { state } = play(opened(session()), [['status_update', { message_id: 'a2', status: 'Thinking…' }]]);
  assert.equal(state.status, 'Thinking…');
  assert.equal(state.activeAnswerId, 'a2');
  ({ state } = play(state, [['streaming_chunk', { message_id: 'a2', content: 'Sure' }]]));
  assert.equal(state.status, '', 'the first text replaces the status');
  ({ state } = play(state, [['status_update', { message_id: 'a2', status: 'Checking the workflow' }],
    ['streaming_chunk', { message_id: 'a2', content: ', here' }]]));
  assert.equal(state.status, 'Checking the workflow', 'a status after text stays while more text comes');
  ({ state } = play(state, [['streaming_complete', { message: { id: 'a2', content: 'Sure, here' } }]]));
  assert.deepEqual([state.activeAnswerId, state.status, state.textOf], [null, '', null]);
});

test('questions typed while an answer streams wait in order and go one at a time as each answer ends', () => {
  const first = { id: 'queued-1', content: 'one' };
  const second = { id: 'queued-2', content: 'two' };
  let state = opened(session());
  assert.equal(holdsQuestions(state), false);
  let step = typed(state, first);
  assert.equal(step.send, first, 'nothing streams: sent at once');
  state = asked(step.state, 'a2');
  assert.deepEqual([state.sending, state.activeAnswerId], [null, 'a2']);
  step = typed(state, second);
  assert.equal(step.send, null, 'held while a2 streams');
  state = step.state;
  assert.deepEqual(state.queue, [second]);
  assert.equal(nextQueued(state).send, null, 'still streaming');
  state = play(state, [['streaming_complete', { message: { id: 'a2', content: 'done' } }]]).state;
  step = nextQueued(state);
  assert.equal(step.send, second);
  assert.deepEqual([step.state.queue, step.state.sending], [[], 'queued-2']);
  assert.equal(typed(step.state, { id: 'queued-3', content: 'three' }).send, null, 'held while one is on its way');
});

test('a question refused for now waits first in line, one refused for good leaves, and an answer already ended is not active', () => {
  const item = { id: 'queued-1', content: 'one' };
  const later = { id: 'queued-2', content: 'two' };
  let state = typed(opened(session()), item).state;
  state = typed(state, later).state;
  state = deferred(state, item);
  assert.deepEqual([state.sending, state.queue.map((q) => q.id)], [null, ['queued-1', 'queued-2']]);
  assert.deepEqual(deferred(state, item).queue.map((q) => q.id), ['queued-1', 'queued-2'], 'never twice');
  const step = nextQueued(state);
  assert.equal(step.send, item);
  assert.deepEqual(dropped(step.state, item).queue.map((q) => q.id), ['queued-2']);
  const ended = play(step.state, [['streaming_complete', { message: { id: 'a9', content: 'fast' } }]]).state;
  assert.equal(asked(ended, 'a9').activeAnswerId, null, 'its end arrived before the POST answered');
});
