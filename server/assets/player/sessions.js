// The session list: its filters (device, OS, app version, screen size class, density,
// orientation, locale, a screen visited, user, duration, struggles, finding kind, notes and
// bookmarks), its order, its pages and its total.

import { $, clock, node } from './dom.js';
import { api, hashParams, setHash } from './api.js';
import { fail, showError } from './errors.js';
import { FINDING_KINDS } from './kinds.js';
import { player } from './state.js';

const el = {
  filters: $('filters'), list: $('session-list'), count: $('session-count'),
  platform: $('filter-platform'), osVersion: $('filter-os-version'), deviceModel: $('filter-device-model'),
  appVersion: $('filter-app-version'), user: $('filter-user'), rage: $('filter-rage'), dead: $('filter-dead'),
  layout: $('filter-layout'), minDuration: $('filter-min-duration'), maxDuration: $('filter-max-duration'),
  finding: $('filter-finding'), sort: $('sort'), prev: $('page-prev'), next: $('page-next'),
  sizeClass: $('filter-size-class'), density: $('filter-density'), orientation: $('filter-orientation'),
  locale: $('filter-locale'), screen: $('filter-screen'), notes: $('filter-notes'), bookmarked: $('filter-bookmarked'),
};

/** Sessions a page lists. */
const PAGE = 200;
for (const kind of FINDING_KINDS) el.finding.append(node('option', { value: kind, textContent: kind.replace(/_/g, ' ') }));
let offset = 0;
let total = 0;

const filterFields = [
  [el.platform, 'platform'], [el.osVersion, 'os_version'], [el.deviceModel, 'device_model'],
  [el.appVersion, 'app_version'], [el.user, 'user_search'], [el.minDuration, 'min_duration_s'],
  [el.maxDuration, 'max_duration_s'], [el.rage, 'has_rage_taps'], [el.dead, 'has_dead_taps'],
  [el.layout, 'has_layout_issues'], [el.finding, 'finding'], [el.sort, 'sort'],
  [el.sizeClass, 'size_class'], [el.density, 'density'], [el.orientation, 'orientation'], [el.locale, 'locale'],
  [el.screen, 'screen'], [el.notes, 'has_notes'], [el.bookmarked, 'bookmarked'],
];
const facetSelects = [
  [el.platform, 'platform'], [el.osVersion, 'os_version'], [el.deviceModel, 'device_model'], [el.appVersion, 'app_version'],
  [el.density, 'density'], [el.locale, 'locale'], [el.screen, 'screen'],
];

let listed = [];
let listRequest = 0;
let openSession = () => Promise.resolve();
let resolveReady;
/** Resolves once the first list is shown (after a token form, if the page had no token). */
export const ready = new Promise((resolve) => {
  resolveReady = resolve;
});

/** The ids listed now. */
export function listedIds() {
  return [...listed];
}

function listQuery() {
  const q = new URLSearchParams();
  for (const [field, name] of filterFields) {
    if (field.type === 'checkbox') {
      if (field.checked) q.set(name, 'true');
    } else if (field.value.trim() !== '' && !(name === 'sort' && field.value === 'recent')) {
      q.set(name, field.value.trim());
    }
  }
  return q.toString();
}

/** What is wrong with the filters as typed, before anything is sent (null when nothing). */
function invalidFilters() {
  const seconds = (field) => (field.value.trim() === '' ? null : Number(field.value));
  const min = seconds(el.minDuration);
  const max = seconds(el.maxDuration);
  for (const [v, what] of [[min, 'minimum'], [max, 'maximum']]) {
    if (v !== null && !(Number.isFinite(v) && v >= 0)) return `The ${what} duration must be a number of seconds, 0 or more.`;
  }
  if (min !== null && max !== null && min > max) return 'The minimum duration is longer than the maximum.';
  return null;
}

/** Keeps the filters in the address bar (`#filters=...`), so a reload or a shared link keeps them. */
function rememberFilters(query) {
  const params = hashParams();
  if (query) params.set('filters', query);
  else params.delete('filters');
  setHash(params);
}

/** Puts the filters of the address bar into the form (facet values are added if not listed yet). */
function restoreFilters() {
  const saved = new URLSearchParams(hashParams().get('filters') || '');
  for (const [field, name] of filterFields) {
    const value = saved.get(name);
    if (field.type === 'checkbox') {
      field.checked = value === 'true';
    } else if (value !== null) {
      if (field.tagName === 'SELECT' && ![...field.options].some((o) => o.value === value)) field.append(node('option', { value, textContent: value }));
      field.value = value;
    }
  }
}

function fillFacets(facets) {
  for (const [select, name] of facetSelects) {
    const current = select.value;
    const values = facets[name] || [];
    select.replaceChildren(node('option', { value: '', textContent: 'Any' }));
    for (const value of values) select.append(node('option', { value, textContent: value }));
    if (current && !values.includes(current)) select.append(node('option', { value: current, textContent: current }));
    select.value = current;
  }
}

function sessionItem(s) {
  const duration = clock(s.end_ms - s.start_ms);
  const badges = [];
  if (s.rage_taps > 0) badges.push(node('span', { className: 'badge badge-rage', textContent: `${s.rage_taps} rage`, title: 'Rage taps' }));
  if (s.dead_taps > 0) badges.push(node('span', { className: 'badge badge-dead', textContent: `${s.dead_taps} dead`, title: 'Dead taps' }));
  if (s.layout_issues > 0) badges.push(node('span', { className: 'badge badge-layout', textContent: `${s.layout_issues} layout`, title: 'Layout issues' }));
  if (s.notes > 0) badges.push(node('span', { className: 'badge badge-notes', textContent: `${s.notes} note${s.notes === 1 ? '' : 's'}`, title: 'Notes and bookmarks' }));
  const when = new Date(s.start_ms).toLocaleString();
  const li = node('li', {}, [
    node('div', { className: 'line1', textContent: `${s.device_manufacturer} ${s.device_model}`.trim() }),
    node('div', { className: 'line2', textContent: `${s.os_name} ${s.os_version} · app ${s.app_version} · ${duration}` }),
    s.width_dp > 0 ? node('div', { className: 'line2', textContent: `${s.width_dp}×${s.height_dp} dp · ${s.orientation} · ${s.locale}` }) : '',
    node('div', { className: 'line2', textContent: `${s.user_id ? `user ${s.user_id}` : 'no user'} · ${when}` }),
    node('div', {}, badges),
  ]);
  li.dataset.sessionId = s.session_id;
  if (s.session_id === player.sessionId) li.setAttribute('aria-current', 'true');
  li.addEventListener('click', () => openSession(s.session_id).catch(fail));
  return li;
}

/** Queries the list with the current filters; resolves once it is shown. */
export async function refreshList() {
  const problem = invalidFilters();
  el.filters.setAttribute('aria-invalid', String(problem !== null));
  if (problem) {
    showError(problem);
    return;
  }
  const request = ++listRequest;
  const query = listQuery();
  rememberFilters(query);
  const page = new URLSearchParams(query);
  page.set('limit', String(PAGE));
  if (offset > 0) page.set('offset', String(offset));
  const body = await api(`/v1/sessions?${page}`);
  if (request !== listRequest) return; // a newer query is on its way
  fillFacets(body.facets);
  total = body.total;
  listed = body.sessions.map((s) => s.session_id);
  el.list.replaceChildren(...body.sessions.map(sessionItem));
  const shown = body.sessions.length;
  el.count.textContent = total === 0 ? 'No session matches.'
    : shown === total ? `${total} session${total === 1 ? '' : 's'}` : `${offset + 1}–${offset + shown} of ${total} sessions`;
  el.prev.disabled = offset === 0;
  el.next.disabled = offset + shown >= total;
  resolveReady();
}

/** Marks the open session in the list. */
export function markOpen(id) {
  for (const li of el.list.children) li.setAttribute('aria-current', String(li.dataset.sessionId === id));
}

/** Wires the filters; `open` opens a session clicked in the list. */
export function initSessions(open) {
  openSession = open;
  restoreFilters();
  let typing = 0;
  el.prev.addEventListener('click', () => { offset = Math.max(0, offset - PAGE); refreshList().catch(fail); });
  el.next.addEventListener('click', () => { offset += PAGE; refreshList().catch(fail); });
  // Any change of the filters starts again at the first page.
  el.filters.addEventListener('change', () => { offset = 0; refreshList().catch(fail); });
  el.filters.addEventListener('input', (e) => {
    if (e.target.type === 'checkbox' || e.target.tagName === 'SELECT') return; // 'change' covers them
    clearTimeout(typing);
    typing = setTimeout(() => { offset = 0; refreshList().catch(fail); }, 250);
  });
  el.filters.addEventListener('submit', (e) => e.preventDefault());
}
