import { mount, window } from './dom.mjs';
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowView } from '../../main/webapp/app/workflow-view.js';

const BRANCHING = `
name: Patient-Sync
triggers:
  webhook: { type: webhook, enabled: true }
jobs:
  fetch: { name: Fetch, adaptor: '@openfn/language-http@latest', body: 'get()' }
  upsert: { name: Upsert, adaptor: '@openfn/language-postgresql@latest', body: 'upsert()' }
  notify: { name: Notify, adaptor: '@openfn/language-mailgun@latest', body: 'send()' }
edges:
  webhook->fetch: { source_trigger: webhook, target_job: fetch, condition_type: always }
  fetch->upsert: { source_job: fetch, target_job: upsert, condition_type: on_job_success }
  upsert->notify: { source_job: upsert, target_job: notify, condition_type: on_job_success }
  fetch->notify: { source_job: fetch, target_job: notify, condition_type: on_job_failure, enabled: false }
`;

/** Each node's box, from its translate() and the rect it holds. */
function boxes(svg) {
  return [...svg.querySelectorAll('g.node')].map((node) => {
    const [x, y] = /translate\(([-\d.]+),([-\d.]+)\)/.exec(node.getAttribute('transform')).slice(1).map(Number);
    const rect = node.querySelector('rect');
    return { key: node.dataset.node, x, y, right: x + Number(rect.getAttribute('width')),
      bottom: y + Number(rect.getAttribute('height')) };
  });
}

/** An edge's path as its points (the view draws only M and L). */
const points = (edge) => [...edge.querySelector('path').getAttribute('d').matchAll(/[ML]([-\d.]+),([-\d.]+)/g)]
  .map(([, x, y]) => ({ x: Number(x), y: Number(y) }));

/** Whether the axis-parallel or straight segment a–b passes through the inside of a box (its border excluded). */
function crosses(a, b, box) {
  for (let t = 0; t <= 1; t += 1 / 200) {
    const x = a.x + (b.x - a.x) * t;
    const y = a.y + (b.y - a.y) * t;
    if (x > box.x && x < box.right && y > box.y && y < box.bottom) return true;
  }
  return false;
}

test('steps are drawn in layers by distance from the trigger, and no edge runs through a step', () => {
  const view = new WorkflowView(mount());
  view.show(BRANCHING);
  const svg = view.element.querySelector('svg');
  const nodes = boxes(svg);
  const y = Object.fromEntries(nodes.map((node) => [node.key, node.y]));
  assert.ok(y['trigger:webhook'] < y['job:fetch'] && y['job:fetch'] < y['job:upsert'] && y['job:upsert'] < y['job:notify']);
  const edges = [...svg.querySelectorAll('g.edge')];
  assert.equal(edges.length, 4);
  for (const edge of edges) {
    const path = points(edge);
    for (const node of nodes.filter((n) => n.key !== edge.dataset.from && n.key !== edge.dataset.to)) {
      for (let i = 1; i < path.length; i++) {
        assert.ok(!crosses(path[i - 1], path[i], node), `${edge.dataset.edge} runs through ${node.key}`);
      }
    }
  }
  const skip = svg.querySelector('g.edge[data-edge="fetch->notify"]');
  const rightmost = Math.max(...nodes.map((node) => node.right));
  assert.ok(points(skip).some((point) => point.x > rightmost), 'the edge that skips a layer runs down a lane of its own');
  assert.ok(Number(skip.querySelector('text').getAttribute('x')) > rightmost, 'and its label sits beside the steps');
  assert.ok(skip.classList.contains('disabled'));
  assert.equal(skip.querySelector('text').textContent, 'on failure');
});

test('screen readers get the steps and edges in words', () => {
  const view = new WorkflowView(mount());
  view.show(BRANCHING);
  assert.equal(view.element.querySelector('#workflow-description').textContent,
    'Workflow Patient-Sync: 4 steps: Webhook (on request), Fetch (http@latest), Upsert (postgresql@latest), '
    + 'Notify (mailgun@latest). Webhook runs Fetch. Fetch on success, runs Upsert. Upsert on success, runs Notify. '
    + 'Fetch on failure, runs Notify (disabled).');
  assert.equal(view.element.dataset.name, 'Patient-Sync');
});

test('a redrawing highlights only the steps that changed, and the highlight fades', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const view = new WorkflowView(mount());
    view.show(BRANCHING);
    assert.equal(view.element.querySelectorAll('.node.changed').length, 0, 'the first drawing is not a change');
    view.show(BRANCHING.replace("body: 'upsert()'", "body: 'upsert(state => state)'"), { highlight: true });
    assert.deepEqual([...view.element.querySelectorAll('.node.changed')].map((node) => node.dataset.node), ['job:upsert']);
    mock.timers.tick(2499);
    assert.equal(view.element.querySelectorAll('.node.changed').length, 1);
    mock.timers.tick(1);
    assert.equal(view.element.querySelectorAll('.node.changed').length, 0);
  } finally {
    mock.timers.reset();
  }
});

test('with onSelect a step is a toggle button, by click and by key; the selection survives a redrawing', () => {
  const chosen = [];
  const view = new WorkflowView(mount(), { onSelect: (jobKey) => { chosen.push(jobKey); view.select(jobKey); } });
  view.show(BRANCHING);
  const node = () => view.element.querySelector('g.node[data-node="job:upsert"]');
  assert.equal(node().getAttribute('role'), 'button');
  node().dispatchEvent(new window.Event('click'));
  assert.equal(node().getAttribute('aria-pressed'), 'true');
  view.show(BRANCHING);
  assert.ok(node().classList.contains('selected'), 'still selected after the drawing was replaced');
  const enter = new window.Event('keydown');
  enter.key = 'Enter';
  node().dispatchEvent(enter);
  assert.deepEqual(chosen, ['upsert', null]);
  assert.equal(node().getAttribute('aria-pressed'), 'false');
  assert.equal(view.element.querySelector('g.node[data-node="trigger:webhook"]').getAttribute('role'), null);
});

test('steps whose code the latest change rewrote are marked until the next change', () => {
  const view = new WorkflowView(mount());
  view.show(BRANCHING);
  view.markCodeChanged(['fetch', 'notify']);
  const marked = () => [...view.element.querySelectorAll('.node.code-changed')].map((node) => node.dataset.node);
  assert.deepEqual(marked(), ['job:fetch', 'job:notify']);
  view.show(BRANCHING);
  assert.deepEqual(marked(), ['job:fetch', 'job:notify'], 'kept across a redrawing');
  view.markCodeChanged([]);
  assert.deepEqual(marked(), []);
});

test('no workflow, or one that cannot be read, says so instead of a diagram', () => {
  const view = new WorkflowView(mount());
  view.show('');
  assert.equal(view.element.textContent, 'No workflow yet: ask the assistant to build one.');
  view.show('jobs: [unclosed');
  assert.equal(view.element.textContent, 'The workflow could not be read.');
  assert.equal(view.workflow, null);
});
