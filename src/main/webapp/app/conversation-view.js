// The message list: stored messages as they were, the one answer being streamed, paced and rendered as it
// grows, and a line per change an answer made (with its Undo). It knows nothing of sockets or sessions; main.js
// tells it what to show. For screen readers the list is not a live region (it would speak every frame): the
// answer in flight is aria-busy, and its completion is announced once through a separate status element.
import { Pacer } from './pacer.js';
import { MarkdownStream, toHtml } from './markdown-stream.js';
import { diffView } from './job-view.js';

function note(text) {
  const element = document.createElement('p');
  element.className = 'note';
  element.textContent = text;
  return element;
}

export class ConversationView {
  /**
   * @param {HTMLElement} list
   * @param {{ instant: () => boolean, announcer: HTMLElement }} options when to show text without pacing, and
   *   the polite status element that speaks a finished answer
   */
  constructor(list, { instant, announcer }) {
    this.list = list;
    this.instant = instant;
    this.announcer = announcer;
    this.streaming = null; // { messageId, element, markdown, pacer }
  }

  clear() {
    this.streaming = null;
    this.list.replaceChildren();
  }

  append(message) {
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
    this.list.insertBefore(element, this.list.querySelector('.message.queued')); // questions waiting stay last
    element.scrollIntoView({ block: 'end' });
    return element;
  }

  /** A pending question, shown as the user's until it is sent (then `message_created` shows it for real); once. */
  queued(id, content) {
    const shown = this.list.querySelector(`.message.queued[data-message-id="${CSS.escape(id)}"]`);
    if (shown) return shown;
    const element = this.append({ id, role: 'user', content });
    this.list.append(element);
    element.classList.add('queued');
    element.append(note('Waiting: sent when the current answer ends'));
    return element;
  }

  removeQueued(id) {
    this.list.querySelector(`.message.queued[data-message-id="${CSS.escape(id)}"]`)?.remove();
  }

  /**
   * The line that tells what a change did (created on first call, updated after), with the buttons that go
   * with it now: `{ label, className, onClick }` each.
   */
  changeLine(changeId, text, buttons = [], codeDiffs = []) {
    let line = this.list.querySelector(`.change-line[data-change-id="${CSS.escape(changeId)}"]`);
    if (!line) {
      line = document.createElement('div');
      line.className = 'change-line';
      line.dataset.changeId = changeId;
      const queued = this.list.querySelector('.message.queued');
      this.list.insertBefore(line, queued);
    }
    const words = document.createElement('span');
    words.textContent = text;
    line.replaceChildren(words, ...buttons.map(({ label, className, onClick }) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = `link ${className}`;
      button.textContent = label;
      button.addEventListener('click', onClick);
      return button;
    }), ...codeDiffs.map(stepDiff));
    return line;
  }

  /** Adds text to the answer being streamed, starting it on its first chunk. */
  push(messageId, content) {
    this.#answer(messageId).pacer.push(content);
  }

  /** Lets the pacer finish, then replaces the streamed text with the stored one. */
  complete(message) {
    const answer = this.#answer(message.id);
    answer.pacer.finish(() => {
      answer.markdown.complete(message.content);
      answer.element.classList.remove('streaming', 'incomplete');
      answer.element.removeAttribute('aria-busy');
      answer.element.dataset.complete = 'true';
      const text = answer.element.querySelector('.body').textContent.trim();
      this.announcer.textContent = `The assistant answered: ${text.length > 240 ? `${text.slice(0, 240)}…` : text}`;
    });
    this.streaming = null;
  }

  /** Shows at once what arrived of a failed answer, marked as incomplete or cancelled. */
  fail(messageId, error) {
    const answer = this.streaming?.messageId === messageId ? this.streaming : null;
    if (answer) {
      answer.pacer.flush();
      answer.element.classList.remove('streaming');
      answer.element.removeAttribute('aria-busy');
      this.announcer.textContent = error.code === 'cancelled' ? 'The answer was cancelled.' : 'The answer failed.';
      answer.element.append(note(error.code === 'cancelled' ? 'Cancelled' : 'Incomplete'));
    }
    this.streaming = null;
  }

  /** A hidden tab gets no animation frames: show everything that has arrived. */
  flush() {
    this.streaming?.pacer.flush();
  }

  #answer(messageId) {
    if (this.streaming?.messageId === messageId) return this.streaming;
    const element = this.append({ id: messageId, role: 'assistant', content: '', status: 'streaming' });
    element.classList.add('streaming');
    element.setAttribute('aria-busy', 'true');
    const markdown = new MarkdownStream(element.querySelector('.body'));
    const pacer = new Pacer({
      render: (shown) => { markdown.update(shown); element.scrollIntoView({ block: 'end' }); },
      instant: this.instant,
    });
    this.streaming = { messageId, element, markdown, pacer };
    return this.streaming;
  }
}

/** One step's new code under a global change's line: its name, the diff folded away until asked for. */
function stepDiff({ job, name, diff }) {
  const details = document.createElement('details');
  details.className = 'step-change';
  details.dataset.job = job;
  const summary = document.createElement('summary');
  summary.textContent = `${name}: show the code change`;
  details.append(summary, diffView(diff, ''));
  return details;
}
