/*
 * ics.c — see ics.h. Builds the components with libical and lets it escape and fold the text values, so
 * that a comma, a semicolon or a new line in a place or an agenda cannot break the calendar.
 */
#include "render/ics.h"

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

/* A UTC date-time for unix time t. */
static struct icaltimetype utc_time(int64_t t) {
  return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

const char *ics_calendar(Arena *a, const char *calname, const char *zone, const IcsEvent *ev, int n) {
  return ics_calendar_method(a, calname, zone, ICS_PUBLISH, ev, n);
}

const char *ics_calendar_method(Arena *a, const char *calname, const char *zone, IcsMethod method, const IcsEvent *ev,
                                int n) {
  icalproperty_method m = method == ICS_CANCEL    ? ICAL_METHOD_CANCEL
                          : method == ICS_REQUEST ? ICAL_METHOD_REQUEST
                                                  : ICAL_METHOD_PUBLISH;
  icalcomponent *cal = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
                                           icalproperty_new_prodid("-//zorgwerk//Zorg & Werk portaal//NL"),
                                           icalproperty_new_calscale("GREGORIAN"), icalproperty_new_method(m),
                                           (void *)0);
  if (!cal) abort();
  if (calname) {
    icalproperty *p = icalproperty_new_x(calname);
    icalproperty_set_x_name(p, "X-WR-CALNAME");
    icalcomponent_add_property(cal, p);
  }
  if (zone) {
    icalproperty *p = icalproperty_new_x(zone);
    icalproperty_set_x_name(p, "X-WR-TIMEZONE");
    icalcomponent_add_property(cal, p);
  }
  for (int i = 0; i < n; i++) {
    const IcsEvent *e = &ev[i];
    icalcomponent *v = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    if (!v) abort();
    icalcomponent_add_property(v, icalproperty_new_uid(e->uid));
    icalcomponent_add_property(v, icalproperty_new_dtstamp(utc_time(e->stamp)));
    icalcomponent_add_property(v, icalproperty_new_dtstart(utc_time(e->starts_at)));
    icalcomponent_add_property(v, icalproperty_new_dtend(utc_time(e->starts_at + e->minutes * 60)));
    icalcomponent_add_property(v, icalproperty_new_sequence(e->sequence));
    icalcomponent_add_property(v, icalproperty_new_summary(e->summary));
    if (e->location && *e->location) icalcomponent_add_property(v, icalproperty_new_location(e->location));
    if (e->description && *e->description)
      icalcomponent_add_property(v, icalproperty_new_description(e->description));
    if (e->url && *e->url) icalcomponent_add_property(v, icalproperty_new_url(e->url));
    icalcomponent_add_property(v, icalproperty_new_status(e->cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
    icalcomponent_add_property(v, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
    icalcomponent_add_component(cal, v);
  }
  char *s = icalcomponent_as_ical_string_r(cal);
  if (!s) abort();
  const char *out = arena_strdup(a, s);
  free(s);
  icalcomponent_free(cal);
  return out;
}
