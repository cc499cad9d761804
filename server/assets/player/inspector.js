// The view inspector: hover or click on the canvas to select the view under the pointer; a panel
// shows what it is (class, id name, kind), where (dp and px, its path from the root), how it
// shows (visibility, opacity, clip, scroll offsets) and what privacy did to it; the tree of the
// frame on screen, kept in step with playback, selects too. Data: GET /v1/sessions/{id}/tree.

import { $, node } from './dom.js';
import { api } from './api.js';
import { fail } from './errors.js';
import { player } from './state.js';
import { onPainted, paintAt, sceneScale, setExtraHighlights } from './playback.js';

/** Trees kept (by scene time), most recent last. */
const CACHE = 40;
/** While playing, the tree panel follows at most this often, ms. */
const FOLLOW_MS = 1000;

const el = { canvas: $('player-canvas'), panel: $('inspector'), props: $('inspector-props'), tree: $('inspector-tree'), hint: $('inspector-hint') };
const trees = new Map(); // scene time -> Promise<tree>
let current = null; // the tree of the scene on screen
let hovered = null; // node id under the pointer
let lastFollow = 0;
let drawnTreeAt = null;

function treeAt(sceneTimeMs) {
  if (trees.has(sceneTimeMs)) return trees.get(sceneTimeMs);
  const id = player.sessionId;
  const load = api(`/v1/sessions/${encodeURIComponent(id)}/tree?at_ms=${sceneTimeMs}`);
  trees.set(sceneTimeMs, load);
  load.catch(() => trees.delete(sceneTimeMs));
  while (trees.size > CACHE) trees.delete(trees.keys().next().value);
  return load;
}

/** The tree of the scene on screen now. */
async function currentTree() {
  if (player.sceneTimeMs === null) return null;
  const at = player.sceneTimeMs;
  const tree = await treeAt(at);
  if (player.sceneTimeMs === at) current = tree;
  return tree;
}

const inside = (r, x, y) => x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;

/** The topmost drawn view at (x, y) dp: the last visible node, in drawing order, whose bounds and clip hold the point. */
export function viewAt(tree, x, y) {
  for (let i = tree.nodes.length - 1; i >= 0; i -= 1) {
    const n = tree.nodes[i];
    if (n.visible && inside(n.rect, x, y) && inside(n.clip, x, y)) return n;
  }
  return null;
}

function byId(id) {
  return current ? current.nodes.find((n) => n.id === id) || null : null;
}

function pathOf(n) {
  const path = [];
  const index = new Map(current.nodes.map((m) => [m.id, m]));
  for (let at = n; at; at = at.parent ? index.get(at.parent) : null) path.unshift(at.id_name ? `${short(at.class)}#${at.id_name}` : short(at.class));
  return path.join(' › ');
}

function short(cls) {
  return (cls || '?').split(/[.$]/).pop();
}

function textOf(info) {
  if (!info) return '—';
  if (info.plain !== undefined) return `“${info.plain}”`;
  return `masked (${info.masked} characters)`;
}

function renderProps() {
  const n = player.selectedNode !== null ? byId(player.selectedNode) : null;
  if (!n) {
    el.props.replaceChildren();
    el.hint.hidden = false;
    el.hint.textContent = player.selectedNode !== null ? 'The selected view is not on screen at this moment.' : 'Hover or click on the replay to inspect a view.';
    return;
  }
  el.hint.hidden = true;
  const r = n.rect;
  const px = n.px.map((v) => Math.round(v));
  const state = [];
  if (n.checked !== null) state.push(n.checked ? 'checked' : 'not checked');
  if (n.progress !== null) state.push(`progress ${Math.round(n.progress * 100)}%`);
  if (n.withheld) state.push('state withheld by privacy');
  const rows = [
    ['Class', n.class], ['Id name', n.id_name || '—'], ['Kind', n.kind.toLowerCase()], ['Node', String(n.id)],
    ['Bounds (dp)', `${r.x}, ${r.y} · ${r.w}×${r.h}`], ['Bounds (px)', `${px[0]}, ${px[1]} · ${px[2]}×${px[3]}`],
    ['Path', pathOf(n)],
    ['Visible', n.visible ? 'yes' : 'no'], ['Alpha', `${n.alpha.toFixed(2)} (on screen ${n.effective_alpha.toFixed(2)})`],
    ['Clip', `${n.clip.x}, ${n.clip.y} · ${n.clip.w}×${n.clip.h}${n.clips_children ? ' · clips its children' : ''}`],
    ['Scroll (dp)', `${n.scroll[0]}, ${n.scroll[1]}`], ['Mask', n.mask], ['Text', textOf(n.text)], ['Label', textOf(n.description)],
    ['Interactive', `${n.clickable ? 'clickable' : 'not clickable'}${n.enabled ? '' : ', disabled'}`],
    ['Elevation', `${n.elevation} dp`], ['State', state.join(', ') || '—'],
  ];
  el.props.replaceChildren(...rows.flatMap(([k, v]) => [node('dt', { textContent: k }), node('dd', { textContent: v })]));
  el.props.dataset.nodeId = String(n.id);
}

function renderTree() {
  if (!current) return;
  drawnTreeAt = current.time_ms;
  const children = new Map();
  for (const n of current.nodes) {
    if (!children.has(n.parent)) children.set(n.parent, []);
    children.get(n.parent).push(n);
  }
  const item = (n) => {
    const label = node('button', { type: 'button', className: 'tree-node', textContent: n.name });
    label.dataset.nodeId = String(n.id);
    if (!n.visible) label.classList.add('invisible');
    if (n.id === player.selectedNode) label.setAttribute('aria-current', 'true');
    label.addEventListener('click', () => select(n.id));
    const kids = n.id !== 0 ? children.get(n.id) || [] : [];
    if (kids.length === 0) return node('li', {}, [label]);
    const open = n.depth < 3 || kids.some((k) => k.id === player.selectedNode);
    const details = node('details', { open }, [node('summary', {}, [label]), node('ul', {}, kids.map(item))]);
    return node('li', {}, [details]);
  };
  const roots = current.nodes.filter((n) => n.parent === 0);
  el.tree.replaceChildren(node('ul', {}, roots.map(item)));
}

/** Selects view `id` (null clears), shows it and outlines it on the canvas. */
export function select(id) {
  player.selectedNode = id;
  renderProps();
  renderTree();
  paintAt(player.timeMs);
}

function pointToDp(e) {
  const rect = el.canvas.getBoundingClientRect();
  const canvasPx = (e.clientX - rect.left) * (el.canvas.width / rect.width);
  const canvasPy = (e.clientY - rect.top) * (el.canvas.height / rect.height);
  const scale = sceneScale();
  return [canvasPx / scale, canvasPy / scale];
}

/** Selects the view at (x, y) dp on the frame shown; resolves to it (null when none). */
export async function inspectAt(x, y) {
  const tree = await currentTree();
  if (!tree) return null;
  const n = viewAt(tree, x, y);
  select(n ? n.id : null);
  return n;
}

/** Wires the canvas and the playback hook. */
export function initInspector() {
  setExtraHighlights(() => {
    const out = [];
    const h = hovered !== null && hovered !== player.selectedNode ? byId(hovered) : null;
    if (h) out.push({ ...h.rect, style: 'hovered' });
    const s = player.selectedNode !== null ? byId(player.selectedNode) : null;
    if (s) out.push({ ...s.rect, style: 'inspected' });
    return out;
  });
  el.canvas.addEventListener('click', (e) => {
    if (!player.events) return;
    const [x, y] = pointToDp(e);
    inspectAt(x, y).catch(fail);
  });
  el.canvas.addEventListener('pointermove', (e) => {
    if (!player.events || !current || player.playing) return;
    const [x, y] = pointToDp(e);
    const n = viewAt(current, x, y);
    const id = n ? n.id : null;
    if (id !== hovered) {
      hovered = id;
      el.canvas.title = n ? n.name : '';
      paintAt(player.timeMs);
    }
  });
  el.canvas.addEventListener('pointerleave', () => {
    if (hovered === null) return;
    hovered = null;
    paintAt(player.timeMs);
  });
  onPainted((t, scene) => {
    if (current && current.time_ms === scene.time_ms) return;
    const now = performance.now();
    if (player.playing && now - lastFollow < FOLLOW_MS) return;
    lastFollow = now;
    currentTree().then((tree) => {
      if (!tree || drawnTreeAt === tree.time_ms) return;
      renderTree();
      renderProps();
      paintAt(player.timeMs);
    }).catch(fail);
  });
}

/** Forgets the trees of the session that was open. */
export function sessionOpened() {
  trees.clear();
  current = null;
  hovered = null;
  drawnTreeAt = null;
  player.selectedNode = null;
  el.tree.replaceChildren();
  renderProps();
}
