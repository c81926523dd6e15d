/*
 * svgchart.c — see svgchart.h.
 */
#include "render/svgchart.h"

#include <string.h>

/* Narrow enough that the text stays at least 10 px on a 360 px phone: each row has its label on top and its
 * bar with the value below it. */
enum { W = 360, ROW_H = 42, PAD = 6, VALUE_W = 104, FONT = 13 };

Markup svgchart_bars(Arena *a, const Chart *c) {
  double max = c->max;
  for (int i = 0; i < c->nbars && c->max <= 0; i++)
    if (c->bars[i].shown && c->bars[i].value > max) max = c->bars[i].value;
  int height = PAD * 2 + ROW_H * (c->nbars ? c->nbars : 1);
  int bar_w = W - VALUE_W - PAD * 2, stub = bar_w / 12;
  Buf b = {0};
  html(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-bars\" viewBox=\"0 0 %d %d\" width=\"100%%\" "
           "role=\"img\" aria-labelledby=\"%s-title %s-desc\">",
       W, height, c->id, c->id);
  html(&b, "<title id=\"%s-title\">%s</title><desc id=\"%s-desc\">%s</desc>", c->id, c->title, c->id, c->desc);
  html(&b, "<g font-family=\"system-ui, sans-serif\" font-size=\"%d\">", FONT);
  for (int i = 0; i < c->nbars; i++) {
    const ChartBar *bar = &c->bars[i];
    int y = PAD + ROW_H * i;
    html(&b, "<text x=\"%d\" y=\"%d\" fill=\"#1a1a1a\">%s</text>", PAD, y + FONT, bar->label);
    int w = 0;
    if (bar->shown && max > 0) w = (int)(bar->value / max * bar_w + 0.5);
    if (w > bar_w) w = bar_w;
    if (bar->shown)
      html(&b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"14\" fill=\"#1d5c8f\" stroke=\"#000000\" "
               "stroke-width=\"0.5\"/>",
           PAD, y + 19, w);
    else
      html(&b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"14\" fill=\"none\" stroke=\"#6b6b6b\" "
               "stroke-dasharray=\"3 3\"/>",
           PAD, y + 19, stub);
    html(&b, "<text x=\"%d\" y=\"%d\" fill=\"#1a1a1a\">%s</text>", PAD + (bar->shown ? w : stub) + 6, y + 31,
         bar->text ? bar->text : "");
  }
  html(&b, "</g></svg>");
  char *s = arena_strndup(a, b.p ? b.p : "", b.len);
  buf_free(&b);
  return markup_from_renderer_(s);
}
