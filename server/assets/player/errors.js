// Errors are never silent: one banner for people, cleared as soon as a request succeeds again.

import { $ } from './dom.js';

/** A request refused for want of a valid token; the token form says so, not the banner. */
export class AuthError extends Error {}

const banner = $('error');

/** Shows `message` in the banner. */
export function showError(message) {
  banner.textContent = message;
  banner.hidden = false;
}

/** Hides the banner (a later request succeeded). */
export function clearError() {
  banner.hidden = true;
  banner.textContent = '';
}

/** Reports a failure in the banner (token problems are shown by the token form). */
export function fail(err) {
  if (err instanceof AuthError) return;
  console.error(err);
  showError(err && err.message ? err.message : String(err));
}

window.addEventListener('error', (e) => showError(`Player error: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => fail(e.reason));
