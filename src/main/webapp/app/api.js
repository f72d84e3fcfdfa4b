// The relay's REST API as the page uses it: JSON in and out, the session's token in X-Session-Token, and a
// problem's `detail` as the error message.

export class Api {
  constructor(base, fetchImpl = (...args) => fetch(...args)) {
    this.base = base;
    this.fetch = fetchImpl; // a plain function: the browser's fetch throws when called as another object's method
  }

  async request(method, path, body, token) {
    const headers = body === undefined ? {} : { 'Content-Type': 'application/json' };
    if (token) headers['X-Session-Token'] = token;
    const response = await this.fetch(new URL(path, this.base), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = response.headers.get('Content-Type')?.includes('json') ? await response.json() : null;
    if (!response.ok) throw new Error(data?.detail ?? `HTTP ${response.status}`);
    return data;
  }

  createSession(body) { return this.request('POST', 'sessions', body); }

  session(id, token) { return this.request('GET', `sessions/${id}`, undefined, token); }

  ask(id, content, token) { return this.request('POST', `sessions/${id}/messages`, { content }, token); }

  cancel(id, messageId, token) { return this.request('POST', `sessions/${id}/messages/${messageId}/cancel`, undefined, token); }

  decide(id, changeId, accept, token) {
    return this.request('POST', `sessions/${id}/changes/${changeId}/${accept ? 'accept' : 'reject'}`, undefined, token);
  }
}
