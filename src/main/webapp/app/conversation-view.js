// The message list: stored messages as they were, and the one answer being streamed, paced and rendered as it
// grows. It knows nothing of sockets or sessions; main.js tells it what to show.
import { Pacer } from './pacer.js';
import { MarkdownStream, toHtml } from './markdown-stream.js';

function note(text) {
  const element = document.createElement('p');
  element.className = 'note';
  element.textContent = text;
  return element;
}

export class ConversationView {
  /** @param {HTMLElement} list  @param {{ instant: () => boolean }} options when to show text without pacing */
  constructor(list, { instant }) {
    this.list = list;
    this.instant = instant;
    this.streaming = null; // { messageId, element, markdown, pacer }
  }

  clear() {
    this.streaming = null;
    this.list.replaceChildren();
  }

  get isStreaming() {
    return this.streaming !== null;
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
    this.list.append(element);
    element.scrollIntoView({ block: 'end' });
    return element;
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
      answer.element.dataset.complete = 'true';
    });
    this.streaming = null;
  }

  /** Shows at once what arrived of a failed answer, marked as incomplete or cancelled. */
  fail(messageId, error) {
    const answer = this.streaming?.messageId === messageId ? this.streaming : null;
    if (answer) {
      answer.pacer.flush();
      answer.element.classList.remove('streaming');
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
    const markdown = new MarkdownStream(element.querySelector('.body'));
    const pacer = new Pacer({
      render: (shown) => { markdown.update(shown); element.scrollIntoView({ block: 'end' }); },
      instant: this.instant,
    });
    this.streaming = { messageId, element, markdown, pacer };
    return this.streaming;
  }
}
