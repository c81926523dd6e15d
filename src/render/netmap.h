/*
 * netmap.h — the network map of a trajectory as an inline SVG, drawn by the server (no JavaScript).
 *
 * The participant sits in the middle, the care network in the left column, the work network in the right
 * column, and the coach below the participant as the bridge between the two. Each live consent is a
 * green line from its source party (the participant or a member) to the member who receives it; a
 * consent for a whole side gives a line to every member of that side. Lines between the same two parties
 * are merged into one, labelled with all its categories. Members without an account have a dashed
 * outline. The SVG scales to the width of its container (viewBox, width 100%), uses presentation
 * attributes only (no style attributes: the CSP forbids inline styles) and is labelled for screen readers;
 * the page shows the same information as a text list next to it.
 *
 * Pure: no database, no request. Every text is HTML-escaped before it enters the SVG.
 */
#ifndef ZW_NETMAP_H
#define ZW_NETMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/mem.h"
#include "html/html.h"

/* One network member (removed members are left out by the caller). Texts are plain (unescaped). */
typedef struct NetMember {
  int64_t id;               /* > 0, unique within the map */
  const char *side;         /* "care" or "work"; anything else is drawn on the care side */
  const char *role;         /* translated role label ("GP", "HR") */
  const char *name;
  const char *organisation; /* NULL or "" when not recorded */
  bool has_account;         /* false: contact only, or invited but not yet accepted (dashed outline) */
} NetMember;

/* One live consent (the caller filters on withdrawn_at, given_on and valid_until). */
typedef struct NetConsent {
  int64_t source_member_id;  /* 0: the participant is the source party */
  int64_t grantee_member_id; /* 0: the consent is for a whole side (grantee_side) */
  const char *grantee_side;  /* "care" or "work" when grantee_member_id is 0 */
  const char *category;      /* translated category label ("capacity") */
} NetConsent;

typedef struct NetMap {
  const char *participant;     /* display name of the participant */
  const char *const *coaches;  /* names of the assigned coaches */
  size_t ncoaches;
  const NetMember *members;
  size_t nmembers;
  const NetConsent *consents;
  size_t nconsents;
  const char *hidden_side;     /* "care" or "work": that side's members are not shown to the viewer (its
                                  panel says so instead of "no members"); NULL: both sides are shown */
} NetMap;

/* Renders the map as one <svg> element into arena memory. Consent lines are <path class="consent">
 * elements, one per (source, receiving member) pair; a consent whose source or receiving member is not
 * in the map draws no line. Labels come from the gettext catalogue of the calling thread's language.
 * Never fails (allocation aborts on out-of-memory). */
Markup netmap_svg(Arena *a, const NetMap *m);

/* The same map as a list, for screens too narrow to read the SVG (the page's style sheet shows one or the
 * other): the participant, the coaches, then per side the categories shared with the whole side and each
 * member (name, role, organisation, "no account") with what they receive from whom, one entry per consent
 * line of netmap_svg. Built from the same NetMap, so it names exactly the members the map shows. One
 * <div class="netmap-list"> in arena memory; never fails (allocation aborts on out-of-memory). */
Markup netmap_list(Arena *a, const NetMap *m);

/* The number of consent lines netmap_svg draws for m (for the page's summary and tests). Pure. */
size_t netmap_line_count(const NetMap *m);

#endif
