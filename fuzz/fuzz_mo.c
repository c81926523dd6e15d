/*
 * fuzz_mo.c — fuzz target for i18n_add_catalogue (the GNU .mo reader) and lookups in what it accepts.
 *
 * i18n.c keeps every accepted catalogue (and a pointer to its data) in a static table of eight, so a
 * fuzzer that called it through the library would stop testing anything after eight accepted inputs, and
 * could never free their data. This file therefore compiles i18n.c into itself (its static table becomes
 * reachable here) and empties the table after every input. Its definitions take the place of the
 * library's copy of i18n.o, which the linker then never pulls from the archive; it also means the reader
 * is compiled with the fuzzer's coverage instrumentation.
 *
 * Each input is copied into a heap buffer of exactly its size, so AddressSanitizer catches a read past
 * the end. Properties: no out-of-bounds read while checking or looking up; after acceptance, looking up
 * any original string (and the input itself), singular or as a plural entry for several n, returns either
 * the msgid (or plural) pointer or a NUL-terminated string inside the catalogue data; a big-endian or
 * short catalogue is refused.
 */
#include "i18n/i18n.c"

#include <stdlib.h>

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void check_result(const char *got, const char *msgid, const unsigned char *data, size_t len) {
  if (got == msgid) return;
  const unsigned char *g = (const unsigned char *)got;
  CHECK(g >= data && g < data + len);
  CHECK(memchr(g, 0, (size_t)(data + len - g)) != NULL);
}

/* The plural lookup for a few n: the English singular or plural pointer, or a string inside the data. */
static void check_plural(const char *singular, const unsigned char *data, size_t len) {
  static const char plural[] = "plural";
  static const unsigned long ns[] = {0, 1, 2, 21, 4294967295ul};
  for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
    const char *got = i18n_ntr_in("fz", singular, plural, ns[k]);
    if (got == singular || got == plural) continue;
    check_result(got, singular, data, len);
  }
}

static void forget_catalogues(void) {
  i18n_use(NULL);
  memset(cats, 0, sizeof cats);
  ncats = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  forget_catalogues();
  unsigned char *copy = malloc(size ? size : 1);
  CHECK(copy);
  memcpy(copy, data, size);
  bool ok = i18n_add_catalogue("fz", copy, size);
  if (size < 28 || rd32(copy) != 0x950412de) CHECK(!ok);
  if (ok) {
    CHECK(ncats == 1 && i18n_known("fz"));
    const Catalogue *c = &cats[0];
    /* Every original string, as a caller would pass it. */
    uint32_t limit = c->n < 4096 ? c->n : 4096;
    for (uint32_t i = 0; i < limit; i++) {
      uint32_t l;
      const char *o = entry(c, c->orig, i, &l);
      CHECK(o != NULL);
      check_result(i18n_tr_in("fz", o), o, copy, size);
      check_plural(o, copy, size);
    }
    /* The input as a msgid, and the thread's current language. */
    char *s = malloc(size + 1);
    CHECK(s);
    memcpy(s, data, size);
    s[size] = 0;
    check_result(i18n_tr_in("fz", s), s, copy, size);
    check_plural(s, copy, size);
    i18n_use("fz");
    CHECK(strcmp(i18n_lang(), "fz") == 0);
    check_result(i18n_tr(s), s, copy, size);
    static const char empty[] = "";
    check_result(i18n_tr(empty), empty, copy, size);
    free(s);
  }
  forget_catalogues();
  free(copy);
  return 0;
}
