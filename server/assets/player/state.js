// The open session and the playhead: one object the player's modules share.

/** What is open and where the playhead is. */
export const player = {
  sessionId: null,
  detail: null,
  events: null,
  timeMs: 0,
  playing: false,
  speed: 1,
  sceneTimeMs: null,
  selectedFinding: null,
  selectedNode: null, // id of the view the inspector shows
  view: null, // [from, to] of the timeline when zoomed in, else null (the whole session)
  scenes: [], // sorted by time_ms
  overlays: [], // sorted by time_ms
  windows: new Map(), // window index -> Promise
  loaded: new Set(), // window indexes fully loaded
  generation: 0, // bumps when another session opens
  paintRequest: 0,
  lastTick: 0,
};

/** The last item of a list sorted by `time_ms` at or before `t`. */
export function atOrBefore(list, t) {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].time_ms <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? list[lo - 1] : null;
}

/** The part of the session the timeline bar shows: [from, to] ms. */
export function visibleSpan() {
  const e = player.events;
  return player.view || [e.start_ms, e.end_ms];
}

/** The shortest span the timeline zooms to, ms. */
const MIN_VIEW_MS = 2000;

/** Zooms the timeline by `factor` (below 1 zooms in) around time `centre`; returns the new span. */
export function zoomTimeline(factor, centre) {
  const e = player.events;
  const [from, to] = visibleSpan();
  const whole = e.end_ms - e.start_ms;
  const width = Math.min(whole, Math.max(MIN_VIEW_MS, (to - from) * factor));
  if (width >= whole) {
    player.view = null;
    return visibleSpan();
  }
  const at = (centre - from) / Math.max(1, to - from);
  const start = Math.min(e.end_ms - width, Math.max(e.start_ms, centre - at * width));
  player.view = [start, start + width];
  return player.view;
}

/** Pans a zoomed timeline so that time `t` is in view. */
export function keepInView(t) {
  if (!player.view) return false;
  const [from, to] = player.view;
  if (t >= from && t <= to) return false;
  const width = to - from;
  const e = player.events;
  const start = Math.min(e.end_ms - width, Math.max(e.start_ms, t - width * 0.1));
  player.view = [start, start + width];
  return true;
}
