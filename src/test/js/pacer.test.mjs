import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pacer } from '../../main/webapp/app/pacer.js';

/** A pacer on a fake frame clock (a frame every 16 ms, run by the test). */
function paced(options = {}) {
  const frames = [];
  let shown = '';
  const pacer = new Pacer({ render: (text) => { shown = text; }, schedule: (frame) => frames.push(frame), ...options });
  return {
    pacer,
    shown: () => shown,
    /** Runs frames until none is asked for, or for `ms`; returns the time reached and the most words in a frame. */
    run(ms = Infinity) {
      let t = 0;
      let most = 0;
      let before = words(shown);
      for (; t <= ms && frames.length; t += 16) {
        frames.shift()(t);
        most = Math.max(most, words(shown) - before);
        before = words(shown);
      }
      return { t, most };
    },
  };
}

const words = (text) => (text.match(/[\p{L}\p{N}]+/gu) ?? []).length;
const many = (count, prefix) => Array.from({ length: count }, (_, i) => prefix + i).join(' ');

test('a burst of 300 words drains within the lag bound, a few words a frame', () => {
  const burst = paced();
  burst.pacer.push(`${many(300, 'word')} `);
  const { t, most } = burst.run();
  assert.equal(words(burst.shown()), 300);
  assert.ok(t <= 900, `drained in ${t} ms`);
  assert.ok(most <= 8, `${most} words in one frame`);
});

test('a trickle is shown at about 60 words a second', () => {
  const calm = paced();
  calm.pacer.push(many(30, 'w'));
  calm.run(250);
  const shown = words(calm.shown());
  assert.ok(shown >= 10 && shown <= 20, `${shown} words after 250 ms`);
});

test('finishing shows the rest quickly, then calls back', () => {
  const fin = paced();
  fin.pacer.push(many(100, 'f'));
  let done = false;
  fin.pacer.finish(() => { done = true; });
  const { t } = fin.run(2000);
  assert.ok(done);
  assert.equal(words(fin.shown()), 100);
  assert.ok(t <= 600, `finished in ${t} ms`);
});

test('instant mode (reduced motion, a hidden tab) shows everything at once', () => {
  const instant = paced({ instant: () => true });
  instant.pacer.push('all at once please');
  assert.equal(instant.shown(), 'all at once please');
});

test('a surrogate pair split across chunks is never shown half', () => {
  const emoji = paced({ instant: () => true });
  emoji.pacer.push('coffee \uD83D');
  assert.equal(emoji.shown(), 'coffee ');
  emoji.pacer.push('\uDE00 done');
  assert.equal(emoji.shown(), 'coffee \uD83D\uDE00 done');
});
