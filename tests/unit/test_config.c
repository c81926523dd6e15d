/*
 * test_config.c — unit tests for settings (src/core/config.c): defaults, the "key = value" file format
 * with quotes and comments, error messages that name the line, value ranges, booleans, the environment
 * and the file loader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/config.h"

static bool parse(Config *c, const char *text, char *err, size_t errlen) {
  config_defaults(c);
  return config_parse(c, text, strlen(text), err, errlen);
}

static void test_defaults(void **state) {
  (void)state;
  Config c;
  memset(&c, 0x5a, sizeof c);
  config_defaults(&c);
  assert_string_equal(c.listen, "127.0.0.1:8080");
  assert_string_equal(c.db, "zorgwerk.db");
  assert_string_equal(c.base_url, "");
  assert_string_equal(c.lang, "nl");
  assert_int_equal(c.threads, 0);
  assert_int_equal(c.conn_timeout, 30);
  assert_int_equal(c.request_deadline_s, 30);
  assert_int_equal(c.conn_limit, 1024);
  assert_int_equal(c.per_ip_limit, 64);
  assert_int_equal(c.max_body_kib, 1024);
  assert_int_equal(c.session_idle, 1800);
  assert_int_equal(c.session_absolute, 43200);
  assert_false(c.tls);
  assert_false(c.totp_everyone);
  assert_false(c.access_log_off);
  assert_int_equal(c.page_size, 25);
  assert_int_equal(c.lock_after, 100);
  assert_int_equal(c.reset_link_hours, 72);
}

static void test_key_value_lines(void **state) {
  (void)state;
  Config c;
  char err[256] = "";
  assert_true(parse(&c,
                    "listen = 0.0.0.0:9000\n"
                    "db=/var/lib/zorgwerk/zw.db\n"
                    "  threads   =   4  \n"
                    "\tpage_size\t=\t50\t\n"
                    "base_url = https://portaal.example.org\n",
                    err, sizeof err));
  assert_string_equal(c.listen, "0.0.0.0:9000");
  assert_string_equal(c.db, "/var/lib/zorgwerk/zw.db");
  assert_int_equal(c.threads, 4);
  assert_int_equal(c.page_size, 50);
  assert_string_equal(c.base_url, "https://portaal.example.org");
  /* Unset keys keep their defaults. */
  assert_int_equal(c.conn_limit, 1024);
  /* A later line wins. */
  assert_true(parse(&c, "threads = 2\nthreads = 3", err, sizeof err));
  assert_int_equal(c.threads, 3);
  /* Empty text is fine. */
  assert_true(parse(&c, "", err, sizeof err));
}

static void test_quotes(void **state) {
  (void)state;
  Config c;
  char err[256] = "";
  assert_true(parse(&c, "db = \"/srv/my data/zw.db\"\n", err, sizeof err));
  assert_string_equal(c.db, "/srv/my data/zw.db");
  assert_true(parse(&c, "base_url = \"\"\n", err, sizeof err));
  assert_string_equal(c.base_url, "");
  assert_true(parse(&c, "db = \"  spaced  \"\n", err, sizeof err));
  assert_string_equal(c.db, "  spaced  ");
  /* A single quote character is a value, not a quoted empty string. */
  assert_true(parse(&c, "db = \"\n", err, sizeof err));
  assert_string_equal(c.db, "\"");
  assert_true(parse(&c, "threads = \"8\"\n", err, sizeof err));
  assert_int_equal(c.threads, 8);
}

static void test_comments_and_blank_lines(void **state) {
  (void)state;
  Config c;
  char err[256] = "";
  assert_true(parse(&c,
                    "# zorgwerk\n"
                    "\n"
                    "   \t\n"
                    "   # indented comment\n"
                    "threads = 6 # trailing comment\n"
                    "lang = en#no space\n"
                    "tls = true\r\n",
                    err, sizeof err));
  assert_int_equal(c.threads, 6);
  assert_string_equal(c.lang, "en");
  assert_true(c.tls);
}

static void test_unknown_key_names_line(void **state) {
  (void)state;
  Config c;
  char err[256] = "";
  assert_false(parse(&c, "# header\nthreads = 2\nno_such_key = 1\nlang = en\n", err, sizeof err));
  assert_non_null(strstr(err, "line 3"));
  assert_non_null(strstr(err, "no_such_key"));
  /* Lines before the bad one have been applied, lines after it not. */
  assert_int_equal(c.threads, 2);
  assert_string_equal(c.lang, "nl");
  /* Keys are case-sensitive. */
  assert_false(parse(&c, "Threads = 2", err, sizeof err));
  assert_non_null(strstr(err, "line 1"));
}

static void test_syntax_errors(void **state) {
  (void)state;
  Config c;
  char err[256] = "";
  assert_false(parse(&c, "threads = 1\njust words\n", err, sizeof err));
  assert_non_null(strstr(err, "line 2"));
  assert_false(parse(&c, "= 5\n", err, sizeof err));
  assert_non_null(strstr(err, "line 1"));
  /* A NUL byte inside a line is refused. */
  config_defaults(&c);
  assert_false(config_parse(&c, "lang = n\0l\n", 11, err, sizeof err));
  assert_non_null(strstr(err, "line 1"));
  /* An over-long line is refused rather than cut. */
  char *long_line = malloc(5000);
  assert_non_null(long_line);
  memset(long_line, 'x', 4999);
  long_line[4999] = 0;
  memcpy(long_line, "db = ", 5);
  assert_false(parse(&c, long_line, err, sizeof err));
  assert_non_null(strstr(err, "line 1"));
  free(long_line);
}

static void test_int_ranges(void **state) {
  (void)state;
  Config c;
  char err[256] = "";
  assert_true(parse(&c, "threads = 0\nthreads = 256", err, sizeof err));
  assert_int_equal(c.threads, 256);
  assert_false(parse(&c, "threads = 257", err, sizeof err));
  assert_non_null(strstr(err, "line 1"));
  assert_non_null(strstr(err, "threads"));
  assert_non_null(strstr(err, "0 to 256"));
  assert_false(parse(&c, "threads = -1", err, sizeof err));
  assert_false(parse(&c, "page_size = 4", err, sizeof err));
  assert_true(parse(&c, "page_size = 5", err, sizeof err));
  assert_false(parse(&c, "page_size = 501", err, sizeof err));
  assert_false(parse(&c, "page_size = 12abc", err, sizeof err));
  assert_false(parse(&c, "page_size = ", err, sizeof err));
  assert_false(parse(&c, "page_size = 1.5", err, sizeof err));
  assert_false(parse(&c, "conn_limit = 99999999999999999999", err, sizeof err));
  assert_true(parse(&c, "login_delay_max_ms = 3600000", err, sizeof err));
  assert_int_equal(c.login_delay_max_ms, 3600000);
  assert_false(parse(&c, "login_delay_max_ms = 3600001", err, sizeof err));
  assert_non_null(strstr(err, "line 1"));
}

static void test_bools(void **state) {
  (void)state;
  Config c;
  char err[256] = "";
  static const char *const yes[] = {"true", "1", "yes", "on"};
  static const char *const no[] = {"false", "0", "no", "off"};
  char line[64];
  for (size_t i = 0; i < 4; i++) {
    snprintf(line, sizeof line, "tls = %s", yes[i]);
    assert_true(parse(&c, line, err, sizeof err));
    assert_true(c.tls);
    snprintf(line, sizeof line, "tls = true\ntls = %s", no[i]);
    assert_true(parse(&c, line, err, sizeof err));
    assert_false(c.tls);
  }
  assert_false(parse(&c, "totp_everyone = maybe", err, sizeof err));
  assert_non_null(strstr(err, "line 1"));
  assert_non_null(strstr(err, "true or false"));
  assert_false(parse(&c, "tls = TRUE", err, sizeof err));
  assert_false(parse(&c, "tls = ", err, sizeof err));
}

static void test_string_too_long(void **state) {
  (void)state;
  Config c;
  char err[256] = "";
  assert_false(parse(&c, "lang = abcdefgh", err, sizeof err)); /* lang holds 7 characters */
  assert_non_null(strstr(err, "too long"));
  assert_string_equal(c.lang, "nl");
  assert_true(parse(&c, "lang = abcdefg", err, sizeof err));
  assert_string_equal(c.lang, "abcdefg");
}

static void test_config_set(void **state) {
  (void)state;
  Config c;
  char err[256] = "";
  config_defaults(&c);
  assert_true(config_set(&c, "conn_timeout", "60", err, sizeof err));
  assert_int_equal(c.conn_timeout, 60);
  assert_false(config_set(&c, "conn_timeout", "0", err, sizeof err));
  assert_int_equal(c.conn_timeout, 60);
  /* the whole-request deadline: 5..600 seconds */
  assert_true(config_set(&c, "request_deadline_s", "5", err, sizeof err));
  assert_true(config_set(&c, "request_deadline_s", "600", err, sizeof err));
  assert_int_equal(c.request_deadline_s, 600);
  assert_false(config_set(&c, "request_deadline_s", "4", err, sizeof err));
  assert_false(config_set(&c, "request_deadline_s", "601", err, sizeof err));
  assert_int_equal(c.request_deadline_s, 600);
  assert_false(config_set(&c, "nope", "1", err, sizeof err));
  assert_non_null(strstr(err, "nope"));
}

static void test_environment(void **state) {
  (void)state;
  Config c;
  char err[256] = "";
  config_defaults(&c);
  setenv("ZORGWERK_THREADS", "12", 1);
  setenv("ZORGWERK_BASE_URL", "https://zw.example", 1);
  assert_true(config_load_env(&c, err, sizeof err));
  assert_int_equal(c.threads, 12);
  assert_string_equal(c.base_url, "https://zw.example");
  setenv("ZORGWERK_PAGE_SIZE", "1", 1);
  assert_false(config_load_env(&c, err, sizeof err));
  assert_non_null(strstr(err, "page_size"));
  unsetenv("ZORGWERK_THREADS");
  unsetenv("ZORGWERK_BASE_URL");
  unsetenv("ZORGWERK_PAGE_SIZE");
}

static void test_load_file(void **state) {
  (void)state;
  char path[] = "/tmp/zw-test-config-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  assert_non_null(f);
  fputs("# test\nthreads = 3\ntls = yes\nlang = \"en\"\n", f);
  fclose(f);
  Config c;
  char err[512] = "";
  config_defaults(&c);
  assert_true(config_load_file(&c, path, err, sizeof err));
  assert_int_equal(c.threads, 3);
  assert_true(c.tls);
  assert_string_equal(c.lang, "en");

  f = fopen(path, "w");
  assert_non_null(f);
  fputs("threads = 3\n\nbogus\n", f);
  fclose(f);
  assert_false(config_load_file(&c, path, err, sizeof err));
  assert_non_null(strstr(err, path));
  assert_non_null(strstr(err, "line 3"));
  unlink(path);

  assert_false(config_load_file(&c, path, err, sizeof err)); /* gone now */
  assert_non_null(strstr(err, path));
}

static void test_print_reads_back(void **state) {
  (void)state;
  Config c, back;
  char err[256] = "";
  config_defaults(&c);
  c.threads = 7;
  c.tls = true;
  strcpy(c.base_url, "https://portaal.example.org");
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  assert_non_null(f);
  config_print(&c, f);
  fclose(f);
  config_defaults(&back);
  assert_true(config_parse(&back, text, len, err, sizeof err));
  assert_int_equal(back.threads, 7);
  assert_true(back.tls);
  assert_string_equal(back.base_url, c.base_url);
  assert_string_equal(back.listen, c.listen);
  assert_int_equal(back.page_size, c.page_size);
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_defaults),
      cmocka_unit_test(test_key_value_lines),
      cmocka_unit_test(test_quotes),
      cmocka_unit_test(test_comments_and_blank_lines),
      cmocka_unit_test(test_unknown_key_names_line),
      cmocka_unit_test(test_syntax_errors),
      cmocka_unit_test(test_int_ranges),
      cmocka_unit_test(test_bools),
      cmocka_unit_test(test_string_too_long),
      cmocka_unit_test(test_config_set),
      cmocka_unit_test(test_environment),
      cmocka_unit_test(test_load_file),
      cmocka_unit_test(test_print_reads_back),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
