// coach_day.mjs — browser test of the coach's day and the knowledge base at phone width: the coach (password +
// TOTP) lands on /dashboard, which fits a 390 px screen; from the caseload she opens Koen Pauwels' action
// plan, whose actions link to articles of the knowledge base, and follows the job-coaching link to the
// article. In a second browser context the participant An opens the knowledge base from the menu, filters it
// for participants and reads an article. Screenshots of each page; no horizontal overflow anywhere.
//
// The UI is in its default language (Dutch); elements are found by page structure (hrefs, headings), not by
// translated labels, except the one menu entry the test is about.
//
// Runs under meson (tests/browser/meson.build) with ZW_BIN and ZW_BUILD, like the other browser tests; the
// shared helpers are in lib.mjs.
import {
  COACH, PHONE, assert, base, check, clickAndWait, createDemo, launchChromium, newPage, noOverflow, pathname, run,
  serve, shot, signIn,
} from './lib.mjs';

const PARTICIPANT = 'an.janssens@mail.example';

async function flow() {
  const secret = await createDemo();
  await serve();
  await check('chromium starts', launchChromium);

  let coach;
  await check('the coach signs in at phone width and lands on her day (/dashboard)', async () => {
    coach = await newPage('coach', PHONE);
    const landed = await signIn(coach, COACH, secret);
    assert(landed === '/dashboard', `the coach landed on ${landed}`);
    // the sections of the day, in order, by the ids their headings label them with (the text is Dutch):
    // caseload, unread messages, actions due, follow-up moments due, check-ins due, no contact, open
    // referrals, marked by the owners of actions, job-coaching contacts due (issue 13)
    const headings = await coach.locator('main h2').allInnerTexts();
    const ids = await coach.locator('main section > h2').evaluateAll((hs) => hs.map((h) => h.id));
    const want = ['load', 'msgs', 'acts', 'fups', 'checks', 'quiet', 'refs', 'owners', 'jobc'];
    assert(headings.length === want.length && JSON.stringify(ids) === JSON.stringify(want),
           `the day has ${headings.length} sections ${JSON.stringify(ids)}, expected ${JSON.stringify(want)}: ` +
           JSON.stringify(headings));
    for (const id of want)
      assert((await coach.locator(`main section[aria-labelledby="${id}"]`).count()) === 1,
             `the section "${id}" is not labelled by its heading`);
    // the demo plan of Koen Pauwels has an action due in five days: it is on the day, linked to the plan
    const due = coach.locator('main ul.due a[href$="/plan"]', { hasText: 'Koen Pauwels' });
    assert((await due.count()) === 1, "Koen Pauwels' action due this week is not on the day");
    await noOverflow(coach, '/dashboard');
    await shot(coach, 'coach_day-dashboard-phone.png');
  });

  let planPath;
  await check("from the caseload the coach opens Koen Pauwels' action plan", async () => {
    await coach.goto(`${base()}/caseload?q=Koen`);
    const link = coach.locator('a', { hasText: 'Koen Pauwels' }).first();
    assert((await link.count()) === 1, 'Koen Pauwels is not on the caseload');
    await clickAndWait(coach, link);
    const m = pathname(coach).match(/^\/t\/(\d+)$/);
    assert(m, `the caseload link went to ${coach.url()}`);
    planPath = `/t/${m[1]}/plan`;
    const resp = await coach.goto(`${base()}${planPath}`);
    assert(resp.status() === 200, `${planPath} answered ${resp.status()}`);
    await noOverflow(coach, planPath);
    await shot(coach, 'coach_day-plan-phone.png');
  });

  await check("an action's measure links to its article, which opens", async () => {
    const links = coach.locator('main a[href^="/measures/"]');
    const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const want of ['/measures/gradual-return', '/measures/workplace-adjustments', '/measures/job-coaching'])
      assert(hrefs.includes(want), `the plan has no link to ${want}: ${JSON.stringify(hrefs)}`);
    const resp = await clickAndWait(coach, coach.locator('main a[href="/measures/job-coaching"]').first());
    assert(resp.status() === 200, `the article answered ${resp.status()}`);
    const h1 = (await coach.locator('main h1').innerText()).trim();
    assert(/jobcoach/i.test(h1), `the article's heading is "${h1}"`);
    await noOverflow(coach, '/measures/job-coaching');
    await shot(coach, 'coach_day-article-phone.png');
  });

  let an;
  await check('An (participant, phone) finds the knowledge base in the menu and reads an article', async () => {
    an = await newPage('an', PHONE);
    await signIn(an, PARTICIPANT, null);
    const menu = an.locator('nav a[href="/measures"]');
    assert((await menu.count()) === 1, 'no knowledge base in the menu');
    assert(/kennisbank/i.test(await menu.innerText()), `the menu entry reads "${await menu.innerText()}"`);
    await clickAndWait(an, menu);
    const all = await an.locator('main a[href^="/measures/"]').count();
    const resp = await an.goto(`${base()}/measures?audience=participant`);
    assert(resp.status() === 200, `the filtered list answered ${resp.status()}`);
    const articles = an.locator('main a[href^="/measures/"]');
    const mine = await articles.count();
    assert(mine > 0 && mine <= all, `${mine} articles for participants of ${all}`);
    await noOverflow(an, '/measures');
    await shot(an, 'coach_day-measures-participant-phone.png');
    const r2 = await clickAndWait(an, articles.first());
    assert(r2.status() === 200, `the article answered ${r2.status()}`);
    assert(!(await an.locator('main form').count()), 'a participant sees an editing form on the article');
    await noOverflow(an, pathname(an));
  });
}

run(flow, 'coach_day-failure.png');
