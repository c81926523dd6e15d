/*
 * fuzz_netmap.c — fuzz target for netmap_svg (the network map SVG, drawn from names users typed).
 *
 * The input becomes a NetMap: control bytes are taken from the end of the input (numbers of members,
 * consents and coaches, sides, accounts, which member a consent goes from and to, the language), texts
 * from the front, NUL-separated (participant, coach, member names, roles, organisations, categories), so
 * names with markup, quotes, entities and invalid UTF-8 reach the renderer; up to 16 members and 32
 * consents. Member ids are unique and positive, as netmap.h requires; sides may be "care", "work",
 * anything else or NULL; organisations NULL or empty; consents may name members that are not in the map.
 *
 * Properties of the output:
 *  - it is one <svg> element built only from the tags netmap.c writes (svg, title, desc, g, rect, line,
 *    path, text), properly nested, every attribute a double-quoted value without '<', '>' or '"', no
 *    raw '<', '>' or '"' in text — so no name text can open or close markup or break out of an attribute;
 *  - every '&' starts one of the writer's five entities;
 *  - it has one <g class="member" per member and one <path class="consent" per line that
 *    netmap_line_count reports;
 *  - the list view of the same map (netmap_list) names each member once.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "i18n/i18n.h"
#include "render/netmap.h"

#define CHECK(cond)                                                                                  \
  do {                                                                                               \
    if (!(cond)) {                                                                                   \
      fprintf(stderr, "fuzz_netmap: property failed: %s (line %d)\n", #cond, __LINE__);             \
      abort();                                                                                       \
    }                                                                                                \
  } while (0)

enum { MAX_MEMBERS = 16, MAX_CONSENTS = 32, MAX_COACHES = 6 }; /* larger maps cost ~0.1 s per input under ASan */

typedef struct Input {
  const uint8_t *p;
  size_t front, back; /* texts are read from front, control bytes from back (exclusive) */
  Arena *a;
} Input;

static unsigned ctrl(Input *in) { return in->back > in->front ? in->p[--in->back] : 0; }

static const char *text(Input *in) {
  size_t s = in->front;
  while (in->front < in->back && in->p[in->front] != 0) in->front++;
  const char *t = arena_strndup(in->a, (const char *)in->p + s, in->front - s);
  if (in->front < in->back) in->front++; /* the NUL */
  return t;
}

static const char *side(Input *in, unsigned c) {
  switch (c & 3) {
  case 0: return "care";
  case 1: return "work";
  case 2: return text(in);
  default: return NULL;
  }
}

static const char *const svg_tags[] = {"svg", "title", "desc", "g", "rect", "line", "path", "text"};

static size_t entity_len(const char *p, size_t n) {
  static const char *const ents[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
  for (size_t k = 0; k < sizeof ents / sizeof *ents; k++) {
    size_t l = strlen(ents[k]);
    if (n >= l && memcmp(p, ents[k], l) == 0) return l;
  }
  return 0;
}

static size_t count(const char *h, const char *needle) {
  size_t n = 0;
  for (const char *p = h; (p = strstr(p, needle)) != NULL; p++) n++;
  return n;
}

static void check_svg(const char *h, size_t len) {
  const char *stack[64];
  int depth = 0;
  bool seen_root = false;
  for (size_t i = 0; i < len;) {
    char c = h[i];
    if (c == '&') {
      size_t l = entity_len(h + i, len - i);
      CHECK(l > 0);
      i += l;
      continue;
    }
    if (c != '<') {
      CHECK(c != '>' && c != '"');
      CHECK(depth > 0); /* no text outside the <svg> */
      i++;
      continue;
    }
    i++;
    bool closing = i < len && h[i] == '/';
    if (closing) i++;
    size_t ns = i;
    while (i < len && h[i] >= 'a' && h[i] <= 'z') i++;
    const char *tag = NULL;
    for (size_t k = 0; k < sizeof svg_tags / sizeof *svg_tags; k++)
      if (strlen(svg_tags[k]) == i - ns && memcmp(svg_tags[k], h + ns, i - ns) == 0) tag = svg_tags[k];
    CHECK(tag != NULL);
    if (closing) {
      CHECK(i < len && h[i] == '>');
      CHECK(depth > 0 && stack[depth - 1] == tag);
      depth--;
      i++;
      continue;
    }
    CHECK(depth > 0 || (!seen_root && tag == svg_tags[0]));
    seen_root = true;
    for (;;) {
      CHECK(i < len);
      if (h[i] == '>') {
        CHECK(depth < 64);
        stack[depth++] = tag;
        i++;
        break;
      }
      if (h[i] == '/') {
        CHECK(i + 1 < len && h[i + 1] == '>');
        i += 2;
        break;
      }
      CHECK(h[i] == ' ');
      i++;
      size_t as = i;
      while (i < len && ((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' && h[i] <= 'Z') || (h[i] >= '0' && h[i] <= '9') || h[i] == '-')) i++;
      CHECK(i > as);
      CHECK(!(i - as >= 2 && h[as] == 'o' && h[as + 1] == 'n'));
      CHECK(len - i >= 2 && h[i] == '=' && h[i + 1] == '"');
      i += 2;
      const char *q = memchr(h + i, '"', len - i);
      CHECK(q != NULL);
      for (; h + i < q; i++) {
        CHECK(h[i] != '<' && h[i] != '>');
        if (h[i] == '&') CHECK(entity_len(h + i, (size_t)(q - (h + i))) > 0);
      }
      i++;
    }
  }
  CHECK(seen_root && depth == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static bool i18n_ready;
  if (!i18n_ready) {
    i18n_ready = i18n_init();
    CHECK(i18n_ready);
  }
  Arena *a = arena_new();
  Input in = {.p = data, .front = 0, .back = size, .a = a};
  unsigned hdr = ctrl(&in);
  i18n_use(hdr & 1 ? "nl" : NULL);

  NetMap m = {0};
  m.participant = hdr & 2 ? NULL : text(&in);
  if (hdr & 4) m.hidden_side = hdr & 8 ? "work" : "care";
  m.ncoaches = ctrl(&in) % (MAX_COACHES + 1);
  const char **coaches = arena_alloc(a, sizeof *coaches * (MAX_COACHES + 1));
  for (size_t i = 0; i < m.ncoaches; i++) coaches[i] = text(&in);
  m.coaches = coaches;

  m.nmembers = ctrl(&in) % (MAX_MEMBERS + 1);
  NetMember *members = arena_alloc(a, sizeof *members * (MAX_MEMBERS + 1));
  for (size_t i = 0; i < m.nmembers; i++) {
    unsigned c = ctrl(&in);
    members[i] = (NetMember){.id = (int64_t)i + 1, .side = side(&in, c), .has_account = c & 4};
    members[i].name = text(&in);
    members[i].role = text(&in);
    members[i].organisation = c & 8 ? NULL : c & 16 ? "" : text(&in);
  }
  m.members = members;

  m.nconsents = ctrl(&in) % (MAX_CONSENTS + 1);
  NetConsent *consents = arena_alloc(a, sizeof *consents * (MAX_CONSENTS + 1));
  for (size_t i = 0; i < m.nconsents; i++) {
    unsigned s = ctrl(&in), g = ctrl(&in), c = ctrl(&in);
    /* ids 0..MAX_MEMBERS+2: 0 is the participant / a whole side, larger ids may be missing members */
    consents[i] = (NetConsent){.source_member_id = s % (MAX_MEMBERS + 3), .grantee_member_id = g % (MAX_MEMBERS + 3)};
    if (c & 1) consents[i].grantee_member_id = 0;
    if (!consents[i].grantee_member_id) consents[i].grantee_side = side(&in, c >> 1);
    consents[i].category = c & 8 ? NULL : text(&in);
  }
  m.consents = consents;

  Markup svg = netmap_svg(a, &m);
  CHECK(svg.s != NULL);
  size_t len = strlen(svg.s);
  check_svg(svg.s, len);
  CHECK(count(svg.s, "<g class=\"member\"") == m.nmembers);
  CHECK(count(svg.s, "<path class=\"consent\"") == netmap_line_count(&m));
  /* the list view (netmap_list) of the same map: one <strong> name per member, no markup from names */
  Markup list = netmap_list(a, &m);
  CHECK(list.s != NULL);
  CHECK(count(list.s, "<strong>") == m.nmembers);
  arena_free(a);
  i18n_use(NULL);
  return 0;
}
