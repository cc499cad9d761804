// The browser test of the web player (run by scripts/test-browser.sh, which installs chromium and
// playwright-core and builds `reprise`).
//
// 1. `reprise-demo --exit --out WORK/demo` records the demo's two sessions and writes demo.json.
// 2. `reprise serve` reopens that data with the demo's ingest key and access token.
// 3. Headless Chromium opens the player and checks, printing each check:
//    - the list shows both sessions, and the filters narrow it: platform ios -> only the iOS
//      session; rage taps -> only the Android one; a part of the iOS user id -> only the iOS one;
//    - zooming the timeline (+ three times) separates markers that overlapped in their lane and
//      keeps the playhead in view; 0 shows the whole session again;
//    - the filters survive a reload (kept in the address bar); a minimum duration above the
//      maximum is refused in the page before anything is sent;
//    - the Android session opens, plays (the playhead moves) and pauses;
//    - after seeking to a quiet moment of the third screen (2 s after its last gesture), the canvas
//      shows what `reprise render --at` draws for that moment at the canvas's scale (mean absolute
//      difference and share of pixels off by more than 32, computed in the page on an offscreen
//      canvas), and clearly not what it draws for the second screen;
//    - the inspector: a click on a view of the canvas selects it and the panel shows its class and
//      id name, the tree beside the canvas marks it; the rage tap and the findings name their
//      views; the screen, device and time are written above the canvas; the event list marks the
//      entry in effect at the playhead, a click on an entry seeks, the search narrows it;
//    - a failed request's banner is written for people and clears after the next success;
//    - at a scrolled moment of the Android session's list, the canvas equals `reprise render` and
//      no view of the list is drawn outside it (its rows reach past its edge, clipped);
//    - device-centric filters (a visited screen, a size class, kept in #filters=); a layout
//      finding shows the time range it stayed wrong, in the panel and as a timeline bar;
//    - a note and a bookmark written in the page: the bookmark on the timeline and in the event
//      list (a click seeks to it), both listed again after a reload, the "Bookmarked" filter,
//      deleting;
//    - at 390 px wide the canvas is at least 300 px wide;
//    - a wrong token shows #token-error, and the API answers it 401;
//    - the console shows no error and no page error in normal use;
//    - paging: `reprise-seed` uploads 300 sessions through the SDK's real queue and uploader to
//      a second collector, and the player's next page reaches the 250th.
// Exits non-zero when any check fails; the last line is "N passed, M failed".
//
// With REPRISE_SCREENSHOTS=DIR it also writes the screenshots the README shows (inspector,
// finding) into DIR: `REPRISE_SCREENSHOTS=$PWD/docs/images scripts/test-browser.sh`.
//
// Environment: REPRISE_BIN (the `reprise` binary), REPRISE_DEMO_BIN (the `reprise-demo` binary),
// REPRISE_SEED_BIN (the `reprise-seed` binary), REPRISE_WORK (a scratch folder), CHROMIUM
// (default /usr/bin/chromium).

import { spawn, execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const run = promisify(execFile);
const bin = process.env.REPRISE_BIN;
const demoBin = process.env.REPRISE_DEMO_BIN;
const seedBin = process.env.REPRISE_SEED_BIN;
const work = process.env.REPRISE_WORK;
/** Where to write the screenshots docs/ shows (REPRISE_SCREENSHOTS; none when unset). */
const shots = process.env.REPRISE_SCREENSHOTS;
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!bin || !demoBin || !work) {
  console.error('set REPRISE_BIN, REPRISE_DEMO_BIN and REPRISE_WORK (scripts/test-browser.sh does)');
  process.exit(2);
}

// Thresholds of the pixel comparison (channel values 0-255). The player's canvas and the
// rasterizer draw the same ops with their own anti-aliasing, so the same moment may differ a
// little along edges (measured: mean 0.12, no pixel off by more than 32); the wireframes are
// mostly white, so another screen differs on a smaller share of pixels than one might expect
// (measured against the second screen: mean 17.5, 14.9% of pixels).
const SAME_MEAN_MAX = 3;
const SAME_FAR_MAX = 0.01;
const OTHER_MEAN_MIN = 6;
const OTHER_FAR_MIN = 0.05;
const WAIT_MS = 15000;

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${detail ? ` (${detail})` : ''}`);
  return ok;
}

/** Starts `reprise serve` and resolves with its address once it prints the listening line. */
function serve(manifest) {
  const args = [
    'serve', '--listen', '127.0.0.1:0', '--data', manifest.data_dir,
    '--api-key', `${manifest.app}=${manifest.ingest_key}`, '--access-token', manifest.token,
  ];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const address = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/(127\.0\.0\.1:\d+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`reprise serve exited with ${code} before listening: ${out}`)));
    setTimeout(() => reject(new Error(`reprise serve did not print its address: ${out}`)), WAIT_MS);
  });
  return { child, address };
}

/** `reprise render SESSION --at SECONDS --scale S` as PNG bytes. */
async function renderPng(manifest, sessionId, seconds, scale, name) {
  const out = join(work, name);
  await run(bin, ['render', sessionId, '--data', manifest.data_dir, '--at', seconds.toFixed(3), '--scale', String(scale), '--out', out]);
  return readFile(out);
}

/** Compares the player's canvas with a PNG, in the page: {mean, far, width, height, png}. */
function compareCanvas(page, png) {
  return page.evaluate(async (b64) => {
    const canvas = document.getElementById('player-canvas');
    const image = new Image();
    image.src = `data:image/png;base64,${b64}`;
    await image.decode();
    const { width, height } = canvas;
    const off = document.createElement('canvas');
    off.width = width;
    off.height = height;
    const octx = off.getContext('2d');
    octx.drawImage(image, 0, 0, width, height);
    const a = canvas.getContext('2d').getImageData(0, 0, width, height).data;
    const b = octx.getImageData(0, 0, width, height).data;
    let sum = 0;
    let far = 0;
    for (let i = 0; i < a.length; i += 4) {
      let worst = 0;
      for (let c = 0; c < 3; c += 1) {
        const d = Math.abs(a[i + c] - b[i + c]);
        sum += d;
        if (d > worst) worst = d;
      }
      if (worst > 32) far += 1;
    }
    const pixels = width * height;
    return { mean: sum / (pixels * 3), far: far / pixels, width, height, png: [image.naturalWidth, image.naturalHeight] };
  }, png.toString('base64'));
}

/** Waits until the player lists exactly `ids` (in any order). */
async function listedBecomes(page, ids) {
  const want = [...ids].sort().join(',');
  try {
    await page.waitForFunction((w) => [...window.reprise.state().listed].sort().join(',') === w, want, { timeout: WAIT_MS });
    return true;
  } catch {
    return false;
  }
}

async function main() {
  // 1. The demo's data.
  const demoDir = join(work, 'demo');
  await run(demoBin, ['--exit', '--out', demoDir, '--listen', '127.0.0.1:0']);
  const manifest = JSON.parse(await readFile(join(demoDir, 'demo.json'), 'utf8'));
  const [android, ios] = manifest.sessions;
  check('reprise-demo --exit wrote demo.json with both sessions', android?.label === 'android' && ios?.label === 'ios');

  // 2. The collector on that data.
  const server = serve(manifest);
  let browser;
  try {
    const addr = await server.address;
    const base = `http://${addr}`;
    const api = (path, token = manifest.token) => fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    const events = await (await api(`/v1/sessions/${android.id}/events`)).json();
    const screens = events.markers.filter((m) => m.kind === 'screen');
    check('the events API lists the Android session\'s three screen views', screens.length === 3, `${screens.length}`);
    // A quiet moment of the third screen: 2 s after its last gesture (the dead tap), when no
    // finger is down, no ripple is drawn and no finding is within the player's 1 s highlight.
    const third = screens[2].time_ms;
    const acts = events.markers.filter((m) => m.time_ms >= third && (m.kind === 'gesture' || m.kind === 'struggle'));
    const target = Math.max(third, ...acts.map((m) => m.time_ms)) + 2000;
    check('the quiet moment lies within the session', target < events.end_ms, `${target - events.start_ms} ms of ${events.end_ms - events.start_ms}`);
    const other = screens[1].time_ms + 1000;

    // 3. The browser.
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const errors = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));

    await page.goto(`${base}/#token=${manifest.token}`);
    await page.waitForFunction(() => window.reprise !== undefined, null, { timeout: WAIT_MS });
    await page.evaluate(() => window.reprise.ready);
    check('the list shows both sessions', await listedBecomes(page, [android.id, ios.id]));

    // Filters.
    await page.selectOption('#filter-platform', 'ios');
    check('platform ios lists only the iOS session', await listedBecomes(page, [ios.id]));
    // The filters are kept in the address bar: a reload keeps them.
    await page.reload();
    await page.waitForFunction(() => window.reprise !== undefined, null, { timeout: WAIT_MS });
    await page.evaluate(() => window.reprise.ready);
    check('filters survive a reload', (await page.inputValue('#filter-platform')) === 'ios' && await listedBecomes(page, [ios.id]),
      await page.evaluate(() => location.hash));
    await page.selectOption('#filter-platform', '');
    check('platform any lists both again', await listedBecomes(page, [android.id, ios.id]));
    // A finding kind narrows the list; the count says how many match.
    await page.selectOption('#filter-finding', 'error_tap');
    check('has finding "error tap" lists only the Android session', await listedBecomes(page, [android.id]),
      await page.textContent('#session-count'));
    await page.selectOption('#filter-finding', '');
    check('clearing the finding filter lists both again', await listedBecomes(page, [android.id, ios.id]));
    // Device-centric filters: a screen visited (from the facets), a size class, kept in the URL.
    await page.selectOption('#filter-screen', 'Language picker');
    check('visited screen "Language picker" lists only the Android session', await listedBecomes(page, [android.id]),
      await page.evaluate(() => location.hash));
    await page.selectOption('#filter-screen', '');
    await page.selectOption('#filter-size-class', 'expanded');
    check('size class expanded lists no phone session', await listedBecomes(page, []), await page.textContent('#session-count'));
    await page.selectOption('#filter-size-class', 'compact');
    check('size class compact lists both phones, and is kept in #filters=', await listedBecomes(page, [android.id, ios.id])
      && (await page.evaluate(() => decodeURIComponent(location.hash))).includes('size_class=compact'));
    await page.selectOption('#filter-size-class', '');
    await page.selectOption('#sort', 'oldest');
    const order = (ids) => page.waitForFunction((want) => window.reprise.state().listed.join(',') === want, ids.join(','), { timeout: WAIT_MS })
      .then(() => true, () => false);
    check('sorting oldest first puts the Android session (recorded first) on top', await order([android.id, ios.id]));
    await page.selectOption('#sort', 'recent');
    check('newest first puts it below the iOS one', await order([ios.id, android.id]));
    const counted = await page.waitForFunction(() => document.getElementById('session-count').textContent.includes('2 sessions'), null, { timeout: WAIT_MS })
      .then(() => true, () => false);
    check('the count says how many sessions match', counted, await page.textContent('#session-count'));
    // A bad filter value is refused before anything is sent, and said so.
    await page.fill('#filter-min-duration', '20');
    await page.fill('#filter-max-duration', '5');
    await page.waitForFunction(() => !document.getElementById('error').hidden, null, { timeout: WAIT_MS }).catch(() => {});
    const refusedFilter = await page.textContent('#error');
    check('a minimum above the maximum is refused in the page', refusedFilter.includes('minimum duration'), refusedFilter);
    await page.fill('#filter-min-duration', '');
    await page.fill('#filter-max-duration', '');
    check('clearing it lists both again', await listedBecomes(page, [android.id, ios.id]));
    await page.check('#filter-rage');
    check('rage taps lists only the Android session', await listedBecomes(page, [android.id]));
    await page.uncheck('#filter-rage');
    check('unchecking rage taps lists both again', await listedBecomes(page, [android.id, ios.id]));
    const part = ios.user_id.slice(0, Math.max(3, Math.floor(ios.user_id.length / 2)));
    await page.fill('#filter-user', part);
    check(`user id containing "${part}" lists only the iOS session`, await listedBecomes(page, [ios.id]));
    await page.fill('#filter-user', '');
    check('an empty user search lists both again', await listedBecomes(page, [android.id, ios.id]));

    // Open, play a moment, pause.
    await page.evaluate((id) => window.reprise.openSession(id), android.id);
    const opened = await page.evaluate(() => window.reprise.state());
    check('the Android session opens', opened.sessionId === android.id);
    await page.evaluate(() => window.reprise.play());
    await page.waitForTimeout(1500);
    const playing = await page.evaluate(() => window.reprise.state());
    check('play moves the playhead', playing.playing && playing.timeMs > opened.timeMs, `${opened.timeMs} -> ${playing.timeMs}`);
    await page.evaluate(() => window.reprise.pause());
    const paused = await page.evaluate(() => window.reprise.state());
    check('pause stops it', !paused.playing);

    // Seek to the quiet moment and compare with the rasterizer.
    await page.evaluate((t) => window.reprise.seek(t), target);
    const state = await page.evaluate(() => window.reprise.state());
    check('seek puts the playhead on the moment', state.timeMs === target, `${state.timeMs} vs ${target}`);
    const scale = Number(await page.getAttribute('#player-canvas', 'data-scene-scale'));
    check('the canvas states its scale', Number.isFinite(scale) && scale > 0, `${scale}`);
    const same = await compareCanvas(page, await renderPng(manifest, android.id, (target - events.start_ms) / 1000, scale, 'same.png'));
    const sizes = `canvas ${same.width}x${same.height}, png ${same.png.join('x')}`;
    check('the rendered PNG has the canvas size (±1 px)', Math.abs(same.png[0] - same.width) <= 1 && Math.abs(same.png[1] - same.height) <= 1, sizes);
    check(
      'the canvas shows the moment reprise render draws',
      same.mean <= SAME_MEAN_MAX && same.far <= SAME_FAR_MAX,
      `mean ${same.mean.toFixed(2)}, ${(same.far * 100).toFixed(2)}% of pixels off by > 32`,
    );
    const diff = await compareCanvas(page, await renderPng(manifest, android.id, (other - events.start_ms) / 1000, scale, 'other.png'));
    check(
      'and clearly not the second screen',
      diff.mean >= OTHER_MEAN_MIN && diff.far >= OTHER_FAR_MIN && diff.far > 5 * same.far,
      `mean ${diff.mean.toFixed(2)}, ${(diff.far * 100).toFixed(2)}% of pixels off by > 32`,
    );
    // A scrolled moment of the language picker's list: the canvas equals `reprise render` there,
    // and no row is drawn outside the list (every view inside it is clipped to its bounds).
    const gestures = events.markers.filter((m) => m.kind === 'gesture' || m.kind === 'struggle').map((m) => m.time_ms);
    let scrolled = null;
    for (let t = screens[0].time_ms + 1000; t < screens[1].time_ms - 1000 && !scrolled; t += 100) {
      if (gestures.some((g) => Math.abs(g - t) < 700) || events.findings.some((f) => Math.abs(f.time_ms - t) < 1100)) continue;
      const at = await (await api(`/v1/sessions/${android.id}/tree?at_ms=${t}`)).json();
      const list = at.nodes.find((n) => n.scroll[1] > 0 && n.visible);
      if (list) scrolled = { t, at, list };
    }
    check('the demo\'s Android session has a quiet moment with its list scrolled', scrolled !== null);
    if (scrolled) {
      await page.evaluate((t) => window.reprise.seek(t), scrolled.t);
      const atScroll = await compareCanvas(page, await renderPng(manifest, android.id, (scrolled.t - events.start_ms) / 1000, scale, 'scrolled.png'));
      check('at a scrolled moment the canvas equals reprise render', atScroll.mean <= SAME_MEAN_MAX && atScroll.far <= SAME_FAR_MAX,
        `scroll ${scrolled.list.scroll[1]} dp: mean ${atScroll.mean.toFixed(2)}, ${(atScroll.far * 100).toFixed(2)}% of pixels off by > 32`);
      const byId = new Map(scrolled.at.nodes.map((n) => [n.id, n]));
      const inside = (n) => { for (let p = byId.get(n.parent); p; p = byId.get(p.parent)) if (p.id === scrolled.list.id) return true; return false; };
      const L = scrolled.list.rect;
      const rows = scrolled.at.nodes.filter((n) => n.visible && inside(n));
      const outside = rows.filter((n) => {
        const c = n.clip;
        const x0 = Math.max(c.x, n.rect.x), y0 = Math.max(c.y, n.rect.y);
        const x1 = Math.min(c.x + c.w, n.rect.x + n.rect.w), y1 = Math.min(c.y + c.h, n.rect.y + n.rect.h);
        if (x1 <= x0 || y1 <= y0) return false; // clipped away entirely
        return x0 < L.x || y0 < L.y || x1 > L.x + L.w || y1 > L.y + L.h;
      });
      const cut = rows.filter((n) => n.rect.y < L.y || n.rect.y + n.rect.h > L.y + L.h).length;
      check('no row of the scrolled list is drawn outside it', rows.length > 0 && cut > 0 && outside.length === 0,
        `${rows.length} views in the list, ${cut} reaching past its edge, ${outside.length} drawn outside`);
    }
    await page.evaluate((t) => window.reprise.seek(t), target);
    // The inspector: a click on a view of the canvas selects it; the panel names its class and id name.
    const tree = await (await api(`/v1/sessions/${android.id}/tree?at_ms=${target}`)).json();
    const inside = (r, x, y) => x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
    const topmostAt = (x, y) => [...tree.nodes].reverse().find((n) => n.visible && inside(n.rect, x, y) && inside(n.clip, x, y));
    const centre = (n) => [n.rect.x + n.rect.w / 2, n.rect.y + n.rect.h / 2];
    const named = tree.nodes.find((n) => n.id_name && n.visible && n.rect.w >= 8 && n.rect.h >= 8 && topmostAt(...centre(n)) === n);
    check('the tree at a moment has views with id names', named !== undefined, `${tree.nodes.length} nodes`);
    if (named) {
      const box = await page.locator('#player-canvas').boundingBox();
      const [cx, cy] = centre(named);
      await page.mouse.click(box.x + cx * scale, box.y + cy * scale);
      await page.waitForFunction((id) => window.reprise.state().selectedNode === id, named.id, { timeout: WAIT_MS }).catch(() => {});
      const props = await page.textContent('#inspector-props');
      check('clicking a view selects it and shows its class and id name',
        props.includes(named.class) && props.includes(named.id_name), `${named.class} #${named.id_name}: ${props.slice(0, 160)}`);
      const marked = await page.locator(`#inspector-tree [data-node-id="${named.id}"][aria-current="true"]`).count();
      check('the tree beside the canvas marks the selected view', marked === 1, `${marked}`);
      if (shots) {
        await page.locator('#inspector').scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(shots, 'player-inspector.png') });
      }
      await page.mouse.move(0, 0);
      await page.evaluate(() => window.reprise.select(null));
    }
    const rage = events.markers.find((m) => m.kind === 'struggle' && m.label.startsWith('rage tap'));
    check('the rage tap names its view in the events', Boolean(rage && rage.view && rage.label.endsWith(rage.view)), rage ? rage.label : 'none');
    const findingViews = await page.locator('#findings .view').count();
    check('findings in the panel name their views', findingViews > 0, `${findingViews}`);
    // A layout finding that stayed wrong a while shows its range, in the panel and as a bar on
    // the timeline.
    const lasting = events.findings.find((f) => f.kind === 'small_target' && f.last_ms > f.time_ms + 1000);
    const clockOf = (ms) => { const s = Math.floor(ms / 1000); return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`; };
    const range = lasting ? `${clockOf(lasting.time_ms - events.start_ms)}–${clockOf(lasting.last_ms - events.start_ms)}` : 'none';
    const ranges = await page.locator('#findings .range').allTextContents();
    check('a layout finding shows the time range it stayed wrong', Boolean(lasting) && ranges.some((r) => r.trim() === range), `${range} in ${ranges.join(',')}`);
    const bars = await page.locator('#timeline-markers button.range').count();
    check('the timeline draws layout findings that lasted as bars', bars > 0, `${bars}`);
    // A note and a bookmark through the page: written at the playhead, a marker on the timeline
    // and an entry of the event list that seeks, kept in the index (a reload lists it), listed by
    // the "Bookmarked" filter, deleted.
    await page.evaluate((t) => window.reprise.seek(t), target);
    await page.fill('#note-text', 'the list jumps here');
    await page.check('#note-at');
    await page.click('#note-add');
    const bookmarked = await page.waitForSelector('#notes li[data-bookmark="true"]', { timeout: WAIT_MS }).then(() => true, () => false);
    const markerShown = await page.locator('#timeline-markers button[data-kind="bookmark"]').count();
    check('a bookmark added in the page is listed and marked on the timeline', bookmarked && markerShown === 1, `${markerShown}`);
    await page.uncheck('#note-at');
    await page.fill('#note-text', 'seen by the team');
    await page.click('#note-add');
    await page.waitForFunction(() => document.querySelectorAll('#notes li[data-note-id]').length === 2, null, { timeout: WAIT_MS }).catch(() => {});
    await page.evaluate((t) => window.reprise.seek(t), events.start_ms);
    await page.click(`#event-list li[data-kind="bookmark"]`);
    const afterClick = await page.evaluate(() => window.reprise.state().timeMs);
    check('clicking the bookmark in the event list seeks to its moment', afterClick === target, `${afterClick} vs ${target}`);
    await page.reload();
    await page.waitForFunction(() => window.reprise !== undefined, null, { timeout: WAIT_MS });
    await page.evaluate(() => window.reprise.ready);
    await page.evaluate((id) => window.reprise.openSession(id), android.id);
    const kept = await page.waitForFunction(() => document.querySelectorAll('#notes li[data-note-id]').length === 2, null, { timeout: WAIT_MS }).then(() => true, () => false);
    check('notes are kept by the collector (a reload lists both)', kept, await page.textContent('#notes'));
    await page.check('#filter-bookmarked');
    check('the "Bookmarked" filter lists only the Android session', await listedBecomes(page, [android.id]));
    await page.uncheck('#filter-bookmarked');
    await page.click('#notes li[data-bookmark="true"] .note-delete');
    const deleted = await page.waitForFunction(() => document.querySelectorAll('#notes li[data-note-id]').length === 1
      && !document.querySelector('#timeline-markers button[data-kind="bookmark"]'), null, { timeout: WAIT_MS }).then(() => true, () => false);
    check('deleting the bookmark removes it from the notes and the timeline', deleted);
    await page.click('#notes li[data-note-id] .note-delete');
    if (shots) {
      // A finding selected: the player seeks to it and outlines it apart from its neighbours.
      await page.click('#findings li[data-kind="rage_tap"]');
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(shots, 'player-finding.png') });
      await page.click('#findings li[data-kind="rage_tap"]');
      await page.evaluate((t) => window.reprise.seek(t), target);
    }
    // Zoom: markers that sat on each other in their lane separate; the playhead stays in view.
    const crowded = () => page.evaluate(() => {
      const boxes = [...document.querySelectorAll('#timeline-markers button')].map((b) => [b.dataset.kind, b.getBoundingClientRect()]);
      let n = 0;
      for (let i = 0; i < boxes.length; i += 1) {
        for (let j = i + 1; j < boxes.length; j += 1) {
          const [ka, a] = boxes[i];
          const [kb, b] = boxes[j];
          if (ka === kb && a.left < b.right && b.left < a.right) n += 1;
        }
      }
      return [n, boxes.length];
    });
    await page.evaluate((t) => window.reprise.seek(t), events.markers.find((m) => m.kind === 'struggle').time_ms);
    const [before, shownBefore] = await crowded();
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    const zoomed = await page.evaluate(() => window.reprise.state());
    const [after, shownAfter] = await crowded();
    check('zooming the timeline separates markers on top of each other',
      zoomed.view !== null && after < before && zoomed.timeMs >= zoomed.view[0] && zoomed.timeMs <= zoomed.view[1],
      `overlapping pairs ${before} of ${shownBefore} markers -> ${after} of ${shownAfter}, view ${JSON.stringify(zoomed.view)}`);
    await page.keyboard.press('0');
    check('0 shows the whole session again', (await page.evaluate(() => window.reprise.state())).view === null);
    await page.evaluate((t) => window.reprise.seek(t), target);

    // The event list follows the playhead, and a click on an entry seeks to it.
    const playingEntry = await page.evaluate(() => {
      const li = document.querySelector('#event-list li[aria-current="true"]');
      const next = li && li.nextElementSibling;
      return li ? [Number(li.dataset.timeMs), next ? Number(next.dataset.timeMs) : null] : null;
    });
    check('the event list marks the entry in effect at the playhead',
      playingEntry !== null && playingEntry[0] <= target && (playingEntry[1] === null || playingEntry[1] > target), JSON.stringify(playingEntry));
    await page.click(`#event-list li[data-time-ms="${screens[1].time_ms}"]`);
    await page.waitForFunction((t) => window.reprise.state().timeMs === t, screens[1].time_ms, { timeout: WAIT_MS }).catch(() => {});
    check('clicking an event seeks to it', (await page.evaluate(() => window.reprise.state().timeMs)) === screens[1].time_ms);
    await page.fill('#event-search', 'rage');
    const searched = await page.locator('#event-list li[data-kind]').count();
    check('the event search narrows the list', searched >= 1 && searched < events.markers.length, `${searched} of ${events.markers.length}`);
    await page.fill('#event-search', '');
    await page.evaluate((t) => window.reprise.seek(t), target);
    const caption = await page.textContent('#stage-caption');
    check('the screen name, device and time are shown above the canvas', caption.includes(screens[2].label) && caption.includes(':'), caption);
    check('no console error or page error in normal use', errors.length === 0, errors.join(' | '));

    // A failed request's banner clears once the next request succeeds.
    await page.evaluate(() => { location.hash = '#session=01a23abc-0000-7000-8000-000000000000'; });
    await page.waitForFunction(() => !document.getElementById('error').hidden, null, { timeout: WAIT_MS }).catch(() => {});
    const banner = await page.textContent('#error');
    check('a failed request shows a banner for people', banner.includes('not on this collector'), banner);
    await page.click(`#session-list li[data-session-id="${ios.id}"]`);
    await page.waitForFunction((id) => window.reprise.state().sessionId === id, ios.id, { timeout: WAIT_MS }).catch(() => {});
    check('the banner clears after the next success', await page.locator('#error').isHidden());

    // At 390 px wide, the replay keeps most of the width.
    const narrow = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    const phone = await narrow.newPage();
    await phone.goto(`${base}/#token=${manifest.token}&session=${android.id}`);
    await phone.waitForFunction((id) => window.reprise && window.reprise.state().sessionId === id && window.reprise.state().sceneTimeMs !== null, android.id, { timeout: WAIT_MS }).catch(() => {});
    const phoneBox = await phone.locator('#player-canvas').boundingBox();
    check('at 390 px the canvas is at least 300 px wide', phoneBox && phoneBox.width >= 300, phoneBox ? `${phoneBox.width.toFixed(0)} px` : 'no canvas');
    await narrow.close();

    // A wrong token, in a fresh context (the good token stays in the first one's session storage).
    const wrong = 'wrong-token-0123456789abcdef';
    const refused = await api('/v1/sessions', wrong);
    check('the API answers a wrong token 401', refused.status === 401, `${refused.status}`);
    const other_context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page2 = await other_context.newPage();
    await page2.goto(`${base}/#token=${wrong}`);
    let shown = '';
    try {
      await page2.waitForFunction(() => (document.getElementById('token-error')?.textContent || '').trim() !== '', null, { timeout: WAIT_MS });
      shown = await page2.textContent('#token-error');
    } catch {
      shown = '';
    }
    check('the player shows #token-error for a wrong token', shown.trim() !== '', shown.trim());
    await other_context.close();

    // Paging through a long list: 300 sessions uploaded through the SDK's real upload path to a
    // second collector (its own data folder), then the player's "next page" reaches the 250th.
    const seeded = serve({ ...manifest, data_dir: join(work, 'seeded') });
    try {
      const seededAddr = await seeded.address;
      await run(seedBin, ['--endpoint', `http://${seededAddr}`, '--key', manifest.ingest_key, '--sessions', '300', '--queue', join(work, 'seed-queue')]);
      const many = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const lister = await many.newPage();
      await lister.goto(`http://${seededAddr}/#token=${manifest.token}`);
      await lister.waitForFunction(() => window.reprise !== undefined, null, { timeout: WAIT_MS });
      await lister.evaluate(() => window.reprise.ready);
      const firstPage = (await lister.textContent('#session-count')).trim();
      await lister.click('#page-next');
      await lister.waitForFunction(() => (document.getElementById('session-count').textContent || '').startsWith('201'), null, { timeout: WAIT_MS }).catch(() => {});
      const secondPage = (await lister.textContent('#session-count')).trim();
      // Most recent first: the 250th is session 50 of 0..299 (user seed-0050), 50th on page two.
      const fiftieth = await lister.locator('#session-list li').nth(49).textContent();
      check('paging reaches session 250 of 300', firstPage === '1–200 of 300 sessions' && secondPage === '201–300 of 300 sessions'
        && fiftieth.includes('user seed-0050'), `${firstPage} / ${secondPage} / ${fiftieth}`);
      await many.close();
    } finally {
      seeded.child.kill('SIGTERM');
    }
  } finally {
    if (browser) await browser.close();
    server.child.kill('SIGTERM');
  }
}

try {
  await main();
} catch (err) {
  check('the test ran to the end', false, err.stack || String(err));
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
