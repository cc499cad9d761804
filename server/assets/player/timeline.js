// The timeline bar: inactivity spans and one lane of markers per kind, each marker a button that
// seeks to its moment; and the legend of the lanes.

import { $, clock, node } from './dom.js';
import { fail } from './errors.js';
import { player } from './state.js';
import { seek } from './playback.js';

/** The lanes, top to bottom, and their colours. */
export const KIND_COLORS = {
  screen: '#2563eb',
  struggle: '#dc2626',
  error: '#7f1d1d',
  layout: '#7c3aed',
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

const el = { timeline: $('timeline'), spans: $('timeline-inactivity'), markers: $('timeline-markers'), legend: $('legend') };

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

/** Draws the open session's inactivity and markers. */
export function renderTimeline() {
  const { start_ms: start, end_ms: end } = player.events;
  const span = Math.max(1, end - start);
  const at = (t) => `${((t - start) / span) * 100}%`;
  el.timeline.setAttribute('aria-valuemax', String(Math.round(span / 1000)));
  el.spans.replaceChildren(...player.events.inactivity.map(([from, to]) => {
    const d = node('div', { title: `inactive ${clock(to - from)}` });
    d.style.left = at(from);
    d.style.width = `${((to - from) / span) * 100}%`;
    return d;
  }));
  el.markers.replaceChildren(...player.events.markers.map((m) => {
    const text = `${clock(m.time_ms - start)} ${m.kind}: ${m.label}`;
    const b = node('button', { type: 'button', title: text });
    b.setAttribute('aria-label', text);
    b.dataset.kind = m.kind;
    b.style.left = at(m.time_ms);
    b.style.top = `${Math.max(0, LANES.indexOf(m.kind)) * LANE_PX}px`;
    b.style.background = KIND_COLORS[m.kind] || '#111827';
    b.addEventListener('click', (e) => {
      e.stopPropagation();
      seek(m.time_ms).catch(fail);
    });
    return b;
  }));
}
