// The job's code, and a proposed change as a diff with Accept and Reject. Other tabs' decisions arrive as
// change_updated and are followed here.

export class JobView {
  constructor(element, { onDecide }) {
    this.element = element;
    this.onDecide = onDecide;
    this.proposals = new Map();
  }

  showJob(job) {
    this.job = job;
    this.render();
  }

  /** A proposed job-code change, from streaming_changes or from the session's stored changes. */
  propose(change) {
    this.proposals.set(change.change_id ?? change.id, { ...change, status: 'proposed' });
    this.render();
  }

  /** A proposal was decided (here or in another tab); an accepted one becomes the job's code. */
  decided(changeId, status) {
    const proposal = this.proposals.get(changeId);
    if (!proposal) return;
    this.proposals.delete(changeId);
    if (status === 'accepted') this.job = { ...this.job, code: proposal.code };
    this.render();
  }

  render() {
    const job = this.job ?? {};
    const pending = [...this.proposals.entries()].at(-1);
    this.element.replaceChildren();
    const header = document.createElement('h3');
    header.textContent = `${job.name ?? 'Job'} · ${job.adaptor ?? ''}`;
    this.element.append(header);
    if (pending) {
      const [changeId, proposal] = pending;
      const box = document.createElement('div');
      box.className = 'proposal';
      box.dataset.changeId = changeId;
      const title = document.createElement('p');
      title.textContent = 'Proposed change';
      box.append(title, diffView(proposal.diff, proposal.code));
      const actions = document.createElement('div');
      actions.className = 'actions';
      for (const [label, accept] of [['Accept', true], ['Reject', false]]) {
        const button = document.createElement('button');
        button.textContent = label;
        button.className = accept ? 'accept' : 'reject';
        button.addEventListener('click', () => this.onDecide(changeId, accept));
        actions.append(button);
      }
      box.append(actions);
      this.element.append(box);
    }
    const code = document.createElement('pre');
    code.className = 'code';
    code.textContent = job.code ?? '';
    this.element.append(code);
  }
}

export function diffView(diff, code) {
  const pre = document.createElement('pre');
  pre.className = 'diff';
  const lines = diff ? diff.split('\n').filter((line, i, all) => !(i === all.length - 1 && line === '')) : [];
  if (!lines.length) {
    pre.textContent = code ?? '';
    return pre;
  }
  for (const line of lines) {
    const span = document.createElement('span');
    span.className = line.startsWith('+++') || line.startsWith('---') ? 'file'
      : line.startsWith('@@') ? 'hunk' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'same';
    span.textContent = line + '\n';
    pre.append(span);
  }
  return pre;
}
