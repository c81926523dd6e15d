// consent_withdraw.mjs — browser test of the "Network and consent" issue: the HR contact (Tom Claes, no
// second factor) sees the capacity note "Wat An nu kan" of An Janssens' trajectory; in a second browser
// context An opens her consents page (/me/consents), withdraws the consent that names Tom Claes, and Tom's
// next page load no longer shows the note. The coach (password + TOTP) opens the network map, which
// renders as an SVG. Screenshots: An's consents page at phone width (before and after), the network map at
// desktop width; no horizontal overflow at phone width.
//
// The UI is in its default language (Dutch); elements are found by page structure (form actions, field ids,
// list items naming a person), not by translated labels.
//
// Runs under meson (tests/browser/meson.build) with:
//   ZW_BIN    path of the zorgwerk binary
//   ZW_BUILD  build directory; screenshots go to $ZW_BUILD/screenshots/
// Drives Debian's chromium (/usr/bin/chromium, or $ZW_CHROMIUM) through playwright-core from
// tests/browser/node_modules; never downloads a browser.
//
// Prints `ok - ...` / `not ok - ...` per check and ends with "N passed, M failed"; exit status 0 only when
// every check passed.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DEMO_PASSWORD = 'zorg-en-werk-demo';
const COACH = 'sofie.peeters@zorgwerk.example';
const HR = 'tom.claes@verbeke.example';
const PARTICIPANT = 'an.janssens@mail.example';
const HR_NAME = 'Tom Claes';
const NOTE_TITLE = 'Wat An nu kan';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const SANITIZER_MARKERS = ['AddressSanitizer', 'LeakSanitizer', 'runtime error', 'UndefinedBehaviorSanitizer'];

// ------------------------------------------------------------------ reporting

let passed = 0;
let failed = 0;

function fatal(msg) {
  console.error(`Bail out! ${msg}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}

class CheckFailed extends Error {}

// Runs one check; the first failure stops the flow (later steps depend on earlier ones).
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}`);
    const msg = e instanceof CheckFailed ? e.message : (e && e.stack) || String(e);
    console.log(msg.split('\n').map((l) => `#   ${l}`).join('\n'));
    throw new CheckFailed(`${name}: ${e && e.message ? e.message.split('\n')[0] : e}`);
  }
}

function assert(cond, msg) {
  if (!cond) throw new CheckFailed(msg);
}

// ------------------------------------------------------------------ environment

const ZW_BIN = process.env.ZW_BIN;
const ZW_BUILD = process.env.ZW_BUILD;
if (!ZW_BIN) fatal('ZW_BIN is not set (path of the zorgwerk binary); run through `meson test --suite browser`');
if (!ZW_BUILD) fatal('ZW_BUILD is not set (build directory for screenshots); run through `meson test --suite browser`');
if (!fs.existsSync(ZW_BIN)) fatal(`ZW_BIN ${ZW_BIN} does not exist; build first (ninja -C BUILDDIR)`);

let chromium;
try {
  ({ chromium } = createRequire(path.join(HERE, 'package.json'))('playwright-core'));
} catch (e) {
  fatal(`playwright-core is not installed in ${path.join(HERE, 'node_modules')} (${e.code || e.message}).\n` +
        'Run `scripts/deps.sh test` from the source root (it runs `npm ci` in tests/browser).');
}
const CHROMIUM = process.env.ZW_CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(CHROMIUM)) fatal(`${CHROMIUM} is missing: run \`scripts/deps.sh test\` (Debian package chromium)`);

const SHOTS = path.join(ZW_BUILD, 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });
fs.rmSync(path.join(SHOTS, 'consent-failure.png'), { force: true }); // from an earlier failed run
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'zw-browser-'));
const DB = path.join(TMP, 'db');

// ------------------------------------------------------------------ TOTP (RFC 6238, SHA-1, 30 s, 6 digits)

function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of s.toUpperCase().replace(/=+$/, '')) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`bad base32 character ${ch}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function totp(secret, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const num = mac.readUInt32BE(off) & 0x7fffffff;
  return String(num % 1000000).padStart(6, '0');
}

// ------------------------------------------------------------------ server

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function sanitizerReport(text) {
  for (const m of SANITIZER_MARKERS) {
    const i = text.indexOf(m);
    if (i >= 0) return text.slice(Math.max(0, i - 200), i + 3000);
  }
  return null;
}

let server = null; // { proc, port, errPath, exit: Promise<{code, signal}> }

function readLog(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function startServer() {
  const port = await freePort();
  const errPath = path.join(TMP, `serve-${port}.err`);
  const errFd = fs.openSync(errPath, 'w');
  const proc = spawn(ZW_BIN, ['--db', DB, 'serve', '--listen', `127.0.0.1:${port}`],
                     { stdio: ['ignore', 'ignore', errFd] });
  fs.closeSync(errFd);
  let exited = null;
  const exit = new Promise((resolve) => proc.on('exit', (code, signal) => resolve((exited = { code, signal }))));
  server = { proc, port, errPath, exit };
  const deadline = Date.now() + 60000; // AddressSanitizer builds start slowly
  for (;;) {
    if (exited) throw new CheckFailed(`server exited at start (${exited.code ?? exited.signal}):\n${readLog(errPath).slice(-3000)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) });
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new CheckFailed(`server did not answer /healthz within 60 s:\n${readLog(errPath).slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopServer() {
  if (!server) return null;
  const s = server;
  server = null;
  if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGTERM');
  const timer = setTimeout(() => s.proc.kill('SIGKILL'), 60000);
  const res = await s.exit;
  clearTimeout(timer);
  return { ...res, err: readLog(s.errPath) };
}

// ------------------------------------------------------------------ page helpers

const base = () => `http://127.0.0.1:${server.port}`;

// Clicks and waits for the resulting navigation (including 303 redirects); returns the final response.
async function clickAndWait(page, locator) {
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
  return resp;
}

async function noOverflow(page, what) {
  const m = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    culprits: Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''}` +
                   ` (right edge ${Math.round(el.getBoundingClientRect().right)})`),
  }));
  assert(m.scroll <= m.inner + 1,
         `${what}: horizontal overflow at ${m.inner}px: scrollWidth ${m.scroll}; sticking out: ${m.culprits.join(', ')}`);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

const pathname = (page) => new URL(page.url()).pathname;

// The titles of the notes on a notes page (article.note > header > h3).
async function noteTitles(page) {
  return (await page.locator('article.note header h3').allInnerTexts()).map((t) => t.trim());
}

// ------------------------------------------------------------------ the flow

const pageErrors = [];
let lastPost = null;
let browser = null;
const pages = {}; // who -> page
let current = null; // the page in use, for the failure report

async function newPage(who, viewport) {
  const context = await browser.newContext({ viewport, locale: 'nl-BE' });
  context.setDefaultTimeout(20000);
  context.setDefaultNavigationTimeout(30000);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${who} ${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    // a refused request answers 4xx on purpose: failed loads are judged by the response handler below
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
      pageErrors.push(`${who} ${page.url()}: console: ${m.text()}`);
  });
  page.on('request', async (req) => {
    if (req.method() !== 'POST' || !req.isNavigationRequest()) return;
    lastPost = `${who}: ${req.url()}`;
  });
  page.on('response', (resp) => {
    if (resp.request().resourceType() !== 'document' && resp.status() >= 400)
      pageErrors.push(`${who} ${page.url()}: ${resp.request().resourceType()} ${resp.url()} answered ${resp.status()}`);
  });
  pages[who] = page;
  current = page;
  return page;
}

// Signs in through the login form (and the TOTP step when asked); returns the path landed on.
async function signIn(page, email, secret) {
  const resp = await page.goto(`${base()}/login`);
  assert(resp.status() === 200, `GET /login answered ${resp.status()}`);
  await page.locator('#f-email').fill(email);
  await page.locator('#f-password').fill(DEMO_PASSWORD);
  await clickAndWait(page, page.locator('form[action="/login"] button[type="submit"]'));
  if (pathname(page) === '/login/2fa') {
    assert(secret, `${email} was asked for a second factor`);
    await page.locator('#f-code').fill(totp(secret, Math.floor(Date.now() / 1000 / 30)));
    await clickAndWait(page, page.locator('form[action="/login/2fa"] button[type="submit"]'));
  }
  const p = pathname(page);
  assert(!p.startsWith('/login'), `${email} is still at ${page.url()} after signing in`);
  return p;
}

async function flow() {
  let secret = null;
  await check('demo database created and coach TOTP secret printed', async () => {
    const p = spawnSync(ZW_BIN, ['--db', DB, 'demo'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000 });
    assert(p.status === 0, `zorgwerk demo failed (${p.status ?? p.signal ?? p.error}): ${p.stderr}`);
    const report = sanitizerReport(p.stderr);
    assert(!report, `sanitizer report from zorgwerk demo:\n${report}`);
    const line = p.stdout.split('\n').find((l) => l.trim().startsWith(COACH + ' '));
    assert(line, `demo output has no line for ${COACH}:\n${p.stdout}`);
    secret = line.trim().split(/\s+/).pop();
    assert(/^[A-Z2-7]{16,}=*$/.test(secret), `no base32 TOTP secret on the line for ${COACH}: ${line}`);
  });

  await check('server starts on a free port and answers /healthz', startServer);

  await check('chromium starts', async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      timeout: 60000,
    });
  });

  let tom;
  await check(`${HR_NAME} (HR, password only) signs in and lands on /shared`, async () => {
    tom = await newPage('tom', DESKTOP);
    const landed = await signIn(tom, HR, null);
    assert(landed === '/shared', `Tom landed on ${landed}, expected /shared`);
    assert((await tom.locator('a[href="/t/1/notes"]').count()) === 1, 'no link to trajectory 1 on /shared');
  });

  let noteHref = null;
  await check(`${HR_NAME} sees the capacity note "${NOTE_TITLE}" on /t/1/notes`, async () => {
    const resp = await clickAndWait(tom, tom.locator('a[href="/t/1/notes"]'));
    assert(resp.status() === 200, `/t/1/notes answered ${resp.status()}`);
    assert(pathname(tom) === '/t/1/notes', `the link went to ${tom.url()}`);
    const titles = await noteTitles(tom);
    assert(titles.includes(NOTE_TITLE), `Tom's notes are ${JSON.stringify(titles)}; "${NOTE_TITLE}" is missing`);
    noteHref = await tom.locator('article.note header h3 a', { hasText: NOTE_TITLE }).getAttribute('href');
    assert(/^\/t\/1\/notes\/\d+$/.test(noteHref || ''), `the note's link is ${noteHref}`);
    const r = await tom.goto(`${base()}${noteHref}`);
    assert(r.status() === 200, `the single note ${noteHref} answered ${r.status()}`);
    await tom.goto(`${base()}/t/1/notes`);
  });

  let an;
  let consentItem;
  await check('An signs in (second browser context, phone width) and opens /me/consents', async () => {
    an = await newPage('an', PHONE);
    const landed = await signIn(an, PARTICIPANT, null);
    assert(landed === '/me', `An landed on ${landed}, expected /me`);
    const resp = await an.goto(`${base()}/me/consents`);
    assert(resp.status() === 200, `/me/consents answered ${resp.status()}`);
    assert((await an.locator('h1').count()) === 1, 'no single <h1> on /me/consents');
    // the list of consents in force: one item names Tom Claes, with its own withdraw form
    consentItem = an.locator('ul.consents > li').filter({ hasText: HR_NAME });
    assert((await consentItem.count()) === 1,
           `expected one consent naming ${HR_NAME} on /me/consents, found ${await consentItem.count()}`);
    const form = consentItem.locator('form[action$="/withdraw"]');
    assert((await form.count()) === 1, `the consent naming ${HR_NAME} has no withdraw form`);
    assert(/^\/t\/1\/consents\/\d+\/withdraw$/.test((await form.getAttribute('action')) || ''),
           `withdraw form action: ${await form.getAttribute('action')}`);
  });

  await check('An\'s consents page at phone width: no horizontal overflow, screenshot', async () => {
    await noOverflow(an, '/me/consents');
    await shot(an, 'consents-me-phone.png');
  });

  await check(`An withdraws the consent that names ${HR_NAME}`, async () => {
    const before = await an.locator('ul.consents > li').count();
    const button = consentItem.locator('form[action$="/withdraw"] button[type="submit"]');
    assert((await button.count()) === 1 && (await button.isVisible()), 'no visible withdraw button');
    const resp = await clickAndWait(an, button);
    assert(pathname(an) === '/me/consents', `after withdrawing An is at ${an.url()}`);
    assert(resp.status() === 200, `/me/consents after withdrawing answered ${resp.status()}`);
    const after = await an.locator('ul.consents > li').count();
    assert(after === before - 1, `consents in force: ${before} before, ${after} after withdrawing`);
    assert((await an.locator('ul.consents > li').filter({ hasText: HR_NAME }).count()) === 0,
           `a consent naming ${HR_NAME} is still listed as in force`);
    assert((await an.getByRole('status').count()) >= 1, 'no confirmation (role=status) after withdrawing');
  });

  await check('An\'s consents page after the withdrawal: no horizontal overflow at phone width, screenshot', async () => {
    await noOverflow(an, '/me/consents after withdrawing');
    await shot(an, 'consents-me-withdrawn-phone.png');
  });

  await check(`${HR_NAME} reloads: "${NOTE_TITLE}" is gone, and its address answers 404`, async () => {
    current = tom;
    const resp = await tom.reload();
    assert(resp.status() === 200, `reloading /t/1/notes answered ${resp.status()}`);
    const titles = await noteTitles(tom);
    assert(!titles.includes(NOTE_TITLE), `after the withdrawal Tom still sees "${NOTE_TITLE}"`);
    assert(titles.length > 0, 'Tom sees no notes at all: the other consents should still work');
    assert(!(await tom.content()).includes(NOTE_TITLE), `"${NOTE_TITLE}" is still somewhere on Tom's page`);
    const r = await tom.goto(`${base()}${noteHref}`);
    assert(r.status() === 404, `the withdrawn note ${noteHref} answered ${r.status()} to Tom`);
  });

  let sofie;
  await check('the coach signs in with password and TOTP', async () => {
    sofie = await newPage('sofie', DESKTOP);
    const landed = await signIn(sofie, COACH, secret);
    assert(landed === '/dashboard', `the coach landed on ${landed}`);
  });

  await check('the network map /t/1/network renders as an SVG (role="img", non-zero size); screenshot', async () => {
    const resp = await sofie.goto(`${base()}/t/1/network`);
    assert(resp.status() === 200, `/t/1/network answered ${resp.status()}`);
    const svg = sofie.locator('svg[role="img"]');
    assert((await svg.count()) === 1, `expected one <svg role="img">, found ${await svg.count()}`);
    assert(await svg.isVisible(), 'the network map is not visible');
    const box = await svg.boundingBox();
    assert(box && box.width > 0 && box.height > 0, `the network map's bounding box is ${JSON.stringify(box)}`);
    const label = await svg.evaluate((el) => {
      const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
      return ids.map((id) => document.getElementById(id)?.textContent || '').join(' ').trim() ||
             el.getAttribute('aria-label') || '';
    });
    assert(label.length > 0, 'the network map has no accessible name');
    const text = await svg.evaluate((el) => el.textContent);
    for (const name of ['An Janssens', HR_NAME, 'dr. Els Wouters'])
      assert(text.includes(name), `the network map does not show ${name}`);
    await shot(sofie, 'network-map-desktop.png');
  });

  await check('the network map at phone width: no horizontal overflow', async () => {
    await sofie.setViewportSize(PHONE);
    await noOverflow(sofie, '/t/1/network');
    await shot(sofie, 'network-map-phone.png');
    await sofie.setViewportSize(DESKTOP);
  });

  await check('no JavaScript errors, console errors or failed style/script loads on any page', async () => {
    assert(pageErrors.length === 0, pageErrors.join('\n'));
  });
}

// ------------------------------------------------------------------ main

let ok = true;
try {
  await flow();
} catch (e) {
  ok = false;
  if (!(e instanceof CheckFailed)) {
    failed++;
    console.log(`not ok - unexpected error\n#   ${(e && e.stack) || e}`);
  }
  if (current) {
    try {
      await current.screenshot({ path: path.join(SHOTS, 'consent-failure.png'), fullPage: true });
      console.log(`#   page at failure: ${current.url()} (screenshot ${path.join(SHOTS, 'consent-failure.png')})`);
      const main = (await current.locator('main').innerText({ timeout: 2000 }).catch(() => '')).trim();
      if (main) console.log(main.slice(0, 600).split('\n').filter((l) => l.trim()).map((l) => `#   | ${l}`).join('\n'));
      if (lastPost) console.log(`#   last form sent: ${lastPost}`);
    } catch {
      /* the browser may be gone */
    }
  }
}
if (browser) await browser.close().catch(() => {});

if (server) {
  try {
    await check('server stops on SIGTERM with exit status 0 and no sanitizer report', async () => {
      const { code, signal, err } = await stopServer();
      const report = sanitizerReport(err);
      assert(!report, `sanitizer report in the server's stderr:\n${report}`);
      assert(code === 0, `server exit ${code ?? signal}; stderr tail:\n${err.slice(-3000)}`);
    });
  } catch {
    ok = false;
  }
}
if (!ok && server) await stopServer();

if (ok) fs.rmSync(TMP, { recursive: true, force: true });
else console.log(`#   database and server log kept in ${TMP}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
