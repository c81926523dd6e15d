/*
 * test_ics.c — unit tests for the iCalendar output (src/render/ics.c): the text is parsed back with libical
 * and checked against RFC 5545 — one VCALENDAR with VERSION 2.0 and PRODID, each VEVENT with UID, DTSTAMP,
 * DTSTART and DTEND in UTC (exact across daylight-saving changes), the summary, and optional properties left
 * out when not given; text with commas, semicolons and new lines survives; lines end in CRLF and are folded at
 * 75 octets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <libical/ical.h>

#include "render/ics.h"

static Arena *a;

static int setup(void **state) {
  (void)state;
  a = arena_new();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  arena_free(a);
  return 0;
}

/* Parses s and checks that libical finds no error in it (X-LIC-ERROR properties mark what it could not
 * read); returns the VCALENDAR. */
static icalcomponent *parse_ok(const char *s) {
  icalcomponent *cal = icalparser_parse_string(s);
  assert_non_null(cal);
  assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
  assert_int_equal(icalcomponent_count_errors(cal), 0);
  assert_non_null(icalcomponent_get_first_property(cal, ICAL_PRODID_PROPERTY));
  icalproperty *v = icalcomponent_get_first_property(cal, ICAL_VERSION_PROPERTY);
  assert_non_null(v);
  assert_string_equal(icalproperty_get_version(v), "2.0");
  return cal;
}

/* Every line ends in CRLF and is at most 75 octets long (RFC 5545 3.1). */
static void lines_ok(const char *s) {
  const char *p = s;
  while (*p) {
    const char *nl = strchr(p, '\n');
    assert_non_null(nl);
    assert_true(nl > p && nl[-1] == '\r');
    assert_true(nl - 1 - p <= 75);
    p = nl + 1;
  }
}

static void test_one_event(void **state) {
  (void)state;
  /* 2027-03-28 is the day the clocks go forward in Europe: 08:00 UTC is 10:00 in Brussels */
  IcsEvent e = {.uid = "meeting-7@portal.example", .summary = "Afspraak Zorg & Werk",
                .location = "Room 2, floor 3; next to the lift\nring the bell",
                .description = "Network consultation", .url = "https://portal.example/t/1/meetings/7",
                .starts_at = 1806220800, .minutes = 90, .stamp = 1800000000};
  const char *s = ics_calendar(a, NULL, "Europe/Brussels", &e, 1);
  lines_ok(s);
  assert_non_null(strstr(s, "BEGIN:VCALENDAR\r\n"));
  assert_non_null(strstr(s, "DTSTART:20270328T080000Z\r\n"));
  assert_non_null(strstr(s, "DTEND:20270328T093000Z\r\n"));
  icalcomponent *cal = parse_ok(s);
  icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
  assert_non_null(ev);
  assert_string_equal(icalcomponent_get_uid(ev), "meeting-7@portal.example");
  assert_string_equal(icalcomponent_get_summary(ev), "Afspraak Zorg & Werk");
  assert_string_equal(icalcomponent_get_location(ev), "Room 2, floor 3; next to the lift\nring the bell");
  struct icaltimetype st = icalcomponent_get_dtstart(ev), en = icalcomponent_get_dtend(ev);
  assert_true(icaltime_is_utc(st));
  assert_int_equal((int64_t)icaltime_as_timet(st), 1806220800);
  assert_int_equal((int64_t)icaltime_as_timet(en), 1806220800 + 90 * 60);
  assert_non_null(icalcomponent_get_first_property(ev, ICAL_DTSTAMP_PROPERTY));
  icalproperty *u = icalcomponent_get_first_property(ev, ICAL_URL_PROPERTY);
  assert_non_null(u);
  assert_string_equal(icalproperty_get_url(u), "https://portal.example/t/1/meetings/7");
  assert_null(icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT));
  icalcomponent_free(cal);
}

/* The feed's events: no location, no description — the properties are absent, not empty. */
static void test_feed_without_content(void **state) {
  (void)state;
  IcsEvent ev[3];
  for (int i = 0; i < 3; i++)
    ev[i] = (IcsEvent){.uid = i == 0 ? "a@x" : i == 1 ? "b@x" : "c@x", .summary = "Afspraak Zorg & Werk",
                       .starts_at = 1793520000 + i * 86400, .minutes = 60, .stamp = 1790000000};
  const char *s = ics_calendar(a, "Zorg & Werk", "Europe/Brussels", ev, 3);
  lines_ok(s);
  assert_null(strstr(s, "LOCATION"));
  assert_null(strstr(s, "DESCRIPTION"));
  icalcomponent *cal = parse_ok(s);
  int n = 0;
  for (icalcomponent *c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); c;
       c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
    assert_null(icalcomponent_get_first_property(c, ICAL_LOCATION_PROPERTY));
    assert_null(icalcomponent_get_first_property(c, ICAL_DESCRIPTION_PROPERTY));
    assert_true(icaltime_is_utc(icalcomponent_get_dtstart(c)));
    n++;
  }
  assert_int_equal(n, 3);
  icalcomponent_free(cal);
}

/* An empty feed is still a valid calendar; a long summary is folded and unfolds to the same text. */
static void test_empty_and_folding(void **state) {
  (void)state;
  const char *s = ics_calendar(a, NULL, NULL, NULL, 0);
  icalcomponent *cal = parse_ok(s);
  assert_null(icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT));
  icalcomponent_free(cal);
  char long_text[301];
  memset(long_text, 'x', 300);
  long_text[300] = '\0';
  IcsEvent e = {.uid = "l@x", .summary = long_text, .starts_at = 1790000000, .minutes = 30, .stamp = 1790000000};
  s = ics_calendar(a, NULL, NULL, &e, 1);
  lines_ok(s);
  cal = parse_ok(s);
  assert_string_equal(icalcomponent_get_summary(icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT)),
                      long_text);
  icalcomponent_free(cal);
}

/* A change to a meeting is sent as METHOD:REQUEST with the same UID and a higher SEQUENCE; a cancellation as
 * METHOD:CANCEL with STATUS:CANCELLED (RFC 5546 3.2.2, 3.2.5); a feed keeps a cancelled event, marked so. */
static void test_change_and_cancellation(void **state) {
  (void)state;
  IcsEvent e = {.uid = "meeting-9@portal.example", .summary = "Care & Work appointment", .starts_at = 1806220800,
                .minutes = 60, .stamp = 1800000000};
  icalcomponent *cal = parse_ok(ics_calendar_method(a, NULL, NULL, ICS_REQUEST, &e, 1));
  assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_REQUEST);
  icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
  assert_int_equal(icalcomponent_get_sequence(ev), 0);
  assert_int_equal(icalcomponent_get_status(ev), ICAL_STATUS_CONFIRMED);
  icalcomponent_free(cal);
  e.sequence = 1;
  e.starts_at += 3600;
  cal = parse_ok(ics_calendar_method(a, NULL, NULL, ICS_REQUEST, &e, 1));
  ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
  assert_string_equal(icalcomponent_get_uid(ev), "meeting-9@portal.example");
  assert_int_equal(icalcomponent_get_sequence(ev), 1);
  assert_int_equal((int64_t)icaltime_as_timet(icalcomponent_get_dtstart(ev)), 1806220800 + 3600);
  icalcomponent_free(cal);
  e.sequence = 2;
  e.cancelled = true;
  const char *s = ics_calendar_method(a, NULL, NULL, ICS_CANCEL, &e, 1);
  lines_ok(s);
  assert_non_null(strstr(s, "METHOD:CANCEL\r\n"));
  cal = parse_ok(s);
  assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_CANCEL);
  ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
  assert_string_equal(icalcomponent_get_uid(ev), "meeting-9@portal.example");
  assert_int_equal(icalcomponent_get_sequence(ev), 2);
  assert_int_equal(icalcomponent_get_status(ev), ICAL_STATUS_CANCELLED);
  icalcomponent_free(cal);
  cal = parse_ok(ics_calendar(a, "Zorg & Werk", "Europe/Brussels", &e, 1));
  assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_PUBLISH);
  assert_int_equal(icalcomponent_get_status(icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT)),
                   ICAL_STATUS_CANCELLED);
  icalcomponent_free(cal);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_one_event),
      cmocka_unit_test(test_feed_without_content),
      cmocka_unit_test(test_empty_and_folding),
      cmocka_unit_test(test_change_and_cancellation),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
