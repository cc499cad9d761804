// The browser test of live view (run by scripts/test-browser.sh after the player's test).
//
// 1. `reprise serve` starts on a fresh data folder.
// 2. `live-session` records a session in real time through the real SDK into it: one real RICO
//    screen every 3 s, the first uploaded at once, the rest only when the SDK seals a segment
//    (every 60 s unless somebody watches, or when the app goes to the background).
// 3. Headless Chromium opens the player on that session and checks, printing each check:
//    - the "LIVE" badge shows (the session is still being recorded);
//    - the app switches away and back once (an upload, whose answer carries the live flag since
//      the page's long poll marked the session watched); then, without a reload, the page shows
//      the segments the SDK seals every 2 s: the session's segment count and its end grow past
//      that upload's, and the playhead, left at the end, follows the new end;
//    - once the app stays in the background (30 s after its last upload), the badge goes away;
//    - the console shows no error and no page error.
// Exits non-zero when any check fails; the last line is "N passed, M failed".
//
// Environment: REPRISE_BIN (`reprise`), REPRISE_LIVE_BIN (`live-session`), REPRISE_WORK (a scratch
// folder), CHROMIUM (default /usr/bin/chromium).

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const bin = process.env.REPRISE_BIN;
const liveBin = process.env.REPRISE_LIVE_BIN;
const work = process.env.REPRISE_WORK;
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!bin || !liveBin || !work) {
  console.error('set REPRISE_BIN, REPRISE_LIVE_BIN and REPRISE_WORK (scripts/test-browser.sh does)');
  process.exit(2);
}
const KEY = 'live-test-ingest-key-0123';
const TOKEN = 'live-test-access-token-0123';
const WAIT_MS = 30000;

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${detail ? ` (${detail})` : ''}`);
  return ok;
}

/** The first stdout line of `child` that matches `pattern`, or a rejection after `ms`. */
function firstLine(child, pattern, ms, what) {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = line.match(pattern);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`${what} exited with ${code}`)));
    setTimeout(() => reject(new Error(`${what} printed nothing useful within ${ms} ms`)), ms);
  });
}

async function waitFor(page, fn, arg, timeout = WAIT_MS) {
  try {
    await page.waitForFunction(fn, arg, { timeout, polling: 200 });
    return true;
  } catch {
    return false;
  }
}

const data = join(work, 'live-collector');
const device = join(work, 'live-device');
await mkdir(data, { recursive: true });
const server = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--data', data, '--api-key', `shop=${KEY}`, '--access-token', TOKEN], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let recorder;
let browser;
try {
  const addr = await firstLine(server, /http:\/\/(127\.0\.0\.1:\d+)/, WAIT_MS, 'reprise serve');
  recorder = spawn(liveBin, ['--endpoint', `http://${addr}`, '--key', KEY, '--data', device, '--every-ms', '3000', '--screens', '3363,33618,33656,3363,33618,33656'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const session = await firstLine(recorder, /^([0-9a-f-]{36})$/, WAIT_MS, 'live-session');
  const recorded = new Promise((resolve) => recorder.on('exit', resolve));

  browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`http://${addr}/#token=${TOKEN}&session=${session}`);
  await page.waitForFunction((id) => window.reprise && window.reprise.state().sessionId === id, session, { timeout: WAIT_MS });
  check('the LIVE badge shows while the session is recorded', await waitFor(page, () => !document.getElementById('live-badge').hidden));

  const before = await page.evaluate(() => {
    window.liveTestMark = true; // gone if the page reloads
    const s = window.reprise.state();
    return { segments: s.segments, endMs: s.endMs };
  });
  await page.evaluate(() => window.reprise.seek(window.reprise.state().endMs));
  // The user switches away and back: the app uploads, and that answer tells the SDK it is watched.
  recorder.stdin.write('background\n');
  const grew = await waitFor(page, (b) => {
    const s = window.reprise.state();
    // One more segment is the background upload itself; more are the live ones.
    return window.liveTestMark === true && s.segments > b.segments + 1 && s.endMs > b.endMs;
  }, before);
  const after = await page.evaluate(() => window.reprise.state());
  check('new segments appear without a reload', grew, `segments ${before.segments} -> ${after.segments}`);
  check('the playhead follows the new end', after.timeMs >= after.endMs - 1000, `${after.endMs - after.timeMs} ms before the end`);

  const code = await recorded;
  check('the recording app finished', code === 0, `exit ${code}`);
  // Live until 30 s after the app went to the background without coming back.
  const ended = await waitFor(page, () => document.getElementById('live-badge').hidden, undefined, 2 * WAIT_MS);
  check('the badge goes away once the app stays in the background', ended);
  check('no console or page error', problems.length === 0, problems.join(' | '));
} catch (e) {
  check('the live view test ran to its end', false, String(e && e.stack ? e.stack : e));
} finally {
  if (browser) await browser.close();
  if (recorder && recorder.exitCode === null) recorder.kill('SIGKILL');
  server.kill('SIGTERM');
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
