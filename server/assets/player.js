// Reprise web player: the session list, the player's controls and timeline, and the API calls
// behind them; painter.js paints the scenes the collector draws.
// Test hooks: window.reprise (see the end of this file).

import { FONT, paint } from './painter.js';

(() => {
  const TOKEN_KEY = 'reprise.token';
  /** Frames are fetched by windows of this length, aligned on the session start (the API allows 60 s). */
  const WINDOW_MS = 20000;
  /** A finding's rect is highlighted while the playhead is this close to it. */
  const HIGHLIGHT_MS = 1000;
  const SEEK_STEP_MS = 5000;
  const KIND_COLORS = {
    screen: '#2563eb',
    gesture: '#94a3b8',
    struggle: '#dc2626',
    error: '#7f1d1d',
    layout: '#7c3aed',
    lifecycle: '#0f766e',
    custom: '#db2777',
    network: '#0891b2',
    keyboard: '#a16207',
  };

  const $ = (id) => document.getElementById(id);
  const el = {
    tokenForm: $('token-form'), tokenInput: $('token-input'), tokenError: $('token-error'), tokenForget: $('token-forget'),
    error: $('error'), filters: $('filters'), list: $('session-list'), count: $('session-count'),
    canvas: $('player-canvas'), stage: $('stage'), stageEmpty: $('stage-empty'),
    play: $('play'), speed: $('speed'), skip: $('skip-inactivity'), time: $('current-time'),
    timeline: $('timeline'), spans: $('timeline-inactivity'), progress: $('timeline-progress'),
    markers: $('timeline-markers'), cursor: $('timeline-cursor'), legend: $('legend'),
    metadata: $('metadata'), findings: $('findings'),
    platform: $('filter-platform'), osVersion: $('filter-os-version'), deviceModel: $('filter-device-model'),
    appVersion: $('filter-app-version'), user: $('filter-user'), rage: $('filter-rage'), dead: $('filter-dead'),
    layout: $('filter-layout'), minDuration: $('filter-min-duration'), maxDuration: $('filter-max-duration'),
  };
  const ctx = el.canvas.getContext('2d');

  // ---- Errors are never silent ----

  function showError(message) {
    el.error.textContent = message;
    el.error.hidden = false;
  }

  function fail(err) {
    if (err instanceof AuthError) return; // shown in #token-error already
    console.error(err);
    showError(err && err.message ? err.message : String(err));
  }

  window.addEventListener('error', (e) => showError(`Player error: ${e.message}`));
  window.addEventListener('unhandledrejection', (e) => fail(e.reason));

  // ---- The access token and the API ----

  class AuthError extends Error {}

  let token = sessionStorage.getItem(TOKEN_KEY) || '';

  function hashParams() {
    return new URLSearchParams(location.hash.replace(/^#/, ''));
  }

  function setHash(params) {
    const text = params.toString();
    history.replaceState(null, '', text ? `#${text}` : location.pathname + location.search);
  }

  /** Takes `#token=` out of the address bar into sessionStorage. */
  function adoptTokenFromHash() {
    const params = hashParams();
    const fromHash = params.get('token');
    if (fromHash !== null) {
      token = fromHash;
      sessionStorage.setItem(TOKEN_KEY, token);
      params.delete('token');
      setHash(params);
    }
  }

  function askForToken(message) {
    el.tokenForm.hidden = false;
    el.tokenForget.hidden = true;
    el.tokenError.textContent = message || '';
    if (!message) el.tokenInput.focus();
  }

  async function api(path) {
    if (!token) {
      askForToken('');
      throw new AuthError('no access token');
    }
    const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
    if (response.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      token = '';
      askForToken('The access token was refused. Check it and try again.');
      throw new AuthError('access token refused');
    }
    let body = null;
    try {
      body = await response.json();
    } catch (_) {
      body = null;
    }
    if (!response.ok) {
      const reason = body && body.reason ? body.reason : response.statusText;
      throw new Error(`${path}: ${response.status} ${reason}`);
    }
    el.tokenForm.hidden = true;
    el.tokenForget.hidden = false;
    el.tokenError.textContent = '';
    return body;
  }

  el.tokenForm.addEventListener('submit', (e) => {
    e.preventDefault();
    token = el.tokenInput.value.trim();
    sessionStorage.setItem(TOKEN_KEY, token);
    el.tokenInput.value = '';
    refreshList().then(openFromHash).catch(fail);
  });

  el.tokenForget.addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    token = '';
    askForToken('');
  });

  // ---- Formatting ----

  function clock(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    const m = Math.floor(s / 60);
    const h = Math.floor(m / 60);
    const two = (n) => String(n).padStart(2, '0');
    return h > 0 ? `${h}:${two(m % 60)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
  }

  function node(tag, props, children) {
    const e = document.createElement(tag);
    Object.assign(e, props || {});
    for (const child of children || []) e.append(child);
    return e;
  }

  // ---- The session list ----

  const filterFields = [
    [el.platform, 'platform'], [el.osVersion, 'os_version'], [el.deviceModel, 'device_model'],
    [el.appVersion, 'app_version'], [el.user, 'user_search'], [el.minDuration, 'min_duration_s'],
    [el.maxDuration, 'max_duration_s'], [el.rage, 'has_rage_taps'], [el.dead, 'has_dead_taps'],
    [el.layout, 'has_layout_issues'],
  ];
  const facetSelects = [[el.platform, 'platform'], [el.osVersion, 'os_version'], [el.deviceModel, 'device_model'], [el.appVersion, 'app_version']];

  let listed = [];
  let listRequest = 0;
  let resolveReady;
  /** Resolves once the first list is shown (after a token form, if the page had no token). */
  const ready = new Promise((resolve) => {
    resolveReady = resolve;
  });

  function listQuery() {
    const q = new URLSearchParams();
    for (const [field, name] of filterFields) {
      if (field.type === 'checkbox') {
        if (field.checked) q.set(name, 'true');
      } else if (field.value.trim() !== '') {
        q.set(name, field.value.trim());
      }
    }
    return q.toString();
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
    const when = new Date(s.start_ms).toLocaleString();
    const li = node('li', {}, [
      node('div', { className: 'line1', textContent: `${s.device_manufacturer} ${s.device_model}`.trim() }),
      node('div', { className: 'line2', textContent: `${s.os_name} ${s.os_version} · app ${s.app_version} · ${duration}` }),
      node('div', { className: 'line2', textContent: `${s.user_id ? `user ${s.user_id}` : 'no user'} · ${when}` }),
      node('div', {}, badges),
    ]);
    li.dataset.sessionId = s.session_id;
    if (s.session_id === player.sessionId) li.setAttribute('aria-current', 'true');
    li.addEventListener('click', () => openSession(s.session_id).catch(fail));
    return li;
  }

  /** Queries the list with the current filters; resolves once it is shown. */
  async function refreshList() {
    const request = ++listRequest;
    const body = await api(`/v1/sessions?${listQuery()}`);
    if (request !== listRequest) return; // a newer query is on its way
    fillFacets(body.facets);
    listed = body.sessions.map((s) => s.session_id);
    el.list.replaceChildren(...body.sessions.map(sessionItem));
    el.count.textContent = `${body.sessions.length} session${body.sessions.length === 1 ? '' : 's'}`;
    resolveReady();
  }

  let typing = 0;
  el.filters.addEventListener('change', () => refreshList().catch(fail));
  el.filters.addEventListener('input', (e) => {
    if (e.target.type === 'checkbox' || e.target.tagName === 'SELECT') return; // 'change' covers them
    clearTimeout(typing);
    typing = setTimeout(() => refreshList().catch(fail), 250);
  });
  el.filters.addEventListener('submit', (e) => e.preventDefault());

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

  function paintScene(scene, overlayOps, highlights) {
    paint(ctx, scene, overlayOps, highlights, fitCanvas(scene.width, scene.height));
  }

  // ---- The player ----

  const fontReady = document.fonts.load(`16px ${FONT}`).then(
    (faces) => {
      if (faces.length === 0) throw new Error('the player font did not load');
    },
  ).catch(fail);

  const player = {
    sessionId: null,
    detail: null,
    events: null,
    timeMs: 0,
    playing: false,
    speed: 1,
    sceneTimeMs: null,
    selectedFinding: null,
    scenes: [], // sorted by time_ms
    overlays: [], // sorted by time_ms
    windows: new Map(), // window index -> Promise
    loaded: new Set(), // window indexes fully loaded
    generation: 0, // bumps when another session opens
    paintRequest: 0,
    lastTick: 0,
  };

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

  /** The last item of a sorted list at or before `t`. */
  function atOrBefore(list, t) {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].time_ms <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? list[lo - 1] : null;
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
      if (selected || Math.abs(f.time_ms - t) <= HIGHLIGHT_MS) out.push(f.rect);
    }
    return out;
  }

  /** Paints time `t` with what is loaded. */
  function paintAt(t) {
    const scene = atOrBefore(player.scenes, t);
    if (!scene) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, el.canvas.width, el.canvas.height);
      player.sceneTimeMs = null;
      return;
    }
    const overlay = atOrBefore(player.overlays, t);
    paintScene(scene, overlay ? overlay.ops : [], highlightsAt(t));
    player.sceneTimeMs = scene.time_ms;
  }

  function updateChrome() {
    const { start_ms: start, end_ms: end } = player.events;
    const span = Math.max(1, end - start);
    const p = Math.min(1, Math.max(0, (player.timeMs - start) / span));
    el.progress.style.width = `${p * 100}%`;
    el.cursor.style.left = `${p * 100}%`;
    el.timeline.setAttribute('aria-valuenow', String(Math.round((player.timeMs - start) / 1000)));
    el.time.textContent = `${clock(player.timeMs - start)} / ${clock(end - start)}`;
    el.play.textContent = player.playing ? 'Pause' : 'Play';
  }

  /** Shows session time `t` once its data is loaded; resolves when painted (a later call wins). */
  async function show(t) {
    const request = ++player.paintRequest;
    const generation = player.generation;
    await Promise.all([fontReady, ensureLoaded(t)]);
    if (request !== player.paintRequest || generation !== player.generation) return;
    paintAt(t);
  }

  function clampTime(t) {
    return Math.min(player.events.end_ms, Math.max(player.events.start_ms, t));
  }

  function seek(ms) {
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

  function play() {
    if (!player.events || player.playing) return;
    if (player.timeMs >= player.events.end_ms) player.timeMs = player.events.start_ms;
    player.playing = true;
    player.lastTick = performance.now();
    updateChrome();
    requestAnimationFrame(tick);
  }

  function pause() {
    if (!player.playing) return;
    player.playing = false;
    updateChrome();
    rememberPosition();
  }

  el.play.addEventListener('click', () => (player.playing ? pause() : play()));
  el.speed.addEventListener('change', () => {
    player.speed = Number(el.speed.value) || 1;
  });

  // The timeline bar: click or drag to seek; markers seek to their moment.
  function timeAtPointer(e) {
    const box = el.timeline.getBoundingClientRect();
    const p = Math.min(1, Math.max(0, (e.clientX - box.left) / box.width));
    return player.events.start_ms + p * (player.events.end_ms - player.events.start_ms);
  }

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
    if (!player.events || e.target.closest('input, select, textarea')) return;
    if (e.key === ' ') {
      e.preventDefault();
      if (player.playing) pause();
      else play();
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      const step = (e.shiftKey ? 1000 : SEEK_STEP_MS) * (e.key === 'ArrowLeft' ? -1 : 1);
      seek(player.timeMs + step).catch(fail);
    }
  });

  window.addEventListener('resize', () => {
    if (player.events && player.sceneTimeMs !== null) paintAt(player.timeMs);
  });

  function renderLegend() {
    el.legend.replaceChildren(...Object.entries(KIND_COLORS).map(([kind, c]) => {
      const swatch = node('span');
      swatch.style.background = c;
      return node('li', {}, [swatch, kind]);
    }));
  }

  function renderTimeline() {
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
      const b = node('button', { type: 'button', title: `${clock(m.time_ms - start)} ${m.kind}: ${m.label}` });
      b.dataset.kind = m.kind;
      b.style.left = at(m.time_ms);
      b.style.background = KIND_COLORS[m.kind] || '#111827';
      b.addEventListener('click', (e) => {
        e.stopPropagation();
        seek(m.time_ms).catch(fail);
      });
      return b;
    }));
  }

  function renderMetadata() {
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

  function renderFindings() {
    const start = player.events.start_ms;
    const items = player.events.findings.map((f) => {
      const li = node('li', {}, [
        node('span', { className: 'kind', textContent: f.kind.replace(/_/g, ' ') }),
        ` at ${clock(f.time_ms - start)}: ${f.detail}`,
      ]);
      li.dataset.kind = f.kind;
      li.addEventListener('click', () => {
        player.selectedFinding = player.selectedFinding === f ? null : f;
        for (const other of el.findings.children) other.setAttribute('aria-selected', 'false');
        li.setAttribute('aria-selected', String(player.selectedFinding === f));
        seek(f.time_ms).catch(fail);
      });
      return li;
    });
    el.findings.replaceChildren(...(items.length ? items : [node('li', { textContent: 'None found.' })]));
  }

  /** Opens a session; resolves once its first frame is painted. */
  async function openSession(id) {
    pause();
    const generation = ++player.generation;
    const path = `/v1/sessions/${encodeURIComponent(id)}`;
    const [detail, events] = await Promise.all([api(path), api(`${path}/events`)]);
    if (generation !== player.generation) return;
    Object.assign(player, {
      sessionId: id, detail, events, scenes: [], overlays: [], windows: new Map(), loaded: new Set(),
      selectedFinding: null, sceneTimeMs: null, timeMs: events.start_ms,
    });
    for (const li of el.list.children) li.setAttribute('aria-current', String(li.dataset.sessionId === id));
    el.stageEmpty.hidden = true;
    el.play.disabled = false;
    el.speed.disabled = false;
    renderTimeline();
    renderMetadata();
    renderFindings();
    await seek(player.events.start_ms);
  }

  async function openFromHash() {
    const params = hashParams();
    const id = params.get('session');
    if (!id || !token) return;
    if (id !== player.sessionId) await openSession(id);
    const t = Number(params.get('t'));
    if (Number.isFinite(t) && t > 0) await seek(player.events.start_ms + t * 1000);
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

  renderLegend();
  adoptTokenFromHash();
  if (token) refreshList().then(openFromHash).catch(fail);
  else askForToken('');

  /** Test hooks for the browser test. */
  window.reprise = {
    ready,
    openSession,
    seek,
    play,
    pause,
    refresh: refreshList,
    state: () => ({
      sessionId: player.sessionId,
      timeMs: player.timeMs,
      playing: player.playing,
      speed: player.speed,
      sceneTimeMs: player.sceneTimeMs,
      listed: [...listed],
    }),
  };
})();
