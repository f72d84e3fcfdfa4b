import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changeLine, stepsChanged, workflowTitle } from '../../main/webapp/app/change-lines.js';

const applied = { id: 'c2', kind: 'workflow', status: 'applied', content: 'name: Weekly-Sync\njobs: {}\n',
  codeDiffs: [{ job: 'fetch', name: 'Fetch Patients', diff: '-a\n+b\n' }, { job: 'notify', name: 'Notify Team', diff: '+c\n' }] };

test('an applied workflow names itself and the steps whose code it rewrote, with its diffs', () => {
  const line = changeLine(applied, { owner: true, undoable: 'c2' });
  assert.equal(line.text, 'Workflow updated: Weekly-Sync · code changed in Fetch Patients, Notify Team');
  assert.deepEqual(line.buttons.map((b) => b.className), ['undo', 'show-work']);
  assert.equal(line.buttons[1].label, 'Show diagram');
  assert.equal(line.codeDiffs, applied.codeDiffs);
});

test('Undo goes only with the change an undo takes back, and only for the owner', () => {
  assert.deepEqual(changeLine(applied, { owner: true, undoable: 'c3' }).buttons.map((b) => b.className), ['show-work']);
  assert.deepEqual(changeLine(applied, { owner: false, undoable: 'c2' }).buttons.map((b) => b.className), ['show-work']);
});

test('each status of a code change says what happened; one undone or rejected offers nothing to look at', () => {
  const code = { id: 'c1', kind: 'code', content: 'x', codeDiffs: [{ name: 'ignored' }] };
  const lines = Object.fromEntries(['proposed', 'accepted', 'rejected', 'reverted'].map((status) =>
    [status, changeLine({ ...code, status }, { owner: true, undoable: null })]));
  assert.deepEqual(Object.fromEntries(Object.entries(lines).map(([status, line]) => [status, line.text])), {
    proposed: 'Code change proposed: review it beside the conversation', accepted: 'Code change accepted',
    rejected: 'Code change rejected', reverted: 'Code change undone',
  });
  assert.deepEqual(lines.proposed.buttons, [{ label: 'Show code', className: 'show-work' }]);
  assert.deepEqual(lines.rejected.buttons, []);
  assert.deepEqual(lines.reverted.buttons, []);
  assert.deepEqual(lines.accepted.codeDiffs, [], 'only an applied workflow shows step diffs');
  assert.equal(changeLine({ ...applied, status: 'reverted' }, { owner: true, undoable: null }).text, 'Workflow change undone');
});

test('a workflow without a name is a new version; no code diffs say nothing', () => {
  assert.equal(workflowTitle('jobs: {}\n'), 'new version');
  assert.equal(workflowTitle(undefined), 'new version');
  assert.equal(stepsChanged([]), '');
  assert.equal(stepsChanged(undefined), '');
});
