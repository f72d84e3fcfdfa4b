// What the conversation says about each change an answer made, and which buttons go with it: pure, so that the
// words and the one Undo are tested without a page (change-lines.test.mjs); main.js wires the buttons.

/** A workflow's name as its YAML gives it, for the line and the note. */
export function workflowTitle(yaml) {
  return /^name:\s*(.+)$/m.exec(yaml ?? '')?.[1] ?? 'new version';
}

/** What a global change did to the steps' code, in words: " · code changed in Fetch Patients, Notify Team". */
export function stepsChanged(codeDiffs) {
  return codeDiffs?.length ? ` · code changed in ${codeDiffs.map((d) => d.name).join(', ')}` : '';
}

/**
 * The line for one change (session-state.js's record of it): its text, its buttons (`undo` only on the change an
 * undo takes back, and only for the session's owner; `show-work` while the change is in force or waits), and
 * the steps' diffs it shows.
 */
export function changeLine(change, { owner, undoable }) {
  const workflow = change.kind === 'workflow';
  const text = {
    applied: `Workflow updated: ${workflowTitle(change.content)}${stepsChanged(change.codeDiffs)}`,
    proposed: 'Code change proposed: review it beside the conversation',
    accepted: 'Code change accepted',
    rejected: 'Code change rejected',
    reverted: workflow ? 'Workflow change undone' : 'Code change undone',
  }[change.status];
  const buttons = [];
  if (owner && undoable === change.id) buttons.push({ label: 'Undo', className: 'undo' });
  if (change.status !== 'reverted' && change.status !== 'rejected') {
    buttons.push({ label: workflow ? 'Show diagram' : 'Show code', className: 'show-work' });
  }
  return { text, buttons, codeDiffs: change.status === 'applied' ? change.codeDiffs ?? [] : [] };
}
