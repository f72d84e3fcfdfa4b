// A global session's work pane beside the diagram: the selected step's code (click a step on the diagram to
// select it; the next question then carries it as `page`), and which steps the latest change rewrote, marked on
// the diagram and shown here as diffs. global_chat never says which step it changed: the server compares each
// step's code with the workflow before and sends one diff per changed step (`code_diffs`).

import { diffView } from './job-view.js';

export class GlobalPane {
  constructor(element, workflowView) {
    this.element = element;
    this.workflowView = workflowView;
    this.workflow = null;
    this.selected = null;
    this.diffs = new Map();
  }

  /**
   * The workflow the diagram now draws (read once, by the diagram), with the selection kept where its step still
   * exists. Called after the diagram's `show`.
   */
  refresh() {
    this.workflow = this.workflowView.workflow;
    if (this.selected && !this.jobs()[this.selected]) this.select(null);
    this.render();
  }

  select(jobKey) {
    this.selected = jobKey;
    this.workflowView.select(jobKey);
    this.render();
  }

  /** The steps a change rewrote (`code_diffs`), or none after an undo. */
  changed(codeDiffs) {
    this.diffs = new Map((codeDiffs ?? []).map((d) => [d.job, d]));
    this.workflowView.markCodeChanged([...this.diffs.keys()]);
    if (!this.selected && this.diffs.size) this.select([...this.diffs.keys()].find((key) => this.jobs()[key]) ?? null);
    this.render();
  }

  /** Where the user is, as global_chat takes it: `workflows/<workflow>/<step key>`, or the workflow alone. */
  page() {
    const name = this.workflow?.name;
    if (!name) return undefined;
    return this.selected ? `workflows/${name}/${this.selected}` : `workflows/${name}`;
  }

  jobs() {
    return this.workflow?.jobs ?? {};
  }

  render() {
    const job = this.selected ? this.jobs()[this.selected] : null;
    this.element.replaceChildren();
    if (!job) {
      const hint = document.createElement('p');
      hint.className = 'empty';
      hint.textContent = 'Select a step on the diagram to see its code and ask about it; without one, the question is about the whole workflow.';
      this.element.append(hint);
      return;
    }
    const header = document.createElement('h3');
    header.textContent = `${job.name ?? this.selected} · ${job.adaptor ?? ''}`;
    const note = document.createElement('p');
    note.className = 'asking-about';
    note.textContent = 'Questions are about this step (select it again to ask about the whole workflow).';
    this.element.append(header, note);
    const diff = this.diffs.get(this.selected);
    if (diff) {
      const box = document.createElement('div');
      box.className = 'step-diff';
      const title = document.createElement('p');
      title.textContent = 'Changed by the last answer';
      box.append(title, diffView(diff.diff, ''));
      this.element.append(box);
    }
    const code = document.createElement('pre');
    code.className = 'code';
    code.textContent = typeof job.body === 'string' ? job.body : '';
    this.element.append(code);
  }
}
