/*
 * plan_pdf.h — a small document of headings, paragraphs and list items laid out as an A4 PDF with cairo and
 * pango: real text (selectable, searchable, read by screen readers and pdftotext), wrapped to the page width
 * and broken over pages, with a footer on every page. The action plan's PDF (pages/plan_pdf.c) is written
 * with it; the page decides every word, this file only lays them out.
 *
 * Text is set as plain text (pango_layout_set_text), never as markup, so nothing in it is interpreted.
 * Fonts come from fontconfig ("DejaVu Sans", Debian's fonts-dejavu-core, or the closest sans-serif).
 */
#ifndef ZW_RENDER_PLAN_PDF_H
#define ZW_RENDER_PLAN_PDF_H

#include <stdbool.h>

#include "core/mem.h"

typedef enum PdfKind {
  PDF_TITLE,   /* the document's title, large */
  PDF_HEADING, /* a section heading */
  PDF_SUBHEADING,
  PDF_TEXT,    /* a paragraph */
  PDF_SMALL,   /* a paragraph in small grey type */
  PDF_ITEM,    /* a list item with a bullet */
  PDF_SUBITEM, /* a list item one level deeper */
} PdfKind;

typedef struct PdfBlock {
  PdfKind kind;
  const char *text; /* UTF-8 */
} PdfBlock;

typedef struct PdfDoc {
  Arena *a;
  const char *title;  /* the PDF's metadata title */
  const char *footer; /* on every page, left; the page number goes right ("n / N" is not known ahead: "n") */
  PdfBlock *blocks;
  int n, cap;
} PdfDoc;

/* Starts an empty document; blocks are allocated in a. Cannot fail. */
void pdf_begin(PdfDoc *d, Arena *a, const char *title, const char *footer);

/* Adds a block (text copied into the arena; NULL or "" adds nothing). Cannot fail. */
void pdf_add(PdfDoc *d, PdfKind kind, const char *text);

/* Lays the document out on A4 pages and appends the PDF to out. Returns false (out unchanged) when cairo
 * cannot make the PDF. */
bool pdf_render(const PdfDoc *d, Buf *out);

#endif
