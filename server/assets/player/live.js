// Live view: while the open session is still being recorded, follow it. Each long poll of
// /v1/sessions/{id}/live tells the collector somebody watches (so the SDK seals short segments)
// and answers when a new segment is indexed; the page then reloads the session, keeping the
// playhead where it was, or at the new end when it was at the end (following).

import { $ } from './dom.js';
import { api } from './api.js';
import { player } from './state.js';

const badge = $('live-badge');
/** How long a poll may wait on the collector. */
const WAIT_MS = 15000;
/** After a failed poll, how long before the next. */
const RETRY_MS = 3000;

function show(recording) {
  badge.hidden = !recording;
  badge.dataset.state = recording ? 'live' : 'ended';
}

/** Starts following the session just opened, if it is being recorded; `reload(follow)` reloads it. */
export async function followLive(reload) {
  const generation = player.generation;
  const path = `/v1/sessions/${encodeURIComponent(player.sessionId)}/live`;
  let after = player.detail.session.segments;
  let wait = 0;
  show(false);
  while (generation === player.generation) {
    let state;
    try {
      state = await api(`${path}?after=${after}&wait_ms=${wait}`);
    } catch (_) {
      // A dropped poll is not the user's problem: the banner stays for requests they made.
      await new Promise((r) => setTimeout(r, RETRY_MS));
      continue;
    }
    if (generation !== player.generation) return;
    show(state.recording);
    if (state.segments > after) {
      after = state.segments;
      const following = player.timeMs >= player.events.end_ms - 1000;
      await reload(following);
    }
    if (!state.recording) return;
    wait = WAIT_MS;
  }
}
