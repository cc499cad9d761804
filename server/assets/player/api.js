// The access token (from `#token=`, the form, or this tab's sessionStorage), the address bar's
// parameters, and the calls to the collector's API, whose errors are written for people.

import { $ } from './dom.js';
import { AuthError, clearError } from './errors.js';

const TOKEN_KEY = 'reprise.token';
const el = { form: $('token-form'), input: $('token-input'), error: $('token-error'), forget: $('token-forget') };

let token = sessionStorage.getItem(TOKEN_KEY) || '';

/** Whether a token is known. */
export function hasToken() {
  return token !== '';
}

/** The parameters after `#`. */
export function hashParams() {
  return new URLSearchParams(location.hash.replace(/^#/, ''));
}

/** Replaces the parameters after `#` without a history entry. */
export function setHash(params) {
  const text = params.toString();
  history.replaceState(null, '', text ? `#${text}` : location.pathname + location.search);
}

/** Takes `#token=` out of the address bar into sessionStorage. */
export function adoptTokenFromHash() {
  const params = hashParams();
  const fromHash = params.get('token');
  if (fromHash !== null) {
    token = fromHash;
    sessionStorage.setItem(TOKEN_KEY, token);
    params.delete('token');
    setHash(params);
  }
}

/** Shows the token form, with `message` when a token was refused. */
export function askForToken(message) {
  el.form.hidden = false;
  el.forget.hidden = true;
  el.error.textContent = message || '';
  if (!message) el.input.focus();
}

/** Wires the token form: `onToken` runs when a token is entered. */
export function onTokenEntered(onToken) {
  el.form.addEventListener('submit', (e) => {
    e.preventDefault();
    token = el.input.value.trim();
    sessionStorage.setItem(TOKEN_KEY, token);
    el.input.value = '';
    onToken();
  });
  el.forget.addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    token = '';
    askForToken('');
  });
}

/** What went wrong with a request, for people. */
function explain(status, body) {
  const reason = body && body.reason ? body.reason : '';
  if (status === 404) return `That session is not on this collector${reason ? ` (${reason})` : ''}.`;
  if (status === 400) return `The collector refused the request: ${reason || 'bad parameters'}.`;
  if (status === 503) return 'The collector is busy or shutting down; try again in a moment.';
  if (status >= 500) return `The collector failed to answer (${status}${reason ? `: ${reason}` : ''}).`;
  return `The collector answered ${status}${reason ? `: ${reason}` : ''}.`;
}

/** Calls an API path with the token (a GET, or `method` with a JSON `body`); the banner clears
 * once a request succeeds. Resolves to the JSON answer (null for none). */
export async function api(path, method = 'GET', body = undefined) {
  if (!token) {
    askForToken('');
    throw new AuthError('no access token');
  }
  let response;
  try {
    const headers = { Authorization: `Bearer ${token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (_) {
    throw new Error('The collector cannot be reached. Is `reprise serve` running?');
  }
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    token = '';
    askForToken('The access token was refused. Check it and try again.');
    throw new AuthError('access token refused');
  }
  let answer = null;
  try {
    answer = await response.json();
  } catch (_) {
    answer = null;
  }
  if (!response.ok) throw new Error(explain(response.status, answer));
  el.form.hidden = true;
  el.forget.hidden = false;
  el.error.textContent = '';
  clearError();
  return answer;
}
