// Incremental markdown: finished blocks are rendered once and appended (no flicker, the user's selection
// survives); only the block still being written is re-rendered, after its unfinished markers are closed so it
// never shows a raw `**`, a dangling backtick or half a link (the remend approach, in one linear pass).
// Every piece of HTML goes through DOMPurify: model text may carry <script> or onerror=.

import { marked } from 'marked';
import DOMPurify from 'dompurify';

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

/** Renders complete markdown to sanitised HTML. */
export function toHtml(markdown) {
  return DOMPurify.sanitize(marked.parse(markdown, { gfm: true, breaks: false }));
}

/**
 * Splits text into the part made of finished blocks and the block still being written, along marked's own
 * block tokens: the last block is still being written (a list too, since a next item may follow it after a blank
 * line, and a loose list is one list). The finished part is a prefix of the text; when marked's tokens do not
 * add up to one (reference definitions, say), nothing counts as finished.
 */
export function splitBlocks(text) {
  const tokens = marked.lexer(text, { gfm: true });
  let cut = tokens.length;
  while (cut > 0 && tokens[cut - 1].type === 'space') cut--;
  if (cut > 0) cut--;
  const done = tokens.slice(0, cut).map((token) => token.raw).join('');
  return text.startsWith(done) ? { done, tail: text.slice(done.length) } : { done: '', tail: text };
}

/** Whether `prefix` ends where one of marked's blocks of `text` ends, so the rest renders on its own. */
export function endsAtBlock(text, prefix) {
  let length = 0;
  for (const token of marked.lexer(text, { gfm: true })) {
    if (length === prefix.length) return true;
    length += token.raw.length;
  }
  return length === prefix.length && text.startsWith(prefix);
}

/** Closes what an unfinished block left open, so it renders as it will once complete. */
export function closeUnfinished(block) {
  const lines = block.split('\n');
  let fence = null;
  for (const line of lines) {
    const marker = FENCE.exec(line);
    if (!marker) continue;
    if (fence === null) fence = marker[1];
    else if (marker[1][0] === fence[0] && marker[1].length >= fence.length && line.trim() === marker[1]) fence = null;
  }
  if (fence !== null) {
    // Inside an open code fence: drop a half-written closing fence, then close it.
    return block.replace(/\n\s{0,3}[`~]{1,2}$/, '') + (block.endsWith('\n') ? '' : '\n') + fence;
  }
  return closeInline(block);
}

/**
 * A table shows as raw pipes until marked sees its delimiter row: hold back a trailing header line (and a
 * delimiter row still being written) until the row is complete.
 */
function holdBackTableHeader(block) {
  const lines = block.split('\n');
  const last = lines.length - 1;
  const isRow = (line) => /^\s{0,3}\|/.test(line ?? '');
  const cells = (line) => line.trim().replace(/^\||\|$/g, '').split('|');
  let header = -1;
  if (isRow(lines[last]) && !isRow(lines[last - 1])) header = last;
  else if (isRow(lines[last - 1]) && !isRow(lines[last - 2]) && /^\s*\|?[\s:|-]*$/.test(lines[last])) {
    const complete = cells(lines[last]).length === cells(lines[last - 1]).length
      && cells(lines[last]).every((cell) => /^\s*:?-+:?\s*$/.test(cell));
    if (!complete) header = last - 1;
  }
  return header < 0 ? block : lines.slice(0, header).join('\n');
}

function closeInline(block) {
  // Markers are dropped before an empty list item is, so "2. **" shows no empty "2." for a frame.
  let text = holdBackTableHeader(block)
    .replace(/\[([^\]\n]*)\]\([^)\n]*$/, '$1')   // [text](half-written url  ->  text
    .replace(/\[([^\]\n]*)$/, '$1')              // [half-written text       ->  text
    .replace(/[*_~`]+$/, (run) => (/\s/.test(block.at(-run.length - 1) ?? ' ') ? '' : run))
    .replace(/(^|\n)\s*([*+-]|\d+[.)])\s*$/, '$1'); // a list marker with nothing after it yet
  let code = false;
  let strong = 0;
  let emphasis = 0;
  let underscore = 0;
  let strike = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') { i++; continue; }
    if (c === '`') { code = !code; continue; }
    if (code) continue;
    if (c === '*' && text[i + 1] === '*') { strong ^= 1; i++; continue; }
    if (c === '*') {
      const listBullet = (i === 0 || text[i - 1] === '\n') && text[i + 1] === ' ';
      if (!listBullet) emphasis ^= 1;
      continue;
    }
    if (c === '~' && text[i + 1] === '~') { strike ^= 1; i++; continue; }
    if (c === '_') {
      const before = text[i - 1] ?? ' ';
      const after = text[i + 1] ?? ' ';
      const intraword = /\w/.test(before) && /\w/.test(after);
      if (!intraword) underscore ^= 1;
    }
  }
  if (code) return text + '`';
  text = text.replace(/\s+$/, (space) => (strong || emphasis || underscore || strike ? '' : space));
  return text + (strike ? '~~' : '') + (underscore ? '_' : '') + (emphasis ? '*' : '') + (strong ? '**' : '');
}

/** One streaming answer in one container element. */
export class MarkdownStream {
  constructor(container) {
    this.container = container;
    this.done = '';
    this.live = document.createElement('div');
    this.live.className = 'md-live';
    container.append(this.live);
  }

  /** Shows `text` (everything revealed so far). */
  update(text) {
    if (!text.startsWith(this.done)) {
      this.restart();
    }
    // Only the text after the finished blocks is lexed again, so a long answer costs no more per frame.
    const { done, tail } = splitBlocks(text.slice(this.done.length));
    if (done) {
      const block = document.createElement('div');
      block.className = 'md-block';
      block.innerHTML = toHtml(done);
      this.live.before(block);
      this.done += done;
    }
    this.live.innerHTML = tail ? toHtml(closeUnfinished(tail)) : '';
  }

  /** The final text: rendered in place of what streamed, without a second copy. */
  complete(text) {
    if (!text.startsWith(this.done) || !endsAtBlock(text, this.done)) {
      this.restart();
    }
    const rest = text.slice(this.done.length);
    if (rest) {
      const block = document.createElement('div');
      block.className = 'md-block';
      block.innerHTML = toHtml(rest);
      this.live.before(block);
    }
    this.done = text;
    this.live.innerHTML = '';
  }

  restart() {
    this.container.querySelectorAll('.md-block').forEach((block) => block.remove());
    this.done = '';
  }
}
