// Reprise web player, the page's entry: wires the modules under player/ (the token and API, the
// session list, playback, the timeline, the event list, the details, the view inspector, live view); painter.js paints the
// scenes the collector draws. Test hooks: window.reprise (at the end).

import { $, node } from './player/dom.js';
import { adoptTokenFromHash, askForToken, hasToken, hashParams, onTokenEntered, api } from './player/api.js';
import { fail } from './player/errors.js';
import { player } from './player/state.js';
import { initSessions, listedIds, markOpen, ready, refreshList } from './player/sessions.js';
import { SHORTCUTS, initPlayback, pause, play, seek, sessionOpened as playbackOpened, setOnPanned } from './player/playback.js';
import { initTimeline, renderLegend, renderTimeline, zoom } from './player/timeline.js';
import { initDetails, renderFindings, renderMetadata } from './player/details.js';
import { initEventList, renderEventList } from './player/eventlist.js';
import { initNotes, loadNotes } from './player/notes.js';
import { initInspector, inspectAt, select, sessionOpened as inspectorOpened } from './player/inspector.js';
import { followLive } from './player/live.js';

const el = { stageEmpty: $('stage-empty'), help: $('help'), helpList: $('help-keys'), helpClose: $('help-close'), helpOpen: $('help-open'), copyLink: $('copy-link') };

/** Opens a session; resolves once its first frame is painted. */
async function openSession(id) {
  pause();
  const generation = ++player.generation;
  const path = `/v1/sessions/${encodeURIComponent(id)}`;
  const [detail, events] = await Promise.all([api(path), api(`${path}/events`)]);
  if (generation !== player.generation) return;
  Object.assign(player, {
    sessionId: id, detail, events, scenes: [], overlays: [], windows: new Map(), loaded: new Set(),
    selectedFinding: null, sceneTimeMs: null, timeMs: events.start_ms, view: null, notes: [],
  });
  markOpen(id);
  el.stageEmpty.hidden = true;
  playbackOpened();
  inspectorOpened();
  renderSession();
  loadNotes().catch(fail);
  await seek(player.events.start_ms);
  followLive(reloadSession).catch(fail);
}

function renderSession() {
  renderTimeline();
  renderMetadata();
  renderFindings();
  renderEventList();
}

/** Reloads the open session after new segments arrived (live view): at the new end when `follow`. */
async function reloadSession(follow) {
  const generation = player.generation;
  const path = `/v1/sessions/${encodeURIComponent(player.sessionId)}`;
  const [detail, events] = await Promise.all([api(path), api(`${path}/events`)]);
  if (generation !== player.generation) return;
  Object.assign(player, { detail, events, scenes: [], overlays: [], windows: new Map(), loaded: new Set(), sceneTimeMs: null });
  renderSession();
  await seek(follow ? events.end_ms : player.timeMs);
}

async function openFromHash() {
  const params = hashParams();
  const id = params.get('session');
  if (!id || !hasToken()) return;
  if (id !== player.sessionId) await openSession(id);
  const t = Number(params.get('t'));
  if (Number.isFinite(t) && t > 0) await seek(player.events.start_ms + t * 1000);
}

function toggleHelp() {
  el.help.hidden = !el.help.hidden;
  if (!el.help.hidden) el.helpClose.focus();
}

/** Copies the link to this moment (without the token) to the clipboard. */
async function copyLink() {
  const params = hashParams();
  params.delete('token');
  const link = `${location.origin}${location.pathname}#${params.toString()}`;
  el.copyLink.dataset.link = link;
  try {
    await navigator.clipboard.writeText(link);
    el.copyLink.textContent = 'Link copied';
  } catch (_) {
    el.copyLink.textContent = 'Copy this link from the address bar';
  }
  setTimeout(() => { el.copyLink.textContent = 'Copy link at this moment'; }, 2000);
}

window.addEventListener('hashchange', () => {
  adoptTokenFromHash();
  const params = hashParams();
  const t = Number(params.get('t'));
  const here = player.events ? ((player.timeMs - player.events.start_ms) / 1000).toFixed(1) : null;
  if (params.get('session') !== player.sessionId || (Number.isFinite(t) && t.toFixed(1) !== here)) {
    openFromHash().catch(fail);
  }
});

// ---- Start ----

el.helpList.replaceChildren(...SHORTCUTS.flatMap(([keys, what]) => [node('dt', {}, [node('kbd', { textContent: keys })]), node('dd', { textContent: what })]));
el.helpClose.addEventListener('click', toggleHelp);
el.helpOpen.addEventListener('click', toggleHelp);
el.copyLink.addEventListener('click', () => copyLink().catch(fail));
onTokenEntered(() => refreshList().then(openFromHash).catch(fail));
initSessions(openSession);
initPlayback(toggleHelp, zoom);
initTimeline();
setOnPanned(renderTimeline);
initDetails();
initInspector();
initEventList();
initNotes(() => {
  renderTimeline();
  renderEventList();
  refreshList().catch(fail); // the list's note counts and its note filters
});
renderLegend();
adoptTokenFromHash();
if (hasToken()) refreshList().then(openFromHash).catch(fail);
else askForToken('');

/** Test hooks for the browser test. */
window.reprise = {
  ready,
  openSession,
  seek,
  play,
  pause,
  refresh: refreshList,
  inspectAt,
  select,
  zoom,
  state: () => ({
    sessionId: player.sessionId,
    timeMs: player.timeMs,
    playing: player.playing,
    speed: player.speed,
    sceneTimeMs: player.sceneTimeMs,
    selectedNode: player.selectedNode,
    view: player.view,
    listed: listedIds(),
    segments: player.detail ? player.detail.session.segments : null,
    endMs: player.events ? player.events.end_ms : null,
  }),
};
