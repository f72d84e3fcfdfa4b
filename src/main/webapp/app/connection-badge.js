// The header's word on the connection: nothing while it is open, "Offline" while the browser says so,
// "Reconnecting…" and, after a while without success, "Connection lost"; the state also goes on the body
// (data-connection) for the page's style and its tests.

/** How long the connection may be down before "Reconnecting…" becomes "Connection lost". */
export const LOST_AFTER_MILLIS = 8000;

export class ConnectionBadge {
  constructor(element, body) {
    this.element = element;
    this.body = body;
    this.lostTimer = null;
  }

  /** One of connection.js's states: open, offline, reconnecting, refused… */
  show(connectionState) {
    this.body.dataset.connection = connectionState;
    clearTimeout(this.lostTimer);
    if (connectionState === 'open') {
      this.element.textContent = '';
    } else if (connectionState === 'offline') {
      this.element.textContent = 'Offline: the page reconnects when the network is back';
    } else if (connectionState === 'reconnecting') {
      if (!this.element.textContent.startsWith('Connection lost')) this.element.textContent = 'Reconnecting…';
      this.lostTimer = setTimeout(() => {
        this.element.textContent = 'Connection lost: still trying to reconnect…';
      }, LOST_AFTER_MILLIS);
    } else if (connectionState.startsWith('refused')) {
      this.element.textContent = 'This session cannot be followed any more: reload the page';
    }
  }
}
