// The management API, as the logged-in user. Credentials live in sessionStorage (gone with the
// tab) and go out as HTTP Basic on every call; every failure becomes an ApiError with the API's
// own reason, which the pages show as a message.

const KEY = 'warren.credentials';

export class ApiError extends Error {
  constructor(status, reason) {
    super(status ? `${reason} (HTTP ${status})` : reason);
    this.status = status;
  }
}

export function login(username, password) {
  sessionStorage.setItem(KEY, btoa(unescape(encodeURIComponent(`${username}:${password}`))));
}

export function logout() {
  sessionStorage.removeItem(KEY);
}

export function loggedIn() {
  return sessionStorage.getItem(KEY) !== null;
}

/** One path segment: the vhost "/" is %2F, as the API wants. */
export function seg(name) {
  return encodeURIComponent(name);
}

export async function request(method, path, body, headers = {}) {
  const init = {
    method,
    headers: {
      Authorization: `Basic ${sessionStorage.getItem(KEY) || ''}`,
      // asks the API not to answer 401 with a browser login dialog
      'X-Requested-With': 'XMLHttpRequest',
      ...headers,
    },
    cache: 'no-store',
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`api/${path}`, init);
  } catch (e) {
    throw new ApiError(0, `The broker cannot be reached: ${e.message}`);
  }
  const text = await response.text();
  if (!response.ok) {
    let reason = text || response.statusText;
    try {
      const error = JSON.parse(text);
      reason = error.reason || error.error || reason;
    } catch (notJson) {
      // keep the text
    }
    throw new ApiError(response.status, typeof reason === 'string' ? reason : JSON.stringify(reason));
  }
  return text ? JSON.parse(text) : null;
}

export const get = (path) => request('GET', path);
export const put = (path, body) => request('PUT', path, body);
export const post = (path, body) => request('POST', path, body);
export const del = (path, headers) => request('DELETE', path, undefined, headers);

/**
 * One page of a list, with the API's paging (page, page_size, name, use_regex, sort,
 * sort_reverse): answers { items, page, page_count, filtered_count, total_count }.
 */
export function page(path, { page = 1, pageSize = 100, name = '', regex = false, sort = '', reverse = false } = {}) {
  const query = new URLSearchParams({ page, page_size: pageSize });
  if (name) {
    query.set('name', name);
    query.set('use_regex', regex ? 'true' : 'false');
  }
  if (sort) {
    query.set('sort', sort);
    query.set('sort_reverse', reverse ? 'true' : 'false');
  }
  return get(`${path}?${query}`);
}

/** The user's tags, whichever form the API sends (array, or comma-separated text). */
export function tagsOf(user) {
  const tags = user && user.tags;
  if (Array.isArray(tags)) return tags;
  return typeof tags === 'string' && tags ? tags.split(',').map((t) => t.trim()) : [];
}
