"""A note cannot make the reader's browser request anything: images in a note's Markdown load only from the
portal's static assets (/static/...). A note with ![](/t/<other>/notes/<id>) used to render an <img> whose
request, sent by the browser of whoever read the note, wrote an access-log entry in the reader's name on
another participant's file (or a "denied" entry that alarms that participant). Here a coach writes such a
note on An's trajectory; the coach and An read it (the single note and the timeline); every URL the page
would load by itself (img/srcset/iframe/script/link/... ) is fetched the way a browser does, with the
reader's session; the reads add no access-log entry beyond the page's own, and the images are shown as
their alt text while links stay links (a click is the reader's own choice)."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_SOFIE, PART_AN, PART_KARIM, Client, Server, assert_status, participant_trajectory, run,
                     sql_one, unescape)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
coach = Client(srv)
coach.login(COACH_SOFIE)
an = Client(srv)
an.login(PART_AN)


AN_T = participant_trajectory(srv, PART_AN)[0]
KARIM_T = participant_trajectory(srv, PART_KARIM)[0]
OTHER_NOTE = sql_one(srv, "SELECT MIN(id) FROM items WHERE trajectory_id = ? AND kind = 'note'", (AN_T,))
OWN = {}

# Attributes through which an HTML page makes the browser fetch on its own.
AUTOLOAD = re.compile(r'<(?:img|iframe|frame|script|embed|source|track|video|audio|input|object|link)\b[^>]*?'
                      r'\s(?:src|srcset|data|poster|href)="([^"]*)"', re.I)


def autoloaded(body):
    urls = []
    for m in AUTOLOAD.finditer(body):
        for part in unescape(m.group(1)).split(","):  # srcset: "url 2x, url 3x"
            part = part.strip().split(" ")[0]
            if part:
                urls.append(part)
    urls += re.findall(r'url\(\s*["\']?([^"\')]+)', body)  # CSS in style attributes
    return urls


def log_count():
    return sql_one(srv, "SELECT COUNT(*) FROM access_log")


def test_coach_writes_a_note_with_case_urls_as_images():
    body = ("Verslag:\n\n![](/t/%d/notes/%d) ![plan van Karim](/t/%d/plan) ![x](/t/%d)\n"
            "![omweg](/static/../t/%d) ![tracker](https://tracker.example/p.png)\n"
            "![logo](/static/favicon.svg)\n\n[open de notitie](/t/%d/notes/%d)\n"
            % (KARIM_T, OTHER_NOTE, KARIM_T, KARIM_T, KARIM_T, KARIM_T, OTHER_NOTE))
    coach.get("/t/%d/notes" % AN_T)
    r = coach.post("/t/%d/notes" % AN_T, {"title": "Beeldjes", "category": "plan", "source": "participant",
                                          "body": body})
    assert_status(r, 303, "note saved")
    OWN["id"] = sql_one(srv, "SELECT MAX(id) FROM items WHERE trajectory_id = ? AND kind = 'note'", (AN_T,))


def read_like_a_browser(client, path):
    """GETs the page, then every URL it would load by itself, with the same session; returns the page and
    the number of access-log entries the loads added."""
    r = client.get(path)
    assert_status(r, 200, path)
    before = log_count()
    urls = autoloaded(r.body)
    for u in urls:
        if u.startswith("#"):  # the page itself, as a browser resolves it
            u = path
        if u.startswith("/") and not u.startswith("//"):  # this portal: another site would see it instead
            client.request("GET", u, check_html=False)
    added = log_count() - before
    for u in urls:
        assert u.startswith("/static/"), "%s loads %s by itself" % (path, u)
    return r, added


def test_reading_the_note_requests_no_case_page():
    for who, client in (("coach", coach), ("participant", an)):
        for path in ("/t/%d/notes/%d" % (AN_T, OWN["id"]), "/t/%d/notes" % AN_T):
            r, added = read_like_a_browser(client, path)
            assert added == 0, "%s reading %s: %d access-log entries from what the page loads" % (who, path, added)
            art = r.body[r.body.index('id="note-%d"' % OWN["id"]):]
            art = art[:art.index("</article>")]
            assert not re.search(r'<img[^>]*src="/t/', art), art
            assert not re.search(r'src="(?!/static/)', art), art
            # the images are their alt text (the address when there is none)
            for text in ("plan van Karim", "omweg", "tracker", "/t/%d/notes/%d" % (KARIM_T, OTHER_NOTE)):
                assert text in art, (text, art)
            assert '<img src="/static/favicon.svg" alt="logo">' in art, art
            # a link is only followed on a click: it stays a link
            assert '<a href="/t/%d/notes/%d">open de notitie</a>' % (KARIM_T, OTHER_NOTE) in art, art


def test_karim_is_not_alarmed():
    assert sql_one(srv, "SELECT COUNT(*) FROM access_log l JOIN trajectories t ON t.participant_id = l.participant_id "
               "WHERE t.id = ? AND l.outcome = 'denied'", (KARIM_T,)) == 0


run(srv, globals())
