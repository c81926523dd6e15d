// crawl.mjs — every page of every role, at desktop and phone width (issue 10, "Tests").
//
// For each demo role (administrator, team lead, coach, participant, HR contact, GP, log officer) the test
// signs in (with the second factor where the role has one) and walks the portal breadth-first over the
// same-origin links of each page it reaches (links only: no form is sent during the crawl; sign-out,
// static files and downloads are left out). Pages whose paths differ only in their numbers
// (/t/1/notes/4, /t/2/notes/9), the articles of the knowledge base, and pages that differ only in query
// values are one kind of page: the first PER_KIND found of each kind are visited, at most MAX_PAGES pages per
// role. Before the crawl the participant fills in a questionnaire (the one form sent), so that there are
// results pages to visit. Each page is checked at 1280 px and at 375 px wide, and fails on:
//   - an answer other than 200 (a link that leads nowhere);
//   - any axe-core violation of impact "serious" or "critical" under the WCAG 2.0/2.1 A and AA rules;
//   - a page wider than the window (horizontal scrolling of the whole page);
//   - no <h1>; more than one item of the main menu marked as the current page;
//   - at 375 px: a header taller than HEADER_MAX (the menu is one sideways-scrolling row), trajectory tabs
//     on more than one row, text in an SVG drawn smaller than 10 px (the network map is a list there), and
//     on the coach's caseload no participant on the first screen;
//   - on the participant's pages: a date written as YYYY-MM-DD or a time in "UTC" (participants read dates
//     in words and times in the portal's time zone).
// Every failure of every role is collected and reported at the end, one check per role. Screenshots of each
// participant page at phone width go to $ZW_BUILD/screenshots/crawl-participant-*.png.
//
// Runs under meson (tests/browser/meson.build) with ZW_BIN (the zorgwerk binary) and ZW_BUILD (build
// directory); drives Debian's chromium through playwright-core and injects axe-core, both from
// tests/browser/node_modules (`scripts/deps.sh test`). Prints `ok - ...` / `not ok - ...` per check and
// "N passed, M failed"; exit status 0 only when every check passed.
import fs from 'node:fs';
import path from 'node:path';

import {
  CheckFailed, SHOTS, assert, axeViolations, base, check, createDemoLogins, launchChromium, newPage, pageErrors, run,
  serve, session, shot, signIn,
} from './lib.mjs';

const MAX_PAGES = 80;
const PER_KIND = 2;
const WIDTHS = [{ width: 1280, height: 900 }, { width: 375, height: 812 }];
const ROLES = [
  ['administrator', 'beheer@zorgwerk.example'],
  ['team lead', 'hilde.maes@zorgwerk.example'],
  ['coach', 'sofie.peeters@zorgwerk.example'],
  ['participant', 'an.janssens@mail.example'],
  ['HR contact', 'tom.claes@verbeke.example'],
  ['GP', 'els.wouters@delinde.example'],
  ['log officer', 'privacy@zorgwerk.example'],
  ['programme manager', 'rik.vanacker@zorgwerk.example'],
];
// Paths never followed: signing out, files rather than pages.
const SKIP = [/^\/logout$/, /^\/static\//, /^\/healthz$/, /\/export(\/|$)/, /\.(csv|json|pdf|png|svg|txt|ics|zip)$/i];

// The page's kind: its path with every number (and a knowledge-base article's name) replaced, and the
// names (not values) of its query.
function kindOf(url) {
  const keys = [...new Set(url.searchParams.keys())].sort().join('&');
  return url.pathname.replace(/\/\d+(?=\/|$)/g, '/{id}').replace(/^\/measures\/(?!new$)[a-z0-9-]+$/, '/measures/{slug}') +
         (keys ? `?${keys}` : '');
}

// The participant fills in the first questionnaire offered on their trajectory's questionnaire page (the
// last answer of every question), so that the crawl finds a results page. Returns the results path.
async function fillQuestionnaire(page) {
  const list = await page.goto(`${base()}/t/1/assessments`);
  assert(list.status() === 200, `/t/1/assessments answered ${list.status()}`);
  const href = await page.locator('a[href^="/t/1/assessments/new"]').first().getAttribute('href');
  assert(href, 'no link to fill in a questionnaire on /t/1/assessments');
  await page.goto(`${base()}${href}`);
  const form = page.locator('form[action="/t/1/assessments"]');
  const names = await form.locator('input[type="radio"]').evaluateAll((els) => [...new Set(els.map((e) => e.name))]);
  assert(names.length > 0, `no questions on ${href}`);
  for (const n of names) await form.locator(`input[type="radio"][name="${n}"]`).last().check();
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), form.locator('button[type="submit"]').last().click()]);
  const p = new URL(page.url()).pathname;
  assert(/^\/t\/1\/assessments\/\d+$/.test(p), `after sending ${href} the browser is at ${p}`);
  return p;
}

// The same-origin GET links of the page, absolute, without fragment.
async function linksOf(page) {
  const hrefs = await page.evaluate(() => Array.from(document.querySelectorAll('a[href]'), (a) => a.href));
  const origin = new URL(base()).origin;
  const out = [];
  for (const h of hrefs) {
    let u;
    try {
      u = new URL(h);
    } catch {
      continue;
    }
    if (u.origin !== origin) continue;
    u.hash = '';
    if (SKIP.some((re) => re.test(u.pathname))) continue;
    out.push(u);
  }
  return out;
}

// What is checked at one width: overflow, h1, text (for the participant's dates) and axe.
async function inspect(page) {
  const facts = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    culprits: Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(-4)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}` +
                   `${typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : ''}` +
                   ` (right edge ${Math.round(el.getBoundingClientRect().right)})`),
    h1: document.querySelectorAll('h1').length,
    current: document.querySelectorAll('nav.nav [aria-current="page"]').length,
    header: document.querySelector('header.top')?.getBoundingClientRect().height ?? 0,
    tabs: Array.from(document.querySelectorAll('.subnav li'), (li) => Math.round(li.getBoundingClientRect().top))
      .filter((t, i, all) => all.indexOf(t) === i).length,
    // SVG text as drawn: its font size scaled by the SVG's width on screen against its viewBox
    tinyText: Array.from(document.querySelectorAll('svg text')).filter((t) => {
      const svg = t.ownerSVGElement;
      const box = svg.getBoundingClientRect();
      if (!box.width || !t.getClientRects().length) return false;
      const vb = svg.viewBox.baseVal;
      const scale = vb && vb.width ? box.width / vb.width : 1;
      return parseFloat(getComputedStyle(t).fontSize) * scale < 10;
    }).length,
    firstRow: document.querySelector('main tbody tr')?.getBoundingClientRect().top ?? null,
    text: document.body.innerText,
  }));
  const axe = await axeViolations(page);
  return { ...facts, axe: axe.filter((v) => v.impact === 'serious' || v.impact === 'critical') };
}

const HEADER_MAX = 120; // px at 375 px wide: brand and tools on one row, the menu on one more
const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/g;
const UTC = /\bUTC\b/g;

// Crawls as one role; returns { pages: [path...], failures: [text...] }.
async function crawl(label, email, secret) {
  const failures = [];
  const pages = [];
  const page = await newPage(label, WIDTHS[0]);
  const landed = await signIn(page, email, secret);
  const start = new URL(`${base()}${landed}`);
  if (label === 'participant') await fillQuestionnaire(page);
  const queue = [start];
  const kinds = new Map([[kindOf(start), 1]]); // kind -> links queued
  const visited = new Set();                   // path and query of the pages checked
  while (queue.length && pages.length < MAX_PAGES) {
    const url = queue.shift();
    let where = url.pathname + url.search;
    await page.setViewportSize(WIDTHS[0]);
    let resp;
    try {
      resp = await page.goto(url.href, { waitUntil: 'load' });
    } catch (e) {
      failures.push(`${where}: could not be opened: ${e.message.split('\n')[0]}`);
      continue;
    }
    const final = new URL(page.url());
    if (final.pathname + final.search !== where) {   // a redirect: check the page it led to, once
      if (visited.has(final.pathname + final.search)) continue;
      where = `${where} -> ${final.pathname}${final.search}`;
    }
    visited.add(final.pathname + final.search);
    pages.push(where);
    const status = resp ? resp.status() : 0;
    if (status !== 200) {
      failures.push(`${where}: answered ${status}`);
      continue;
    }
    if (new URL(page.url()).pathname.startsWith('/login')) {
      failures.push(`${where}: sent back to ${new URL(page.url()).pathname} (signed out?)`);
      break;
    }
    for (const u of await linksOf(page)) {
      const k = kindOf(u);
      const n = kinds.get(k) || 0;
      if (n >= PER_KIND || visited.has(u.pathname + u.search) || queue.some((q) => q.href === u.href)) continue;
      kinds.set(k, n + 1);
      queue.push(u);
    }
    for (const vp of WIDTHS) {
      await page.setViewportSize(vp);
      // after the resize event and a layout at the new width (app.js adjusts to the width on 'resize')
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const at = `${where} at ${vp.width}px`;
      const f = await inspect(page);
      if (f.scroll > f.inner + 1)
        failures.push(`${at}: wider than the window (${f.scroll}px); sticking out: ${f.culprits.join(', ')}`);
      if (f.h1 === 0) failures.push(`${at}: no h1`);
      if (f.current > 1) failures.push(`${at}: ${f.current} items of the main menu are marked as the current page`);
      if (vp.width < 400) {
        if (f.header > HEADER_MAX) failures.push(`${at}: the header is ${Math.round(f.header)}px tall (at most ${HEADER_MAX})`);
        if (f.tabs > 1) failures.push(`${at}: the trajectory tabs take ${f.tabs} rows`);
        if (f.tinyText) failures.push(`${at}: ${f.tinyText} texts of an SVG are drawn smaller than 10px`);
        if (url.pathname === '/caseload' && !(f.firstRow !== null && f.firstRow < vp.height))
          failures.push(`${at}: the first participant of the caseload is not on the first screen (top ${f.firstRow})`);
      }
      for (const v of f.axe)
        failures.push(`${at}: axe ${v.id} (${v.impact}): ${v.help} — ${v.targets.join(' | ')}`);
      if (label === 'participant') {
        const iso = [...new Set(f.text.match(ISO_DATE) || [])];
        if (iso.length) failures.push(`${at}: ISO date on a participant's page: ${iso.slice(0, 3).join(', ')}`);
        if (UTC.test(f.text)) failures.push(`${at}: "UTC" on a participant's page`);
        UTC.lastIndex = 0;
        if (vp.width < 400) {
          const slug = (url.pathname + url.search).replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'start';
          await shot(page, `crawl-participant-${slug}.png`);
        }
      }
    }
  }
  if (queue.length) console.log(`# ${label}: stopped at ${MAX_PAGES} pages, ${queue.length} kinds of page not visited`);
  await page.context().close();
  return { pages, failures };
}

async function flow() {
  // the participant's screenshots of an earlier run would mix with this run's
  for (const f of fs.readdirSync(SHOTS)) if (/^crawl-participant-.*\.png$/.test(f)) fs.rmSync(path.join(SHOTS, f));
  const logins = await createDemoLogins();
  await serve();
  await check('chromium starts', launchChromium);

  let anyFailed = false;
  for (const [label, email] of ROLES) {
    assert(email in logins, `the demo has no login ${email}`);
    let result = null;
    try {
      await check(`${label} (${email}) signs in and the crawl reaches more than one page`, async () => {
        result = await crawl(label, email, logins[email]);
        console.log(`# ${label}: ${result.pages.length} pages: ${result.pages.join(' ')}`);
        assert(result.pages.length > 1, `only ${result.pages.join(' ')} reached`);
      });
      await check(`${label}: every page at 1280 px and 375 px passes (status, axe serious/critical, width, h1, ` +
                  `menu, phone layout${label === 'participant' ? ', no ISO dates or UTC' : ''})`, async () => {
        assert(result.failures.length === 0,
               `${result.failures.length} failures:\n${result.failures.join('\n')}`);
      });
    } catch (e) {
      if (!(e instanceof CheckFailed)) throw e;
      anyFailed = true;
    }
  }

  try {
    await check('no JavaScript errors, console errors or failed loads of styles and scripts', async () => {
      assert(pageErrors.length === 0, pageErrors.slice(0, 20).join('\n'));
    });
  } catch (e) {
    if (!(e instanceof CheckFailed)) throw e;
    anyFailed = true;
  }
  session.current = null;
  console.log(`# participant screenshots at phone width: ${path.join(SHOTS, 'crawl-participant-*.png')}`);
  if (anyFailed) throw new CheckFailed('the crawl found failures (listed above)');
}

run(flow, 'crawl-failure.png');
