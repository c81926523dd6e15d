// placement_route.mjs — browser test of the whole job route of issue 13: the coach completes the employer
// profile of Bouwbedrijf Verbeke NV and adds an opening there, keeps An Janssens' job profile, finds the opening
// among her matches and proposes her; An agrees on her phone (/me/work). Then parts 5 and 6: the coach
// records a trial placement for An on that opening (a bad number of hours is refused first),
// marks it started — which proposes the job-coaching schedule and tells An — and the HR contact Tom Claes sees
// it, because An's yes shared her work information with the employer; An finds the notice on her phone; the
// coach records the evaluation talk with the employer (the employer's remarks, Tom as source), then the outcome
// "hired", then the first job-coaching contact; the coach's day lists the demo's job-coaching contact due
// (Bram Wouters); An reads it all on her phone in plain dates; when she takes back what she shared with Tom,
// he no longer sees the placement, at once.
//
// The UI is in its default language (Dutch); elements are found by structure (form actions, field ids,
// hrefs) and by the data the test typed, never by translated labels.
//
// Runs under meson (tests/browser/meson.build) with ZW_BIN and ZW_BUILD, like the other browser tests.
import {
  COACH, DESKTOP, PHONE, assert, axeViolations, base, check, clickAndWait, createDemoLogins, launchChromium,
  newPage, noOverflow, pageErrors, pathname, run, serve, shot, signIn,
} from './lib.mjs';

const AN = 'an.janssens@mail.example';
const TOM = 'tom.claes@verbeke.example';
const EMPLOYER = 'Bouwbedrijf Verbeke NV';

function day(delta) {
  return new Date(Date.now() + delta * 86400000).toISOString().slice(0, 10);
}

// The value of the first option of select sel whose text starts with prefix.
async function optionValue(page, sel, prefix) {
  return page.locator(sel).evaluate((s, p) => {
    const o = Array.from(s.options).find((x) => x.textContent.trim().startsWith(p));
    return o ? o.value : null;
  }, prefix);
}

async function noAxe(page, what) {
  const v = await axeViolations(page);
  assert(v.length === 0, `${what}: accessibility violations ${JSON.stringify(v)}`);
}

async function flow() {
  const logins = await createDemoLogins();
  await serve();
  await check('chromium starts', launchChromium);

  let coach;
  await check('the coach signs in', async () => {
    coach = await newPage('coach', DESKTOP);
    await signIn(coach, COACH, logins[COACH]);
  });

  let employerPath;
  await check('the coach completes the employer profile of Bouwbedrijf Verbeke NV', async () => {
    await coach.goto(`${base()}/employers`);
    const link = coach.locator('main a[href^="/employers/"]', { hasText: EMPLOYER }).first();
    assert((await link.count()) === 1, `${EMPLOYER} is not in the employer register`);
    employerPath = await link.getAttribute('href');
    const r = await coach.goto(`${base()}${employerPath}/edit`);
    assert(r.status() === 200, `${employerPath}/edit answered ${r.status()}`);
    await coach.locator('#f-sector').fill('Bouw ROUTE-SECTOR');
    await clickAndWait(coach, coach.locator(`form[action="${employerPath}/edit"] button[type="submit"]`));
    assert(pathname(coach) === employerPath, `after saving the profile the coach is at ${coach.url()}`);
    assert((await coach.locator('main').innerText()).includes('ROUTE-SECTOR'), 'the profile does not show the sector');
  });

  let openingTitle = 'ROUTE-OPENING magazijn';
  await check('the coach adds an opening at the employer (at most 20 hours a week)', async () => {
    const r = await coach.goto(`${base()}${employerPath}/openings/new`);
    assert(r.status() === 200, `${employerPath}/openings/new answered ${r.status()}`);
    await coach.locator('#f-title').fill(openingTitle);
    await coach.locator('#f-kind').selectOption('work_experience');
    await coach.locator('#f-work_kind').selectOption('logistics');
    await coach.locator('#f-hours_min').fill('8');
    await coach.locator('#f-hours_max').fill('20');
    await coach.locator('#f-region').fill('Mechelen');
    await clickAndWait(coach, coach.locator(`form[action="${employerPath}/openings"] button[type="submit"]`));
    assert(/^\/openings\/\d+$/.test(pathname(coach)), `after saving the opening the coach is at ${coach.url()}`);
  });

  await check("the coach keeps An's job profile", async () => {
    const r = await coach.goto(`${base()}/t/1/job-profile`);
    assert(r.status() === 200, `/t/1/job-profile answered ${r.status()}`);
    await coach.locator('#f-kind1').selectOption('logistics');
    await coach.locator('#f-hours_goal').fill('20');
    await coach.locator('#f-regions').fill('Mechelen');
    await clickAndWait(coach, coach.locator('form[action="/t/1/job-profile"] button[type="submit"]'));
  });

  await check('the opening is among her matches and the coach proposes her', async () => {
    const r = await coach.goto(`${base()}/t/1/matches`);
    assert(r.status() === 200, `/t/1/matches answered ${r.status()}`);
    const item = coach.locator('main li', { hasText: openingTitle }).first();
    assert((await item.count()) === 1, `${openingTitle} is not among An's matches`);
    await item.locator('summary').first().click();
    await item.locator('textarea[name="note"]').fill('ROUTE-PROPOSAL An wants to start gradually.');
    await clickAndWait(coach, item.locator('form[action="/t/1/proposals"] button[type="submit"]:not([name="draft"])'));
    assert(!pathname(coach).startsWith('/login'), `after proposing the coach is at ${coach.url()}`);
  });

  let an;
  await check('An agrees to the proposal on her phone', async () => {
    an = await newPage('an', PHONE);
    await signIn(an, AN, null);
    const r = await an.goto(`${base()}/me/work`);
    assert(r.status() === 200, `/me/work answered ${r.status()}`);
    const card = an.locator('main article', { hasText: 'ROUTE-PROPOSAL' }).first();
    assert((await card.count()) === 1, 'the proposal is not on /me/work');
    await noOverflow(an, '/me/work');
    await shot(an, 'placement_route-proposal-phone.png');
    await clickAndWait(an, card.locator('form[action^="/me/proposals/"] button[value="yes"]'));
    assert((await an.locator('main article', { hasText: 'ROUTE-PROPOSAL' }).locator('button[value="yes"]').count()) === 0,
           'the proposal still waits for An\'s answer');
  });

  await check('a trial placement with more than 60 hours a week is refused, the form kept', async () => {
    const resp = await coach.goto(`${base()}/t/1/placements`);
    assert(resp.status() === 200, `/t/1/placements answered ${resp.status()}`);
    await noAxe(coach, '/t/1/placements');
    await coach.locator('#f-kind').selectOption('trial');
    const verbeke = await optionValue(coach, '#f-employer', EMPLOYER);
    assert(verbeke, `${EMPLOYER} is not offered as employer`);
    await coach.locator('#f-employer').selectOption(verbeke);
    const opening = await optionValue(coach, '#f-opening', openingTitle);
    assert(opening, `${openingTitle} is not offered as opening`);
    await coach.locator('#f-opening').selectOption(opening);
    await coach.locator('#f-starts_on').fill(day(0));
    await coach.locator('#f-ends_on').fill(day(27));
    await coach.locator('#f-hours').fill('61');
    await coach.locator('#f-tasks').fill('ROUTE-TASKS stock of the yard');
    const r = await clickAndWait(coach, coach.locator('form[action="/t/1/placements"] button[type="submit"]'));
    assert(r.status() === 400, `the form answered ${r.status()}, expected 400`);
    assert((await coach.locator('[role="alert"]').count()) > 0, 'no error summary');
    assert((await coach.locator('#f-tasks').inputValue()).includes('ROUTE-TASKS'), 'what was typed is gone');
  });

  let placement;
  await check('the coach records the trial placement with a build-up of hours', async () => {
    await coach.locator('#f-hours').fill('16');
    await coach.locator('#f-step1_from').fill(day(0));
    await coach.locator('#f-step1_hours').fill('8');
    await coach.locator('#f-step2_from').fill(day(14));
    await coach.locator('#f-step2_hours').fill('16');
    await coach.locator('#f-buddy').fill('ROUTE-BUDDY');
    await coach.locator('#f-adjustments').fill('ROUTE-ADJ no ladders');
    const r = await clickAndWait(coach, coach.locator('form[action="/t/1/placements"] button[type="submit"]'));
    assert(r.status() === 200, `after saving: ${r.status()}`);
    const m = pathname(coach).match(/^\/t\/1\/placements\/(\d+)$/);
    assert(m, `after saving the coach is at ${coach.url()}`);
    placement = `/t/1/placements/${m[1]}`;
    assert((await coach.locator('main h1').innerText()).includes(EMPLOYER), 'the heading does not name the employer');
    assert((await coach.locator('main').innerText()).includes('ROUTE-ADJ'), 'the agreements are not shown');
    assert((await coach.locator('main').innerText()).includes(openingTitle), 'the opening is not shown');
    await noAxe(coach, placement);
    await shot(coach, 'placement-coach.png');
  });

  await check('the coach marks it started: the job-coaching schedule is proposed', async () => {
    await clickAndWait(coach, coach.locator(`form[action="${placement}/start"] button[type="submit"]`));
    assert(pathname(coach) === placement, `after starting the coach is at ${coach.url()}`);
    const links = coach.locator('#jobcoaching a[href*="/jobcoaching/"]');
    assert((await links.count()) >= 8, `only ${await links.count()} job-coaching contacts proposed`);
  });

  let tom;
  await check("the HR contact sees the placement: An's yes shared her work information with the employer", async () => {
    tom = await newPage('tom', DESKTOP);
    await signIn(tom, TOM, null);
    const r = await tom.goto(`${base()}${placement}`);
    assert(r.status() === 200, `${placement} answered ${r.status()} to Tom`);
    const text = await tom.locator('main').innerText();
    assert(text.includes('ROUTE-ADJ') && text.includes('ROUTE-TASKS'), 'Tom does not see the agreements');
    assert((await tom.locator(`form[action="${placement}/start"], form[action="${placement}/outcome"]`).count()) === 0,
           'Tom is offered the coach\'s forms');
  });

  await check('An finds the news about her placement on her phone', async () => {
    await an.goto(`${base()}/notices`);
    const link = an.locator(`main a[href="${placement}"]`);
    assert((await link.count()) === 1, 'the notice does not link to the placement');
    assert(!(await an.locator('main').innerText()).includes(EMPLOYER), 'the notice names the employer');
    await noOverflow(an, '/notices');
  });

  await check('the coach records the evaluation talk with the employer (Tom as source)', async () => {
    await coach.goto(`${base()}${placement}`);
    const src = await optionValue(coach, '#f-source', '');
    assert(src && src !== 'participant', `the employer's member is not the first source offered (${src})`);
    await coach.locator('#f-source').selectOption(src);
    await coach.locator('#f-goes_well').fill('ROUTE-WELL careful with the stock');
    await coach.locator('#f-to_adjust').fill('ROUTE-ADJUST fewer calls');
    await coach.locator('#f-hours_next').fill('16');
    await coach.locator('#f-decision').selectOption('continue');
    await clickAndWait(coach, coach.locator(`form[action="${placement}/evaluations"] button[type="submit"]`));
    assert(pathname(coach) === placement, `after the evaluation the coach is at ${coach.url()}`);
    assert((await coach.locator('article[id^="eval-"]').innerText()).includes('ROUTE-WELL'), 'the evaluation is not shown');
    const t = await tom.goto(`${base()}${placement}`);
    assert(t.status() === 200 && (await tom.locator('main').innerText()).includes('ROUTE-ADJUST'),
           'Tom does not see the evaluation with his remarks');
  });

  await check('the coach records the outcome: hired', async () => {
    await coach.locator('#f-outcome').selectOption('hired');
    await coach.locator('#f-contract_type').selectOption('fixed_term');
    await coach.locator('#f-contract_hours').fill('16');
    await clickAndWait(coach, coach.locator(`form[action="${placement}/outcome"] button[type="submit"]`));
    assert(pathname(coach) === placement, `after the outcome the coach is at ${coach.url()}`);
    assert((await coach.locator(`form[action="${placement}/outcome"]`).count()) === 0, 'the outcome form is still offered');
  });

  await check('the coach records the first job-coaching contact', async () => {
    await clickAndWait(coach, coach.locator('#jobcoaching a[href*="/jobcoaching/"]').first());
    assert(/^\/t\/1\/jobcoaching\/\d+$/.test(pathname(coach)), `the record link went to ${coach.url()}`);
    await noAxe(coach, pathname(coach));
    await coach.locator('#f-held_on').fill(day(0));
    await coach.locator('#f-mode').selectOption('visit');
    await coach.locator('#f-minutes').fill('45');
    await coach.locator('#f-note').fill('ROUTE-JC first week went well');
    await clickAndWait(coach, coach.locator('main form button[type="submit"]'));
    assert(pathname(coach) === placement, `after recording the coach is at ${coach.url()}`);
    assert((await coach.locator('#jobcoaching').innerText()).includes('ROUTE-JC'), 'the contact\'s note is not shown');
  });

  await check("the coach's day lists the demo's job-coaching contact due", async () => {
    await coach.goto(`${base()}/dashboard`);
    const due = coach.locator('main section[aria-labelledby="jobc"] a[href$="/placements"]', { hasText: 'Bram Wouters' });
    assert((await due.count()) === 1, "Bram Wouters' job-coaching contact is not on the day");
  });

  await check('An reads her placement on her phone: plain dates, the evaluation, the job coaching', async () => {
    await an.goto(`${base()}/me`);
    await clickAndWait(an, an.locator('#placement a[href="/t/1/placements"]'));
    await noOverflow(an, '/t/1/placements');
    await clickAndWait(an, an.locator(`main a[href="${placement}"]`));
    const text = await an.locator('main').innerText();
    assert(text.includes('ROUTE-WELL') && text.includes('ROUTE-JC'), 'An does not see the evaluation or the contact');
    assert(!text.includes(day(0)), 'a date is shown as YYYY-MM-DD to An');
    assert((await an.locator(`form[action="${placement}/evaluations"]`).count()) === 0, 'An is offered the coach\'s forms');
    await noOverflow(an, placement);
    await noAxe(an, placement);
    await shot(an, 'placement-participant-phone.png');
  });

  await check('An takes back what she shared with Tom on her phone: he no longer sees the placement, at once', async () => {
    await an.goto(`${base()}/me/consents`);
    const toTom = () => an.locator('ul.consents > li').filter({ has: an.locator('p > strong', { hasText: /^Tom Claes$/ }) });
    assert((await toTom().count()) > 0, 'no consent given to Tom Claes on /me/consents');
    for (let i = 0; i < 6 && (await toTom().count()) > 0; i++)
      await clickAndWait(an, toTom().first().locator('form[action$="/withdraw"] button[type="submit"]'));
    assert((await toTom().count()) === 0, 'a consent to Tom Claes is still in force');
    await noOverflow(an, '/me/consents');
    const r = await tom.goto(`${base()}${placement}`);
    assert(r.status() === 404, `${placement} answered ${r.status()} to Tom after the withdrawal`);
    assert(!(await tom.locator('main').innerText()).includes('ROUTE-'), 'Tom still sees the placement');
  });

  await check('no script errors and no failed loads', async () => {
    assert(pageErrors.length === 0, pageErrors.join('\n'));
  });
}

run(flow, 'placement_route-failure.png');
