// coach_register.mjs — browser test: a coach signs in (password + TOTP), registers a participant through
// the form (once with an impossible date first), lands on the trajectory page, and finds the participant
// in the caseload search. Also: Dutch is the default UI language and the language button switches to
// English; no horizontal overflow at phone width; screenshots at desktop and phone width.
//
// Runs under meson (tests/browser/meson.build) with:
//   ZW_BIN    path of the zorgwerk binary (built with sanitizers in CI: start-up is slower)
//   ZW_BUILD  build directory; screenshots go to $ZW_BUILD/screenshots/
// Drives Debian's chromium (/usr/bin/chromium, or $ZW_CHROMIUM) through playwright-core from
// tests/browser/node_modules (installed by `scripts/deps.sh test`); never downloads a browser.
//
// Prints `ok - ...` / `not ok - ...` per check and ends with "N passed, M failed"; exit status 0 only when
// every check passed. The shared helpers are in lib.mjs.
import {
  COACH, DEMO_PASSWORD, DESKTOP, PHONE, assert, base, check, clickAndWait, createDemo, launchChromium, noOverflow,
  pageErrors, run, serve, session, shot, totp,
} from './lib.mjs';

// The participant registered through the form (fresh demo database each run, so fixed values are fine).
const P = {
  first: 'Eline',
  last: 'Verstraeten',
  birth: '1989-06-14',
  email: 'eline.verstraeten@mail.example',
  phone: '+32 470 12 34 56',
  referredBy: 'Huisarts dr. Els Wouters',
  reason: 'Burn-out; wil in overleg met de werkgever geleidelijk terug naar het eigen werk.',
  employer: 'Stad Mechelen',
  absence: '2025-11-03',
  consent: 'Mondeling akkoord tijdens het aanmeldgesprek op 2026-01-12.',
};
const FULL_NAME = `${P.first} ${P.last}`;

// ------------------------------------------------------------------ page helpers

async function htmlLang(page) {
  return page.evaluate(() => document.documentElement.lang);
}

// Screenshot at desktop size, then at phone size (checking overflow there), then back to desktop.
async function shotsBothWidths(page, name) {
  await page.setViewportSize(DESKTOP);
  await shot(page, `${name}-desktop.png`);
  await page.setViewportSize(PHONE);
  await noOverflow(page, name);
  await shot(page, `${name}-phone.png`);
  await page.setViewportSize(DESKTOP);
}

// ------------------------------------------------------------------ the flow

let page = null;

async function flow() {
  const secret = await createDemo();

  await serve();

  await check('chromium starts', async () => {
    const browser = await launchChromium();
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'nl-BE' });
    context.setDefaultTimeout(20000);
    context.setDefaultNavigationTimeout(30000);
    page = await context.newPage();
    session.current = page;
    page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
    page.on('console', (m) => {
      // a refused form answers 400 on purpose: failed loads are judged by the response handler below
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        pageErrors.push(`${page.url()}: console: ${m.text()}`);
    });
    page.on('request', async (req) => {
      if (req.method() !== 'POST' || !req.isNavigationRequest()) return;
      const h = await req.allHeaders().catch(() => ({}));
      session.lastPost = `${req.url()} (Origin: ${h.origin}, Sec-Fetch-Site: ${h['sec-fetch-site']})`;
    });
    page.on('response', (resp) => {
      if (resp.request().resourceType() !== 'document' && resp.status() >= 400)
        pageErrors.push(`${page.url()}: ${resp.request().resourceType()} ${resp.url()} answered ${resp.status()}`);
    });
  });

  await check('login page is in Dutch by default (html lang="nl")', async () => {
    const resp = await page.goto(`${base()}/login`);
    assert(resp.status() === 200, `GET /login answered ${resp.status()}`);
    const lang = await htmlLang(page);
    assert(lang === 'nl', `html lang is "${lang}", expected "nl"`);
  });

  await check('login page: screenshots at desktop and phone width, no horizontal overflow on the phone', async () => {
    await shotsBothWidths(page, 'login');
  });

  await check('language button switches the UI to English (html lang="en")', async () => {
    const button = page.getByRole('button', { name: 'English' });
    assert((await button.count()) === 1, 'no single "English" button on the login page');
    const resp = await clickAndWait(page, button);
    assert(resp && resp.status() === 200, `after the language switch: status ${resp && resp.status()}`);
    assert(new URL(page.url()).pathname === '/login', `language switch went to ${page.url()}, not back to /login`);
    const lang = await htmlLang(page);
    assert(lang === 'en', `html lang is "${lang}" after choosing English`);
    assert((await page.getByRole('button', { name: 'Nederlands' }).count()) === 1, 'no "Nederlands" button to switch back');
  });

  await check('coach signs in with password (labels "E-mail address", "Password")', async () => {
    await page.getByLabel('E-mail address').fill(COACH);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    const resp = await clickAndWait(page, page.getByRole('button', { name: 'Sign in' }));
    assert(new URL(page.url()).pathname === '/login/2fa',
           `after the password the browser is at ${page.url()} (status ${resp && resp.status()}), not /login/2fa`);
  });

  await check('second step with the TOTP code lands on the coach\'s dashboard', async () => {
    const code = totp(secret, Math.floor(Date.now() / 1000 / 30));
    await page.getByLabel('Code').fill(code);
    const resp = await clickAndWait(page, page.getByRole('button', { name: 'Verify' }));
    assert(new URL(page.url()).pathname === '/dashboard',
           `after the code the browser is at ${page.url()} (status ${resp && resp.status()}), not /dashboard`);
    assert(resp.status() === 200, `/dashboard answered ${resp.status()}`);
    assert((await htmlLang(page)) === 'en', 'the English choice did not survive signing in');
  });

  await check('registration form opens from the menu', async () => {
    const link = page.getByRole('navigation').getByRole('link', { name: 'Register participant' });
    const resp = await clickAndWait(page, link);
    assert(new URL(page.url()).pathname === '/participants/new', `menu link went to ${page.url()}`);
    assert(resp.status() === 200, `GET /participants/new answered ${resp.status()}`);
    assert((await link.getAttribute('aria-current')) === 'page', 'menu item "Register participant" has no aria-current="page"');
  });

  await check('registration form: screenshots at desktop and phone width, no horizontal overflow on the phone', async () => {
    await shotsBothWidths(page, 'register');
  });

  // Fills every field by its visible label (which proves each control has a working label). The date of
  // birth is left to the caller.
  async function fillForm() {
    await page.getByLabel('First name').fill(P.first);
    await page.getByLabel('Last name').fill(P.last);
    await page.getByLabel('E-mail address').fill(P.email);
    await page.getByLabel('Phone number').fill(P.phone);
    await page.getByLabel('Referred by').fill(P.referredBy);
    await page.getByLabel('Reason for referral').fill(P.reason);
    await page.getByLabel(/^Employer/).selectOption({ label: P.employer });
    await page.getByLabel('First day of absence').fill(P.absence);
    await page.getByLabel('How the participant agreed to start').fill(P.consent);
    await page.getByLabel('The participant agreed to start the trajectory').check();
  }

  // Types 2026-02-30 the way a person does. In a <input type="date"> that means typing the digits into
  // the browser's date widget, whose segment order depends on the browser's locale: find it by typing a
  // probe date first. Returns the input's type.
  async function typeImpossibleDate(field) {
    const type = (await field.getAttribute('type')) || 'text';
    if (type !== 'date') {
      await field.fill('2026-02-30');
      return type;
    }
    await field.focus();
    await page.keyboard.type('01022003');
    const probe = await field.inputValue();
    const order = { '2003-02-01': ['30', '02'], '2003-01-02': ['02', '30'] }[probe];
    assert(order, `cannot tell the date widget's segment order (typed 01 02 2003, got "${probe}")`);
    await field.fill('');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type(`${order[0]}${order[1]}2026`);
    const st = await field.evaluate((el) => ({ value: el.value, bad: el.validity.badInput }));
    assert(st.value === '' && st.bad, `the date widget took 2026-02-30 as "${st.value}"`);
    return type;
  }

  await check('impossible date of birth (2026-02-30) is refused beside the field, typed first name kept', async () => {
    await fillForm();
    const birthField = page.getByLabel('Date of birth');
    const type = await typeImpossibleDate(birthField);
    const resp = await clickAndWait(page, page.getByRole('button', { name: 'Register and start the trajectory' }));
    assert(resp.status() === 400, `POST /participants/new with 2026-02-30 answered ${resp.status()}, expected 400`);
    assert(new URL(page.url()).pathname === '/participants/new', `after the refused form the browser is at ${page.url()}`);
    const field = page.locator('.field', { has: page.locator('#f-birth_date') });
    assert((await field.count()) === 1, 'no .field around #f-birth_date');
    const msg = field.locator('.error-msg');
    assert((await msg.count()) === 1 && (await msg.isVisible()), 'no visible error message beside the date of birth field');
    const text = (await msg.innerText()).trim();
    assert(text.length > 0, 'the error message beside the date of birth is empty');
    assert((await birthField.getAttribute('aria-invalid')) === 'true', 'the date of birth field is not marked aria-invalid');
    const described = (await birthField.getAttribute('aria-describedby')) || '';
    const msgId = await msg.getAttribute('id');
    assert(msgId && described.split(' ').includes(msgId), `aria-describedby "${described}" does not point at the message (${msgId})`);
    assert((await page.locator('.errors a[href="#f-birth_date"]').count()) === 1,
           'the error summary above the form has no link to the date of birth field');
    const first = await page.getByLabel('First name').inputValue();
    assert(first === P.first, `typed first name not kept: "${first}"`);
    console.log(`#   date input type="${type}"; message beside the field: "${text}"`);
    await page.setViewportSize(PHONE);
    await noOverflow(page, 'registration form with errors');
    await shot(page, 'register-error-phone.png');
    await page.setViewportSize(DESKTOP);
    await shot(page, 'register-error-desktop.png');
  });

  let trajectoryUrl = null;
  await check('corrected form registers the participant and redirects to the trajectory page with the name', async () => {
    await fillForm();
    await page.getByLabel('Date of birth').fill(P.birth);
    const resp = await clickAndWait(page, page.getByRole('button', { name: 'Register and start the trajectory' }));
    const u = new URL(page.url());
    assert(/^\/t\/[1-9][0-9]*$/.test(u.pathname), `after registering the browser is at ${page.url()} (status ${resp.status()})`);
    assert(resp.status() === 200, `trajectory page answered ${resp.status()}`);
    // the participant's name is in the case header (whose file this is) and in the title after the page's
    // heading ("Overview · Eline Verstraeten · ...")
    const h1 = (await page.getByRole('heading', { level: 1 }).innerText()).trim();
    assert(h1.length > 0, 'the trajectory page has no heading');
    const caseName = page.locator('.case-header .case-name');
    assert((await caseName.count()) === 1 && (await caseName.isVisible()), 'no visible case header with a name');
    const shown = (await caseName.innerText()).trim();
    assert(shown === FULL_NAME, `the case header names "${shown}", expected ${FULL_NAME}`);
    const title = await page.title();
    assert(title.startsWith(`${h1} · ${FULL_NAME}`), `the page title is "${title}", expected "${h1} · ${FULL_NAME} ..."`);
    const flash = page.getByRole('status');
    assert((await flash.count()) >= 1 && /registered/i.test(await flash.first().innerText()),
           'no "registered" confirmation (role=status) on the trajectory page');
    for (const [what, v] of [['date of birth', P.birth], ['referrer', P.referredBy], ['employer', P.employer],
                             ['first day of absence', P.absence], ['consent note', P.consent]])
      assert(await page.getByText(v).first().isVisible(), `the ${what} typed in the form ("${v}") is not on the trajectory page`);
    trajectoryUrl = `${u.origin}${u.pathname}`;
  });

  await check('trajectory page: screenshots at desktop and phone width, no horizontal overflow on the phone', async () => {
    await shotsBothWidths(page, 'trajectory');
  });

  await check('caseload opens from the menu and lists the new participant', async () => {
    const link = page.getByRole('navigation').getByRole('link', { name: 'Caseload' });
    const resp = await clickAndWait(page, link);
    assert(new URL(page.url()).pathname === '/caseload', `menu link went to ${page.url()}`);
    assert(resp.status() === 200, `GET /caseload answered ${resp.status()}`);
    assert((await link.getAttribute('aria-current')) === 'page', 'menu item "Caseload" has no aria-current="page"');
    assert((await page.getByRole('row').filter({ hasText: FULL_NAME }).count()) === 1,
           `the unfiltered caseload has no row for ${FULL_NAME}`);
  });

  await check('caseload (unfiltered): screenshots at desktop and phone width, no horizontal overflow on the phone', async () => {
    await shotsBothWidths(page, 'caseload');
  });

  await check('caseload search by name finds the new participant\'s row, linking to the trajectory', async () => {
    await page.getByLabel('Search by name').fill(FULL_NAME);
    const r2 = await clickAndWait(page, page.getByRole('search').getByRole('button', { name: 'Show' }));
    assert(r2.status() === 200, `search answered ${r2.status()}`);
    const q = new URL(page.url()).searchParams.get('q');
    assert(q === FULL_NAME, `search URL has q=${q}, expected ${FULL_NAME}`);
    assert((await page.getByLabel('Search by name').inputValue()) === FULL_NAME, 'the search field does not keep the search');
    const rows = page.getByRole('row').filter({ hasText: FULL_NAME });
    assert((await rows.count()) === 1, `expected 1 row with ${FULL_NAME}, found ${await rows.count()}`);
    const href = await rows.getByRole('link', { name: FULL_NAME }).getAttribute('href');
    assert(href && new URL(href, page.url()).href === trajectoryUrl, `the row links to ${href}, expected ${trajectoryUrl}`);
    const all = await page.locator('tbody tr').count();
    assert(all === 1, `the search for ${FULL_NAME} lists ${all} rows, expected only the new participant`);
  });

  await check('no JavaScript errors, console errors or failed style/script loads on any page', async () => {
    assert(pageErrors.length === 0, pageErrors.join('\n'));
  });
}

// ------------------------------------------------------------------ main

await run(flow, 'failure.png');
