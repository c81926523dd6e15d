// messages.mjs — browser test of issue 12's messages: a participant on a phone messages the coach, the coach
// answers, an HR contact sees only what they may.
//
// An Janssens (participant, 375 px) taps "Send your coach a message" on /me and then "Send" after typing: two
// taps, the coach already chosen. The coach (desktop, password + TOTP) sees the unread badge in the menu, opens
// the conversation from her inbox and replies; An sees the reply (and her own unread badge first). Tom Claes,
// HR at An's employer and a member of her network with an account, then signs in: An's message to the coach
// is not on his /t/1/messages nor in his inbox, and the message's own URL answers 404. Every messages page
// seen has no serious or critical axe-core violation; An's and Tom's pages fit 375 px. Screenshots of each.
//
// The UI is in its default language (Dutch); elements are found by page structure (ids, hrefs, form actions),
// and the texts asserted are the test's own message texts.
//
// Runs under meson (tests/browser/meson.build) with ZW_BIN and ZW_BUILD, like the other browser tests; the
// shared helpers are in lib.mjs.
import {
  COACH, DESKTOP, assert, axeViolations, base, check, clickAndWait, createDemoLogins, launchChromium, newPage,
  noOverflow, pageErrors, pathname, run, serve, shot, signIn,
} from './lib.mjs';

const PARTICIPANT = 'an.janssens@mail.example';
const HR = 'tom.claes@verbeke.example';
const NARROW = { width: 375, height: 812 };
// the test's own texts: markers that must reach exactly the people they were sent to
const QUESTION = 'Mag ik mijn gesprek van donderdag verplaatsen? Bericht-marker-7f3a';
const ANSWER = 'Ja hoor, dat kan. Ik stel vrijdag om tien uur voor. Antwoord-marker-c91e';

// The menu's unread badge on the Messages link: its text, or null when there is none.
async function unreadBadge(page) {
  const badge = page.locator('nav a[href="/messages"] .badge');
  return (await badge.count()) ? (await badge.innerText()).trim() : null;
}

// No serious or critical axe-core violation on the page as it is.
async function axeClean(page, what) {
  const bad = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert(bad.length === 0, `${what}: axe-core violations: ${JSON.stringify(bad, null, 1)}`);
}

async function flow() {
  const logins = await createDemoLogins();
  await check('the demo prints the coach (with a TOTP secret), An and Tom Claes', async () => {
    assert(logins[COACH], `no TOTP secret for ${COACH}: ${JSON.stringify(logins)}`);
    assert(PARTICIPANT in logins && HR in logins, `no login for ${PARTICIPANT} or ${HR}: ${JSON.stringify(logins)}`);
  });
  await serve();
  await check('chromium starts', launchChromium);

  let coach;
  await check('the coach signs in at desktop width; no unread badge yet', async () => {
    coach = await newPage('coach', DESKTOP);
    await signIn(coach, COACH, logins[COACH]);
    assert((await coach.locator('nav a[href="/messages"]').count()) === 1, 'the coach has no Messages in the menu');
    const badge = await unreadBadge(coach);
    assert(badge === null, `the coach has an unread badge before anything was sent: "${badge}"`);
  });

  let an;
  await check('An (375 px) taps "Send your coach a message" on /me: the form opens with the coach chosen', async () => {
    an = await newPage('an', NARROW);
    const landed = await signIn(an, PARTICIPANT, null);
    if (landed !== '/me') await an.goto(`${base()}/me`);
    assert(pathname(an) === '/me', `An is at ${an.url()}`);
    await noOverflow(an, '/me');
    await shot(an, 'messages-me-phone.png');
    const button = an.locator('form#message-coach button[type="submit"]');
    assert((await button.count()) === 1, 'no "Send your coach a message" button on /me');
    const resp = await clickAndWait(an, button); // tap 1
    assert(resp.status() === 200, `the message form answered ${resp.status()}`);
    assert(pathname(an) === '/t/1/messages', `the button went to ${an.url()}`);
    const chosen = an.locator('form[method="post"][action="/t/1/messages"] input[name="to"]:checked');
    assert((await chosen.count()) >= 1, 'no recipient is chosen on the form');
    const labels = await chosen.evaluateAll((cs) => cs.map((c) => document.querySelector(`label[for="${c.id}"]`)?.innerText));
    assert(labels.some((l) => l && l.includes('Sofie Peeters')),
           `the chosen recipients are ${JSON.stringify(labels)}, not the coach Sofie Peeters`);
    for (const l of labels)
      assert(!/Tom Claes|Els Wouters/.test(l), `a network member is chosen by default: ${JSON.stringify(labels)}`);
    await noOverflow(an, '/t/1/messages (form)');
    await axeClean(an, "An's /t/1/messages");
    await shot(an, 'messages-compose-phone.png');
  });

  let messageId;
  await check('An types her question and taps Send: the message is shown as sent to the coach', async () => {
    const form = an.locator('form[method="post"][action="/t/1/messages"]');
    await form.locator('textarea[name="body"]').fill(QUESTION);
    const resp = await clickAndWait(an, form.locator('button[type="submit"]')); // tap 2
    assert(resp.status() === 200, `sending answered ${resp.status()}`);
    assert(pathname(an) === '/t/1/messages', `after sending An is at ${an.url()}`);
    const article = an.locator('article.message', { hasText: QUESTION });
    assert((await article.count()) === 1, `An's message is not on /t/1/messages after sending`);
    const id = await article.getAttribute('id');
    const m = /^message-(\d+)$/.exec(id || '');
    assert(m, `the message's article has id "${id}"`);
    messageId = m[1];
    const to = await article.locator('header p.meta').nth(1).innerText();
    assert(to.includes('Sofie Peeters'), `the message is not addressed to the coach: "${to}"`);
    await noOverflow(an, '/t/1/messages (sent)');
    await shot(an, 'messages-sent-phone.png');
  });

  await check('the coach sees the unread badge, opens the conversation from her inbox', async () => {
    await coach.goto(`${base()}/dashboard`);
    const badge = await unreadBadge(coach);
    assert(badge && /\b1\b/.test(badge), `the coach's unread badge reads "${badge}", expected 1 unread`);
    const resp = await clickAndWait(coach, coach.locator('nav a[href="/messages"]'));
    assert(resp.status() === 200, `/messages answered ${resp.status()}`);
    const link = coach.locator('main a[href="/t/1/messages"]');
    assert((await link.count()) === 1, "An's conversation is not in the coach's inbox");
    assert((await link.innerText()).includes('An Janssens'), `the inbox link reads "${await link.innerText()}"`);
    await axeClean(coach, "the coach's /messages");
    await shot(coach, 'messages-inbox-coach.png');
    await clickAndWait(coach, link);
    const article = coach.locator(`article#message-${messageId}`);
    assert((await article.count()) === 1, 'An\'s message is not in the conversation');
    assert((await article.innerText()).includes(QUESTION), 'the coach does not see the text An sent');
    await axeClean(coach, "the coach's /t/1/messages");
    // reading it cleared the badge
    await coach.reload();
    const after = await unreadBadge(coach);
    assert(after === null, `the coach's badge still reads "${after}" after reading the conversation`);
  });

  await check('the coach replies: An is chosen, the reply is in the thread', async () => {
    const resp = await clickAndWait(coach, coach.locator(`article#message-${messageId} a[href$="/messages/${messageId}#new"]`));
    assert(resp.status() === 200, `the thread answered ${resp.status()}`);
    assert(pathname(coach) === `/t/1/messages/${messageId}`, `the Reply link went to ${coach.url()}`);
    const form = coach.locator(`form[method="post"][action="/t/1/messages/${messageId}"]`);
    assert((await form.count()) === 1, 'no reply form on the thread');
    const chosen = await form.locator('input[name="to"]:checked').evaluateAll(
      (cs) => cs.map((c) => document.querySelector(`label[for="${c.id}"]`)?.innerText || ''));
    assert(chosen.length === 1 && chosen[0].includes('An Janssens'), `the reply goes to ${JSON.stringify(chosen)}`);
    await form.locator('textarea[name="body"]').fill(ANSWER);
    const r2 = await clickAndWait(coach, form.locator('button[type="submit"]'));
    assert(r2.status() === 200, `replying answered ${r2.status()}`);
    assert(pathname(coach) === `/t/1/messages/${messageId}`, `after replying the coach is at ${coach.url()}`);
    const reply = coach.locator('article.message.reply', { hasText: ANSWER });
    assert((await reply.count()) === 1, 'the reply is not in the thread');
    await axeClean(coach, `the coach's /t/1/messages/${messageId}`);
    await shot(coach, 'messages-thread-coach.png');
  });

  await check('An sees the unread badge and the reply, at 375 px', async () => {
    await an.goto(`${base()}/me`);
    const badge = await unreadBadge(an);
    assert(badge && /\b1\b/.test(badge), `An's unread badge reads "${badge}", expected 1 unread`);
    await clickAndWait(an, an.locator('nav a[href="/messages"]'));
    assert((await an.locator('main a[href="/t/1/messages"]').count()) === 1, "the conversation is not in An's inbox");
    await noOverflow(an, "An's /messages");
    await axeClean(an, "An's /messages");
    const resp = await an.goto(`${base()}/t/1/messages/${messageId}`);
    assert(resp.status() === 200, `An's thread answered ${resp.status()}`);
    const reply = an.locator('article.message.reply', { hasText: ANSWER });
    assert((await reply.count()) === 1, 'An does not see the coach\'s reply');
    assert((await reply.innerText()).includes('Sofie Peeters'), 'the reply does not name the coach as its author');
    await noOverflow(an, `An's /t/1/messages/${messageId}`);
    await axeClean(an, `An's /t/1/messages/${messageId}`);
    await shot(an, 'messages-reply-phone.png');
  });

  await check('Tom Claes (HR, 375 px) sees nothing of An\'s message: not listed, its URL answers 404', async () => {
    const tom = await newPage('tom', NARROW);
    await signIn(tom, HR, logins[HR]);
    assert((await unreadBadge(tom)) === null, `Tom has an unread badge: "${await unreadBadge(tom)}"`);
    // he is in An's network: the messages page of her trajectory opens, without the coach's conversation
    let resp = await tom.goto(`${base()}/t/1/messages`);
    assert(resp.status() === 200, `Tom's /t/1/messages answered ${resp.status()}`);
    const text = await tom.locator('main').innerText();
    assert(!text.includes('Bericht-marker-7f3a') && !text.includes('Antwoord-marker-c91e'),
           "An's conversation with the coach is on Tom's /t/1/messages");
    assert((await tom.locator(`#message-${messageId}, a[href*="/messages/${messageId}"]`).count()) === 0,
           `Tom's /t/1/messages refers to message ${messageId}`);
    await noOverflow(tom, "Tom's /t/1/messages");
    await axeClean(tom, "Tom's /t/1/messages");
    await shot(tom, 'messages-hr-phone.png');
    resp = await tom.goto(`${base()}/messages`);
    assert(resp.status() === 200, `Tom's /messages answered ${resp.status()}`);
    const inbox = await tom.locator('main').innerText();
    assert(!inbox.includes('marker') && (await tom.locator('main a[href="/t/1/messages"]').count()) === 0,
           `Tom's inbox lists An's conversation: ${inbox}`);
    await noOverflow(tom, "Tom's /messages");
    await axeClean(tom, "Tom's /messages");
    resp = await tom.goto(`${base()}/t/1/messages/${messageId}`);
    assert(resp.status() === 404, `Tom's /t/1/messages/${messageId} answered ${resp.status()}, expected 404`);
    assert(!(await tom.content()).includes('marker'), 'the 404 page shows the message');
  });

  await check('no JavaScript errors, console errors or failed loads on any page', async () => {
    assert(pageErrors.length === 0, pageErrors.join('\n'));
  });
}

run(flow, 'messages-failure.png');
