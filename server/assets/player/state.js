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
