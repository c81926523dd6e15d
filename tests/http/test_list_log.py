"""Lists that name participants log one access-log entry per participant shown, so that each participant's
"who looked at my file" (/me/log) shows the look: the coach's caseload (also a search, and only the page
shown) and the coach's day (/dashboard, which puts an action, a follow-up or a referral's target next to
the name). Before, each wrote one entry without a participant, and /me/log never showed it. A participant
who is not on the page gets no entry; a page that shows nobody is still logged once."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_PIETER, COACH_SOFIE, PART_AN, PART_MARIEKE, Client, Server, assert_status, run, strip_tags,
                     unescape)

# five rows per page: Sofie's seven trajectories fill a page and a half
srv = Server(sets={"login_delay_ms": "0", "lang": "en", "page_size": "5", "no_contact_weeks": "3"})
sofie = Client(srv)
sofie.login(COACH_SOFIE)


def one(query, params=()):
    return srv.sql(query, params)[0][0]


SOFIE = one("SELECT id FROM users WHERE email = ?", (COACH_SOFIE,))
PIETER = one("SELECT id FROM users WHERE email = ?", (COACH_PIETER,))


def participant(last):
    return srv.sql("SELECT p.id, t.id FROM participants p JOIN trajectories t ON t.participant_id = p.id "
                   "WHERE p.last_name = ?", (last,))[0]


def last_id():
    return one("SELECT COALESCE(MAX(id), 0) FROM access_log")


def logged(since, user, item):
    """(participant, trajectory, action) of the entries for item by user after since."""
    return srv.sql("SELECT participant_id, trajectory_id, action FROM access_log WHERE id > ? AND user_id = ? "
                   "AND item = ? AND outcome = 'ok' ORDER BY id", (since, user, item))


def test_caseload_logs_each_participant_on_the_page():
    since = last_id()
    r = sofie.get("/caseload?sort=name")
    assert_status(r, 200)
    on_page = ["Desmet", "El Amrani", "Janssens", "Ouali", "Pauwels"]  # by last name, the first five
    for last in on_page:
        assert last in r.body, last
    assert "Vermeulen" not in r.body
    got = logged(since, SOFIE, "caseload")
    want = sorted(participant(last) + ("list",) for last in on_page)
    assert sorted(got) == want, got
    # the second page: the other two, and only them
    since = last_id()
    r = sofie.get("/caseload?sort=name&page=2")
    assert_status(r, 200)
    got = logged(since, SOFIE, "caseload")
    assert sorted(got) == sorted(participant(last) + ("list",) for last in ("Vermeulen", "Wouters")), got


def test_search_logs_whom_it_found():
    since = last_id()
    r = sofie.get("/caseload?q=Janssens")
    assert_status(r, 200)
    assert logged(since, SOFIE, "caseload") == [participant("Janssens") + ("search",)]
    # a search that finds nobody is still in the log, without a participant
    since = last_id()
    assert_status(sofie.get("/caseload?q=Nobody"), 200)
    assert logged(since, SOFIE, "caseload") == [(None, None, "search")]


def test_dashboard_logs_each_participant_shown():
    an_p, an_t = participant("Janssens")
    # An had no contact for months: the day names her under "no contact"
    srv.sql("UPDATE trajectories SET last_activity_at = 0 WHERE id = ?", (an_t,))
    since = last_id()
    r = sofie.get("/dashboard")
    assert_status(r, 200)
    assert 'href="/t/%d">An Janssens</a>' % an_t in r.body
    got = logged(since, SOFIE, "dashboard")
    assert (an_p, an_t, "list") in got, got
    assert len(got) == len(set(got)), "one entry per trajectory shown: %s" % got
    shown = {int(t) for t in re.findall(r'<li><a href="/t/(\d+)[/"]', r.body)}
    assert {t for _, t, _ in got} == shown, (got, shown)
    # Marieke is Pieter's: not on Sofie's day, not in her log
    marieke_p, _ = participant("Bakker")
    assert marieke_p not in {p for p, _, _ in got}


def test_participant_sees_the_lists_in_her_log():
    an = Client(srv)
    an.login(PART_AN)
    r = an.get("/me/log?others=1")
    assert_status(r, 200)
    text = unescape(strip_tags(r.body))
    assert "Sofie Peeters" in text
    assert "saw in a list" in text, text[:2000]
    assert "a list of participants" in text, "the caseload is not in An's log"
    assert "the coach's overview" in text, "the dashboard is not in An's log"
    # Marieke's log has none of Sofie's lists
    marieke = Client(srv)
    marieke.login(PART_MARIEKE)
    text = unescape(strip_tags(marieke.get("/me/log?others=1").body))
    assert "Sofie Peeters" not in text


def test_a_day_with_nobody_on_it_is_logged_once():
    pieter = Client(srv)
    pieter.login(COACH_PIETER)
    # nothing due, nobody quiet, no referrals: Pieter's day shows no participant
    srv.sql("UPDATE trajectories SET last_activity_at = ? "
            "WHERE id IN (SELECT trajectory_id FROM trajectory_coaches WHERE user_id = ?)", (int(time.time()), PIETER))
    srv.sql("UPDATE followups SET done_on = '2000-01-01' WHERE trajectory_id IN "
            "(SELECT trajectory_id FROM trajectory_coaches WHERE user_id = ?)", (PIETER,))
    srv.sql("UPDATE referrals SET status = 'completed' WHERE trajectory_id IN "
            "(SELECT trajectory_id FROM trajectory_coaches WHERE user_id = ?)", (PIETER,))
    srv.sql("UPDATE plan_actions SET status = 'done' WHERE trajectory_id IN "
            "(SELECT trajectory_id FROM trajectory_coaches WHERE user_id = ?)", (PIETER,))
    since = last_id()
    r = pieter.get("/dashboard")
    assert_status(r, 200)
    assert "Everyone had contact recently." in r.body
    assert logged(since, PIETER, "dashboard") == [(None, None, "list")]


run(srv, globals())
