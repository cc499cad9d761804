// The event list beside the replay: every marker of the session (screens, gestures and struggles
// naming their views, custom events, network calls with method, status and duration, logs and
// errors), searchable; a click seeks to it, and the entry in effect at the playhead is marked.

import { $, clock, node } from './dom.js';
import { fail } from './errors.js';
import { player } from './state.js';
import { onPainted, seek } from './playback.js';

const el = { list: $('event-list'), search: $('event-search'), count: $('event-count') };
let items = []; // [marker, li] in time order, as shown
let current = null;

/** Fills the list for the open session, within the search text. */
export function renderEventList() {
  const start = player.events.start_ms;
  const words = el.search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (m) => words.every((w) => `${m.kind} ${m.label}`.toLowerCase().includes(w));
  const shown = player.events.markers.filter(matches);
  items = shown.map((m) => {
    const li = node('li', { tabIndex: 0 }, [
      node('span', { className: 'when', textContent: clock(m.time_ms - start) }),
      node('span', { className: 'kind', textContent: m.kind }),
      node('span', { className: 'label', textContent: m.label }),
    ]);
    li.dataset.kind = m.kind;
    li.dataset.timeMs = String(m.time_ms);
    const go = () => seek(m.time_ms).catch(fail);
    li.addEventListener('click', go);
    li.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') go();
    });
    return [m, li];
  });
  current = null;
  el.list.replaceChildren(...(items.length ? items.map(([, li]) => li) : [node('li', { className: 'empty', textContent: words.length ? 'Nothing matches.' : 'No events.' })]));
  el.count.textContent = `${shown.length} of ${player.events.markers.length}`;
  follow(player.timeMs);
}

/** Marks the last entry at or before `t` as the one playing, and keeps it in view. */
function follow(t) {
  let at = null;
  for (const item of items) {
    if (item[0].time_ms > t) break;
    at = item;
  }
  if (at === current) return;
  if (current) current[1].removeAttribute('aria-current');
  current = at;
  if (at) {
    at[1].setAttribute('aria-current', 'true');
    at[1].scrollIntoView({ block: 'nearest' });
  }
}

/** Wires the search box and playback. */
export function initEventList() {
  el.search.addEventListener('input', () => {
    if (player.events) renderEventList();
  });
  onPainted((t) => follow(t));
}
