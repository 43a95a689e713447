// The portal speaks the public JSON API with its session cookie; unsafe requests carry the
// session's CSRF token in a header, which a page of another site can never read or send.

let csrfToken = null;

export function setCsrfToken(token) {
  csrfToken = token;
}

/** An answer other than 2xx, with its problem+json when there is one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }

  get errors() {
    return Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

export async function api(method, path, body, { signal } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
    signal,
  });
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text };
    }
  }
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    if (response.status === 401) window.dispatchEvent(new CustomEvent('estafeta:signed-out'));
    throw error;
  }
  return data;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body === undefined ? {} : body, opts);
export const put = (path, body) => api('PUT', path, body);
export const del = (path) => api('DELETE', path);
