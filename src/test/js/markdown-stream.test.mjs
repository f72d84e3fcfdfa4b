import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marked } from 'marked';
import { closeUnfinished, splitBlocks, endsAtBlock } from '../../main/webapp/app/markdown-stream.js';

test('unfinished markers are closed for display', () => {
  const cases = {
    'keeps only **act': 'keeps only **act**',
    'a `fn': 'a `fn`',
    'see [the docs](https://exa': 'see the docs',
    'see [the do': 'see the do',
    'x\n\n```js\nconst a': 'x\n\n```js\nconst a\n```',
    'so _very': 'so _very_',
    'plain ~~old': 'plain ~~old~~',
    'ends with **': 'ends with ',
    '1. **Fetch** calls': '1. **Fetch** calls',
    '* item': '* item',
    '1. one\n2. **': '1. one\n',
    '1. one\n2. `': '1. one\n',
    'Results:\n\n| Step | Time |': 'Results:\n',
    'Results:\n\n| Step | Time |\n| --- |': 'Results:\n',
    '| Step | Time |\n| --- | --- |': '| Step | Time |\n| --- | --- |',
    '| Step | Time |\n| --- | --- |\n| Fetch | 2': '| Step | Time |\n| --- | --- |\n| Fetch | 2',
  };
  for (const [streamed, shown] of Object.entries(cases)) {
    assert.equal(closeUnfinished(streamed), shown, JSON.stringify(streamed));
  }
});

// Rendered by marked alone: DOMPurify, the page's last step, needs a DOM.
test('a table being written never shows its header as raw pipes, nor a list an empty item', () => {
  const answer = 'Timing:\n\n| Step | Time |\n| --- | --- |\n| Fetch | 2 s |\n\n1. First\n2. Second\n';
  for (let end = 1; end <= answer.length; end++) {
    const shown = marked.parse(closeUnfinished(answer.slice(0, end)), { gfm: true });
    assert.ok(!shown.includes('|'), `raw pipes at ${end}: ${shown}`);
    assert.ok(!/<li>\s*<\/li>/.test(shown), `empty list item at ${end}: ${shown}`);
  }
});

test('finished blocks are split along marked\'s tokens; a code fence with blank lines is one block', () => {
  assert.deepEqual(splitBlocks('one\n\n```\na\n\nb\n```\n\nthree'), { done: 'one\n\n```\na\n\nb\n```\n\n', tail: 'three' });
});

test('the block being written stays open, and so does a list that may go on', () => {
  assert.deepEqual(splitBlocks('one\n\ntwo'), { done: 'one\n\n', tail: 'two' });
  assert.deepEqual(splitBlocks('- a\n\n- b\n\n'), { done: '', tail: '- a\n\n- b\n\n' });
  assert.deepEqual(splitBlocks('- a\n\n- b\n\nafter'), { done: '- a\n\n- b\n\n', tail: 'after' });
});

test('a loose list streamed item by item is still one block when the answer completes', () => {
  const final = 'Steps:\n\n- fetch\n\n- upsert\n\n- notify\n';
  let done = '';
  for (let end = 1; end <= final.length; end++) {
    done += splitBlocks(final.slice(done.length, end)).done;
  }
  assert.ok(endsAtBlock(final, done), `the streamed prefix ${JSON.stringify(done)} ends where a block ends`);
  assert.ok(!done.includes('- fetch'), 'no item of the list was finished on its own');
});

test('a prefix that cuts a block in two is not a block boundary', () => {
  assert.ok(!endsAtBlock('- a\n\n- b\n', '- a\n\n'));
  assert.ok(endsAtBlock('one\n\ntwo\n', 'one\n\n'));
  assert.ok(endsAtBlock('anything', ''));
});
