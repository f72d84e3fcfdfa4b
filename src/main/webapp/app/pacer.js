// Reveals streamed text word by word at a calm, steady pace that speeds up smoothly when text piles up, so the
// display never trails the stream by more than about maxLagMs (Lightning #4517, #4566, #5085; assistant-ui's
// adaptive catch-up). Words come from Intl.Segmenter, so a reveal never cuts a grapheme or a multi-byte character.

const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

export class Pacer {
  /**
   * @param {object} options
   * @param {(shown: string) => void} options.render   called with the text to show, after every reveal
   * @param {number} [options.wordsPerSecond=60]       the calm pace when there is little backlog
   * @param {number} [options.maxLagMs=1500]           each push's backlog is drained within half of this
   * @param {number} [options.finishMs=400]            after the stream ends, the rest appears within this
   * @param {() => boolean} [options.instant]          when true (reduced motion, hidden tab) text shows at once
   * @param {(frame: (now: number) => void) => void} [options.schedule]  the frame clock (requestAnimationFrame)
   */
  constructor({ render, wordsPerSecond = 60, maxLagMs = 1500, finishMs = 400, instant = () => false,
                schedule = (frame) => requestAnimationFrame(frame) }) {
    Object.assign(this, { render, wordsPerSecond, maxLagMs, finishMs, instant, schedule });
    this.reset();
  }

  reset() {
    this.received = '';
    this.heldBack = '';
    this.shown = 0;
    this.pending = [];      // unrevealed segments: { text, isWord }
    this.pendingWords = 0;
    this.budget = 0;
    this.catchUpRate = 0;
    this.lastFrame = null;
    this.finished = false;
    this.running = false;
    this.onDrained = null;
  }

  /** Adds streamed text. */
  push(text) {
    // A chunk can end inside a surrogate pair: hold the lone half back until the rest arrives.
    let incoming = (this.heldBack ?? '') + (text ?? '');
    this.heldBack = '';
    const last = incoming.charCodeAt(incoming.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.heldBack = incoming.slice(-1);
      incoming = incoming.slice(0, -1);
    }
    if (!incoming) return;
    // Re-segment the unrevealed tail with the new text: a word split across chunks is one word again.
    const tail = this.received.slice(this.shown) + incoming;
    this.received += incoming;
    this.pending = [...segmenter.segment(tail)].map((s) => ({ text: s.segment, isWord: s.isWordLike }));
    this.pendingWords = this.pending.filter((s) => s.isWord).length;
    this.catchUp(this.maxLagMs / 2);
    this.start();
  }

  /**
   * Sets the pace that clears today's backlog within `withinMs`, fixed until the next push: recomputing it from
   * the shrinking backlog every frame would slow down as it drains and never meet the bound.
   */
  catchUp(withinMs) {
    this.catchUpRate = this.pendingWords / (withinMs / 1000);
  }

  /** The stream ended: the rest is revealed quickly; `then` runs once everything is on screen. */
  finish(then) {
    this.finished = true;
    this.onDrained = then ?? null;
    this.catchUp(this.finishMs);
    this.start();
  }

  /** Shows everything received at once (a hidden tab, reduced motion, an error). */
  flush() {
    if (this.pending.length) {
      this.reveal(this.pending.length);
    }
    this.drained();
  }

  /** Words still waiting to be shown. */
  get backlog() {
    return this.pendingWords;
  }

  start() {
    if (this.instant()) {
      this.flush();
      return;
    }
    if (!this.running) {
      this.running = true;
      this.lastFrame = null;
      this.schedule((now) => this.frame(now));
    }
  }

  frame(now) {
    const elapsed = this.lastFrame === null ? 1000 / 60 : Math.min(now - this.lastFrame, 250);
    this.lastFrame = now;
    if (this.instant()) {
      this.flush();
      this.running = false;
      return;
    }
    // The calm pace, or faster when needed to clear the backlog within half the allowed lag (finishMs at the end).
    const rate = Math.max(this.wordsPerSecond, this.catchUpRate);
    this.budget += (rate * elapsed) / 1000;
    let words = Math.floor(this.budget);
    if (words > 0 || this.pending.length && !this.pending[0].isWord) {
      this.budget -= words;
      this.reveal(this.segmentsFor(words));
    }
    if (this.pending.length) {
      this.schedule((next) => this.frame(next));
    } else {
      this.running = false;
      this.budget = 0;
      if (this.finished) this.drained();
    }
  }

  /** How many leading segments hold `words` words, with the spaces and punctuation that follow them. */
  segmentsFor(words) {
    let count = 0;
    let seen = 0;
    while (count < this.pending.length) {
      if (this.pending[count].isWord) {
        if (seen === words) break;
        seen++;
      }
      count++;
    }
    return count;
  }

  reveal(count) {
    const revealed = this.pending.splice(0, count);
    for (const segment of revealed) {
      this.shown += segment.text.length;
      if (segment.isWord) this.pendingWords--;
    }
    this.render(this.received.slice(0, this.shown));
  }

  drained() {
    if (this.finished && this.onDrained) {
      const then = this.onDrained;
      this.onDrained = null;
      then();
    }
  }
}
