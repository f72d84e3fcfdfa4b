// The assistant panel's view: status, errors and retry, the conversation (conversation-view.js), the workflow
// diagram and the job's code with proposals, undo, the connection's state and watch-only links. What each event
// means is decided by session-state.js (pure, tested with node --test); this module only puts it on screen. The
// server applies, deduplicates and undoes changes.

import { ConversationView } from './conversation-view.js';
import { WorkflowView } from './workflow-view.js';
import { JobView } from './job-view.js';
import { GlobalPane } from './global-pane.js';
import { SessionConnection } from './connection.js';
import { Api } from './api.js';
import { ConnectionBadge } from './connection-badge.js';
import { changeLine, stepsChanged, workflowTitle } from './change-lines.js';
import {
  opened, resumeAfter, reduce, catchUp, undoable, inForceFrom, holdsWorkflow, holdsQuestions, typed, nextQueued, asked,
  deferred, dropped,
} from './session-state.js';

const SAMPLE_JOB = { name: 'Fetch patients', adaptor: '@openfn/language-http@latest', code: "get('/patients');\n" };
const EXAMPLES = {
  global: ['What does this workflow do?', 'Only fetch active patients, upsert them, and tell the team when loading fails',
    'Fail when nothing comes back'],
  workflow: ['What does this workflow do?', 'Sync patients to DHIS2 every morning', 'Email the team when a step fails'],
  job: ['What does this code do?', 'Keep only active patients', 'Handle errors from the API'],
};
/** How long an answer may go without text before the page says it is still waiting. */
const QUIET_AFTER_MILLIS = 10000;

const api = new Api(new URL('api/', document.baseURI));
const $ = (id) => document.getElementById(id);
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');

const state = {
  session: null,
  connection: null,
  model: null,                  // session-state.js: what has been seen, what streams and waits, which changes hold
  lastQuestion: null,
  token: null,                  // the session's capability, kept in this browser's storage
  access: 'owner',              // or 'viewer': a watch-only link
};

const tokenKey = (sessionId) => `assistant-stream:token:${sessionId}`;
const viewerKey = (sessionId) => `assistant-stream:viewer:${sessionId}`;

/** The workflow a new session starts from (static files beside this module; a global one has code in its steps). */
async function sampleWorkflow(kind) {
  const response = await fetch(new URL(kind === 'global' ? './samples/global-workflow.yaml' : './samples/workflow.yaml', import.meta.url));
  return response.text();
}

async function newSession(kind) {
  const body = kind === 'job'
    ? { kind, title: 'New job', job: SAMPLE_JOB }
    : { kind, title: kind === 'global' ? 'Workflow and code' : 'New workflow', workflow_yaml: await sampleWorkflow(kind) };
  try {
    const created = await api.createSession(body);
    localStorage.setItem(tokenKey(created.id), created.token);
    location.hash = `session=${created.id}`;
  } catch (e) {
    showBanner(`Cannot start a session: ${e.message}`);
  }
}

/** The token to open a session with: one the link carries, else the owner's, else a watch-only one kept here. */
function tokenFor(id, params) {
  if (params.get('token')) localStorage.setItem(tokenKey(id), params.get('token'));
  if (params.get('view')) {
    localStorage.setItem(viewerKey(id), params.get('view'));
    return params.get('view');
  }
  return localStorage.getItem(tokenKey(id)) ?? localStorage.getItem(viewerKey(id));
}

async function openSession(id, params) {
  state.connection?.close();
  state.token = tokenFor(id, params);
  if (!state.token) {
    showChooser('This link opens a session, but this browser has no key for it: sessions open only in the '
      + 'browser that started them. Open the link there, or ask the session\'s owner for a watch-only link.');
    return;
  }
  let session;
  try {
    session = await api.session(id, state.token);
  } catch (e) {
    showChooser(e.status === 403
      ? 'The key in this link no longer opens the session: a newer watch-only link may have replaced it. Ask the session\'s owner for a new one.'
      : e.status === 404 ? 'There is no such session here: it may have been deleted, or the link is cut short.'
        : `Cannot open the session: ${e.message}`);
    return;
  }
  state.session = session;
  state.access = session.access ?? 'owner';
  state.model = opened(session);
  document.body.dataset.kind = session.kind;
  document.body.dataset.access = state.access;
  $('access-badge').hidden = state.access !== 'viewer';
  $('share').hidden = state.access !== 'owner';
  $('chooser').hidden = true;
  $('panel').hidden = false;
  $('banner').hidden = true;
  conversation.clear();
  if (holdsWorkflow(session.kind)) {
    workflowView.show(session.workflow_yaml);
    if (session.kind === 'global') openGlobal(session);
  } else {
    jobView.showJob(session.job);
  }
  for (const message of session.messages) {
    if (!state.model.finishedMessages.has(message.id)) continue;
    conversation.append(message);
    for (const change of state.model.changes.values()) {
      if (change.messageId === message.id) showChangeLine(change.id);
    }
  }
  for (const change of session.applied_changes) {
    if (change.status === 'proposed') jobView.propose(change);
  }
  showExamples();
  const socketUrl = new URL(`ws/sessions/${id}`, wsBase());
  socketUrl.searchParams.set('access_token', state.token);
  state.connection = new SessionConnection(socketUrl, {
    lastEventId: resumeAfter(session),
    onEvent: handle,
    onState: (connectionState) => connectionBadge.show(connectionState),
  });
  if (state.model.activeAnswerId) watchForQuiet();
  renderActivity();
  if (state.access === 'owner') $('question').focus();
}

function wsBase() {
  const base = new URL(document.baseURI);
  base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  return base;
}

function handle(event, data) {
  const { state: model, actions } = reduce(state.model, event, data);
  state.model = model;
  actions.forEach(show);
  renderActivity();
}

/** Puts one action of the reducer on screen. */
function show(action) {
  switch (action.type) {
    case 'show-message':
      conversation.append(action.message);
      // The question on its way is the one this is (its POST may answer after its event arrives).
      if (action.message.role === 'user' && state.model.sending) conversation.removeQueued(state.model.sending);
      showExamples();
      break;
    case 'status':
      watchForQuiet();
      break;
    case 'chunk':
      watchForQuiet();
      conversation.push(action.messageId, action.content);
      break;
    case 'apply-workflow':
      workflowView.show(action.change.yaml, { highlight: true });
      globalPane.refresh();
      if (action.change.code_diffs) globalPane.changed(action.change.code_diffs);
      flashNote(`Workflow updated: ${workflowTitle(action.change.yaml)}${stepsChanged(action.change.code_diffs)}`);
      refreshChangeLines();
      break;
    case 'show-workflow':
      workflowView.show(action.yaml);
      globalPane.refresh();
      refreshChangeLines();
      break;
    case 'propose':
      jobView.propose(action.change);
      flashNote('The assistant proposes a change to the code: review it beside the conversation');
      refreshChangeLines();
      break;
    case 'invalid-change':
      flashNote(`The assistant's change was not applied: ${action.change.error}`, 'warning');
      break;
    case 'decided':
      jobView.decided(action.changeId, action.status);
      refreshChangeLines();
      break;
    case 'reverted':
      if (action.kind === 'workflow') {
        workflowView.show(action.content, { highlight: true });
        globalPane.refresh();
        globalPane.changed([]);
      } else {
        jobView.showJob({ ...jobView.job, code: action.content });
      }
      flashNote(action.kind === 'workflow' ? 'Change undone: the workflow is back to what it was' : 'Change undone: the code is back to what it was');
      if ($('banner-undo').dataset.changeId === action.changeId) $('banner').hidden = true;
      refreshChangeLines();
      break;
    case 'complete':
      conversation.complete(action.message);
      endStreaming();
      break;
    case 'fail':
      conversation.fail(action.messageId, action.error);
      endStreaming();
      if (action.error.code === 'cancelled') {
        const kept = inForceFrom(state.model, action.messageId);
        showBanner(kept.length ? `The answer was cancelled. Its ${kept[0].kind === 'workflow' ? 'workflow' : 'code'} change was kept.`
          : 'The answer was cancelled.', kept.length && state.access === 'owner' ? kept.at(-1).id : null);
      } else {
        showBanner(`The answer failed: ${action.error.message}`);
      }
      break;
    case 'catch-up':
      // The server no longer holds every event since the page's last id: show what is stored, once, and carry
      // on with the live events that follow on the same socket.
      api.session(state.session.id, state.token)
        .then((session) => {
          const caught = catchUp(state.model, session);
          state.model = caught.state;
          caught.actions.forEach(show);
          refreshChangeLines();
          if (!state.model.activeAnswerId) endStreaming();
          renderActivity();
        })
        .catch((e) => showBanner(`Cannot reload the session: ${e.message}`));
      break;
    default:
      break;
  }
}

/** The line in the conversation for one change: what it did, and Undo where it is the one an undo takes back. */
function showChangeLine(changeId) {
  const change = state.model.changes.get(changeId);
  if (!change) return;
  const line = changeLine(change, { owner: state.access === 'owner', undoable: undoable(state.model) });
  const onClick = {
    undo: () => undo(changeId),
    'show-work': () => $('work').scrollIntoView({ block: 'start' }),
  };
  conversation.changeLine(changeId, line.text,
    line.buttons.map((button) => ({ ...button, onClick: onClick[button.className] })), line.codeDiffs);
}

/** A global session: its steps selectable, and the steps the change in force rewrote marked. */
function openGlobal(session) {
  globalPane.select(null);
  globalPane.refresh();
  const inForce = state.model.changes.get(undoable(state.model) ?? '');
  globalPane.changed(inForce?.codeDiffs ?? []);
}

function refreshChangeLines() {
  for (const changeId of state.model.changes.keys()) showChangeLine(changeId);
}

async function undo(changeId) {
  try {
    await api.revert(state.session.id, changeId, state.token);
  } catch (e) {
    showBanner(`Cannot undo the change: ${e.message}`);
  }
  $('question').focus();
}

/** The answer in flight as the model has it: Cancel while it streams, Queue while questions wait, its status. */
function renderActivity() {
  const streaming = Boolean(state.model?.activeAnswerId);
  document.body.classList.toggle('is-streaming', streaming);
  $('send').textContent = state.model && holdsQuestions(state.model) ? 'Queue' : 'Send';
  $('status').textContent = !streaming ? '' : quiet ? STILL_WORKING : state.model.status;
}

function endStreaming() {
  clearTimeout(quietTimer);
  quiet = false;
  sendNextQueued();
}

let quietTimer;
let quiet = false;
const STILL_WORKING = 'Still working: no new text for a while. The answer goes on; Cancel stops it.';
/** During an answer, says so when no text has come for a while (the service can think for a long time). */
function watchForQuiet() {
  clearTimeout(quietTimer);
  quiet = false;
  quietTimer = setTimeout(() => {
    quiet = true;
    renderActivity();
  }, QUIET_AFTER_MILLIS);
}

function showBanner(text, undoChangeId = null) {
  $('banner-text').textContent = text;
  $('retry').hidden = !state.lastQuestion || state.access !== 'owner';
  $('banner-undo').hidden = !undoChangeId;
  $('banner-undo').dataset.changeId = undoChangeId ?? '';
  $('banner').hidden = false;
}

function showChooser(note) {
  state.connection?.close();
  state.session = null;
  $('panel').hidden = true;
  $('chooser').hidden = false;
  $('share').hidden = true;
  $('access-badge').hidden = true;
  $('connection-state').textContent = '';
  $('chooser-note').textContent = note ?? '';
  $('chooser-note').hidden = !note;
}

function showExamples() {
  const box = $('examples');
  const fresh = state.session && state.access === 'owner' && conversationIsEmpty();
  box.hidden = !fresh;
  box.querySelectorAll('button').forEach((button) => button.remove());
  if (!fresh) return;
  for (const question of EXAMPLES[state.session.kind]) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = question;
    button.addEventListener('click', () => ask(question));
    box.append(button);
  }
}

const conversationIsEmpty = () => !$('messages').querySelector('.message');

let noteTimer;
function flashNote(text, kind = 'info') {
  const element = $('change-note');
  element.textContent = text;
  element.dataset.kind = kind;
  element.classList.add('visible');
  clearTimeout(noteTimer);
  noteTimer = setTimeout(() => { element.classList.remove('visible'); }, 4000);
}

let queuedIds = 0;
/**
 * Sends a question, or queues it while an answer streams (one answer at a time per session): queued questions
 * go out in order as each answer ends, so typing ahead never meets a refusal.
 */
function ask(content) {
  $('banner').hidden = true;
  $('question').value = '';
  $('question').focus();
  const item = { id: `queued-${++queuedIds}`, content, context: questionContext() };
  const { state: model, send: now } = typed(state.model, item);
  state.model = model;
  if (now) send(now);
  else conversation.queued(item.id, content);
  renderActivity();
}

/** In a global session, where the user is and the log they attached; sent with the question, then cleared. */
function questionContext() {
  if (state.session?.kind !== 'global') return {};
  const log = $('attachment').value.trim();
  $('attachment').value = '';
  $('attach').open = false;
  return { page: globalPane.page(), attachments: log ? [{ type: 'log', content: log }] : undefined };
}

async function send(item) {
  state.lastQuestion = item.content;
  try {
    const posted = await api.ask(state.session.id, item.content, state.token, item.context);
    conversation.removeQueued(item.id);
    state.model = asked(state.model, posted.assistant_message_id);
    if (state.model.activeAnswerId) watchForQuiet();
  } catch (e) {
    if (e.status === 409 || e.status === 429) {
      // Another tab's answer is streaming (its end reaches this page too), or the question quota is spent: wait.
      state.model = deferred(state.model, item);
      conversation.queued(item.id, item.content);
      setTimeout(sendNextQueued, Math.max(1, e.retryAfter || 2) * 1000);
    } else {
      conversation.removeQueued(item.id);
      state.model = dropped(state.model, item);
      showBanner(e.message);
    }
  }
  renderActivity();
}

function sendNextQueued() {
  if (!state.session) return;
  const { state: model, send: item } = nextQueued(state.model);
  state.model = model;
  if (item) send(item);
  renderActivity();
}

const conversation = new ConversationView($('messages'), {
  instant: () => reducedMotion.matches || document.visibilityState === 'hidden',
  announcer: $('announcer'),
});
const connectionBadge = new ConnectionBadge($('connection-state'), document.body);
const workflowView = new WorkflowView($('workflow'), { onSelect: (jobKey) => globalPane.select(jobKey) });
const globalPane = new GlobalPane($('step'), workflowView);
const jobView = new JobView($('job'), {
  onDecide: async (changeId, accept) => {
    try {
      await api.decide(state.session.id, changeId, accept, state.token);
    } catch (e) {
      showBanner(e.message);
    }
    $('question').focus();
  },
});

$('ask').addEventListener('submit', (e) => {
  e.preventDefault();
  const content = $('question').value.trim();
  if (content) ask(content);
});
$('question').addEventListener('keydown', (e) => {
  // Enter that confirms an input method's composition (Japanese, Chinese, ...) is not a send.
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
    e.preventDefault();
    $('ask').requestSubmit();
  }
});
$('cancel').addEventListener('click', async () => {
  const messageId = state.model?.activeAnswerId;
  $('question').focus();
  if (!messageId) return;
  try {
    await api.cancel(state.session.id, messageId, state.token);
  } catch (e) {
    showBanner(e.message);
  }
});
$('retry').addEventListener('click', () => { if (state.lastQuestion) ask(state.lastQuestion); });
$('banner-undo').addEventListener('click', () => { undo($('banner-undo').dataset.changeId); });
$('dismiss').addEventListener('click', () => { $('banner').hidden = true; $('question').focus(); });
$('new-global').addEventListener('click', () => newSession('global'));
$('new-workflow').addEventListener('click', () => newSession('workflow'));
$('new-job').addEventListener('click', () => newSession('job'));
$('home').addEventListener('click', () => { location.hash = ''; });
$('share').addEventListener('click', async () => {
  try {
    const { viewer_token: viewerToken } = await api.viewerToken(state.session.id, state.token);
    const link = new URL(location.href);
    link.hash = `session=${state.session.id}&view=${viewerToken}`;
    $('share-url').value = link.href;
    $('share-panel').hidden = false;
    $('share-url').select();
  } catch (e) {
    showBanner(`Cannot make a watch-only link: ${e.message}`);
  }
});
$('copy-share').addEventListener('click', () => { navigator.clipboard?.writeText($('share-url').value); });
$('close-share').addEventListener('click', () => { $('share-panel').hidden = true; });
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') conversation.flush();
});
addEventListener('offline', () => state.connection?.offline());
addEventListener('online', () => state.connection?.online());

function route() {
  const params = new URLSearchParams(location.hash.slice(1));
  const id = params.get('session');
  $('share-panel').hidden = true;
  if (id) {
    openSession(id, params).catch((e) => showBanner(`Cannot open the session: ${e.message}`));
  } else {
    showChooser(null);
  }
}
addEventListener('hashchange', route);
route();

// For tests and curious users: the live objects of the page.
window.assistantStream = { state, conversation, workflowView, jobView, globalPane };
