/*
 * netmap.c — see netmap.h. The SVG is written with the escaping writer (html() on a local Buf: every %s
 * is HTML-escaped, numbers print as is) and wrapped as Markup at the end.
 *
 * Geometry (viewBox units): a 680-wide canvas; the care panel on the left (x 4..206), the work panel on
 * the right (x 474..676), member boxes 190 wide stacked in them; the participant box in the middle
 * column at the vertical centre of the member rows, the coach box under it with grey "bridge" lines to
 * both panels. Consent lines are cubic curves drawn before the boxes, so boxes sit on top of them.
 */
#include "render/netmap.h"

#include <string.h>

#include "i18n/i18n.h"

enum {
  W = 680,
  PANEL_CARE_X = 4, PANEL_WORK_X = 474, PANEL_W = 202,
  CARE_X = 10, WORK_X = 480, COL_W = 190,
  P_X = 270, P_W = 140, P_H = 56,
  BOX_H = 78, PITCH = 90,
  ROW0 = 62,      /* top of the first member box */
  COACH_GAP = 44, /* between participant and coach box */
  LEGEND_H = 56,
  MAX_CATS = 8,   /* categories named on one line (there are five) */
};

/* Colours: text 13.8:1 on white; consent blue 6.1:1; care teal and work brown as in style.css. */
#define C_TEXT "#1d2826"
#define C_MUTED "#56605d"
#define C_CARE "#1f5f5b"
#define C_CARE_SOFT "#eef5f4"
#define C_WORK "#7a4500"
#define C_WORK_SOFT "#fbf3e4"
#define C_CONSENT "#0b5cad"
#define C_BRIDGE "#767f7c"
#define FONT "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, Arial, sans-serif"

/* A consent line: from the participant (src -1) or member src to member dst, with its categories. */
typedef struct Line {
  int src, dst;
  const char *cats[MAX_CATS];
  int ncats;
} Line;

static bool is_work(const char *side) { return side && strcmp(side, "work") == 0; }

/* Index of member id in m, or -1. */
static int member_index(const NetMap *m, int64_t id) {
  for (size_t i = 0; i < m->nmembers; i++)
    if (m->members[i].id == id) return (int)i;
  return -1;
}

/* Adds category cat to the line src->dst (creating it). */
static void line_add(Line *lines, size_t *n, int src, int dst, const char *cat) {
  Line *l = NULL;
  for (size_t i = 0; i < *n && !l; i++)
    if (lines[i].src == src && lines[i].dst == dst) l = &lines[i];
  if (!l) {
    l = &lines[(*n)++];
    *l = (Line){.src = src, .dst = dst};
  }
  const char *c = cat ? cat : "";
  for (int i = 0; i < l->ncats; i++)
    if (strcmp(l->cats[i], c) == 0) return;
  if (l->ncats < MAX_CATS) l->cats[l->ncats++] = c;
}

/* Builds the merged consent lines of m into arena memory; *n gets their number. */
static Line *build_lines(Arena *a, const NetMap *m, size_t *n) {
  *n = 0;
  size_t cap = (m->nmembers + 1) * (m->nmembers ? m->nmembers : 1);
  Line *lines = arena_alloc(a, sizeof(Line) * cap);
  for (size_t k = 0; k < m->nconsents; k++) {
    const NetConsent *c = &m->consents[k];
    int src = -1;
    if (c->source_member_id && (src = member_index(m, c->source_member_id)) < 0) continue;
    if (c->grantee_member_id) {
      int dst = member_index(m, c->grantee_member_id);
      if (dst >= 0 && dst != src) line_add(lines, n, src, dst, c->category);
      continue;
    }
    for (size_t i = 0; i < m->nmembers; i++)
      if ((int)i != src && is_work(m->members[i].side) == is_work(c->grantee_side))
        line_add(lines, n, src, (int)i, c->category);
  }
  return lines;
}

size_t netmap_line_count(const NetMap *m) {
  Arena *a = arena_new();
  size_t n;
  build_lines(a, m, &n);
  arena_free(a);
  return n;
}

/* s cut to at most max code points (max >= 1), with "…" at the end when cut (trailing spaces before it
 * dropped). Arena string, or s itself when it fits; NULL becomes "". */
static const char *clip(Arena *a, const char *s, size_t max) {
  if (!s) return "";
  size_t chars = 0, i = 0;
  for (; s[i]; i++) {
    if (((unsigned char)s[i] & 0xc0) != 0x80) {
      if (chars == max - 1) {
        /* does the rest hold more than this one character? */
        size_t j = i + 1;
        while (s[j] && ((unsigned char)s[j] & 0xc0) == 0x80) j++;
        if (!s[j]) return s;
        while (i > 0 && s[i - 1] == ' ') i--; /* no space before the ellipsis */
        return arena_printf(a, "%.*s\xe2\x80\xa6", (int)i, s);
      }
      chars++;
    }
  }
  return s;
}

/* Categories joined with ", " (arena string). */
static const char *join(Arena *a, const char *const *items, int n) {
  Buf b = {0};
  for (int i = 0; i < n; i++) {
    if (i) buf_puts(&b, ", ");
    buf_puts(&b, items[i]);
  }
  char *s = arena_strdup(a, b.p ? b.p : "");
  buf_free(&b);
  return s;
}

/* Vertical centre of member i's box. rows[] holds each member's row within its column. */
static int member_cy(const int *rows, int i) { return ROW0 + rows[i] * PITCH + BOX_H / 2; }

/* The inner edge (facing the middle) of member i's box. */
static int member_edge(const NetMap *m, int i) { return is_work(m->members[i].side) ? WORK_X : CARE_X + COL_W; }

static void draw_line(Buf *b, Arena *a, const NetMap *m, const Line *l, const int *rows, int pcy) {
  int x2 = member_edge(m, l->dst), y2 = member_cy(rows, l->dst);
  bool dst_work = is_work(m->members[l->dst].side);
  const char *cats = join(a, l->cats, l->ncats);
  const char *from = l->src < 0 ? m->participant : m->members[l->src].name;
  html(b, "<path class=\"consent\" fill=\"none\" stroke=\"" C_CONSENT "\" stroke-width=\"2.5\" stroke-linecap=\"round\"");
  if (l->src < 0) {
    int x1 = dst_work ? P_X + P_W : P_X, mid = (x1 + x2) / 2;
    html(b, " d=\"M%d %d C%d %d %d %d %d %d\">", x1, pcy, mid, pcy, mid, y2, x2, y2);
    html(b, "<title>%s \xe2\x86\x92 %s: %s</title></path>", from ? from : "", m->members[l->dst].name, cats);
    return;
  }
  int x1 = member_edge(m, l->src), y1 = member_cy(rows, l->src);
  bool src_work = is_work(m->members[l->src].side);
  int lx, ly = (y1 + y2) / 2;
  const char *anchor;
  if (src_work == dst_work) { /* same column: bulge towards the middle */
    int bx = src_work ? x1 - 56 : x1 + 56;
    html(b, " d=\"M%d %d C%d %d %d %d %d %d\">", x1, y1, bx, y1, bx, y2, x2, y2);
    lx = src_work ? x1 - 46 : x1 + 46;
    anchor = src_work ? "end" : "start";
  } else {
    int mid = (x1 + x2) / 2;
    html(b, " d=\"M%d %d C%d %d %d %d %d %d\">", x1, y1, mid, y1, mid, y2, x2, y2);
    lx = mid;
    anchor = "middle";
  }
  html(b, "<title>%s \xe2\x86\x92 %s: %s</title></path>", from, m->members[l->dst].name, cats);
  html(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" font-size=\"11\" fill=\"" C_CONSENT "\" stroke=\"#ffffff\" "
          "stroke-width=\"3\" paint-order=\"stroke\">%s</text>",
       lx, ly - 4, anchor, clip(a, cats, 22));
}

/* The categories member i receives over all lines (for the line inside its box). */
static const char *received(Arena *a, const Line *lines, size_t nlines, int i) {
  const char *cats[MAX_CATS];
  int n = 0;
  for (size_t k = 0; k < nlines; k++) {
    if (lines[k].dst != i) continue;
    for (int c = 0; c < lines[k].ncats; c++) {
      bool seen = false;
      for (int j = 0; j < n && !seen; j++) seen = strcmp(cats[j], lines[k].cats[c]) == 0;
      if (!seen && n < MAX_CATS) cats[n++] = lines[k].cats[c];
    }
  }
  return n ? join(a, cats, n) : NULL;
}

static void draw_member(Buf *b, Arena *a, const NetMap *m, int i, const int *rows, const char *cats) {
  const NetMember *mb = &m->members[i];
  bool work = is_work(mb->side);
  int x = work ? WORK_X : CARE_X, y = ROW0 + rows[i] * PITCH;
  bool org = mb->organisation && *mb->organisation;
  html(b, "<g class=\"member\" data-side=\"%s\" data-id=\"%lld\"><title>%s \xe2\x80\x94 %s",
       work ? "work" : "care", (long long)mb->id, mb->name, mb->role);
  if (org) html(b, " \xe2\x80\x94 %s", mb->organisation);
  if (!mb->has_account) html(b, " (%s)", _("no account"));
  html(b, "</title>");
  html(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"8\" fill=\"#ffffff\" stroke=\"%s\" "
          "stroke-width=\"1.5\"",
       x, y, COL_W, BOX_H, work ? C_WORK : C_CARE);
  if (!mb->has_account) html(b, " stroke-dasharray=\"6 4\"");
  html(b, "/>");
  html(b, "<text x=\"%d\" y=\"%d\" font-size=\"14\" font-weight=\"600\" fill=\"" C_TEXT "\">%s</text>", x + 10, y + 20,
       clip(a, mb->name, 21));
  html(b, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s</text>", x + 10, y + 37, work ? C_WORK : C_CARE,
       clip(a, mb->role, 25));
  if (org)
    html(b, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"" C_MUTED "\">%s</text>", x + 10, y + 53,
         clip(a, mb->organisation, 25));
  if (cats)
    html(b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"" C_CONSENT "\">%s</text>", x + 10, y + 70,
         clip(a, arena_printf(a, "%s %s", _("Receives:"), cats), 28));
  html(b, "</g>");
}

/* Column heading, and the categories shared with the whole side (if any). */
static void draw_panel(Buf *b, Arena *a, const NetMap *m, bool work, int height, int count) {
  int px = work ? PANEL_WORK_X : PANEL_CARE_X;
  html(b, "<rect x=\"%d\" y=\"4\" width=\"%d\" height=\"%d\" rx=\"12\" fill=\"%s\"/>", px, PANEL_W, height,
       work ? C_WORK_SOFT : C_CARE_SOFT);
  html(b, "<text x=\"%d\" y=\"26\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"700\" fill=\"%s\">%s</text>",
       px + PANEL_W / 2, work ? C_WORK : C_CARE, work ? _("Work network") : _("Care network"));
  const char *cats[MAX_CATS];
  int n = 0;
  for (size_t k = 0; k < m->nconsents; k++) {
    const NetConsent *c = &m->consents[k];
    if (c->grantee_member_id || is_work(c->grantee_side) != work) continue;
    const char *cat = c->category ? c->category : "";
    bool seen = false;
    for (int j = 0; j < n && !seen; j++) seen = strcmp(cats[j], cat) == 0;
    if (!seen && n < MAX_CATS) cats[n++] = cat;
  }
  if (n)
    html(b, "<text x=\"%d\" y=\"44\" text-anchor=\"middle\" font-size=\"11\" fill=\"" C_CONSENT "\">%s %s</text>",
         px + PANEL_W / 2, _("Whole side:"), clip(a, join(a, cats, n), 24));
  bool hidden = m->hidden_side && is_work(m->hidden_side) == work;
  if (!count)
    html(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\" fill=\"" C_MUTED "\">%s</text>",
         px + PANEL_W / 2, ROW0 + 30, hidden ? _("Not shown to you") : _("No members yet"));
}

Markup netmap_svg(Arena *a, const NetMap *m) {
  /* rows: each member's position within its own column */
  int *rows = arena_alloc(a, sizeof(int) * (m->nmembers ? m->nmembers : 1));
  int ncare = 0, nwork = 0;
  for (size_t i = 0; i < m->nmembers; i++) rows[i] = is_work(m->members[i].side) ? nwork++ : ncare++;
  int nrows = ncare > nwork ? ncare : nwork;
  if (nrows < 1) nrows = 1;
  int rows_bottom = ROW0 + (nrows - 1) * PITCH + BOX_H;
  int pcy = ROW0 + ((nrows - 1) * PITCH + BOX_H) / 2;
  if (pcy < ROW0 + P_H / 2) pcy = ROW0 + P_H / 2;
  int ncoach_shown = m->ncoaches > 3 ? 3 : (int)m->ncoaches;
  int coach_y = pcy + P_H / 2 + COACH_GAP;
  int coach_h = 26 + 18 * (ncoach_shown ? ncoach_shown : 1) + (m->ncoaches > 3 ? 16 : 0);
  int body_bottom = rows_bottom > coach_y + coach_h ? rows_bottom : coach_y + coach_h;
  int panel_h = body_bottom + 12 - 4;
  int height = body_bottom + 16 + LEGEND_H;

  size_t nlines;
  Line *lines = build_lines(a, m, &nlines);
  const char *who = m->participant ? m->participant : "";

  Buf b = {0};
  html(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"netmap\" viewBox=\"0 0 %d %d\" width=\"100%%\" "
           "role=\"img\" aria-labelledby=\"netmap-title netmap-desc\">",
       W, height);
  html(&b, "<title id=\"netmap-title\">%s %s</title>", _("Network map of"), who);
  html(&b, "<desc id=\"netmap-desc\">%s %d · %s %d · %s %d. %s</desc>", _("Care network members:"), ncare,
       _("Work network members:"), nwork, _("Consent lines:"), (int)nlines,
       _("The list next to the map gives the same information as text."));
  html(&b, "<g font-family=\"" FONT "\"><rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>", W,
       height);
  draw_panel(&b, a, m, false, panel_h, ncare);
  draw_panel(&b, a, m, true, panel_h, nwork);

  /* the bridge: coach to participant and to both panels */
  int coach_cy = coach_y + coach_h / 2;
  html(&b, "<g class=\"bridge\" stroke=\"" C_BRIDGE "\" stroke-width=\"2\" stroke-dasharray=\"2 4\" "
           "stroke-linecap=\"round\">");
  html(&b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", P_X + P_W / 2, pcy + P_H / 2, P_X + P_W / 2, coach_y);
  html(&b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", PANEL_CARE_X + PANEL_W, coach_cy, P_X, coach_cy);
  html(&b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/></g>", P_X + P_W, coach_cy, PANEL_WORK_X, coach_cy);

  for (size_t k = 0; k < nlines; k++) draw_line(&b, a, m, &lines[k], rows, pcy);
  for (size_t i = 0; i < m->nmembers; i++)
    draw_member(&b, a, m, (int)i, rows, received(a, lines, nlines, (int)i));

  /* the participant */
  int py = pcy - P_H / 2;
  html(&b, "<g class=\"participant\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"28\" fill=\"" C_CARE "\"/>",
       P_X, py, P_W, P_H);
  html(&b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"700\" fill=\"#ffffff\">%s</text>",
       P_X + P_W / 2, py + 25, clip(a, who, 16));
  html(&b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\" fill=\"#ffffff\">%s</text></g>",
       P_X + P_W / 2, py + 43, _("Participant"));

  /* the coach */
  html(&b, "<g class=\"coach\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"8\" fill=\"#ffffff\" "
           "stroke=\"" C_TEXT "\" stroke-width=\"1.5\"/>",
       P_X, coach_y, P_W, coach_h);
  html(&b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\" fill=\"" C_MUTED "\">%s</text>",
       P_X + P_W / 2, coach_y + 18, m->ncoaches > 1 ? _("Coaches (bridge)") : _("Coach (bridge)"));
  for (int i = 0; i < ncoach_shown; i++)
    html(&b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"600\" fill=\"" C_TEXT
             "\">%s</text>",
         P_X + P_W / 2, coach_y + 36 + 18 * i, clip(a, m->coaches[i], 18));
  if (!ncoach_shown)
    html(&b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"13\" fill=\"" C_MUTED "\">%s</text>",
         P_X + P_W / 2, coach_y + 36, _("none assigned"));
  if (m->ncoaches > 3)
    html(&b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\" fill=\"" C_MUTED "\">+%d</text>",
         P_X + P_W / 2, coach_y + 36 + 18 * 3, (int)m->ncoaches - 3);
  html(&b, "</g>");

  /* legend */
  int ly = body_bottom + 16 + 20;
  html(&b, "<g class=\"legend\" font-size=\"12\" fill=\"" C_TEXT "\">");
  html(&b, "<line x1=\"10\" y1=\"%d\" x2=\"44\" y2=\"%d\" stroke=\"" C_CONSENT "\" stroke-width=\"2.5\"/>", ly - 4, ly - 4);
  html(&b, "<text x=\"52\" y=\"%d\">%s</text>", ly, _("Live consent: information that is shared"));
  html(&b, "<rect x=\"10\" y=\"%d\" width=\"34\" height=\"14\" rx=\"3\" fill=\"#ffffff\" stroke=\"" C_TEXT "\" "
           "stroke-dasharray=\"6 4\"/>",
       ly + 10);
  html(&b, "<text x=\"52\" y=\"%d\">%s</text>", ly + 21, _("Dashed outline: no account (contact only or invited)"));
  html(&b, "</g></g></svg>");

  char *s = arena_strndup(a, b.p, b.len);
  buf_free(&b);
  return markup_from_renderer_(s);
}

/* One side of the list view: its heading, the categories shared with the whole side, and its members with
 * what each receives from whom. */
static void list_side(Buf *b, Arena *a, const NetMap *m, const Line *lines, size_t nlines, bool work) {
  html(b, "<li><span class=\"side\">%s</span>", work ? _("Work network") : _("Care network"));
  const char *cats[MAX_CATS];
  int ncats = 0;
  for (size_t k = 0; k < m->nconsents; k++) {
    const NetConsent *c = &m->consents[k];
    if (c->grantee_member_id || is_work(c->grantee_side) != work) continue;
    const char *cat = c->category ? c->category : "";
    bool seen = false;
    for (int j = 0; j < ncats && !seen; j++) seen = strcmp(cats[j], cat) == 0;
    if (!seen && ncats < MAX_CATS) cats[ncats++] = cat;
  }
  if (ncats) html(b, " <span class=\"small\">\xc2\xb7 %s %s</span>", _("Whole side:"), join(a, cats, ncats));
  size_t count = 0;
  for (size_t i = 0; i < m->nmembers; i++) {
    const NetMember *mb = &m->members[i];
    if (is_work(mb->side) != work) continue;
    if (!count++) html(b, "<ul>");
    html(b, "<li><strong>%s</strong> \xc2\xb7 %s", mb->name, mb->role);
    if (mb->organisation && *mb->organisation) html(b, " \xc2\xb7 %s", mb->organisation);
    if (!mb->has_account) html(b, " <span class=\"muted\">(%s)</span>", _("no account"));
    bool any = false;
    for (size_t k = 0; k < nlines; k++) {
      if (lines[k].dst != (int)i) continue;
      const char *from = lines[k].src < 0 ? m->participant : m->members[lines[k].src].name;
      if (any) html(b, "; ");
      else html(b, "<div class=\"small\">%s ", _("Receives:"));
      html(b, "%s", arena_printf(a, _("from %s: %s"), from ? from : "", join(a, lines[k].cats, lines[k].ncats)));
      any = true;
    }
    if (any) html(b, "</div>");
    html(b, "</li>");
  }
  if (count) html(b, "</ul>");
  else {
    bool hidden = m->hidden_side && is_work(m->hidden_side) == work;
    html(b, " <span class=\"muted\">%s</span>", hidden ? _("Not shown to you") : _("No members yet"));
  }
  html(b, "</li>");
}

Markup netmap_list(Arena *a, const NetMap *m) {
  size_t nlines;
  Line *lines = build_lines(a, m, &nlines);
  Buf b = {0};
  html(&b, "<div class=\"netmap-list\"><ul>");
  html(&b, "<li><span class=\"side\">%s</span>: %s</li>", _("Participant"), m->participant ? m->participant : "");
  html(&b, "<li><span class=\"side\">%s</span>: ", m->ncoaches > 1 ? _("Coaches (bridge)") : _("Coach (bridge)"));
  for (size_t i = 0; i < m->ncoaches; i++) html(&b, "%s%s", i ? ", " : "", m->coaches[i]);
  if (!m->ncoaches) html(&b, "%s", _("none assigned"));
  html(&b, "</li>");
  list_side(&b, a, m, lines, nlines, false);
  list_side(&b, a, m, lines, nlines, true);
  html(&b, "</ul></div>");
  char *s = arena_strndup(a, b.p, b.len);
  buf_free(&b);
  return markup_from_renderer_(s);
}
