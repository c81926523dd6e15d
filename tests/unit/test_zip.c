/*
 * test_zip.c — unit tests for the stored ZIP writer (src/render/zip.c): the CRC-32 check value, and archives
 * read back by Python's zipfile (an independent reader: names, sizes, contents, CRCs verified by testzip, the
 * date), including an empty file, a file in a folder, a UTF-8 name and binary data; the limits are refused.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "render/zip.h"

static void test_crc32_check_value(void **state) {
  (void)state;
  assert_int_equal(zip_crc32("123456789", 9), 0xCBF43926u); /* the CRC-32 check value */
  assert_int_equal(zip_crc32("", 0), 0);
}

/* Writes b to a temporary file and has Python's zipfile check it against the expected listing; returns the
 * exit status of the script (0: everything as expected). */
static int python_reads(const Buf *b, const char *script, bool quiet) {
  char path[] = "/tmp/zw-test-zip-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, b->p, b->len), (ssize_t)b->len);
  close(fd);
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "python3 -c '%s' %s%s", script, path, quiet ? " 2>/dev/null" : "");
  int rc = system(cmd);
  unlink(path);
  return rc;
}

static void test_python_reads_it_back(void **state) {
  (void)state;
  Arena *a = arena_new();
  Buf b = {0};
  buf_puts(&b, "prefix that is not part of the archive");
  size_t start = b.len;
  ZipWriter z;
  zip_begin(&z, &b, a, 1764892800); /* 2025-12-05 00:00:00 UTC */
  const char *json = "{\"name\": \"An\", \"notes\": [1, 2, 3]}\n";
  unsigned char bin[256];
  for (int i = 0; i < 256; i++) bin[i] = (unsigned char)i;
  assert_true(zip_add(&z, "data.json", json, strlen(json)));
  assert_true(zip_add(&z, "empty.txt", "", 0));
  assert_true(zip_add(&z, "folder/bin.dat", bin, sizeof bin));
  assert_true(zip_add(&z, "gegevens-\xc3\xa9\xc3\xa9n.html", "<p>\xc3\xa9</p>", 9));
  assert_true(zip_end(&z));
  Buf only = {.p = b.p + start, .len = b.len - start};
  const char *script =
      "import sys, zipfile\n"
      "z = zipfile.ZipFile(sys.argv[1])\n"
      "assert z.testzip() is None, \"bad CRC\"\n"
      "names = [i.filename for i in z.infolist()]\n"
      "assert names == [\"data.json\", \"empty.txt\", \"folder/bin.dat\", \"gegevens-\\u00e9\\u00e9n.html\"], names\n"
      "assert z.read(\"data.json\") == b\"{\\\"name\\\": \\\"An\\\", \\\"notes\\\": [1, 2, 3]}\\n\"\n"
      "assert z.read(\"empty.txt\") == b\"\"\n"
      "assert z.read(\"folder/bin.dat\") == bytes(range(256))\n"
      "assert z.read(\"gegevens-\\u00e9\\u00e9n.html\").decode() == \"<p>\\u00e9</p>\"\n"
      "assert all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist())\n"
      "assert z.getinfo(\"data.json\").date_time == (2025, 12, 5, 0, 0, 0), z.getinfo(\"data.json\").date_time\n";
  /* the script goes between single quotes in the shell: it has none */
  assert_null(strchr(script, '\''));
  assert_int_equal(python_reads(&only, script, false), 0);
  /* a reader that is handed a corrupted copy notices (the test can fail) */
  only.p[40] ^= 0x01; /* inside data.json's bytes */
  assert_int_not_equal(python_reads(&only, script, true), 0);
  buf_free(&b);
  arena_free(a);
}

static void test_empty_archive(void **state) {
  (void)state;
  Arena *a = arena_new();
  Buf b = {0};
  ZipWriter z;
  zip_begin(&z, &b, a, 0);
  assert_true(zip_end(&z));
  assert_int_equal(b.len, 22); /* only the end record */
  assert_int_equal(python_reads(&b, "import sys, zipfile\nassert zipfile.ZipFile(sys.argv[1]).namelist() == []\n", false), 0);
  buf_free(&b);
  arena_free(a);
}

static void test_refusals(void **state) {
  (void)state;
  Arena *a = arena_new();
  Buf b = {0};
  ZipWriter z;
  zip_begin(&z, &b, a, 0);
  assert_false(zip_add(&z, "", "x", 1)); /* no name */
  assert_false(zip_add(&z, "ok.txt", "x", 1)); /* the archive failed: nothing more is added */
  assert_false(zip_end(&z));
  buf_free(&b);
  arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_crc32_check_value),
      cmocka_unit_test(test_python_reads_it_back),
      cmocka_unit_test(test_empty_archive),
      cmocka_unit_test(test_refusals),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
