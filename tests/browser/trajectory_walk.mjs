// trajectory_walk.mjs — browser test of one trajectory walked from the action plan to closure: the coach
// (Sofie Peeters, password + TOTP) takes the demo participant An Janssens' trajectory 1, which the demo puts
// in the phase "action plan", ticks the steps of the current phase in the protocol, writes the first
// version of the action plan; An, in a second browser context at phone width, opens her page /me, sees
// what is agreed, her next step and the link to her questionnaires, confirms the plan there and writes a diary note; the coach confirms
// too, moves on to follow-up, plans the long-term check-ins, moves on to long-term follow-up (with a reason,
// because required steps are still open: first without one, which is refused), closes the trajectory with
// outcome "returned to own job" and hours per week, and finds it in the caseload under the status filter
// "closed". (Registration creates no account for a new participant, so the participant's part needs the
// demo participant who has one.)
//
// Screenshots at each major step: $ZW_BUILD/screenshots/walk-*.png (desktop 1280x900 for the coach,
// phone 390x844 for An). No horizontal overflow on An's pages at phone width; no console errors.
//
// The UI is in its default language (Dutch); elements are found by page structure (form actions, field ids,
// section ids, list items with a step's text), not by translated labels.
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

const PARTICIPANT = 'an.janssens@mail.example';
const TID = 1; // An Janssens' trajectory in the demo, in the phase action_plan

// Protocol steps of the default template (migration 003), by phase.
const STEP_GOALS = 'SMART-doelen opstellen samen met de deelnemer';
const STEP_ACTIONS = 'Acties met eigenaar uit het netwerk en een termijn vastleggen';
const STEP_CONFIRMED = 'Actieplan laten bevestigen door deelnemer en betrokken partijen';
const STEP_TALKS = 'Regelmatige opvolggesprekken met de deelnemer';

const GOAL = 'Terug naar de planningsdienst';
const ACTION_AN = 'Elke ochtend twintig minuten wandelen';
const ACTION_COACH = 'Evaluatiegesprek met de werkgever plannen';
const DIARY_TITLE = 'Een zware ochtend';

// YYYY-MM-DD n days from today (UTC, as the server counts).
function day(n) {
  return new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
}

// The date day(n) in words as An's pages show it in Dutch: "11 december 2026" (no leading zero).
const MONTHS_NL = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september',
                   'oktober', 'november', 'december'];
function dayWords(n) {
  const [y, m, d] = day(n).split('-').map(Number);
  return `${d} ${MONTHS_NL[m - 1]} ${y}`;
}

// ------------------------------------------------------------------ the flow

// Runs a form's submit and waits for the page it leads to; returns the final response.
async function submit(page, button) {
  return clickAndWait(page, button);
}

// The flash message (role=status) after a successful save.
async function assertSaved(page, what) {
  assert((await page.locator('p.flash[role="status"]').count()) === 1, `${what}: no confirmation (p.flash role=status) on ${page.url()}`);
}

// The list item of a protocol step with this text in the checklist of the current phase.
function currentStep(page, text) {
  return page.locator('section[aria-labelledby="h-current"] li').filter({ hasText: text });
}

// Ticks a step of the current phase done on the protocol page (already open).
async function tickStep(page, text) {
  const li = currentStep(page, text);
  assert((await li.count()) === 1, `protocol: expected one step "${text}" in the current phase, found ${await li.count()}`);
  const button = li.locator('button[name="action"][value="done"]');
  assert((await button.count()) === 1, `protocol: step "${text}" has no "done" button (already done?)`);
  const resp = await submit(page, button);
  assert(resp.status() === 200 && pathname(page) === `/t/${TID}/protocol`, `ticking "${text}" ended at ${page.url()} (${resp.status()})`);
  await assertSaved(page, `ticking "${text}"`);
  assert((await currentStep(page, text).locator('.badge-ok').count()) === 1, `step "${text}" is not shown as done`);
}

// The code of the current phase, from the protocol page's timeline (aria-current="step").
async function currentPhaseLabel(page) {
  return (await page.locator('ol.timeline > li[aria-current="step"] strong').innerText()).trim();
}

async function flow() {
  const secret = await createDemo();

  await serve();

  await check('chromium starts', launchChromium);

  let sofie;
  await check('the coach signs in with password and TOTP and lands on her dashboard', async () => {
    sofie = await newPage('sofie', DESKTOP);
    const landed = await signIn(sofie, COACH, secret);
    assert(landed === '/dashboard', `the coach landed on ${landed}`);
    await shot(sofie, 'walk-01-coach-dashboard.png');
  });

  await check('protocol of trajectory 1: the current phase is the action plan; the coach ticks its first two steps', async () => {
    const resp = await sofie.goto(`${base()}/t/${TID}/protocol`);
    assert(resp.status() === 200, `/t/${TID}/protocol answered ${resp.status()}`);
    const phase = await sofie.locator('ol.timeline > li[aria-current="step"]').count();
    assert(phase === 1, `expected one current phase in the timeline, found ${phase}`);
    await tickStep(sofie, STEP_GOALS);
    await tickStep(sofie, STEP_ACTIONS);
    await shot(sofie, 'walk-02-coach-protocol-action-plan.png');
  });

  await check('the coach writes the first version of the action plan (one goal, an action for An and one for herself)', async () => {
    const resp = await sofie.goto(`${base()}/t/${TID}/plan/edit`);
    assert(resp.status() === 200, `/t/${TID}/plan/edit answered ${resp.status()}`);
    await sofie.locator('#f-g1_title').fill(GOAL);
    await sofie.locator('#f-g1_specific').fill('Twee dagen per week vier uur werken op de planningsdienst.');
    await sofie.locator('#f-g1_measurable').fill('Gewerkte uren in het uurrooster.');
    await sofie.locator('#f-g1_achievable').fill('Afgesproken met HR en de huisarts; een vaste collega als aanspreekpunt.');
    await sofie.locator('#f-g1_relevant').fill('Eerste stap terug naar het eigen werk.');
    await sofie.locator('#f-g1_time_bound').fill(day(90));
    await sofie.locator('#f-g1a1_text').fill(ACTION_AN);
    await sofie.locator('#f-g1a1_owner').selectOption('participant');
    await sofie.locator('#f-g1a1_due').fill(day(7));
    await sofie.locator('#f-g1a1_status').selectOption('in_progress');
    // the form starts with one action: "add action" sends it to the server, which shows it again with one
    // more row and everything typed kept (no script needed)
    assert((await sofie.locator('#f-g1a2_text').count()) === 0, 'the new plan form already has a second action');
    const add = await submit(sofie, sofie.locator('button[name="add"][value="action:1"]'));
    assert(add.status() === 200 && pathname(sofie) === `/t/${TID}/plan`, `adding an action ended at ${sofie.url()} (${add.status()})`);
    assert((await sofie.locator('#f-g1_title').inputValue()) === GOAL, 'the goal typed before "add action" is lost');
    assert((await sofie.locator('#f-g1a1_text').inputValue()) === ACTION_AN, 'the action typed before "add action" is lost');
    await sofie.locator('#f-g1a2_text').fill(ACTION_COACH);
    await sofie.locator('#f-g1a2_owner').selectOption('coach');
    await sofie.locator('#f-g1a2_due').fill(day(14));
    const save = sofie.locator(`form[action="/t/${TID}/plan"] button[type="submit"].primary`);
    const r = await submit(sofie, save);
    assert(r.status() === 200 && pathname(sofie) === `/t/${TID}/plan`, `saving the plan ended at ${sofie.url()} (${r.status()})`);
    await assertSaved(sofie, 'saving the plan');
    assert((await sofie.locator('article.goal').filter({ hasText: GOAL }).count()) === 1, `the plan page does not show the goal "${GOAL}"`);
    await shot(sofie, 'walk-03-coach-plan-v1.png');
  });

  let an;
  await check('An signs in (second browser context, phone width) and lands on /me', async () => {
    an = await newPage('an', PHONE);
    const landed = await signIn(an, PARTICIPANT, null);
    assert(landed === '/me', `An landed on ${landed}, expected /me`);
    assert((await an.locator('h1').count()) === 1, 'no single <h1> on /me');
  });

  await check('/me shows where she is, what is agreed and her next step; no horizontal overflow; screenshot', async () => {
    const agreed = an.locator('section#agreed');
    assert((await agreed.count()) === 1, 'no section#agreed on /me');
    const agreedText = await agreed.innerText();
    assert(agreedText.includes(GOAL), `"what is agreed" does not show the goal "${GOAL}": ${agreedText.slice(0, 300)}`);
    assert(agreedText.includes(ACTION_AN) && agreedText.includes(ACTION_COACH), 'the actions are not listed under what is agreed');
    assert((await agreed.locator(`a[href="/t/${TID}/plan"]`).count()) >= 1, 'no link to the plan from what is agreed');
    const next = await an.locator('section#next-step').innerText();
    assert(next.includes(ACTION_AN) && next.includes(dayWords(7)),
           `the next step is not her own action due ${dayWords(7)}: ${next}`);
    assert((await an.locator(`section#questionnaires a[href="/t/${TID}/assessments"]`).count()) === 1,
           'no link to her questionnaires on /me');
    assert((await an.locator('a[href="/me/consents"]').count()) >= 1 && (await an.locator('a[href="/me/log"]').count()) >= 1,
           'no links to /me/consents and /me/log');
    await noOverflow(an, '/me');
    await shot(an, 'walk-04-an-me-phone.png');
  });

  await check('An confirms the plan from /me; the plan page says so; no horizontal overflow; screenshot', async () => {
    const button = an.locator(`section#agreed form[action^="/t/${TID}/plan/"][action$="/confirm"] button[type="submit"]`);
    assert((await button.count()) === 1, 'no confirm button under what is agreed');
    assert(await button.isVisible(), 'the confirm button is not visible');
    const resp = await submit(an, button);
    assert(resp.status() === 200 && pathname(an) === `/t/${TID}/plan`, `confirming ended at ${an.url()} (${resp.status()})`);
    await assertSaved(an, 'An confirming');
    assert((await an.locator('dl.confirmations .badge-ok').count()) === 1, 'the plan page shows no confirmation by An');
    await noOverflow(an, `/t/${TID}/plan`);
    await shot(an, 'walk-05-an-plan-confirmed-phone.png');
    await an.goto(`${base()}/me`);
    assert((await an.locator('section#agreed form[action$="/confirm"]').count()) === 0, '/me still offers to confirm');
    assert((await an.locator('section#agreed .badge-ok').count()) === 1, '/me does not show the plan as confirmed');
  });

  await check('An writes a diary note from /me (category chosen by her); it is listed on /me', async () => {
    const form = an.locator(`section#diary form[action="/t/${TID}/notes"]`);
    assert((await form.count()) === 1, 'no diary form on /me');
    await form.locator('#f-title').fill(DIARY_TITLE);
    await form.locator('#f-category').selectOption('capacity');
    await form.locator('#f-body').fill('Slecht geslapen, toch gewandeld. Morgen rustiger aan.');
    const resp = await submit(an, form.locator('button[type="submit"]'));
    assert(resp.status() === 200 && pathname(an) === `/t/${TID}/notes`, `saving the note ended at ${an.url()} (${resp.status()})`);
    await assertSaved(an, 'An saving a note');
    await noOverflow(an, `/t/${TID}/notes`);
    await an.goto(`${base()}/me`);
    const diary = await an.locator('section#diary').innerText();
    assert(diary.includes(DIARY_TITLE), `the note "${DIARY_TITLE}" is not listed in the diary on /me`);
    await noOverflow(an, '/me after the note');
    await shot(an, 'walk-06-an-me-after-phone.png');
  });

  await check('An marks her own step started from /me, behind "started or done?"', async () => {
    await an.goto(`${base()}/me`);
    const form = an.locator(`section#agreed details form[action^="/t/${TID}/plan/actions/"]`);
    assert((await form.count()) === 1, 'no form on /me to mark her own step');
    await an.locator('section#agreed details summary').click();
    await form.locator('select').selectOption('in_progress');
    await form.locator('textarea').fill('Drie ochtenden gewandeld.');
    const resp = await submit(an, form.locator('button[type="submit"]'));
    assert(resp.status() === 200 && pathname(an) === '/me', `marking her step ended at ${an.url()} (${resp.status()})`);
    await assertSaved(an, 'An marking her step');
    await noOverflow(an, '/me after marking a step');
  });

  await check('the coach confirms the plan too', async () => {
    session.current = sofie;
    await sofie.goto(`${base()}/t/${TID}/plan`);
    const button = sofie.locator(`form[action^="/t/${TID}/plan/"][action$="/confirm"] button[type="submit"]`);
    assert((await button.count()) === 1, 'the coach has no confirm button');
    const resp = await submit(sofie, button);
    assert(resp.status() === 200 && pathname(sofie) === `/t/${TID}/plan`, `confirming ended at ${sofie.url()}`);
    assert((await sofie.locator('dl.confirmations .badge-ok').count()) === 2, 'the plan is not shown as confirmed by both');
    await shot(sofie, 'walk-07-coach-plan-confirmed.png');
  });

  await check('protocol: "plan confirmed" is ticked by the confirmations; the coach moves on to follow-up (no reason needed)', async () => {
    await sofie.goto(`${base()}/t/${TID}/protocol`);
    const before = await currentPhaseLabel(sofie);
    assert((await currentStep(sofie, STEP_CONFIRMED).locator('.badge-ok').count()) === 1,
           `step "${STEP_CONFIRMED}" is not done after An and the coach confirmed`);
    const move = sofie.locator(`form[action="/t/${TID}/protocol/phase"] button[name="phase"][value="follow_up"]`);
    assert((await move.count()) === 1, 'no button to move to follow-up');
    const resp = await submit(sofie, move);
    assert(resp.status() === 200 && pathname(sofie) === `/t/${TID}/protocol`, `moving on ended at ${sofie.url()} (${resp.status()})`);
    await assertSaved(sofie, 'moving on to follow-up');
    const after = await currentPhaseLabel(sofie);
    assert(after !== before, `the current phase is still "${after}"`);
    assert((await currentStep(sofie, STEP_TALKS).count()) === 1, 'the checklist does not show the follow-up steps');
    await shot(sofie, 'walk-08-coach-protocol-follow-up.png');
  });

  await check('follow-up: the coach plans the long-term check-ins after the return to work', async () => {
    const resp = await sofie.goto(`${base()}/t/${TID}/followups`);
    assert(resp.status() === 200, `/t/${TID}/followups answered ${resp.status()}`);
    const form = sofie.locator(`form[action="/t/${TID}/followups/checkins"]`);
    await form.locator('#f-return_on').fill(day(0));
    const r = await submit(sofie, form.locator('button[type="submit"]'));
    assert(r.status() === 200 && pathname(sofie) === `/t/${TID}/followups`, `planning check-ins ended at ${sofie.url()} (${r.status()})`);
    await assertSaved(sofie, 'planning the check-ins');
    const rows = await sofie.locator('table tbody tr').count();
    assert(rows >= 3, `expected at least 3 follow-up moments, found ${rows}`);
    await shot(sofie, 'walk-09-coach-followups.png');
  });

  await check('moving on to long-term follow-up with required steps open: refused without a reason, done with one', async () => {
    await sofie.goto(`${base()}/t/${TID}/protocol`);
    await tickStep(sofie, STEP_TALKS);
    const form = sofie.locator(`form[action="/t/${TID}/protocol/phase"]`);
    assert((await sofie.locator('#open-required li').count()) >= 1, 'no open required steps are listed for follow-up');
    let resp = await submit(sofie, form.locator('button[name="phase"][value="aftercare"]'));
    assert(resp.status() === 400, `moving on without a reason answered ${resp.status()}, expected 400`);
    assert((await sofie.locator('#f-move_reason[aria-invalid="true"]').count()) === 1, 'the reason field is not marked invalid');
    await shot(sofie, 'walk-10-coach-move-needs-reason.png');
    await sofie.locator('#f-move_reason').fill('Evaluatiegesprek met de werkgever volgt binnen de nazorg; An werkt weer.');
    resp = await submit(sofie, sofie.locator(`form[action="/t/${TID}/protocol/phase"] button[name="phase"][value="aftercare"]`));
    assert(resp.status() === 200 && pathname(sofie) === `/t/${TID}/protocol`, `moving on with a reason ended at ${sofie.url()} (${resp.status()})`);
    await assertSaved(sofie, 'moving on to long-term follow-up');
    assert((await sofie.locator(`form[action="/t/${TID}/protocol/phase"] button[value="follow_up"]`).count()) === 1,
           'after moving on there is no way back to follow-up: the phase did not change');
  });

  await check('the coach closes the trajectory: returned to own job, 19.5 hours per week, with a note', async () => {
    const form = sofie.locator(`form[action="/t/${TID}/close"]`);
    assert((await form.count()) === 1, 'no closure form');
    await form.locator('#f-outcome').selectOption('returned_own_job');
    await form.locator('#f-hours').fill('19,5');
    await form.locator('#f-note').fill('An werkt weer halftijds in haar eigen functie; nazorg afgesproken.');
    const resp = await submit(sofie, form.locator('button[type="submit"]'));
    assert(resp.status() === 200 && pathname(sofie) === `/t/${TID}/protocol`, `closing ended at ${sofie.url()} (${resp.status()})`);
    await assertSaved(sofie, 'closing');
    const closed = sofie.locator('section[aria-labelledby="h-closed"]');
    assert((await closed.count()) === 1, 'the protocol page shows no closure section');
    const facts = await closed.innerText();
    assert(facts.includes('19.5'), `the closure does not show 19.5 hours: ${facts}`);
    assert((await sofie.locator(`form[action="/t/${TID}/reopen"]`).count()) === 1, 'no reopen form after closing');
    await shot(sofie, 'walk-11-coach-closed.png');
  });

  await check('the caseload with status "closed" lists An Janssens; the open caseload does not', async () => {
    let resp = await sofie.goto(`${base()}/caseload?status=closed`);
    assert(resp.status() === 200, `/caseload?status=closed answered ${resp.status()}`);
    const row = sofie.locator('table tbody tr').filter({ has: sofie.locator(`a[href="/t/${TID}"]`) });
    assert((await row.count()) === 1, 'An Janssens is not in the closed caseload');
    assert((await row.innerText()).includes('An Janssens'), 'the closed row does not name An Janssens');
    await shot(sofie, 'walk-12-coach-caseload-closed.png');
    resp = await sofie.goto(`${base()}/caseload?status=open`);
    assert((await sofie.locator(`table a[href="/t/${TID}"]`).count()) === 0, 'An Janssens is still in the open caseload');
  });

  await check('An\'s /me after the closure: a calm page without an open trajectory, no overflow', async () => {
    session.current = an;
    const resp = await an.goto(`${base()}/me`);
    assert(resp.status() === 200, `/me answered ${resp.status()}`);
    assert((await an.locator('section#agreed').count()) === 0, '/me still shows the plan of a closed trajectory');
    await noOverflow(an, '/me after closure');
    await shot(an, 'walk-13-an-me-closed-phone.png');
  });

  await check('no JavaScript errors, console errors or failed style/script loads on any page', async () => {
    assert(pageErrors.length === 0, pageErrors.join('\n'));
  });
}

// ------------------------------------------------------------------ main

await run(flow, 'walk-failure.png');
