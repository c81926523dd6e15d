/*
 * test_netmap.c — unit tests for the network map renderer (src/render/netmap.c): escaping of every text,
 * one consent line per (source, receiving member) pair, members on their own side of the centre, the
 * dashed outline for members without an account, and a valid SVG for an empty network. The list view
 * (netmap_list, shown instead of the map on a phone) names exactly the members of the map, escaped, with one
 * entry per consent line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "i18n/i18n.h"
#include "render/netmap.h"

enum { CENTRE_X = 340 }; /* half of the 680-wide viewBox */

/* Number of non-overlapping occurrences of needle in s. */
static size_t count(const char *s, const char *needle) {
  size_t n = 0, k = strlen(needle);
  for (const char *p = strstr(s, needle); p; p = strstr(p + k, needle)) n++;
  return n;
}

/* The x coordinate of the first <rect> inside the member group with data-id id, or -1. */
static int member_rect_x(const char *svg, long long id) {
  char key[64];
  snprintf(key, sizeof key, "data-id=\"%lld\"", id);
  const char *g = strstr(svg, key);
  if (!g) return -1;
  const char *rect = strstr(g, "<rect x=\"");
  if (!rect) return -1;
  return atoi(rect + strlen("<rect x=\""));
}

/* True if the tags of svg nest properly (no attribute values with '<' or '>' are expected: they are
 * escaped). Checks the open/close balance of element names with a small stack. */
static bool well_formed(const char *svg) {
  char stack[64][24];
  int depth = 0;
  for (const char *p = svg; (p = strchr(p, '<')); p++) {
    const char *end = strchr(p, '>');
    if (!end) return false;
    /* no '<' may appear inside a tag */
    for (const char *q = p + 1; q < end; q++)
      if (*q == '<') return false;
    bool closing = p[1] == '/', selfclosing = end[-1] == '/';
    const char *name = p + (closing ? 2 : 1);
    size_t n = strcspn(name, " />");
    if (n == 0 || n >= sizeof stack[0]) return false;
    if (closing) {
      if (depth == 0 || strncmp(stack[depth - 1], name, n) != 0 || stack[depth - 1][n]) return false;
      depth--;
    } else if (!selfclosing) {
      if (depth == 64) return false;
      memcpy(stack[depth], name, n);
      stack[depth][n] = 0;
      depth++;
    }
    p = end;
  }
  return depth == 0;
}

static const char *const one_coach[] = {"Sofie Peeters"};

static void test_escapes_every_text(void **state) {
  (void)state;
  Arena *a = arena_new();
  NetMember members[] = {
      {.id = 1, .side = "care", .role = "<b>GP</b>", .name = "<script>alert(1)</script>",
       .organisation = "\"onload=alert(2)", .has_account = true},
      {.id = 2, .side = "work", .role = "HR", .name = "\"onload=", .organisation = "A & B <i>", .has_account = false},
  };
  NetConsent consents[] = {{.grantee_member_id = 1, .category = "<cap>"}};
  const char *const coaches[] = {"<img src=x onerror=alert(3)>"};
  NetMap m = {.participant = "Jan \"<svg onload=alert(4)>\"", .coaches = coaches, .ncoaches = 1,
              .members = members, .nmembers = 2, .consents = consents, .nconsents = 1};
  const char *svg = netmap_svg(a, &m).s;
  assert_non_null(svg);
  assert_null(strstr(svg, "<script"));
  assert_null(strstr(svg, "<b>"));
  assert_null(strstr(svg, "<i>"));
  assert_null(strstr(svg, "<img"));
  assert_null(strstr(svg, "<cap>"));
  assert_null(strstr(svg, "\"onload"));
  assert_null(strstr(svg, "<svg onload"));
  assert_non_null(strstr(svg, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert_non_null(strstr(svg, "&quot;onload="));
  assert_non_null(strstr(svg, "A &amp; B &lt;i&gt;"));
  assert_int_equal(count(svg, "<svg"), 1);
  assert_true(well_formed(svg));
  arena_free(a);
}

static void test_one_line_per_live_consent(void **state) {
  (void)state;
  Arena *a = arena_new();
  NetMember members[] = {
      {.id = 10, .side = "care", .role = "GP", .name = "Els", .has_account = true},
      {.id = 11, .side = "care", .role = "Psychologist", .name = "Ruben", .has_account = true},
      {.id = 20, .side = "work", .role = "HR", .name = "Tom", .has_account = true},
      {.id = 21, .side = "work", .role = "Line manager", .name = "Greet", .has_account = false},
  };
  /* three consents to three different members: three lines */
  NetConsent consents[] = {
      {.grantee_member_id = 10, .category = "health"},
      {.grantee_member_id = 11, .category = "capacity"},
      {.grantee_member_id = 20, .category = "work"},
  };
  NetMap m = {.participant = "An", .coaches = one_coach, .ncoaches = 1, .members = members, .nmembers = 4,
              .consents = consents, .nconsents = 3};
  const char *svg = netmap_svg(a, &m).s;
  assert_int_equal(count(svg, "<path class=\"consent\""), 3);
  assert_int_equal(netmap_line_count(&m), 3);

  /* no consents: no lines */
  m.nconsents = 0;
  assert_int_equal(count(netmap_svg(a, &m).s, "<path class=\"consent\""), 0);

  /* two categories to the same member share one line, labelled with both */
  NetConsent same[] = {{.grantee_member_id = 20, .category = "work"}, {.grantee_member_id = 20, .category = "plan"}};
  m.consents = same;
  m.nconsents = 2;
  svg = netmap_svg(a, &m).s;
  assert_int_equal(count(svg, "<path class=\"consent\""), 1);
  assert_non_null(strstr(svg, "work, plan"));

  /* a consent for the whole work side reaches both work members */
  NetConsent side[] = {{.grantee_side = "work", .category = "practical"}};
  m.consents = side;
  m.nconsents = 1;
  svg = netmap_svg(a, &m).s;
  assert_int_equal(count(svg, "<path class=\"consent\""), 2);
  assert_int_equal(netmap_line_count(&m), 2);

  /* a consent from a member to another member is a line between them; one to a member not in the map
   * (removed) draws nothing */
  NetConsent member_src[] = {{.source_member_id = 20, .grantee_member_id = 10, .category = "work"},
                             {.grantee_member_id = 99, .category = "work"},
                             {.source_member_id = 98, .grantee_member_id = 10, .category = "work"}};
  m.consents = member_src;
  m.nconsents = 3;
  assert_int_equal(count(netmap_svg(a, &m).s, "<path class=\"consent\""), 1);
  arena_free(a);
}

static void test_members_on_their_side(void **state) {
  (void)state;
  Arena *a = arena_new();
  NetMember members[] = {
      {.id = 1, .side = "work", .role = "Employer", .name = "W1", .has_account = true},
      {.id = 2, .side = "care", .role = "GP", .name = "C1", .has_account = true},
      {.id = 3, .side = "care", .role = "Ergonomist", .name = "C2", .has_account = false},
      {.id = 4, .side = "work", .role = "Union", .name = "W2", .has_account = false},
  };
  NetMap m = {.participant = "An", .coaches = one_coach, .ncoaches = 1, .members = members, .nmembers = 4};
  const char *svg = netmap_svg(a, &m).s;
  for (size_t i = 0; i < 4; i++) {
    int x = member_rect_x(svg, (long long)members[i].id);
    assert_true(x >= 0);
    if (strcmp(members[i].side, "care") == 0) assert_true(x + 190 < CENTRE_X);
    else assert_true(x > CENTRE_X);
  }
  /* members without an account (and only they) have a dashed outline */
  assert_int_equal(count(svg, "stroke-width=\"1.5\" stroke-dasharray=\"6 4\""), 2);
  /* no attribute markup was escaped by accident */
  assert_null(strstr(svg, "=&quot;"));
  assert_true(well_formed(svg));
  arena_free(a);
}

static void test_empty_network_is_valid(void **state) {
  (void)state;
  Arena *a = arena_new();
  NetMap m = {.participant = "An"};
  const char *svg = netmap_svg(a, &m).s;
  assert_non_null(svg);
  assert_true(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
  assert_non_null(strstr(svg, "viewBox=\"0 0 680 "));
  assert_non_null(strstr(svg, "width=\"100%\""));
  assert_non_null(strstr(svg, "role=\"img\""));
  assert_non_null(strstr(svg, "aria-labelledby=\"netmap-title netmap-desc\""));
  assert_non_null(strstr(svg, "<title id=\"netmap-title\">"));
  assert_int_equal(count(svg, "<path class=\"consent\""), 0);
  assert_int_equal(count(svg, "class=\"member\""), 0);
  assert_true(strcmp(svg + strlen(svg) - 6, "</svg>") == 0);
  assert_true(well_formed(svg));
  /* a side hidden from the viewer says so instead of "no members" */
  m.hidden_side = "care";
  svg = netmap_svg(a, &m).s;
  assert_int_equal(count(svg, "Not shown to you"), 1);
  assert_int_equal(count(svg, "No members yet"), 1);
  m.hidden_side = NULL;
  /* a NULL participant name is drawn as empty, not a crash */
  m.participant = NULL;
  assert_true(well_formed(netmap_svg(a, &m).s));
  arena_free(a);
}

static void test_long_names_are_clipped(void **state) {
  (void)state;
  Arena *a = arena_new();
  NetMember members[] = {{.id = 1, .side = "care", .role = "GP", .name = "Éléonore-Marguerite van den Heuvel-Vermeersch",
                          .has_account = true}};
  NetMap m = {.participant = "An", .members = members, .nmembers = 1};
  const char *svg = netmap_svg(a, &m).s;
  /* the full name stays in the tooltip, the box shows it clipped with an ellipsis on a character boundary */
  assert_non_null(strstr(svg, "<title>Éléonore-Marguerite van den Heuvel-Vermeersch"));
  assert_non_null(strstr(svg, ">Éléonore-Marguerite…</text>"));
  arena_free(a);
}

static void test_list_is_the_map_as_text(void **state) {
  (void)state;
  Arena *a = arena_new();
  NetMember members[] = {
      {.id = 10, .side = "care", .role = "GP", .name = "Éléonore-Marguerite van den Heuvel-Vermeersch",
       .organisation = "A & B", .has_account = true},
      {.id = 20, .side = "work", .role = "HR", .name = "<b>Tom</b>", .has_account = false},
  };
  NetConsent consents[] = {{.grantee_member_id = 10, .category = "health"},
                           {.grantee_member_id = 10, .category = "capacity"},
                           {.source_member_id = 20, .grantee_member_id = 10, .category = "work"},
                           {.grantee_side = "work", .category = "plan"},
                           {.grantee_member_id = 99, .category = "work"}}; /* not in the map: nothing */
  NetMap m = {.participant = "An", .coaches = one_coach, .ncoaches = 1, .members = members, .nmembers = 2,
              .consents = consents, .nconsents = 5};
  const char *list = netmap_list(a, &m).s;
  assert_true(strncmp(list, "<div class=\"netmap-list\">", 25) == 0);
  assert_true(well_formed(list));
  /* every member of the map, by full name (not clipped), escaped; the coach and the participant */
  assert_non_null(strstr(list, "<strong>Éléonore-Marguerite van den Heuvel-Vermeersch</strong> · GP · A &amp; B"));
  assert_non_null(strstr(list, "<strong>&lt;b&gt;Tom&lt;/b&gt;</strong> · HR <span class=\"muted\">(no account)</span>"));
  assert_null(strstr(list, "<b>"));
  assert_non_null(strstr(list, "Sofie Peeters"));
  assert_int_equal(count(list, "<strong>"), 2);
  /* one entry per consent line of the map: An -> Els (two categories), Tom -> Els, An -> Tom (whole side) */
  assert_int_equal(netmap_line_count(&m), 3);
  assert_int_equal(count(list, "from "), 3);
  assert_non_null(strstr(list, "from An: health, capacity"));
  assert_non_null(strstr(list, "from &lt;b&gt;Tom&lt;/b&gt;: work"));
  assert_non_null(strstr(list, "Whole side: plan"));
  /* a side hidden from the viewer says so; no members of it are named */
  NetMap hidden = {.participant = "An", .members = members, .nmembers = 1, .hidden_side = "work"};
  list = netmap_list(a, &hidden).s;
  assert_int_equal(count(list, "Not shown to you"), 1);
  assert_null(strstr(list, "Tom"));
  assert_true(well_formed(list));
  /* an empty network is a valid list too */
  NetMap empty = {.participant = NULL};
  list = netmap_list(a, &empty).s;
  assert_int_equal(count(list, "No members yet"), 2);
  assert_non_null(strstr(list, "none assigned"));
  assert_true(well_formed(list));
  arena_free(a);
}

int main(void) {
  i18n_use("en");
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_escapes_every_text),
      cmocka_unit_test(test_one_line_per_live_consent),
      cmocka_unit_test(test_members_on_their_side),
      cmocka_unit_test(test_empty_network_is_valid),
      cmocka_unit_test(test_long_names_are_clipped),
      cmocka_unit_test(test_list_is_the_map_as_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
