/*
 * plan_pdf.c — see plan_pdf.h. Units are PDF points (1/72 inch); A4 is 595.28 x 841.89.
 */
#include "render/plan_pdf.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <cairo.h>
#include <pango/pangocairo.h>

enum { PDF_BLOCKS_INITIAL = 64 };

/* One font map for the process, made at the first PDF and used under pdf_mu: pango's font maps are not made
 * to be shared between threads, and one per worker thread would be left to fontconfig at the thread's end
 * (LeakSanitizer reports it). PDFs are rare and take milliseconds, so they are made one at a time. Freed at
 * exit (pdf_cleanup), with cairo's and fontconfig's caches. */
static pthread_mutex_t pdf_mu = PTHREAD_MUTEX_INITIALIZER;
static PangoFontMap *fontmap;

static void pdf_cleanup(void) {
  pthread_mutex_lock(&pdf_mu);
  if (fontmap) g_object_unref(fontmap);
  fontmap = NULL;
  cairo_debug_reset_static_data();
  FcFini();
  pthread_mutex_unlock(&pdf_mu);
}

static const double PAGE_W = 595.28, PAGE_H = 841.89, MARGIN = 56.7, FOOTER_H = 28;

void pdf_begin(PdfDoc *d, Arena *a, const char *title, const char *footer) {
  *d = (PdfDoc){.a = a, .title = arena_strdup(a, title), .footer = arena_strdup(a, footer), .cap = PDF_BLOCKS_INITIAL};
  d->blocks = arena_alloc(a, sizeof *d->blocks * (size_t)d->cap);
}

void pdf_add(PdfDoc *d, PdfKind kind, const char *text) {
  if (!text || !*text) return;
  if (d->n == d->cap) {
    PdfBlock *b = arena_alloc(d->a, sizeof *b * (size_t)d->cap * 2);
    memcpy(b, d->blocks, sizeof *b * (size_t)d->n);
    d->blocks = b;
    d->cap *= 2;
  }
  d->blocks[d->n++] = (PdfBlock){.kind = kind, .text = arena_strdup(d->a, text)};
}

/* cairo's output callback: appends to the Buf. */
static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int len) {
  buf_append(closure, data, len);
  return CAIRO_STATUS_SUCCESS;
}

/* How a kind of block looks: font, size, indent, space before, grey. */
typedef struct Style {
  const char *font;
  double indent, before;
  bool grey;
  const char *bullet;
} Style;

static Style style_of(PdfKind k) {
  switch (k) {
    case PDF_TITLE: return (Style){"DejaVu Sans Bold 18", 0, 0, false, NULL};
    case PDF_HEADING: return (Style){"DejaVu Sans Bold 13", 0, 14, false, NULL};
    case PDF_SUBHEADING: return (Style){"DejaVu Sans Bold 11", 0, 10, false, NULL};
    case PDF_SMALL: return (Style){"DejaVu Sans 8.5", 0, 4, true, NULL};
    case PDF_ITEM: return (Style){"DejaVu Sans 10", 16, 4, false, "\xe2\x80\xa2"};
    case PDF_SUBITEM: return (Style){"DejaVu Sans 9.5", 32, 2, false, "\xe2\x80\x93"};
    case PDF_TEXT:
    default: return (Style){"DejaVu Sans 10", 0, 6, false, NULL};
  }
}

/* The footer of page `page`. */
static void footer(cairo_t *cr, PangoContext *ctx, const PdfDoc *d, int page) {
  PangoLayout *l = pango_layout_new(ctx);
  PangoFontDescription *f = pango_font_description_from_string("DejaVu Sans 8");
  pango_layout_set_font_description(l, f);
  cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
  if (d->footer && *d->footer) {
    pango_layout_set_width(l, (int)((PAGE_W - 2 * MARGIN - 40) * PANGO_SCALE));
    pango_layout_set_text(l, d->footer, -1);
    cairo_move_to(cr, MARGIN, PAGE_H - MARGIN + 8);
    pango_cairo_show_layout(cr, l);
  }
  char num[16];
  snprintf(num, sizeof num, "%d", page);
  pango_layout_set_width(l, -1);
  pango_layout_set_text(l, num, -1);
  int w, h;
  pango_layout_get_pixel_size(l, &w, &h);
  cairo_move_to(cr, PAGE_W - MARGIN - w, PAGE_H - MARGIN + 8);
  pango_cairo_show_layout(cr, l);
  pango_font_description_free(f);
  g_object_unref(l);
}

bool pdf_render(const PdfDoc *d, Buf *out) {
  Buf pdf = {0};
  cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_buf, &pdf, PAGE_W, PAGE_H);
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(s);
    return false;
  }
  if (d->title) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, d->title);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "zorgwerk");
  cairo_t *cr = cairo_create(s);
  pthread_mutex_lock(&pdf_mu);
  if (!fontmap) {
    fontmap = pango_cairo_font_map_new();
    atexit(pdf_cleanup);
  }
  PangoContext *ctx = pango_font_map_create_context(fontmap);
  pango_cairo_update_context(cr, ctx);
  double y = MARGIN, bottom = PAGE_H - MARGIN - FOOTER_H;
  int page = 1;
  for (int i = 0; i < d->n; i++) {
    Style st = style_of(d->blocks[i].kind);
    PangoLayout *l = pango_layout_new(ctx);
    PangoFontDescription *f = pango_font_description_from_string(st.font);
    pango_layout_set_font_description(l, f);
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_width(l, (int)((PAGE_W - 2 * MARGIN - st.indent) * PANGO_SCALE));
    pango_layout_set_text(l, d->blocks[i].text, -1);
    int w, h;
    pango_layout_get_pixel_size(l, &w, &h);
    /* a heading keeps at least a line of what follows on its page */
    double need = h + (d->blocks[i].kind <= PDF_SUBHEADING ? 30 : 0);
    if (y > MARGIN && y + st.before + need > bottom) {
      footer(cr, ctx, d, page++);
      cairo_show_page(cr);
      y = MARGIN;
    } else if (y > MARGIN) {
      y += st.before;
    }
    /* line by line, so that a block taller than what is left of the page goes on on the next one */
    PangoLayoutIter *it = pango_layout_get_iter(l);
    double top = y; /* the page position of the layout's origin */
    bool first = true;
    double grey = st.grey ? 0.35 : 0;
    cairo_set_source_rgb(cr, grey, grey, grey);
    do {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
      PangoRectangle lr;
      pango_layout_iter_get_line_extents(it, NULL, &lr);
      int baseline = pango_layout_iter_get_baseline(it);
      double ly = top + (double)lr.y / PANGO_SCALE, lh = (double)lr.height / PANGO_SCALE;
      if (ly + lh > bottom && ly > MARGIN + 1) {
        footer(cr, ctx, d, page++);
        cairo_show_page(cr);
        cairo_set_source_rgb(cr, grey, grey, grey);
        top = MARGIN - (double)lr.y / PANGO_SCALE;
        ly = MARGIN;
      }
      if (first && st.bullet) {
        PangoLayout *b = pango_layout_new(ctx);
        pango_layout_set_font_description(b, f);
        pango_layout_set_text(b, st.bullet, -1);
        cairo_move_to(cr, MARGIN + st.indent - 11, ly);
        pango_cairo_show_layout(cr, b);
        g_object_unref(b);
      }
      cairo_move_to(cr, MARGIN + st.indent + (double)lr.x / PANGO_SCALE, top + (double)baseline / PANGO_SCALE);
      pango_cairo_show_layout_line(cr, line);
      y = ly + lh;
      first = false;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    pango_font_description_free(f);
    g_object_unref(l);
  }
  footer(cr, ctx, d, page);
  cairo_show_page(cr);
  g_object_unref(ctx);
  cairo_destroy(cr);
  cairo_surface_finish(s);
  pthread_mutex_unlock(&pdf_mu);
  bool ok = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy(s);
  if (ok) buf_append(out, pdf.p, pdf.len);
  buf_free(&pdf);
  return ok;
}
