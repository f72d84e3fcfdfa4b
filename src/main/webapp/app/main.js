// The assistant panel: conversation, paced streaming answer, status, errors and retry, the workflow diagram
// and the job's code with proposals. The server applies and deduplicates changes; this page follows the stream.

import { Pacer } from './pacer.js';
import { MarkdownStream, toHtml } from './markdown-stream.js';
import { WorkflowView } from './workflow-view.js';
import { JobView } from './job-view.js';
import { SessionConnection } from './connection.js';

const SAMPLE_WORKFLOW = `name: Patient-Sync
jobs:
  Fetch-Patients:
    id: job-fetch-patients
    name: Fetch Patients
    adaptor: "@openfn/language-http@latest"
    body: |
      get('/patients');
triggers:
  webhook:
    id: trigger-webhook
    type: webhook
    enabled: true
edges:
  webhook->Fetch-Patients:
    id: edge-webhook-fetch
    source_trigger: webhook
    target_job: Fetch-Patients
    condition_type: always
    enabled: true
`;
const SAMPLE_JOB = { name: 'Fetch patients', adaptor: '@openfn/language-http@latest', code: "get('/patients');\n" };

const api = new URL('api/', document.baseURI);
const $ = (id) => document.getElementById(id);
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');

const state = {
  session: null,
  connection: null,
  finishedMessages: new Set(),  // answers already complete when loaded: their replayed events are ignored
  seenChanges: new Set(),       // change ids already applied or previewed here
  streaming: null,              // { messageId, element, markdown, pacer }
  activeAnswerId: null,         // the answer in flight, known from the POST or its first event
  lastQuestion: null,
  token: null,                  // the session's capability, kept in this browser's storage
};

const tokenKey = (sessionId) => `assistant-stream:token:${sessionId}`;

async function request(method, path, body, token = state.token) {
  const headers = body === undefined ? {} : { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(new URL(path, api), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.headers.get('Content-Type')?.includes('json') ? await response.json() : null;
  if (!response.ok) throw new Error(data?.detail ?? `HTTP ${response.status}`);
  return data;
}

async function newSession(kind) {
  const body = kind === 'workflow'
    ? { kind, title: 'New workflow', workflow_yaml: SAMPLE_WORKFLOW }
    : { kind, title: 'New job', job: SAMPLE_JOB };
  const created = await request('POST', 'sessions', body, null);
  localStorage.setItem(tokenKey(created.id), created.token);
  location.hash = `session=${created.id}`;
}

async function openSession(id, sharedToken) {
  state.connection?.close();
  if (sharedToken) localStorage.setItem(tokenKey(id), sharedToken);
  state.token = localStorage.getItem(tokenKey(id));
  state.finishedMessages.clear();
  state.seenChanges.clear();
  state.streaming = null;
  state.truncationHandled = false;
  const session = await request('GET', `sessions/${id}`);
  state.session = session;
  document.body.dataset.kind = session.kind;
  $('chooser').hidden = true;
  $('panel').hidden = false;
  $('messages').replaceChildren();
  if (session.kind === 'workflow') {
    workflowView.show(session.workflow_yaml);
  } else {
    jobView.showJob(session.job);
  }
  showStored(session);
  // An answer in flight is rebuilt from the retained events of its exchange; finished ones are skipped by id.
  const from = session.streaming ? session.streaming.first_event_id - 1 : session.last_event_id;
  const socketUrl = new URL(`ws/sessions/${id}`, wsBase());
  socketUrl.searchParams.set('access_token', state.token ?? '');
  state.connection = new SessionConnection(socketUrl, {
    lastEventId: from,
    onEvent: handle,
    onState: (connectionState) => { document.body.dataset.connection = connectionState; },
  });
}

/** Shows the stored messages and changes that are not on screen yet (all of them when the page opens). */
function showStored(session) {
  for (const message of session.messages) {
    if (message.role === 'assistant' && message.status === 'streaming') continue;
    if (state.finishedMessages.has(message.id)) continue;
    state.finishedMessages.add(message.id);
    appendMessage(message);
  }
  for (const change of session.applied_changes) {
    if (state.seenChanges.has(change.id)) continue;
    state.seenChanges.add(change.id);
    if (session.kind === 'job' && change.status === 'proposed') jobView.propose(change);
  }
}

/**
 * The server no longer holds every event since the page's last id (a restart, an expired or overflowing replay
 * buffer): show what is stored once, and carry on with the live events that follow on the same socket.
 */
async function catchUpAfterTruncation() {
  if (state.truncationHandled) return;
  state.truncationHandled = true;
  const session = await request('GET', `sessions/${state.session.id}`);
  showStored(session);
  if (session.kind === 'workflow') workflowView.show(session.workflow_yaml);
}

function wsBase() {
  const base = new URL(document.baseURI);
  base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  return base;
}

function handle(event, data) {
  switch (event) {
    case 'message_created':
      if (!state.finishedMessages.has(data.message.id)) {
        state.finishedMessages.add(data.message.id);
        appendMessage(data.message);
      }
      break;
    case 'status_update':
      if (!state.finishedMessages.has(data.message_id)) {
        markActive(data.message_id);
        $('status').textContent = data.status;
      }
      break;
    case 'streaming_chunk':
      if (!state.finishedMessages.has(data.message_id)) {
        markActive(data.message_id);
        if (!state.streaming) $('status').textContent = '';
        streamingAnswer(data.message_id).pacer.push(data.content);
      }
      break;
    case 'streaming_changes':
      receiveChange(data);
      break;
    case 'change_updated':
      state.seenChanges.add(data.change_id);
      jobView.decided(data.change_id, data.status);
      break;
    case 'streaming_complete':
      completeAnswer(data.message);
      break;
    case 'streaming_error':
      failAnswer(data);
      break;
    case 'replay_truncated':
      catchUpAfterTruncation().catch((e) => showBanner(`Cannot reload the session: ${e.message}`));
      break;
    default:
      break;
  }
}

function markActive(messageId) {
  state.activeAnswerId = messageId;
  document.body.classList.add('is-streaming');
}

function receiveChange(change) {
  if (state.seenChanges.has(change.change_id) || change.status === 'duplicate') return;
  state.seenChanges.add(change.change_id);
  if (change.status === 'applied' && change.kind === 'workflow') {
    workflowView.show(change.yaml, { highlight: true });
    flashNote(`Workflow updated: ${workflowTitle(change.yaml)}`);
  } else if (change.status === 'proposed') {
    jobView.propose(change);
    flashNote('The assistant proposes a change to the code: review it on the right');
  } else if (change.status === 'invalid') {
    flashNote(`The assistant's change was not applied: ${change.error}`, 'warning');
  }
}

function workflowTitle(yaml) {
  return /^name:\s*(.+)$/m.exec(yaml ?? '')?.[1] ?? 'new version';
}

function appendMessage(message) {
  const element = document.createElement('article');
  element.className = `message ${message.role}${message.status && message.status !== 'complete' ? ' incomplete' : ''}`;
  element.dataset.messageId = message.id;
  const body = document.createElement('div');
  body.className = 'body';
  if (message.role === 'assistant') body.innerHTML = toHtml(message.content ?? '');
  else body.textContent = message.content;
  element.append(body);
  if (message.status === 'error' || message.status === 'cancelled') {
    element.append(note(message.status === 'cancelled' ? 'Cancelled' : `Incomplete: ${message.error?.message ?? ''}`));
  }
  $('messages').append(element);
  element.scrollIntoView({ block: 'end' });
  return element;
}

function note(text) {
  const element = document.createElement('p');
  element.className = 'note';
  element.textContent = text;
  return element;
}

function streamingAnswer(messageId) {
  if (state.streaming?.messageId === messageId) return state.streaming;
  const element = appendMessage({ id: messageId, role: 'assistant', content: '', status: 'streaming' });
  element.classList.add('streaming');
  const body = element.querySelector('.body');
  const markdown = new MarkdownStream(body);
  const pacer = new Pacer({
    render: (shown) => { markdown.update(shown); element.scrollIntoView({ block: 'end' }); },
    instant: () => reducedMotion.matches || document.visibilityState === 'hidden',
  });
  state.streaming = { messageId, element, markdown, pacer };
  return state.streaming;
}

function completeAnswer(message) {
  if (state.finishedMessages.has(message.id)) return;
  state.finishedMessages.add(message.id);
  const answer = streamingAnswer(message.id);
  answer.pacer.finish(() => {
    answer.markdown.complete(message.content);
    answer.element.classList.remove('streaming', 'incomplete');
    answer.element.dataset.complete = 'true';
  });
  endStreaming('');
}

function failAnswer(data) {
  if (state.finishedMessages.has(data.message_id)) return;
  state.finishedMessages.add(data.message_id);
  const answer = state.streaming?.messageId === data.message_id ? state.streaming : null;
  if (answer) {
    answer.pacer.flush();
    answer.element.classList.remove('streaming');
    answer.element.append(note(data.error.code === 'cancelled' ? 'Cancelled' : 'Incomplete'));
  }
  endStreaming('');
  showBanner(data.error.code === 'cancelled' ? 'The answer was cancelled.' : `The answer failed: ${data.error.message}`);
}

function endStreaming(status) {
  state.streaming = null;
  state.activeAnswerId = null;
  $('status').textContent = status;
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
    const posted = await request('POST', `sessions/${state.session.id}/messages`, { content });
    if (!state.finishedMessages.has(posted.assistant_message_id)) markActive(posted.assistant_message_id);
    $('question').value = '';
  } catch (e) {
    showBanner(e.message);
  }
}

const workflowView = new WorkflowView($('workflow'));
const jobView = new JobView($('job'), {
  onDecide: async (changeId, accept) => {
    try {
      await request('POST', `sessions/${state.session.id}/changes/${changeId}/${accept ? 'accept' : 'reject'}`);
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
  const messageId = state.activeAnswerId ?? state.session.streaming?.message_id;
  if (!messageId) return;
  try {
    await request('POST', `sessions/${state.session.id}/messages/${messageId}/cancel`);
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
  if (document.visibilityState === 'hidden') state.streaming?.pacer.flush();
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
window.assistantStream = { state, workflowView, jobView };
