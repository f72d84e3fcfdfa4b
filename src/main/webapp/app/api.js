// The relay's REST API as the page uses it: JSON in and out, the session's token in X-Session-Token, and a
// problem's `detail` as the error's message (with its HTTP status beside it). A request that cannot reach the
// server says so in words, not as the browser's "Failed to fetch".

/** A refusal or a failure to reach the server: `status` is 0 when no answer came. */
export class ApiError extends Error {
  constructor(message, status, retryAfter = 0) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

export class Api {
  constructor(base, fetchImpl = (...args) => fetch(...args)) {
    this.base = base;
    this.fetch = fetchImpl; // a plain function: the browser's fetch throws when called as another object's method
  }

  async request(method, path, body, token) {
    const headers = body === undefined ? {} : { 'Content-Type': 'application/json' };
    if (token) headers['X-Session-Token'] = token;
    let response;
    try {
      response = await this.fetch(new URL(path, this.base), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError('The server cannot be reached: check the connection, then try again.', 0);
    }
    const data = response.headers.get('Content-Type')?.includes('json') ? await response.json() : null;
    if (!response.ok) {
      throw new ApiError(data?.detail ?? `HTTP ${response.status}`, response.status,
        Number(response.headers.get('Retry-After')) || 0);
    }
    return data;
  }

  createSession(body) { return this.request('POST', 'sessions', body); }

  session(id, token) { return this.request('GET', `sessions/${id}`, undefined, token); }

  /** `context`: a global session's `page` and `attachments` (absent ones are left out). */
  ask(id, content, token, context = {}) {
    return this.request('POST', `sessions/${id}/messages`, { content, ...context }, token);
  }

  cancel(id, messageId, token) { return this.request('POST', `sessions/${id}/messages/${messageId}/cancel`, undefined, token); }

  decide(id, changeId, accept, token) {
    return this.request('POST', `sessions/${id}/changes/${changeId}/${accept ? 'accept' : 'reject'}`, undefined, token);
  }

  revert(id, changeId, token) { return this.request('POST', `sessions/${id}/changes/${changeId}/revert`, undefined, token); }

  viewerToken(id, token) { return this.request('POST', `sessions/${id}/viewer-token`, undefined, token); }
}
