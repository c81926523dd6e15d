/*
 * ics.h — iCalendar (RFC 5545) output through libical: one meeting as a download, or the personal calendar
 * feed. Times go out as UTC date-times (DTSTART:20270329T080000Z): exact across daylight-saving changes by
 * construction; every calendar program shows them in its own zone, and X-WR-TIMEZONE names the portal's zone
 * (setting `timezone`) for the programs that read it. The caller decides what an event carries: the feed
 * passes no location and no description (no case content), the download for an attendee does.
 */
#ifndef ZW_RENDER_ICS_H
#define ZW_RENDER_ICS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/mem.h"

/* One event. summary is required; location, description and url may be NULL (left out). uid is unique and
 * stable per event (e.g. "meeting-12@host"); stamp the DTSTAMP (unix seconds). */
typedef struct IcsEvent {
  const char *uid, *summary, *location, *description, *url;
  int64_t starts_at, minutes, stamp;
  int sequence;   /* 0 at creation, raised by every change and by the cancellation */
  bool cancelled; /* STATUS:CANCELLED instead of CONFIRMED */
} IcsEvent;

/* The METHOD of a calendar (RFC 5546): a feed or download publishes; a mail to an attendee requests (an
 * invitation or a change, same UID and a higher SEQUENCE) or cancels. */
typedef enum IcsMethod { ICS_PUBLISH, ICS_REQUEST, ICS_CANCEL } IcsMethod;

/* A VCALENDAR (PRODID, VERSION 2.0, CALSCALE GREGORIAN, METHOD PUBLISH, X-WR-CALNAME calname if not NULL,
 * X-WR-TIMEZONE zone if not NULL) with the n events, as CRLF-terminated, folded text in the arena a. Never
 * NULL: on an allocation failure inside libical it aborts like every allocation of the program. */
const char *ics_calendar(Arena *a, const char *calname, const char *zone, const IcsEvent *ev, int n);

/* ics_calendar with METHOD method. */
const char *ics_calendar_method(Arena *a, const char *calname, const char *zone, IcsMethod method, const IcsEvent *ev,
                                int n);

#endif
