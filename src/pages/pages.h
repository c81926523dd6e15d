/*
 * pages.h — the route tables of the page modules (one file per screen or feature in src/pages/) and the
 * few helpers they share. routes.c lists the tables in match order.
 */
#ifndef ZW_PAGES_H
#define ZW_PAGES_H

#include "http/http.h"
#include "db/db.h"
#include "policy/case.h"
#include "policy/policy.h"
#include "core/text.h"
#include "store/owner.h"
#include "store/users.h"

extern const Route static_routes[];     /* static.c: assets, health check */
extern const Route login_routes[];      /* login.c: sign in/out, second factor, language, home */
extern const Route account_routes[];    /* account.c: own password, 2FA enrolment, reset links */
extern const Route admin_routes[];      /* admin.c: users and organisations */
extern const Route caseload_routes[];   /* caseload.c: the coach's caseload */
extern const Route register_routes[];   /* register.c: registering a participant and trajectory */
extern const Route network_routes[];    /* network.c: the network map, members, invitations */
extern const Route trajectory_routes[]; /* trajectory.c: the trajectory page */
extern const Route home_routes[];       /* home.c: participant's and partner's start pages */
extern const Route notes_routes[];      /* notes.c: case information as notes */
extern const Route referral_routes[];   /* referral.c: referrals to specialised care or career guidance */
extern const Route assessment_routes[]; /* assessment.c: questionnaires, their scores and charts */
extern const Route followup_routes[];   /* followup.c: reviews, evaluation talks, check-ins */
extern const Route dashboard_routes[];  /* dashboard.c: the coach's day */
extern const Route team_routes[];       /* team.c: the team lead's overview (counts only) */
extern const Route consent_routes[];    /* consent.c: consents and the participant's overview */
extern const Route accesslog_routes[];  /* accesslog.c: who looked at my file, the log officer's review */
extern const Route protocol_routes[];   /* protocol.c: phases with protocols, closure and reopening */
extern const Route templates_routes[];  /* templates.c: the administrator's protocol templates */
extern const Route plan_routes[];       /* plan.c: the SMART action plan, its versions and confirmations */
extern const Route measures_routes[];   /* measures.c: the knowledge base of measures (articles) */
extern const Route notices_routes[];    /* notices.c: after sign-in: account notices, membership requests */
extern const Route participant_account_routes[]; /* participant_account.c: the participant's account, invitation */
extern const Route messages_routes[];   /* messages.c: secure messages in a trajectory, the inbox */
extern const Route meetings_routes[];   /* meetings.c: meetings, minutes, .ics and the personal calendar feed */
extern const Route reviews_routes[];    /* reviews.c: case reviews of the team, the rotating chair */
extern const Route employers_routes[];  /* employers.c: the employer register, profiles, contacts, /my-employer */
extern const Route openings_routes[];   /* openings.c: jobs and work-experience places of employers */
extern const Route placements_routes[]; /* placements.c: trial placements and job starts, evaluations, outcome */
extern const Route job_coaching_routes[]; /* job_coaching.c: job-coaching contacts after a placement starts */
extern const Route job_profile_routes[]; /* job_profile.c: the participant's job profile, /me/work */
extern const Route matches_routes[];     /* matches.c: openings ranked for a participant, candidates for an opening */
extern const Route proposals_routes[];   /* proposals.c: proposals to employers, the participant's and employer's answer */
extern const Route data_export_routes[]; /* data_export.c: the participant downloads their own data */
extern const Route corrections_routes[]; /* corrections.c: requests to correct information, the coach's answer */
extern const Route retention_routes[];  /* retention.c: erasure on request, its approval, how long a file is kept */
extern const Route plan_pdf_routes[];    /* plan_pdf.c: the action plan as PDF */
/* retention.c: on a trajectory page whose case content was erased, writes "Erased on <date> under the
 * retention rule" (or at the participant's request) with a link to /t/{id}/erasure; nothing when it was not
 * erased. Reads no case content: the page's own access-log entry covers it. Returns a DB code. */
int retention_notice(Req *r, int64_t tid);
/* corrections.c: the participants' requests to correct information that wait for the signed-in coach's answer
 * (their trajectories through the one door, one access-log entry per participant listed) — load before the
 * page, then write the card (nothing when there are none), e.g. on the coach's day. Returns a DB code. */
struct Correction;
typedef struct CorrectionsDue {
  struct Correction *rows;
  int n;
} CorrectionsDue;
int corrections_due_load(Req *r, CorrectionsDue *due);
void corrections_due_card(Req *r, const CorrectionsDue *due);
extern const Route reports_routes[];     /* reports.c: outcome reports, aggregates with small cells suppressed */
extern const Route surveys_routes[];     /* surveys.c: experience surveys of participants and employers */
extern const Route research_export_routes[]; /* research_export.c: the pseudonymised research export */

/* The job side of a trajectory (issue 13, parts 3 and 4). job_profile.c: the non-empty trimmed lines of text
 * (or its comma-separated parts), at most max, as arena strings; returns how many. */
int job_split(Arena *a, const char *text, bool comma, const char **out, int max);
/* Writes the parts of job profile p the reader may see (work, capacity: what the one door let through) of
 * trajectory tid; strengths: the item id of a strengths result to link (0: none); mine: said to the participant
 * ("your"). job_profile.c. */
struct JobProfile;
void job_profile_show(Req *r, const struct JobProfile *p, bool work, bool capacity, int64_t tid, int64_t strengths,
                      bool mine);
/* The proposals of the participant's trajectory on /me/work, newest first: those awaiting an answer with exactly
 * what the employer will see (p's parts work/capacity; p NULL: no profile yet — the employer's contact person
 * becomes a member reached only by name, so nothing shared with the whole work side reaches them) and two
 * buttons, then the others with their status. The caller logged them. proposals.c. */
struct Proposal;
void proposals_for_participant(Req *r, const struct Proposal *list, int n, const struct JobProfile *p, bool work,
                               bool capacity);
/* Translated label of a proposal status. proposals.c. */
const char *proposal_status_label(const char *status);
/* the same in the words of Werk als Beste Zorg when wabz ("Waiting for the client"). proposals.c. */
const char *proposal_status_label_in(const char *status, bool wabz);
/* the card on /me that leads to /me/work, saying how many proposals wait for the participant's answer
 * (top: only when one waits, so it shows high on the page; else only when there is none). proposals.c. */
void proposals_me_card(Req *r, int64_t tid, bool top);
/* the undismissed proposal notices of r's user (at most max), and their cards for /notices (no case
 * content: what kind of step, a date and a link). proposals.c. */
/* the programme code of trajectory tid, for programme_word (i18n/programme.h): its case pages name the
 * mediator and the client in Werk als Beste Zorg; PROGRAMME_ZW's words when it cannot be read. proposals.c. */
const char *case_programme(Req *r, int64_t tid);
/* whether trajectory tid follows Werk als Beste Zorg (case_programme). proposals.c. */
bool case_wabz(Req *r, int64_t tid);
struct ProposalNotice;
int proposal_notices_load(Req *r, int max, struct ProposalNotice **out, int *n);
void proposal_notice_cards(Req *r, const struct ProposalNotice *v, int n);

/* The eight phases of a trajectory in order (codes as stored), NULL-terminated; trajectory.c. */
extern const char *const trajectory_phases[];
/* Position of a phase code in trajectory_phases, or -1 for an unknown code. */
int trajectory_phase_index(const char *code);

/* The end of every change to a trajectory's information, inside the caller's open transaction: marks the
 * trajectory's last activity, writes the access-log entry (item, action, grounds), commits and redirects
 * to location with the "saved" message. On a DB error rolls back and answers 503/500. trajectory.c. */
int trajectory_change_done(Req *r, int64_t pid, int64_t tid, const char *item, const char *action, Grounds g,
                           const char *location);
/* The same for a change made on behalf of another user (a coach entering what the participant told them):
 * the access-log entry carries on_behalf_of (that user's id; 0: none). trajectory.c. */
int trajectory_change_done_for(Req *r, int64_t pid, int64_t tid, const char *item, const char *action, Grounds g,
                               int64_t on_behalf_of, const char *location);
/* 0 if trajectory tid is open; otherwise the 409 page "closed: reopen it first" (or a DB error page) and
 * its status, for handlers that change a trajectory. trajectory.c. */
int trajectory_refuse_if_closed(Req *r, int64_t tid);
/* The section links of a trajectory (overview, notes, network, consents); current is the key shown. */
void trajectory_subnav(Req *r, int64_t tid, Grounds g, const char *current);
/* page_begin for every page of trajectory tid (/t/{id}/...): the title "<page> · <participant's name>" and,
 * at the top of the content, the case header — whose file this is: the participant's name, the phase and the
 * coaches for everyone who may open the trajectory, the date of birth for its coaches only (g: the reader's
 * grounds from the one door). Call after the door let the user in and after the page's access-log entry: the
 * header shows nothing the view of the trajectory does not cover. Returns a DB code; on an error nothing was
 * written (answer with http_db_error). trajectory.c. */
int case_page_begin(Req *r, int64_t tid, Grounds g, const char *page);
/* The access-log entry of a successful `action` on object "kind:id" of trajectory tid (trajectory.c); a DB code. */
int audit_object(Req *r, int64_t pid, int64_t tid, const char *kind, int64_t id, const char *action, Grounds g);
/* A section page of trajectory tid for the reader with grounds g, answered with status (a status). */
typedef int (*CaseRender)(Req *r, int64_t tid, Grounds g, int64_t pid, int status);
/* GET of a section's list page: trajectory_door (action "list" on section), then render(..., 200) (trajectory.c). */
int case_list_page(Req *r, const char *section, CaseRender render);

/* Options for a <select> of the trajectory's live network members ("id", "Name (care|work)" pairs, at most
 * 64), after the NULL-terminated value/label pairs in lead; NULL-terminated; arena. network.c. */
int member_options(Req *r, int64_t tid, const char *const *lead, const char ***out);

/* The card "The participant's account" for an assigned coach of trajectory tid (participant pid): no account,
 * invited (the link pending is offered again only to its maker) or active, with a link to the invitation
 * page where one is offered. Returns a DB code. participant_account.c. */
int participant_account_section(Req *r, int64_t tid, int64_t pid);

/* Writes, on the page after an invitation by a coach (LINK_SHOW, account/links.h), the link of token for its
 * creator to hand over: the link (data-copy), `use` (what the person does with it), that it works one time
 * and until `expires`, and how to hand it over. participant_account.c. */
void link_handover(Req *r, const char *token, const char *use, int64_t expires);

/* The card "Your meetings in your calendar" of /account: make, renew or stop the personal calendar feed link;
 * fresh_token (or NULL) is a link just made, shown this once. Returns a DB code. meetings.c. */
int calendar_feed_section(Req *r, const char *fresh_token);

/* Translated labels shared between pages. */
const char *referral_status_label(const char *status); /* referral.c */
const char *followup_kind_label(const char *kind);     /* followup.c */

/* A published article of the knowledge base as an action plan links to it: its slug and its title in the
 * request's language (the Dutch title when there is no English one). */
typedef struct MeasureRef {
  const char *slug, *title;
} MeasureRef;
/* Loads every published article (at most MEASURES_LINKABLE_MAX, by title) in one query into an arena array.
 * Returns a DB code; on success *list and *n are set (n may be 0). measures.c. */
enum { MEASURES_LINKABLE_MAX = 500 };
int measures_published(Req *r, MeasureRef **list, int *n);
/* The published article with this slug, into *out: DB_ROW, or DB_DONE when there is none. measures.c. */
int measure_published_one(Req *r, const char *slug, MeasureRef *out);
/* The entry of list with this slug, or NULL (no published article: show the slug as plain text). */
const MeasureRef *measure_find(const MeasureRef *list, int n, const char *slug);

/* The start page for a user's roles ("/caseload", "/admin/users", "/me", ...). */
const char *home_for(const User *u);

/* ROLES_CASE, the role mask of case routes, is in auth/user.h. */

/* A local redirect target from user input: must start with one '/', else fallback. */
const char *safe_next(const char *next, const char *fallback);

/* Where to go right after signing in: "/notices" when account uid has an undismissed notice or an open
 * membership request, else next (may be NULL). On a database error next (the notices wait). notices.c. */
const char *notices_next(Req *r, int64_t uid, const char *next);

/* Translated label of a network member's role code (an unknown code as stored). network.c. */
const char *network_role_label(const char *code);

/* The one rule for a protocol step's text, wherever a step is written (the coach adding one to a
 * trajectory, the administrator editing a template): not empty, at most PROTOCOL_STEP_MAX characters, one
 * line, no tab and no other control character. Records the error under key; returns true when fine.
 * protocol.c. */
bool protocol_step_text_ok(Req *r, const char *key, const char *text);

/* Tenths of hours a week as text ("20", "19.5"; hours_format), in the request's arena. */
static inline const char *hours_text_of(Req *r, int64_t tenths) {
  char b[24];
  hours_format(tenths, b);
  return arena_strdup(r->a, b);
}

/* The unread messages of r's user, for the navigation's badge (html/frame.h frame_unread_count). messages.c. */
int messages_nav_unread(Req *r, int64_t *n);

/* The coaches with their work phone and work e-mail (tel: and mailto: links), where given; for the
 * participant's /me and the trajectory overview. trajectory.c. */
void coach_contact_list(Req *r, const WorkContact *c, int n);

/* ---- (issue 13, parts 5 and 6): placements and job coaching */
#include "store/job_coaching.h"
#include "store/placements.h"
/* The event of placement pl of trajectory tid ("started", "hired", "stopped"), inside the caller's
 * transaction: a notice (and, with mail configured, a mail without content) to everyone the one door lets see
 * the placement, except the actor. Returns a DB code. placements.c. */
int placement_event(Req *r, int64_t tid, int64_t pl, const char *event);
/* The undismissed placement notices of r's user, into an arena array; and their cards for /notices (no case
 * content: a date and a link). placements.c. */
int placement_notices_load(Req *r, PlacementNotice **out, int *n);
void placement_notice_cards(Req *r, const PlacementNotice *v, int n);
/* Plans the proposed job-coaching schedule of placement pl that starts on starts_on (from today when that
 * lies in the past), inside the caller's transaction. Returns a DB code. job_coaching.c. */
int job_coaching_propose(Req *r, int64_t tid, int64_t pl, const char *starts_on);
/* The job-coaching card of placement pl: the contacts v (an id of 0: withheld, not shown) and, for the coach,
 * the actions and the form to plan one. job_coaching.c. */
void job_coaching_section(Req *r, int64_t tid, int64_t pl, bool coach, const JobContact *v, int n);
/* The card on the participant's /me that leads to her work placements (a link only: nothing of them is read
 * or shown on /me itself). placements.c. */
void placement_me_card(Req *r, int64_t tid);
/* Translated label of a job-coaching contact's with_whom code. job_coaching.c. */
const char *job_contact_with_label(const char *w);
/* the same in the words of Werk als Beste Zorg when wabz ("With the client"). job_coaching.c. */
const char *job_contact_with_label_in(const char *w, bool wabz);
/* The card that leads to the experience surveys the signed-in user may answer now (a link only; nothing
 * when none is due, or when they cannot be read). surveys.c. */
void survey_card(Req *r);

#endif
