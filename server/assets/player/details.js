// The session's details: its metadata, and its findings ranked (struggles, then truncation and
// off-screen, then overlap, then small targets), each naming its view and screen and when it was
// seen (a layout issue: the range it stayed wrong), alike views grouped with a count, filterable
// by kind.

import { $, clock, node } from './dom.js';
import { fail } from './errors.js';
import { FINDING_KINDS as RANK } from './kinds.js';
import { player } from './state.js';
import { paintAt, seek } from './playback.js';


const el = { metadata: $('metadata'), findings: $('findings'), findingKind: $('finding-kind') };

/** Fills the metadata list of the open session. */
export function renderMetadata() {
  const { session: s, metadata: m, screen, user } = player.detail;
  const rows = [
    ['Device', `${s.device_manufacturer} ${s.device_model}`],
    ['OS', `${s.os_name} ${s.os_version}`],
    ['App', `${s.app_id} ${s.app_version} (${s.app_build})`],
    ['Network', m ? String(m.network) : ''],
    ['Locale', m ? m.locale : ''],
    ['Time zone', m ? m.time_zone : ''],
    ['Screen', `${screen.width}×${screen.height} dp @ ${screen.density}x`],
    ['User', user.user_id || '—'],
    ...user.attributes.map(([name, value]) => [name, String(value)]),
    ['Started', new Date(s.started_ms).toLocaleString()],
    ['SDK', s.sdk_version],
    ['Segments', String(s.segments)],
  ];
  if (player.detail.problems.length > 0) rows.push(['Problems', player.detail.problems.map((p) => `#${p.sequence}${p.last_sequence > p.sequence ? `–${p.last_sequence}` : ''}: ${p.error}`).join('; ')]);
  el.metadata.replaceChildren(...rows.flatMap(([k, v]) => [node('dt', { textContent: k }), node('dd', { textContent: v })]));
}

/** When a finding was seen: "at 0:04", or "0:04–0:31" for one that lasted past its second. */
function span(f, start) {
  const [from, to] = [clock(f.time_ms - start), clock(f.last_ms - start)];
  return to !== from ? `${from}–${to}` : `at ${from}`;
}

function rank(kind) {
  const i = RANK.indexOf(kind);
  return i < 0 ? RANK.length : i;
}

/** Fills the findings list of the open session, ranked, within the kind filter. */
export function renderFindings() {
  const start = player.events.start_ms;
  const kinds = [...new Set(player.events.findings.map((f) => f.kind))].sort((a, b) => rank(a) - rank(b));
  const wanted = kinds.includes(el.findingKind.value) ? el.findingKind.value : '';
  el.findingKind.replaceChildren(node('option', { value: '', textContent: `All kinds (${player.events.findings.length})` }),
    ...kinds.map((k) => node('option', { value: k, textContent: `${k.replace(/_/g, ' ')} (${player.events.findings.filter((f) => f.kind === k).length})` })));
  el.findingKind.value = wanted;
  const shown = player.events.findings
    .filter((f) => !wanted || f.kind === wanted)
    .sort((a, b) => rank(a.kind) - rank(b.kind) || a.time_ms - b.time_ms);
  // Views alike (same kind, name and detail: the rows of a list) are one entry with a count; it
  // selects the first of them.
  const groups = new Map();
  for (const f of shown) {
    const key = `${f.kind}|${f.view || ''}|${f.detail}`;
    if (groups.has(key)) groups.get(key).count += 1;
    else groups.set(key, { f, count: 1 });
  }
  const items = [...groups.values()].map(({ f, count }) => {
    const li = node('li', { tabIndex: 0 }, [
      node('span', { className: 'kind', textContent: f.kind.replace(/_/g, ' ') }),
      f.view ? node('span', { className: 'view', textContent: ` ${f.view}` }) : '',
      count > 1 ? node('span', { className: 'count-badge', textContent: ` ×${count}` }) : '',
      f.screen ? node('span', { className: 'screen', textContent: ` on ${f.screen}` }) : '',
      node('span', { className: 'range', textContent: ` ${span(f, start)}` }),
      `: ${f.detail}`,
    ]);
    li.dataset.kind = f.kind;
    li.setAttribute('aria-selected', String(player.selectedFinding === f));
    const select = () => {
      player.selectedFinding = player.selectedFinding === f ? null : f;
      for (const other of el.findings.children) other.setAttribute('aria-selected', 'false');
      li.setAttribute('aria-selected', String(player.selectedFinding === f));
      seek(f.time_ms).then(() => paintAt(player.timeMs)).catch(fail);
    };
    li.addEventListener('click', select);
    li.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') select();
    });
    return li;
  });
  el.findings.replaceChildren(...(items.length ? items : [node('li', { textContent: 'None found.' })]));
}

/** Wires the kind filter. */
export function initDetails() {
  el.findingKind.addEventListener('change', () => {
    if (player.events) renderFindings();
  });
}
