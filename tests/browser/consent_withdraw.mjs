// consent_withdraw.mjs — browser test of the "Network and consent" issue: the HR contact (Tom Claes, no
// second factor) sees the capacity note "Wat An nu kan" of An Janssens' trajectory; in a second browser
// context An opens her consents page (/me/consents), withdraws the consent given to Tom Claes, and Tom's
// next page load no longer shows the note. The coach (password + TOTP) opens the network map, which
// renders as an SVG. Screenshots: An's consents page at phone width (before and after), the network map at
// desktop width; no horizontal overflow at phone width.
//
// The UI is in its default language (Dutch); elements are found by page structure (form actions, field ids,
// list items given to a person), not by translated labels.
//
// Runs under meson (tests/browser/meson.build) with:
//   ZW_BIN    path of the zorgwerk binary
//   ZW_BUILD  build directory; screenshots go to $ZW_BUILD/screenshots/
// Drives Debian's chromium (/usr/bin/chromium, or $ZW_CHROMIUM) through playwright-core from
// tests/browser/node_modules; never downloads a browser.
//
// Prints `ok - ...` / `not ok - ...` per check and ends with "N passed, M failed"; exit status 0 only when
// every check passed. The shared helpers are in lib.mjs.
import {
  COACH, DESKTOP, PHONE, assert, base, check, clickAndWait, createDemo, launchChromium, newPage, noOverflow, pageErrors,
  pathname, run, serve, session, shot, signIn,
} from './lib.mjs';

const HR = 'tom.claes@verbeke.example';
const PARTICIPANT = 'an.janssens@mail.example';
const HR_NAME = 'Tom Claes';
const NOTE_TITLE = 'Wat An nu kan';

// ------------------------------------------------------------------ page helpers

// The titles of the notes on a notes page (article.note > header > h3).
async function noteTitles(page) {
  return (await page.locator('article.note header h3').allInnerTexts()).map((t) => t.trim());
}

// The items of the list of consents in force on /me/consents that are given to `name` (a person, not a side).
function givenTo(page, name) {
  return page.locator('ul.consents > li').filter({ has: page.locator('p > strong', { hasText: new RegExp(`^${name}$`) }) });
}

// ------------------------------------------------------------------ the flow

async function flow() {
  const secret = await createDemo();

  await serve();

  await check('chromium starts', launchChromium);

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
    // the list of consents in force: one item is given to Tom Claes himself (its heading, <strong>, is his
    // name), with its own withdraw form. Tom is also named under the consents to the whole work side ("right
    // now that is: Luc Verbeke and Tom Claes"); those stay.
    consentItem = givenTo(an, HR_NAME);
    assert((await consentItem.count()) === 1,
           `expected one consent given to ${HR_NAME} on /me/consents, found ${await consentItem.count()}`);
    assert((await an.locator('ul.consents > li').filter({ hasText: HR_NAME }).count()) > 1,
           `${HR_NAME} is not named under the consents to the work side`);
    const form = consentItem.locator('form[action$="/withdraw"]');
    assert((await form.count()) === 1, `the consent naming ${HR_NAME} has no withdraw form`);
    assert(/^\/t\/1\/consents\/\d+\/withdraw$/.test((await form.getAttribute('action')) || ''),
           `withdraw form action: ${await form.getAttribute('action')}`);
  });

  await check('An\'s consents page at phone width: no horizontal overflow, screenshot', async () => {
    await noOverflow(an, '/me/consents');
    await shot(an, 'consents-me-phone.png');
  });

  await check(`An withdraws the consent given to ${HR_NAME}`, async () => {
    const before = await an.locator('ul.consents > li').count();
    const button = consentItem.locator('form[action$="/withdraw"] button[type="submit"]');
    assert((await button.count()) === 1 && (await button.isVisible()), 'no visible withdraw button');
    const resp = await clickAndWait(an, button);
    assert(pathname(an) === '/me/consents', `after withdrawing An is at ${an.url()}`);
    assert(resp.status() === 200, `/me/consents after withdrawing answered ${resp.status()}`);
    const after = await an.locator('ul.consents > li').count();
    assert(after === before - 1, `consents in force: ${before} before, ${after} after withdrawing`);
    assert((await givenTo(an, HR_NAME).count()) === 0, `a consent given to ${HR_NAME} is still listed as in force`);
    assert((await an.getByRole('status').count()) >= 1, 'no confirmation (role=status) after withdrawing');
  });

  await check('An\'s consents page after the withdrawal: no horizontal overflow at phone width, screenshot', async () => {
    await noOverflow(an, '/me/consents after withdrawing');
    await shot(an, 'consents-me-withdrawn-phone.png');
  });

  await check(`${HR_NAME} reloads: "${NOTE_TITLE}" is gone, and its address answers 404`, async () => {
    session.current = tom;
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

await run(flow, 'consent-failure.png');
