// The assistant panel's view: status, errors and retry, the conversation (conversation-view.js), the workflow
// diagram and the job's code with proposals. What each event means is decided by session-state.js (pure, tested
// with node --test); this module only puts it on screen. The server applies and deduplicates changes.

import { ConversationView } from './conversation-view.js';
import { WorkflowView } from './workflow-view.js';
import { JobView } from './job-view.js';
import { SessionConnection } from './connection.js';
import { Api } from './api.js';
import { opened, resumeAfter, reduce, catchUp } from './session-state.js';

const SAMPLE_JOB = { name: 'Fetch patients', adaptor: '@openfn/language-http@latest', code: "get('/patients');\n" };

const api = new Api(new URL('api/', document.baseURI));
const $ = (id) => document.getElementById(id);
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');

const state = {
  session: null,
  connection: null,
  model: null,                  // session-state.js: what has been seen, what is in flight
  lastQuestion: null,
  token: null,                  // the session's capability, kept in this browser's storage
};

const tokenKey = (sessionId) => `assistant-stream:token:${sessionId}`;

/** The workflow a new workflow session starts from (a static file beside this module). */
async function sampleWorkflow() {
  const response = await fetch(new URL('./samples/workflow.yaml', import.meta.url));
  return response.text();
}

async function newSession(kind) {
  const body = kind === 'workflow'
    ? { kind, title: 'New workflow', workflow_yaml: await sampleWorkflow() }
    : { kind, title: 'New job', job: SAMPLE_JOB };
  const created = await api.createSession(body);
  localStorage.setItem(tokenKey(created.id), created.token);
  location.hash = `session=${created.id}`;
}

async function openSession(id, sharedToken) {
  state.connection?.close();
  if (sharedToken) localStorage.setItem(tokenKey(id), sharedToken);
  state.token = localStorage.getItem(tokenKey(id));
  const session = await api.session(id, state.token);
  state.session = session;
  state.model = opened(session);
  document.body.dataset.kind = session.kind;
  $('chooser').hidden = true;
  $('panel').hidden = false;
  conversation.clear();
  if (session.kind === 'workflow') {
    workflowView.show(session.workflow_yaml);
  } else {
    jobView.showJob(session.job);
  }
  for (const message of session.messages) {
    if (state.model.finishedMessages.has(message.id)) conversation.append(message);
  }
  for (const change of session.applied_changes) {
    if (change.status === 'proposed') jobView.propose(change);
  }
  const socketUrl = new URL(`ws/sessions/${id}`, wsBase());
  socketUrl.searchParams.set('access_token', state.token ?? '');
  state.connection = new SessionConnection(socketUrl, {
    lastEventId: resumeAfter(session),
    onEvent: handle,
    onState: (connectionState) => { document.body.dataset.connection = connectionState; },
  });
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
}

/** Puts one action of the reducer on screen. */
function show(action) {
  switch (action.type) {
    case 'show-message':
      conversation.append(action.message);
      break;
    case 'status':
      markActive();
      $('status').textContent = action.text;
      break;
    case 'chunk':
      markActive();
      if (!conversation.isStreaming) $('status').textContent = '';
      conversation.push(action.messageId, action.content);
      break;
    case 'apply-workflow':
      workflowView.show(action.change.yaml, { highlight: true });
      flashNote(`Workflow updated: ${workflowTitle(action.change.yaml)}`);
      break;
    case 'show-workflow':
      workflowView.show(action.yaml);
      break;
    case 'propose':
      jobView.propose(action.change);
      flashNote('The assistant proposes a change to the code: review it on the right');
      break;
    case 'invalid-change':
      flashNote(`The assistant's change was not applied: ${action.change.error}`, 'warning');
      break;
    case 'decided':
      jobView.decided(action.changeId, action.status);
      break;
    case 'complete':
      conversation.complete(action.message);
      endStreaming();
      break;
    case 'fail':
      conversation.fail(action.messageId, action.error);
      endStreaming();
      showBanner(action.error.code === 'cancelled' ? 'The answer was cancelled.' : `The answer failed: ${action.error.message}`);
      break;
    case 'catch-up':
      // The server no longer holds every event since the page's last id: show what is stored, once, and carry
      // on with the live events that follow on the same socket.
      api.session(state.session.id, state.token)
        .then((session) => {
          const caught = catchUp(state.model, session);
          state.model = caught.state;
          caught.actions.forEach(show);
        })
        .catch((e) => showBanner(`Cannot reload the session: ${e.message}`));
      break;
    default:
      break;
  }
}

function markActive() {
  document.body.classList.add('is-streaming');
}

function workflowTitle(yaml) {
  return /^name:\s*(.+)$/m.exec(yaml ?? '')?.[1] ?? 'new version';
}

function endStreaming() {
  $('status').textContent = '';
  document.body.classList.remove('is-streaming');
}

function showBanner(text) {
  $('banner-text').textContent = text;
  $('banner').hidden = false;
}

let noteTimer;
function flashNote(text, kind = 'info') {
  const element = $('change-note');
  element.textContent = text;
  element.dataset.kind = kind;
  element.hidden = false;
  clearTimeout(noteTimer);
  noteTimer = setTimeout(() => { element.hidden = true; }, 4000);
}

async function ask(content) {
  $('banner').hidden = true;
  state.lastQuestion = content;
  try {
    const posted = await api.ask(state.session.id, content, state.token);
    if (!state.model.finishedMessages.has(posted.assistant_message_id)) {
      state.model = { ...state.model, activeAnswerId: posted.assistant_message_id };
      markActive();
    }
    $('question').value = '';
  } catch (e) {
    showBanner(e.message);
  }
}

const conversation = new ConversationView($('messages'), {
  instant: () => reducedMotion.matches || document.visibilityState === 'hidden',
});
const workflowView = new WorkflowView($('workflow'));
const jobView = new JobView($('job'), {
  onDecide: async (changeId, accept) => {
    try {
      await api.decide(state.session.id, changeId, accept, state.token);
    } catch (e) {
      showBanner(e.message);
    }
  },
});

$('ask').addEventListener('submit', (e) => {
  e.preventDefault();
  const content = $('question').value.trim();
  if (content) ask(content);
});
$('question').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey) {
    e.preventDefault();
    $('ask').requestSubmit();
  }
});
$('cancel').addEventListener('click', async () => {
  const messageId = state.model?.activeAnswerId;
  if (!messageId) return;
  try {
    await api.cancel(state.session.id, messageId, state.token);
  } catch (e) {
    showBanner(e.message);
  }
});
$('retry').addEventListener('click', () => { if (state.lastQuestion) ask(state.lastQuestion); });
$('dismiss').addEventListener('click', () => { $('banner').hidden = true; });
$('new-workflow').addEventListener('click', () => newSession('workflow'));
$('new-job').addEventListener('click', () => newSession('job'));
$('home').addEventListener('click', () => { location.hash = ''; });
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') conversation.flush();
});

function route() {
  const params = new URLSearchParams(location.hash.slice(1));
  const id = params.get('session');
  if (id) {
    openSession(id, params.get('token')).catch((e) => showBanner(`Cannot open the session: ${e.message}`));
  } else {
    state.connection?.close();
    $('panel').hidden = true;
    $('chooser').hidden = false;
  }
}
addEventListener('hashchange', route);
route();

// For tests and curious users: the live objects of the page.
window.assistantStream = { state, conversation, workflowView, jobView };
