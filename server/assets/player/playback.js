// Playback: frames fetched by windows, painted on the canvas at the playhead; play, pause, seek,
// skip inactivity, the timeline bar and keyboard shortcuts.

import { FONT, paint } from '../painter.js';
import { $, clock } from './dom.js';
import { api, hashParams, setHash } from './api.js';
import { fail } from './errors.js';
import { atOrBefore, keepInView, player, visibleSpan } from './state.js';

/** Frames are fetched by windows of this length, aligned on the session start (the API allows 60 s). */
const WINDOW_MS = 20000;
/** A finding's rect is highlighted while the playhead is this close to it. */
const HIGHLIGHT_MS = 1000;
const SEEK_STEP_MS = 5000;
/** One frame step (comma, period) when the neighbouring snapshot is not loaded. */
const FRAME_STEP_MS = 250;

const el = {
  canvas: $('player-canvas'), stage: $('stage'), play: $('play'), speed: $('speed'), skip: $('skip-inactivity'),
  time: $('current-time'), timeline: $('timeline'), progress: $('timeline-progress'), cursor: $('timeline-cursor'),
  waiting: $('stage-waiting'), caption: $('stage-caption'),
};
const ctx = el.canvas.getContext('2d');
const listeners = [];

/** Calls `fn(timeMs, scene)` after each paint (the inspector and the event list follow playback). */
export function onPainted(fn) {
  listeners.push(fn);
}

const fontReady = document.fonts.load(`16px ${FONT}`).then(
  (faces) => {
    if (faces.length === 0) throw new Error('the player font did not load');
  },
).catch(fail);

/** Extra highlights the inspector asks for: () => [{x, y, w, h, style}]. */
let extraHighlights = () => [];
export function setExtraHighlights(fn) {
  extraHighlights = fn;
}

/** Sizes the canvas to the scene's aspect ratio within the stage; returns canvas pixels per dp. */
function fitCanvas(width, height) {
  const box = el.stage.getBoundingClientRect();
  const cssScale = Math.max(0.05, Math.min((box.width - 8) / width, (box.height - 8) / height));
  const dpr = window.devicePixelRatio || 1;
  const pw = Math.max(1, Math.round(width * cssScale * dpr));
  const ph = Math.max(1, Math.round(height * cssScale * dpr));
  if (el.canvas.width !== pw || el.canvas.height !== ph) {
    el.canvas.width = pw;
    el.canvas.height = ph;
    el.canvas.style.width = `${pw / dpr}px`;
    el.canvas.style.height = `${ph / dpr}px`;
  }
  const scale = pw / width;
  el.canvas.dataset.sceneScale = String(scale);
  return scale;
}

function insertSorted(list, items) {
  const seen = new Set(list.map((x) => x.time_ms));
  for (const item of items) {
    if (!seen.has(item.time_ms)) {
      list.push(item);
      seen.add(item.time_ms);
    }
  }
  list.sort((a, b) => a.time_ms - b.time_ms);
}

function windowOf(t) {
  return Math.max(0, Math.floor((t - player.events.start_ms) / WINDOW_MS));
}

/** Loads frame window `k` (once); resolves when its scenes and overlays are in. */
function loadWindow(k) {
  if (player.windows.has(k)) return player.windows.get(k);
  const generation = player.generation;
  const id = player.sessionId;
  const from = player.events.start_ms + k * WINDOW_MS;
  const to = from + WINDOW_MS;
  const load = (async () => {
    let next = from;
    while (next <= to) {
      const body = await api(`/v1/sessions/${encodeURIComponent(id)}/frames?from_ms=${next}&to_ms=${to}`);
      if (generation !== player.generation) return;
      insertSorted(player.scenes, body.frames);
      insertSorted(player.overlays, body.overlays);
      if (body.to_ms >= to) break;
      next = body.to_ms + 1;
    }
    player.loaded.add(k);
  })();
  player.windows.set(k, load);
  load.catch(() => player.windows.delete(k));
  return load;
}

/** Makes sure what time `t` shows is loaded, and starts loading the window after it. */
function ensureLoaded(t) {
  const k = windowOf(t);
  const here = loadWindow(k);
  if (player.events.start_ms + (k + 1) * WINDOW_MS <= player.events.end_ms) loadWindow(k + 1).catch(fail);
  return here;
}

function highlightsAt(t) {
  const out = [];
  for (const f of player.events.findings) {
    const selected = player.selectedFinding === f;
    if (selected || Math.abs(f.time_ms - t) <= HIGHLIGHT_MS) out.push({ ...f.rect, style: selected ? 'selected' : 'finding' });
  }
  return out.concat(extraHighlights());
}

/** The screen name in effect at `t`, from the screen markers. */
function screenAt(t) {
  let name = null;
  for (const m of player.events.markers) {
    if (m.kind !== 'screen') continue;
    if (m.time_ms > t) break;
    name = m.label;
  }
  return name;
}

function caption(t) {
  const s = player.detail && player.detail.session;
  const screen = player.detail && player.detail.screen;
  const parts = [screenAt(t) || 'no screen named yet'];
  if (s) parts.push(`${s.device_manufacturer} ${s.device_model}`.trim(), `${s.os_name} ${s.os_version}`);
  if (screen) parts.push(`${screen.width}×${screen.height} dp ${screen.width > screen.height ? 'landscape' : 'portrait'}`);
  parts.push(clock(t - player.events.start_ms));
  el.caption.textContent = parts.join(' · ');
}

/** Paints time `t` with what is loaded. */
export function paintAt(t) {
  const scene = atOrBefore(player.scenes, t);
  caption(t);
  if (!scene) {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, el.canvas.width, el.canvas.height);
    player.sceneTimeMs = null;
    el.waiting.hidden = false;
    el.waiting.textContent = player.scenes.length === 0 && player.loaded.size === 0 ? 'Loading…' : 'Waiting for the first screen…';
    return;
  }
  el.waiting.hidden = true;
  const overlay = atOrBefore(player.overlays, t);
  paint(ctx, scene, overlay ? overlay.ops : [], highlightsAt(t), fitCanvas(scene.width, scene.height));
  player.sceneTimeMs = scene.time_ms;
  for (const fn of listeners) fn(t, scene);
}

/** Canvas pixels per dp of the scene last painted. */
export function sceneScale() {
  return Number(el.canvas.dataset.sceneScale) || 1;
}

/** Called when a zoomed timeline had to pan to keep the playhead in view. */
let onPanned = () => {};
export function setOnPanned(fn) {
  onPanned = fn;
}

/** Redraws the playhead, the time and the play button. */
export function updateChrome() {
  const { start_ms: start, end_ms: end } = player.events;
  if (keepInView(player.timeMs)) onPanned();
  const [from, to] = visibleSpan();
  const p = Math.min(1, Math.max(0, (player.timeMs - from) / Math.max(1, to - from)));
  el.progress.style.width = `${p * 100}%`;
  el.cursor.style.left = `${p * 100}%`;
  el.timeline.setAttribute('aria-valuenow', String(Math.round((player.timeMs - start) / 1000)));
  el.timeline.setAttribute('aria-valuetext', clock(player.timeMs - start));
  el.time.textContent = `${clock(player.timeMs - start)} / ${clock(end - start)}`;
  el.play.textContent = player.playing ? 'Pause' : 'Play';
}

/** Shows session time `t` once its data is loaded; resolves when painted (a later call wins). */
async function show(t) {
  const request = ++player.paintRequest;
  const generation = player.generation;
  if (!player.loaded.has(windowOf(t))) paintAt(t); // "Loading…" until the window arrives
  await Promise.all([fontReady, ensureLoaded(t)]);
  if (request !== player.paintRequest || generation !== player.generation) return;
  paintAt(t);
}

function clampTime(t) {
  return Math.min(player.events.end_ms, Math.max(player.events.start_ms, t));
}

/** Moves the playhead to `ms`; resolves when that moment is painted. */
export function seek(ms) {
  if (!player.events) return Promise.reject(new Error('no session open'));
  player.timeMs = clampTime(ms);
  updateChrome();
  rememberPosition();
  return show(player.timeMs);
}

function rememberPosition() {
  const params = hashParams();
  params.set('session', player.sessionId);
  params.set('t', ((player.timeMs - player.events.start_ms) / 1000).toFixed(1));
  setHash(params);
}

// Playback: the playhead advances with the clock; skip inactivity jumps over idle spans.
function tick(now) {
  if (!player.playing) return;
  const dt = Math.min(250, now - player.lastTick);
  player.lastTick = now;
  let t = player.timeMs + dt * player.speed;
  if (el.skip.checked) {
    for (const [from, to] of player.events.inactivity) {
      if (t >= from && t < to) t = to;
    }
  }
  if (t >= player.events.end_ms) {
    player.timeMs = player.events.end_ms;
    pause();
  } else {
    player.timeMs = t;
  }
  updateChrome();
  const k = windowOf(player.timeMs);
  if (player.loaded.has(k)) {
    ensureLoaded(player.timeMs).catch(fail);
    paintAt(player.timeMs);
  } else {
    show(player.timeMs).catch(fail);
  }
  if (player.playing) requestAnimationFrame(tick);
}

/** Starts playing (from the start once at the end). */
export function play() {
  if (!player.events || player.playing) return;
  if (player.timeMs >= player.events.end_ms) player.timeMs = player.events.start_ms;
  player.playing = true;
  player.lastTick = performance.now();
  updateChrome();
  requestAnimationFrame(tick);
}

/** Pauses, keeping the moment in the address bar. */
export function pause() {
  if (!player.playing) return;
  player.playing = false;
  updateChrome();
  rememberPosition();
}

/** The snapshot after (`dir` 1) or before (-1) the one shown, as a time to seek to. */
function frameStep(dir) {
  const shown = player.sceneTimeMs ?? player.timeMs;
  const list = player.scenes;
  if (dir > 0) {
    const next = list.find((s) => s.time_ms > shown);
    return next ? next.time_ms : player.timeMs + FRAME_STEP_MS;
  }
  const before = list.filter((s) => s.time_ms < shown);
  return before.length ? before[before.length - 1].time_ms : player.timeMs - FRAME_STEP_MS;
}

/** The keyboard shortcuts, for the help overlay: [keys, what they do]. */
export const SHORTCUTS = [
  ['Space, k', 'play or pause'],
  ['←  →, j  l', `back or forward ${SEEK_STEP_MS / 1000} s (Shift: 1 s)`],
  [',  .', 'previous or next frame'],
  ['Home  End', 'start or end of the session'],
  ['+  -  0', 'zoom the timeline in, out, or to the whole session'],
  ['?', 'show or hide this help'],
];

/** Handles a playback key; returns whether it was one. */
function playbackKey(e) {
  const step = (dir) => seek(player.timeMs + dir * (e.shiftKey ? 1000 : SEEK_STEP_MS)).catch(fail);
  switch (e.key) {
    case ' ': case 'k': if (player.playing) pause(); else play(); return true;
    case 'ArrowLeft': case 'j': step(-1); return true;
    case 'ArrowRight': case 'l': step(1); return true;
    case ',': pause(); seek(frameStep(-1)).catch(fail); return true;
    case '.': pause(); seek(frameStep(1)).catch(fail); return true;
    case 'Home': seek(player.events.start_ms).catch(fail); return true;
    case 'End': seek(player.events.end_ms).catch(fail); return true;
    default: return false;
  }
}

/** Wires the controls, the timeline bar and the keys; `onHelp` toggles the help overlay, `onZoom(factor)` zooms the timeline. */
export function initPlayback(onHelp, onZoom) {
  el.play.addEventListener('click', () => (player.playing ? pause() : play()));
  el.speed.addEventListener('change', () => {
    player.speed = Number(el.speed.value) || 1;
  });
  const timeAtPointer = (e) => {
    const box = el.timeline.getBoundingClientRect();
    const p = Math.min(1, Math.max(0, (e.clientX - box.left) / box.width));
    const [from, to] = visibleSpan();
    return from + p * (to - from);
  };
  let dragging = false;
  el.timeline.addEventListener('pointerdown', (e) => {
    if (!player.events || e.target.closest('.markers button')) return;
    dragging = true;
    el.timeline.setPointerCapture(e.pointerId);
    seek(timeAtPointer(e)).catch(fail);
  });
  el.timeline.addEventListener('pointermove', (e) => {
    if (dragging) seek(timeAtPointer(e)).catch(fail);
  });
  const endDrag = (e) => {
    if (!dragging) return;
    dragging = false;
    el.timeline.releasePointerCapture(e.pointerId);
  };
  el.timeline.addEventListener('pointerup', endDrag);
  el.timeline.addEventListener('pointercancel', endDrag);
  document.addEventListener('keydown', (e) => {
    if (e.target.closest('input, select, textarea') || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === '?') {
      e.preventDefault();
      onHelp();
      return;
    }
    const zoom = { '+': 0.5, '=': 0.5, '-': 2, 0: Infinity }[e.key];
    if (player.events && zoom !== undefined) {
      e.preventDefault();
      onZoom(zoom);
      return;
    }
    if (player.events && playbackKey(e)) e.preventDefault();
  });
  window.addEventListener('resize', () => {
    if (player.events && player.sceneTimeMs !== null) paintAt(player.timeMs);
  });
}

/** Enables the controls for a newly opened session. */
export function sessionOpened() {
  el.play.disabled = false;
  el.speed.disabled = false;
}
