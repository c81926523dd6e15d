// lib.mjs — what the browser tests in this folder share: reporting (`ok - ...` / `not ok - ...` per check,
// a final "N passed, M failed" line, exit status 0 only when every check passed), the environment
// (ZW_BIN, ZW_BUILD, Debian's chromium through playwright-core from tests/browser/node_modules), the
// zorgwerk server on a free port with a fresh demo database (SQLite, or PostgreSQL when ZW_TEST_DB_URL is
// set), TOTP (RFC 6238) and page helpers.
//
// Importing this module checks the environment and bails out (exit status 1) when something is missing,
// before the test does anything. A test writes its flow as a series of check() calls and hands it to
// run(), which reports a failure (screenshot, page text, last form sent), closes the browser, stops the
// server (checking its exit status and stderr for sanitizer reports) and exits.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEMO_PASSWORD = 'zorg-en-werk-demo';
export const COACH = 'sofie.peeters@zorgwerk.example';
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };
const SANITIZER_MARKERS = ['AddressSanitizer', 'LeakSanitizer', 'runtime error', 'UndefinedBehaviorSanitizer'];

// ------------------------------------------------------------------ reporting

let passed = 0;
let failed = 0;

export function fatal(msg) {
  console.error(`Bail out! ${msg}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}

export class CheckFailed extends Error {}

// Runs one check; the first failure stops the flow (later steps depend on earlier ones).
export async function check(name, fn) {
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

export function assert(cond, msg) {
  if (!cond) throw new CheckFailed(msg);
}

// ------------------------------------------------------------------ environment

export const ZW_BIN = process.env.ZW_BIN;
const ZW_BUILD = process.env.ZW_BUILD;
if (!ZW_BIN) fatal('ZW_BIN is not set (path of the zorgwerk binary); run through `meson test --suite browser`');
if (!ZW_BUILD) fatal('ZW_BUILD is not set (build directory for screenshots); run through `meson test --suite browser`');
if (!fs.existsSync(ZW_BIN)) fatal(`ZW_BIN ${ZW_BIN} does not exist; build first (ninja -C BUILDDIR)`);

let chromium;
try {
  // Resolved relative to this file (tests/browser), whatever the working directory.
  ({ chromium } = createRequire(path.join(HERE, 'package.json'))('playwright-core'));
} catch (e) {
  fatal(`playwright-core is not installed in ${path.join(HERE, 'node_modules')} (${e.code || e.message}).\n` +
        'Run `scripts/deps.sh test` from the source root (it runs `npm ci` in tests/browser).');
}
const CHROMIUM = process.env.ZW_CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(CHROMIUM)) fatal(`${CHROMIUM} is missing: run \`scripts/deps.sh test\` (Debian package chromium)`);

export const SHOTS = path.join(ZW_BUILD, 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'zw-browser-'));

// The database: a SQLite file in TMP, or with ZW_TEST_DB_URL (a cluster of scripts/pg-test-cluster.sh, as
// scripts/test-pg.sh sets it) a new PostgreSQL database in that cluster, made on first use and dropped when
// the process exits, with the access-log key and seal files in TMP (on SQLite they default to the file's name).
const PG_BASE = process.env.ZW_TEST_DB_URL || '';
let DB = path.join(TMP, 'db');
let DB_ARGS = [];
let pgName = null;
let pgConn = null;

// A client program of Debian's PostgreSQL server package (the newest version installed).
function pgBin(prog) {
  let versions = [];
  try {
    versions = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b));
  } catch {
    /* not there: the program from PATH */
  }
  for (const v of versions.reverse()) {
    const p = path.join('/usr/lib/postgresql', v, 'bin', prog);
    if (fs.existsSync(p)) return p;
  }
  return prog;
}

function pgDatabase() {
  if (!PG_BASE || pgName) return;
  const u = new URL(PG_BASE);
  const host = u.searchParams.get('host') || u.hostname || 'localhost';
  const user = u.searchParams.get('user') || decodeURIComponent(u.username) || 'postgres';
  pgConn = ['-h', host, '-U', user].concat(u.port ? ['-p', u.port] : []);
  const name = `zw_browser_${process.pid}_${path.basename(TMP).replace(/[^A-Za-z0-9]/g, '_').toLowerCase()}`;
  if (u.password) process.env.PGPASSWORD = decodeURIComponent(u.password);
  const p = spawnSync(pgBin('createdb'), [...pgConn, name], { encoding: 'utf8', timeout: 60000 });
  if (p.status !== 0) fatal(`createdb ${name} in ZW_TEST_DB_URL's cluster failed (${p.status ?? p.signal ?? p.error}): ${p.stderr}`);
  pgName = name;
  u.pathname = `/${name}`;
  DB = u.toString();
  DB_ARGS = ['--set', `audit_key_file=${path.join(TMP, 'db.key')}`, '--set', `audit_seal_file=${path.join(TMP, 'db.seal')}`];
}

// Drops the PostgreSQL database at exit (whatever the outcome: the cluster is a throwaway one).
process.on('exit', () => {
  if (pgName) spawnSync(pgBin('dropdb'), [...pgConn, '--force', '--if-exists', pgName], { stdio: 'ignore', timeout: 60000 });
});

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

export function totp(secret, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const num = mac.readUInt32BE(off) & 0x7fffffff;
  return String(num % 1000000).padStart(6, '0');
}

// ------------------------------------------------------------------ demo database and server

// Check: creates the demo database with `zorgwerk demo`; returns the coach's TOTP secret from its output.
export async function createDemo() {
  let secret = null;
  await check('demo database created and coach TOTP secret printed', async () => {
    pgDatabase();
    const p = spawnSync(ZW_BIN, ['--db', DB, ...DB_ARGS, 'demo'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000 });
    assert(p.status === 0, `zorgwerk demo failed (${p.status ?? p.signal ?? p.error}): ${p.stderr}`);
    const report = sanitizerReport(p.stderr);
    assert(!report, `sanitizer report from zorgwerk demo:\n${report}`);
    const line = p.stdout.split('\n').find((l) => l.trim().startsWith(COACH + ' '));
    assert(line, `demo output has no line for ${COACH}:\n${p.stdout}`);
    secret = line.trim().split(/\s+/).pop();
    assert(/^[A-Z2-7]{16,}=*$/.test(secret), `no base32 TOTP secret on the line for ${COACH}: ${line}`);
  });
  return secret;
}

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
  pgDatabase();
  const proc = spawn(ZW_BIN, ['--db', DB, ...DB_ARGS, 'serve', '--listen', `127.0.0.1:${port}`],
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

// Check: starts the server on the demo database.
export async function serve() {
  await check('server starts on a free port and answers /healthz', startServer);
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

export const base = () => `http://127.0.0.1:${server.port}`;

// ------------------------------------------------------------------ browser

// What the failure report and the final clean-up need: the browser, the page in use and the last form
// submission. A test that sets up its own pages keeps `current` and `lastPost` up to date itself.
export const session = { browser: null, current: null, lastPost: null };
// JavaScript errors, console errors and failed style/script loads, for a check at the end of the flow.
export const pageErrors = [];

export async function launchChromium() {
  session.browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 60000,
  });
  return session.browser;
}

// A page in a browser context of its own (one per person), recording errors as `who`.
export async function newPage(who, viewport) {
  const context = await session.browser.newContext({ viewport, locale: 'nl-BE' });
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
    session.lastPost = `${who}: ${req.url()}`;
  });
  page.on('response', (resp) => {
    if (resp.request().resourceType() !== 'document' && resp.status() >= 400)
      pageErrors.push(`${who} ${page.url()}: ${resp.request().resourceType()} ${resp.url()} answered ${resp.status()}`);
  });
  session.current = page;
  return page;
}

// ------------------------------------------------------------------ page helpers

export const pathname = (page) => new URL(page.url()).pathname;

// Clicks and waits for the resulting navigation (including 303 redirects); returns the final response.
export async function clickAndWait(page, locator) {
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
  return resp;
}

export async function noOverflow(page, what) {
  const m = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    // the widest elements sticking out, to say what overflows
    culprits: Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''}` +
                   ` (right edge ${Math.round(el.getBoundingClientRect().right)})`),
  }));
  assert(m.scroll <= m.inner + 1,
         `${what}: horizontal overflow at ${m.inner}px: scrollWidth ${m.scroll}; sticking out: ${m.culprits.join(', ')}`);
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

// Signs in through the login form (and the TOTP step when asked); returns the path landed on.
export async function signIn(page, email, secret) {
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

// ------------------------------------------------------------------ main

// Runs the flow; on a failure saves a screenshot of the page in use as $ZW_BUILD/screenshots/<failureShot>
// (a stale one from an earlier failed run is removed first). Then closes the browser, stops the server
// (a check of its own), prints "N passed, M failed" and exits: status 0 only when every check passed.
// The database and server log stay in the temporary directory when something failed.
export async function run(flow, failureShot) {
  const failurePath = path.join(SHOTS, failureShot);
  fs.rmSync(failurePath, { force: true }); // from an earlier failed run

  let ok = true;
  try {
    await flow();
  } catch (e) {
    ok = false;
    if (!(e instanceof CheckFailed)) {
      failed++;
      console.log(`not ok - unexpected error\n#   ${(e && e.stack) || e}`);
    }
    const page = session.current;
    if (page) {
      try {
        await page.screenshot({ path: failurePath, fullPage: true });
        console.log(`#   page at failure: ${page.url()} (screenshot ${failurePath})`);
        const main = (await page.locator('main').innerText({ timeout: 2000 }).catch(() => '')).trim();
        if (main) console.log(main.slice(0, 600).split('\n').filter((l) => l.trim()).map((l) => `#   | ${l}`).join('\n'));
        if (session.lastPost) console.log(`#   last form sent: ${session.lastPost}`);
      } catch {
        /* the browser may be gone */
      }
    }
  }
  if (session.browser) await session.browser.close().catch(() => {});

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
  else console.log(`#   ${pgName ? 'server log' : 'database and server log'} kept in ${TMP}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(ok && failed === 0 ? 0 : 1);
}

// ------------------------------------------------------------------ helpers for tests of every role

// Check: creates the demo database with `zorgwerk demo`; returns every demo login printed, as
// { email: TOTP secret or null } (null: the account has no second factor).
export async function createDemoLogins() {
  const logins = {};
  await check('demo database created and every demo login printed', async () => {
    pgDatabase();
    const p = spawnSync(ZW_BIN, ['--db', DB, ...DB_ARGS, 'demo'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000 });
    assert(p.status === 0, `zorgwerk demo failed (${p.status ?? p.signal ?? p.error}): ${p.stderr}`);
    const report = sanitizerReport(p.stderr);
    assert(!report, `sanitizer report from zorgwerk demo:\n${report}`);
    for (const line of p.stdout.split('\n')) {
      const m = line.trim().match(/^(\S+@\S+)\s+.*?\s(\S+)$/);
      if (m) logins[m[1]] = /^[A-Z2-7]{16,}=*$/.test(m[2]) ? m[2] : null;
    }
    assert(Object.keys(logins).length > 0, `no logins in the demo output:\n${p.stdout}`);
  });
  return logins;
}

// Runs axe-core (tests/browser/node_modules/axe-core, from `scripts/deps.sh test`) with the WCAG 2.1 A and
// AA rules on the page as it is; returns the violations as [{ id, impact, help, targets: [selector...] }].
// The script is evaluated through the browser's debugging protocol, which the pages' Content-Security-Policy
// (scripts from /static/ only) does not apply to, so the page's own policy stays as served.
let axeSource = null;
export async function axeViolations(page) {
  if (axeSource === null) {
    const file = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
    if (!fs.existsSync(file)) fatal(`${file} is missing: run \`scripts/deps.sh test\` (npm ci in tests/browser)`);
    axeSource = fs.readFileSync(file, 'utf8');
  }
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const res = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
                               resultTypes: ['violations'] }));
  return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
}
