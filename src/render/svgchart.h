/*
 * svgchart.h — a horizontal bar chart as inline SVG, drawn by the server (no JavaScript): one bar per row,
 * its label on the left and its value on the right. A value that may not be shown (a suppressed cell) has
 * no bar and the text given for it ("fewer than 5"). The SVG scales to its container (viewBox, width
 * 100%), uses presentation attributes only (the CSP forbids inline styles), is an image with a title and
 * a description for screen readers (role="img", aria-labelledby), and prints in black on white. The page
 * shows the same figures in a table beside it.
 *
 * Pure: no database, no request. Every text is HTML-escaped before it enters the SVG.
 */
#ifndef ZW_SVGCHART_H
#define ZW_SVGCHART_H

#include <stdbool.h>

#include "core/mem.h"
#include "html/html.h"

typedef struct ChartBar {
  const char *label; /* plain text */
  double value;      /* >= 0; ignored when !shown */
  bool shown;
  const char *text;  /* the value as the table shows it ("12", "45 %", "fewer than 5") */
} ChartBar;

typedef struct Chart {
  const char *id;     /* unique on the page, [a-z0-9-] */
  const char *title;  /* plain text */
  const char *desc;   /* plain text: what the chart shows, and that the table beside it has the figures */
  const ChartBar *bars;
  int nbars;
  double max;         /* the scale's end; 0: the largest shown value */
} Chart;

/* The chart as SVG markup (arena string). Cannot fail. */
Markup svgchart_bars(Arena *a, const Chart *c);

#endif
