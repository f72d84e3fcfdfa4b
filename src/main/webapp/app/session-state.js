// What the page knows of a session, and what each event of its stream means for the screen: a pure reducer
// (state and event in, new state and the screen's actions out) that drops what was already seen, so replayed,
// resumed and repeated events never show twice. The view applies the actions; nothing here touches the DOM.

/** The state of a freshly opened session: what is stored is on screen already. */
export function opened(session) {
  const finished = session.messages
    .filter((message) => !(message.role === 'assistant' && message.status === 'streaming'))
    .map((message) => message.id);
  return {
    sessionId: session.id,
    kind: session.kind,
    finishedMessages: new Set(finished),
    seenChanges: new Set(session.applied_changes.map((change) => change.id)),
    changes: new Map(session.applied_changes.filter(tracked).map((change) => [change.id, {
      id: change.id, kind: change.kind, messageId: change.message_id, status: change.status,
      content: change.yaml ?? change.code ?? null, codeDiffs: change.code_diffs ?? [],
    }])),
    current: currentContent(session),
    activeAnswerId: session.streaming?.message_id ?? null,
    status: '',                 // what the answer in flight says it is doing, until its text starts
    textOf: null,               // the answer whose text has started
    queue: [],                  // questions typed while an answer streams: { id, content, context }
    sending: null,              // the id of the question on its way to the server
    truncationHandled: false,
  };
}

/** The workflow (a workflow or global session) or the job's code in force: it tells which change an undo takes back. */
function currentContent(session) {
  return holdsWorkflow(session.kind) ? session.workflow_yaml ?? null : session.job?.code ?? '';
}

/** Whether a session of this kind is about a workflow document: `workflow`, or `global` (every step's code too). */
export const holdsWorkflow = (kind) => kind !== 'job';

/** Changes the page lists in the conversation: those that took effect or were decided (not invalid ones). */
const tracked = (change) => ['applied', 'proposed', 'accepted', 'rejected', 'reverted'].includes(change.status);

const sameText = (a, b) => a != null && b != null && a.replace(/\r\n?/g, '\n') === b.replace(/\r\n?/g, '\n');

/**
 * The change an undo would take back now: the one in force whose content is what the session holds. Undoing an
 * earlier one would lose a later change, so the server refuses it; the page offers only this one.
 */
export function undoable(state) {
  for (const change of state.changes.values()) {
    if ((change.status === 'applied' || change.status === 'accepted') && sameText(change.content, state.current)) {
      return change.id;
    }
  }
  return null;
}

/** The changes of one answer still in force (to say so when the answer is cancelled). */
export function inForceFrom(state, messageId) {
  return [...state.changes.values()]
    .filter((change) => change.messageId === messageId && (change.status === 'applied' || change.status === 'accepted'));
}

/**
 * The id to resume the stream after: just before the answer in flight (its exchange is rebuilt from the
 * retained events), or the session's latest id when nothing streams.
 */
export function resumeAfter(session) {
  return session.streaming ? session.streaming.first_event_id - 1 : session.last_event_id;
}

/**
 * Stored messages and changes not on screen yet, after a `replay_truncated`: what to show, and the new state. The
 * answer on screen that ended meanwhile (its end was among the lost events) is completed or failed in place.
 */
export function catchUp(state, session) {
  const fresh = opened(session);
  const messages = session.messages.filter((m) => fresh.finishedMessages.has(m.id) && !state.finishedMessages.has(m.id));
  const proposals = session.applied_changes.filter((c) => !state.seenChanges.has(c.id) && c.status === 'proposed');
  const activeEnded = messages.some((m) => m.id === state.activeAnswerId);
  return {
    state: {
      ...state,
      finishedMessages: union(state.finishedMessages, fresh.finishedMessages),
      seenChanges: union(state.seenChanges, fresh.seenChanges),
      changes: fresh.changes,
      current: fresh.current,
      ...(activeEnded ? NOTHING_STREAMS : {}),
    },
    actions: [
      ...messages.map((message) => (message.id === state.activeAnswerId ? ending(message) : { type: 'show-message', message })),
      ...(holdsWorkflow(session.kind) ? [{ type: 'show-workflow', yaml: session.workflow_yaml }] : []),
      ...proposals.map((change) => ({ type: 'propose', change })),
    ],
  };
}

function ending(message) {
  return message.status === 'complete'
    ? { type: 'complete', message }
    : { type: 'fail', messageId: message.id, error: message.error ?? { code: message.status, message: '' } };
}

/** One event of the stream: the new state and what the screen should do. */
export function reduce(state, event, data) {
  switch (event) {
    case 'message_created':
      if (state.finishedMessages.has(data.message.id)) return same(state);
      return next({ ...state, finishedMessages: add(state.finishedMessages, data.message.id) },
        { type: 'show-message', message: data.message });
    case 'status_update':
      if (state.finishedMessages.has(data.message_id)) return same(state);
      return next({ ...state, activeAnswerId: data.message_id, status: data.status },
        { type: 'status', messageId: data.message_id, text: data.status });
    case 'streaming_chunk':
      if (state.finishedMessages.has(data.message_id)) return same(state);
      return next({
        ...state, activeAnswerId: data.message_id, textOf: data.message_id,
        status: state.textOf === data.message_id ? state.status : '',
      }, { type: 'chunk', messageId: data.message_id, content: data.content });
    case 'streaming_changes':
      return receiveChange(state, data);
    case 'change_updated':
      return changeUpdated(state, data);
    case 'streaming_complete':
      if (state.finishedMessages.has(data.message.id)) return same(state);
      return next({ ...state, ...NOTHING_STREAMS, finishedMessages: add(state.finishedMessages, data.message.id) },
        { type: 'complete', message: data.message });
    case 'streaming_error':
      if (state.finishedMessages.has(data.message_id)) return same(state);
      return next({ ...state, ...NOTHING_STREAMS, finishedMessages: add(state.finishedMessages, data.message_id) },
        { type: 'fail', messageId: data.message_id, error: data.error });
    case 'replay_truncated':
      if (state.truncationHandled) return same(state);
      return next({ ...state, truncationHandled: true }, { type: 'catch-up' });
    default:
      return same(state);
  }
}

function receiveChange(state, change) {
  if (state.seenChanges.has(change.change_id) || change.status === 'duplicate') return same(state);
  const seen = { ...state, seenChanges: add(state.seenChanges, change.change_id) };
  if (change.status === 'invalid') return next(seen, { type: 'invalid-change', change });
  const content = change.yaml ?? change.code ?? null;
  const recorded = {
    ...seen,
    changes: new Map(seen.changes).set(change.change_id, {
      id: change.change_id, kind: change.kind, messageId: change.message_id, status: change.status, content,
      codeDiffs: change.code_diffs ?? [],
    }),
  };
  if (change.status === 'applied' && change.kind === 'workflow') {
    return next({ ...recorded, current: content }, { type: 'apply-workflow', change });
  }
  if (change.status === 'proposed') return next(recorded, { type: 'propose', change });
  return same(seen);
}

/**
 * A change was accepted, rejected or undone, here or in another tab: its new status, and the content now in
 * force (the accepted code, or what an undo restored). Repeated, it changes nothing more.
 */
function changeUpdated(state, data) {
  const known = state.changes.get(data.change_id);
  const changes = known ? new Map(state.changes).set(data.change_id, { ...known, status: data.status }) : state.changes;
  const seen = { ...state, seenChanges: add(state.seenChanges, data.change_id), changes };
  if (data.status === 'reverted') {
    const kind = known?.kind ?? (holdsWorkflow(state.kind) ? 'workflow' : 'job_code');
    const restored = kind === 'workflow' ? data.workflow_yaml ?? null : data.job_code ?? '';
    return next({ ...seen, current: restored }, { type: 'reverted', changeId: data.change_id, kind, content: restored });
  }
  const current = data.status === 'accepted' ? data.job_code ?? known?.content ?? state.current : state.current;
  return next({ ...seen, current }, { type: 'decided', changeId: data.change_id, status: data.status });
}

/** Whether a question typed now waits: an answer streams, a question is on its way, or others wait before it. */
export function holdsQuestions(state) {
  return Boolean(state.activeAnswerId || state.sending || state.queue.length);
}

/** A question typed: queued while the session is busy, else on its way at once (the item to send, or null). */
export function typed(state, item) {
  return holdsQuestions(state) ? { state: { ...state, queue: [...state.queue, item] }, send: null } : sent(state, item);
}

/** The queued question to send now that nothing streams and nothing is on its way, if any. */
export function nextQueued(state) {
  if (state.activeAnswerId || state.sending || !state.queue.length) return { state, send: null };
  return sent({ ...state, queue: state.queue.slice(1) }, state.queue[0]);
}

/** The server took the question on its way: its answer streams now, unless the answer's end has already arrived. */
export function asked(state, answerId) {
  const active = state.finishedMessages.has(answerId) ? state.activeAnswerId : answerId;
  return { ...state, sending: null, activeAnswerId: active };
}

/** The server refused the question for now (another tab's answer streams, or its quota): it waits first in line. */
export function deferred(state, item) {
  return { ...state, sending: null, queue: [item, ...state.queue.filter((queued) => queued.id !== item.id)] };
}

/** The server refused the question for good: it leaves the queue. */
export function dropped(state, item) {
  return { ...state, sending: null, queue: state.queue.filter((queued) => queued.id !== item.id) };
}

const sent = (state, item) => ({ state: { ...state, sending: item.id }, send: item });
const NOTHING_STREAMS = { activeAnswerId: null, status: '', textOf: null };
const same = (state) => ({ state, actions: [] });
const next = (state, action) => ({ state, actions: [action] });
const add = (set, value) => new Set(set).add(value);
const union = (a, b) => new Set([...a, ...b]);
