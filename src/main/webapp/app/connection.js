// The session's event stream over WebSocket: reconnects with backoff and resumes from the last event id it saw,
// and drops anything it has already seen, so a dropped socket never repeats or loses text. While the browser is
// offline it waits for the network instead of counting failed attempts, and reconnects the moment it is back.

export class SessionConnection {
  constructor(url, { lastEventId = 0, onEvent, onState = () => {} }) {
    Object.assign(this, { url, lastEventId, onEvent, onState });
    this.attempt = 0;
    this.closed = false;
    this.open();
  }

  open() {
    const url = new URL(this.url);
    url.searchParams.set('last_event_id', this.lastEventId);
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.attempt = 0;
      this.onState('open');
    });
    socket.addEventListener('message', (message) => {
      const frame = JSON.parse(message.data);
      if (typeof frame.id === 'number') {
        if (frame.id <= this.lastEventId) return;
        this.lastEventId = frame.id;
      }
      this.onEvent(frame.event, frame.data, frame.id);
    });
    socket.addEventListener('close', (event) => {
      if (this.closed || this.socket !== socket) return;
      if (event.code === 1008) {
        // A wrong token or an unknown session: retrying cannot help.
        this.onState(`refused: ${event.reason}`);
        return;
      }
      if (!navigator.onLine) {
        this.onState('offline'); // online() reconnects
        return;
      }
      this.onState('reconnecting');
      const delay = Math.min(5000, 250 * 2 ** this.attempt) * (0.75 + Math.random() / 2);
      this.attempt++;
      this.timer = setTimeout(() => this.open(), delay);
    });
  }

  /** The browser lost the network: a socket that looks open may be dead, so it is closed now. */
  offline() {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.onState('offline');
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.close();
  }

  /** The network is back: reconnect at once rather than at the end of a backoff. */
  online() {
    if (this.closed || this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) return;
    clearTimeout(this.timer);
    this.attempt = 0;
    this.onState('reconnecting');
    this.open();
  }

  /** Closes the current socket as a network drop would (used to test resuming). */
  drop() {
    this.socket.close();
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    this.socket.close();
  }
}
