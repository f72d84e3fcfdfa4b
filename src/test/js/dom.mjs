// A document for the view modules' tests (linkedom), installed as the browser's globals before the modules under
// test are imported: import this module first. What linkedom leaves out and the views use is filled in here:
// CSS.escape (the standard polyfill), scrollIntoView (no layout here, so a no-op) and animation frames (none: a
// test that paces text says so with the pacer's `instant` option).
import { parseHTML } from 'linkedom';
import cssEscape from 'css.escape';

const { window, document } = parseHTML('<!doctype html><html><head></head><body></body></html>');
window.HTMLElement.prototype.scrollIntoView = () => {};
Object.assign(globalThis, { window, document, CSS: { escape: cssEscape },
  Node: window.Node, Element: window.Element, HTMLElement: window.HTMLElement, DocumentFragment: window.DocumentFragment,
  NodeFilter: window.NodeFilter, DOMParser: window.DOMParser });

/** A fresh element of `tag` in the body, for one test. */
export function mount(tag = 'div') {
  const element = document.createElement(tag);
  document.body.append(element);
  return element;
}

export { window, document };
