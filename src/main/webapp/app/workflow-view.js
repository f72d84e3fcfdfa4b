// The current workflow as a diagram: triggers on top, then jobs in layers by their distance from a trigger,
// edges labelled with their condition. An edge between neighbouring layers runs straight through the gap
// between them; any other (a branch that skips a layer, a loop back) leaves off-centre through the gap below its
// source, runs down a lane of its own to the right of every node, and enters through the gap above its target,
// so no edge crosses a node and every label sits in free space. Redrawn on every applied change; what changed
// glows, then fades. A text description of steps and edges goes with it for screen readers.

import { load } from 'js-yaml';

const SVG = 'http://www.w3.org/2000/svg';
const NODE_W = 170;
const NODE_H = 44;
const GAP_X = 30;
const GAP_Y = 64;
const LANE_GAP = 22;
const LABEL_ROOM = 80;
const HIGHLIGHT_MILLIS = 2500;
const CONDITION_LABELS = {
  always: '', on_job_success: 'on success', on_job_failure: 'on failure', js_expression: 'if …',
};

export class WorkflowView {
  /** `onSelect(jobKey)`, when given, makes each step selectable (a global session asks about the selected one). */
  constructor(element, { onSelect = null } = {}) {
    this.element = element;
    this.signatures = new Map();
    this.onSelect = onSelect;
    this.selected = null;
    this.codeChanged = new Set();
  }

  /** The step the user looks at (a job key), shown selected; null for none. */
  select(jobKey) {
    this.selected = jobKey;
    this.element.querySelectorAll('.node.job').forEach((node) => {
      const on = node.dataset.node === `job:${jobKey}`;
      node.classList.toggle('selected', on);
      node.setAttribute('aria-pressed', String(on));
    });
  }

  /** Marks the steps whose code the latest change rewrote (job keys), until the next change. */
  markCodeChanged(jobKeys) {
    this.codeChanged = new Set(jobKeys);
    this.element.querySelectorAll('.node.job').forEach((node) => {
      node.classList.toggle('code-changed', this.codeChanged.has(node.dataset.node.slice(4)));
    });
  }

  /** Draws the workflow; `highlight` marks the nodes that are new or changed since the last drawing. */
  show(yaml, { highlight = false } = {}) {
    let workflow;
    this.workflow = null;
    try {
      workflow = yaml ? load(yaml) : null;
    } catch (e) {
      this.element.textContent = 'The workflow could not be read.';
      return;
    }
    if (!workflow || typeof workflow !== 'object') {
      this.element.innerHTML = '<p class="empty">No workflow yet: ask the assistant to build one.</p>';
      this.signatures = new Map();
      return;
    }
    const nodes = layout(workflow);
    const changed = new Set();
    const signatures = new Map();
    for (const node of nodes.values()) {
      const signature = JSON.stringify(node.source);
      signatures.set(node.key, signature);
      if (highlight && this.signatures.get(node.key) !== signature) changed.add(node.key);
    }
    this.signatures = signatures;
    const description = document.createElement('p');
    description.className = 'sr-only';
    description.id = 'workflow-description';
    description.textContent = describe(workflow, nodes);
    this.element.replaceChildren(this.draw(workflow, nodes, changed), description);
    this.element.dataset.name = workflow.name ?? '';
    this.workflow = workflow;
    this.select(this.selected);
    this.markCodeChanged(this.codeChanged);
    clearTimeout(this.fade);
    if (changed.size) {
      this.fade = setTimeout(() => {
        this.element.querySelectorAll('.node.changed').forEach((node) => node.classList.remove('changed'));
      }, HIGHLIGHT_MILLIS);
    }
  }

  draw(workflow, nodes, changed) {
    const edges = connections(workflow, nodes);
    const nodesRight = Math.max(...[...nodes.values()].map((n) => n.x + NODE_W), NODE_W);
    const lanes = edges.filter((edge) => edge.lane !== undefined).length;
    const width = nodesRight + GAP_X + lanes * LANE_GAP + (lanes ? LABEL_ROOM : 0);
    const height = Math.max(...[...nodes.values()].map((n) => n.y + NODE_H), NODE_H) + GAP_X;
    const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
      'aria-label': `Workflow ${workflow.name ?? ''}`, 'aria-describedby': 'workflow-description' });
    svg.append(el('defs', {}, [el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5,
      markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' }, [el('path', { d: 'M0,0 L10,5 L0,10 z' })])]));
    for (const edge of edges) {
      const { from, to } = edge;
      const x1 = from.x + NODE_W / 2; const y1 = from.y + NODE_H;
      const x2 = to.x + NODE_W / 2; const y2 = to.y;
      const group = el('g', { class: `edge ${edge.condition}${edge.enabled ? '' : ' disabled'}`,
        'data-edge': edge.key, 'data-from': from.key, 'data-to': to.key });
      let d; let labelAt;
      if (edge.lane === undefined) {
        d = `M${x1},${y1} L${x2},${y2}`;
        labelAt = { x: (x1 + x2) / 2 + 6, y: (y1 + y2) / 2 };
      } else {
        // Off the centre line (where straight edges and their labels are), and a quarter into each gap.
        const laneX = nodesRight + GAP_X / 2 + edge.lane * LANE_GAP;
        const out = from.x + NODE_W * 0.8;
        const into = to.x + NODE_W * 0.8;
        const below = y1 + GAP_Y / 4;
        const above = y2 - GAP_Y / 4;
        d = `M${out},${y1} L${out},${below} L${laneX},${below} L${laneX},${above} L${into},${above} L${into},${y2}`;
        labelAt = { x: laneX + 5, y: (below + above) / 2 };
      }
      group.append(el('path', { d, 'marker-end': 'url(#arrow)' }));
      if (edge.label) group.append(el('text', labelAt, [], edge.label));
      svg.append(group);
    }
    for (const node of nodes.values()) {
      const group = el('g', { class: `node ${node.kind}${changed.has(node.key) ? ' changed' : ''}`,
        'data-node': node.key, transform: `translate(${node.x},${node.y})` });
      group.append(el('rect', { width: NODE_W, height: NODE_H, rx: 8 }));
      group.append(el('text', { x: 10, y: 18, class: 'title' }, [], truncate(node.title, 22)));
      group.append(el('text', { x: 10, y: 34, class: 'detail' }, [], truncate(node.detail, 26)));
      group.append(el('text', { x: NODE_W - 2, y: -5, class: 'badge', 'text-anchor': 'end' }, [], 'code changed'));
      if (this.onSelect && node.kind === 'job') this.selectable(group, node.key.slice(4), node.title);
      svg.append(group);
    }
    return svg;
  }

  selectable(group, jobKey, title) {
    group.setAttribute('tabindex', '0');
    group.setAttribute('role', 'button');
    group.setAttribute('aria-label', `Step ${title}: select to ask about it`);
    const choose = () => this.onSelect(this.selected === jobKey ? null : jobKey);
    group.addEventListener('click', choose);
    group.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        choose();
      }
    });
  }
}

/** The drawable edges; those that do not join neighbouring layers get a lane each, in order. */
function connections(workflow, nodes) {
  let lanes = 0;
  const edges = [];
  for (const [key, edge] of Object.entries(workflow.edges ?? {})) {
    const from = nodes.get(edge.source_trigger ? `trigger:${edge.source_trigger}` : `job:${edge.source_job}`);
    const to = nodes.get(`job:${edge.target_job}`);
    if (!from || !to) continue;
    const condition = edge.condition_type ?? 'always';
    edges.push({
      key, from, to, condition, enabled: edge.enabled !== false,
      label: CONDITION_LABELS[condition] ?? condition,
      lane: to.layer === from.layer + 1 ? undefined : lanes++,
    });
  }
  return edges;
}

/** The diagram in words: each step, then each edge with its condition. */
function describe(workflow, nodes) {
  const name = (key) => nodes.get(key)?.title ?? key;
  const steps = [...nodes.values()].map((node) => `${node.title}${node.detail ? ` (${node.detail})` : ''}`);
  const edges = connections(workflow, nodes).map((edge) =>
    `${name(edge.from.key)} ${edge.label ? `${edge.label}, ` : ''}runs ${name(edge.to.key)}${edge.enabled ? '' : ' (disabled)'}`);
  return `Workflow ${workflow.name ?? ''}: ${steps.length} steps: ${steps.join(', ')}. ${edges.join('. ')}.`;
}

function layout(workflow) {
  const nodes = new Map();
  const triggers = Object.entries(workflow.triggers ?? {});
  triggers.forEach(([key, trigger], i) => nodes.set(`trigger:${key}`, {
    key: `trigger:${key}`, kind: 'trigger', source: trigger, layer: 0, column: i,
    title: trigger.type === 'cron' ? 'Cron' : 'Webhook',
    detail: trigger.type === 'cron' ? trigger.cron_expression ?? '' : 'on request',
  }));
  const jobs = Object.entries(workflow.jobs ?? {});
  const depth = new Map(jobs.map(([key]) => [key, 1]));
  const edges = Object.values(workflow.edges ?? {});
  for (let pass = 0; pass < jobs.length; pass++) {
    for (const edge of edges) {
      if (edge.source_job && depth.has(edge.source_job) && depth.has(edge.target_job)) {
        depth.set(edge.target_job, Math.max(depth.get(edge.target_job), depth.get(edge.source_job) + 1));
      }
    }
  }
  const columns = new Map();
  for (const [key, job] of jobs) {
    const layer = Math.min(depth.get(key), jobs.length);
    const column = columns.get(layer) ?? 0;
    columns.set(layer, column + 1);
    nodes.set(`job:${key}`, { key: `job:${key}`, kind: 'job', source: job, layer, column,
      title: job.name ?? key, detail: (job.adaptor ?? '').replace(/^@openfn\/language-/, '') });
  }
  for (const node of nodes.values()) {
    node.x = GAP_X + node.column * (NODE_W + GAP_X);
    node.y = GAP_X / 2 + node.layer * (NODE_H + GAP_Y);
  }
  return nodes;
}

function el(name, attributes = {}, children = [], text = null) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  if (text !== null) node.textContent = text;
  return node;
}

function truncate(text, length) {
  const value = String(text ?? '');
  return value.length > length ? value.slice(0, length - 1) + '…' : value;
}
