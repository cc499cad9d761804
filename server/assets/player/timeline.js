// The timeline bar: inactivity spans and one lane of markers per kind, each marker a button that
// seeks to its moment (a layout issue that stayed wrong a while: a bar over that range); zoom (buttons, + - 0, Ctrl or Shift and the wheel) to separate markers
// that sit close; and the legend of the lanes.

import { $, clock, node } from './dom.js';
import { fail } from './errors.js';
import { player, visibleSpan, zoomTimeline } from './state.js';
import { seek, updateChrome } from './playback.js';

/** The lanes, top to bottom, and their colours. */
export const KIND_COLORS = {
  screen: '#2563eb',
  struggle: '#dc2626',
  error: '#7f1d1d',
  layout: '#7c3aed',
  bookmark: '#ca8a04',
  gesture: '#94a3b8',
  network: '#0891b2',
  custom: '#db2777',
  lifecycle: '#0f766e',
  keyboard: '#a16207',
  log: '#64748b',
};
const LANES = Object.keys(KIND_COLORS);
/** Height of one lane, px (the stylesheet sizes the bar to LANES.length of them). */
const LANE_PX = 9;

const el = {
  timeline: $('timeline'), spans: $('timeline-inactivity'), markers: $('timeline-markers'), legend: $('legend'),
  zoomIn: $('zoom-in'), zoomOut: $('zoom-out'), zoomFit: $('zoom-fit'), zoomLabel: $('zoom-label'),
};

/** Draws the legend, one entry per lane. */
export function renderLegend() {
  el.legend.replaceChildren(...LANES.map((kind) => {
    const swatch = node('span');
    swatch.style.background = KIND_COLORS[kind];
    return node('li', {}, [swatch, kind]);
  }));
  el.timeline.style.setProperty('--lanes', String(LANES.length));
  el.timeline.style.setProperty('--lane', `${LANE_PX}px`);
}

/** Draws the open session's inactivity and the markers of the span in view. */
export function renderTimeline() {
  const { start_ms: start, end_ms: end } = player.events;
  const [viewFrom, viewTo] = visibleSpan();
  const span = Math.max(1, viewTo - viewFrom);
  const at = (t) => `${((t - viewFrom) / span) * 100}%`;
  el.timeline.setAttribute('aria-valuemax', String(Math.round((end - start) / 1000)));
  el.zoomLabel.textContent = player.view ? `${clock(viewFrom - start)}–${clock(viewTo - start)}` : 'whole session';
  el.zoomFit.disabled = !player.view;
  el.spans.replaceChildren(...player.events.inactivity.filter(([from, to]) => to >= viewFrom && from <= viewTo).map(([from, to]) => {
    const d = node('div', { title: `inactive ${clock(to - from)}` });
    const a = Math.max(from, viewFrom);
    d.style.left = at(a);
    d.style.width = `${((Math.min(to, viewTo) - a) / span) * 100}%`;
    return d;
  }));
  const inView = player.events.markers.filter((m) => (m.end_ms ?? m.time_ms) >= viewFrom && m.time_ms <= viewTo);
  el.markers.replaceChildren(...inView.map((m) => {
    const when = m.end_ms ? `${clock(m.time_ms - start)}–${clock(m.end_ms - start)}` : clock(m.time_ms - start);
    const text = `${when} ${m.kind}: ${m.label}`;
    const b = node('button', { type: 'button', title: text });
    b.setAttribute('aria-label', text);
    b.dataset.kind = m.kind;
    b.style.left = at(Math.max(m.time_ms, viewFrom));
    // A layout issue that stayed is a bar over the range it was seen in.
    if (m.end_ms) {
      b.classList.add('range');
      b.style.width = `max(4px, ${((Math.min(m.end_ms, viewTo) - Math.max(m.time_ms, viewFrom)) / span) * 100}%)`;
    }
    b.style.top = `${Math.max(0, LANES.indexOf(m.kind)) * LANE_PX}px`;
    b.style.background = KIND_COLORS[m.kind] || '#111827';
    b.addEventListener('click', (e) => {
      e.stopPropagation();
      seek(m.time_ms).catch(fail);
    });
    return b;
  }));
}

/** Zooms the timeline by `factor` around the playhead (Infinity: the whole session). */
export function zoom(factor) {
  if (!player.events) return;
  if (factor === Infinity) player.view = null;
  else zoomTimeline(factor, player.timeMs);
  renderTimeline();
  updateChrome();
}

/** Wires the zoom buttons and the wheel over the bar (with Ctrl or Shift). */
export function initTimeline() {
  el.zoomIn.addEventListener('click', () => zoom(0.5));
  el.zoomOut.addEventListener('click', () => zoom(2));
  el.zoomFit.addEventListener('click', () => zoom(Infinity));
  el.timeline.addEventListener('wheel', (e) => {
    if (!player.events || !(e.ctrlKey || e.shiftKey)) return;
    e.preventDefault();
    zoom(e.deltaY < 0 ? 0.8 : 1.25);
  }, { passive: false });
}
