/*
 * test_chain.c — the access log's keyed chain and its seal (src/policy/audit.c, src/policy/seal.c): key
 * files (created 0600, refused when open to others or malformed, never replaced), the seal's MAC (a changed
 * value or another key is refused), the boundary between unkeyed and keyed entries, and audit_check finding
 * a removed newest entry, a rewritten sealed entry and a moved boundary, which the chain alone does not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <sys/stat.h>

#include "policy/audit.h"
#include "policy/seal.h"
#include "dbfixture.h"

static char dir[64];

static void paths(char *key, char *seal) {
  snprintf(dir, sizeof dir, "/tmp/zw-chain-XXXXXX");
  assert_non_null(mkdtemp(dir));
  snprintf(key, 128, "%s/key", dir);
  snprintf(seal, 128, "%s/seal", dir);
}

static void cleanup(const char *key, const char *seal) {
  unlink(key);
  unlink(seal);
  rmdir(dir);
}

static void write_file(const char *path, const char *text, mode_t mode) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  chmod(path, mode);
}

static void key_files(void **state) {
  (void)state;
  char kp[128], sp[128];
  paths(kp, sp);
  unsigned char k1[SEAL_KEY_BYTES], k2[SEAL_KEY_BYTES];
  assert_int_equal(seal_key_load(kp, k1), KEY_MISSING);
  assert_int_equal(seal_key_create(kp, k1), KEY_OK);
  struct stat sb;
  assert_int_equal(stat(kp, &sb), 0);
  assert_int_equal(sb.st_mode & 0777, 0600);
  assert_int_equal(seal_key_load(kp, k2), KEY_OK);
  assert_memory_equal(k1, k2, SEAL_KEY_BYTES);
  assert_int_equal(seal_key_create(kp, k2), KEY_EXISTS); /* never replaced */
  assert_int_equal(seal_key_load(kp, k2), KEY_OK);
  assert_memory_equal(k1, k2, SEAL_KEY_BYTES);
  chmod(kp, 0644);
  assert_int_equal(seal_key_load(kp, k2), KEY_OPEN);
  chmod(kp, 0604);
  assert_int_equal(seal_key_load(kp, k2), KEY_OPEN);
  chmod(kp, 0620);
  assert_int_equal(seal_key_load(kp, k2), KEY_OPEN);
  write_file(kp, "not a key\n", 0600);
  assert_int_equal(seal_key_load(kp, k2), KEY_MALFORMED);
  write_file(kp, "00112233445566778899aabbccddeeff00112233445566778899aabbccddee\n", 0600); /* 31 bytes */
  assert_int_equal(seal_key_load(kp, k2), KEY_MALFORMED);
  cleanup(kp, sp);
}

static void seal_mac(void **state) {
  (void)state;
  char kp[128], sp[128];
  paths(kp, sp);
  unsigned char key[SEAL_KEY_BYTES] = {7}, other[SEAL_KEY_BYTES] = {8};
  Seal s = {.keyed_from = 3, .id = 10, .count = 10}, r;
  memset(s.hash, 'a', 64);
  s.hash[64] = 0;
  assert_int_equal(seal_read(sp, key, &r), SEAL_MISSING);
  assert_true(seal_write(sp, key, &s));
  assert_int_equal(seal_read(sp, key, &r), SEAL_OK);
  assert_int_equal(r.keyed_from, 3);
  assert_int_equal(r.id, 10);
  assert_int_equal(r.count, 10);
  assert_string_equal(r.hash, s.hash);
  assert_int_equal(seal_read(sp, other, &r), SEAL_INVALID); /* another key */
  /* one value changed, MAC kept */
  char text[512];
  FILE *f = fopen(sp, "r");
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = 0;
  char *id = strstr(text, "\nid 10\n");
  assert_non_null(id);
  id[5] = '1'; /* id 11 */
  write_file(sp, text, 0600);
  assert_int_equal(seal_read(sp, key, &r), SEAL_INVALID);
  write_file(sp, "", 0600);
  assert_int_equal(seal_read(sp, key, &r), SEAL_INVALID);
  cleanup(kp, sp);
}

static void append(Db *db, int n) {
  for (int i = 0; i < n; i++) {
    AuditEntry e = {.participant_id = 1, .trajectory_id = 1, .item = "trajectory", .action = "view",
                    .outcome = i % 2 ? "denied" : "ok", .grounds = "coach"};
    assert_int_equal(audit_append(db, 7, "coach", "127.0.0.1", "rid", &e), DB_OK);
  }
}

static AuditCheck check(Db *db) {
  AuditCheck c;
  assert_int_equal(audit_check(db, &c), DB_OK);
  return c;
}

static void sealed_log(void **state) {
  (void)state;
  Db *db = fixture_open();
  char kp[128], sp[128], msg[1024];
  paths(kp, sp);
  snprintf(cfg.audit_key_file, sizeof cfg.audit_key_file, "%s", kp);
  snprintf(cfg.audit_seal_file, sizeof cfg.audit_seal_file, "%s", sp);
  /* a new database: init makes the key and seals the empty log */
  assert_int_equal(audit_chain_prepare(db, false, msg, sizeof msg), 0);
  assert_non_null(strstr(msg, "created the access-log key"));
  append(db, 6); /* each commit moves the seal on (no writer runs) */
  AuditCheck c = check(db);
  assert_true(audit_check_intact(&c));
  assert_int_equal(c.checked, 6);
  assert_int_equal(c.seal.id, 6);
  assert_int_equal(c.keyed_from, 1);

  /* the newest entry removed: the chain left verifies, the seal does not */
  assert_int_equal(db_exec(db, "CREATE TABLE saved AS SELECT * FROM access_log WHERE id = 6"), DB_OK);
  assert_int_equal(db_exec(db, "DELETE FROM access_log WHERE id = 6"), DB_OK);
  int64_t bad, n;
  assert_int_equal(audit_verify(db, &bad, &n), DB_OK);
  assert_int_equal(bad, 0);
  c = check(db);
  assert_false(audit_check_intact(&c));
  assert_true(c.truncated);
  assert_int_equal(c.last_id, 5);
  /* a command appending now does not seal over the removal */
  append(db, 1);
  c = check(db);
  assert_false(audit_check_intact(&c));
  assert_true(c.head_changed);
  assert_int_equal(c.seal.id, 6);
  assert_int_equal(db_exec(db, "DELETE FROM access_log WHERE id = 6"), DB_OK);
  assert_int_equal(db_exec(db, "INSERT INTO access_log SELECT * FROM saved"), DB_OK);
  c = check(db);
  assert_true(audit_check_intact(&c));

  /* init on a log with keyed entries does not reseal or make a key; without the key it refuses */
  assert_int_equal(audit_chain_prepare(db, false, msg, sizeof msg), 0);
  assert_string_equal(msg, "");
  rename(kp, "/tmp/zw-chain-key-moved");
  assert_int_equal(audit_chain_prepare(db, false, msg, sizeof msg), 1);
  assert_non_null(strstr(msg, "restore the key file"));
  rename("/tmp/zw-chain-key-moved", kp);

  /* the boundary moved: the first entries now checked unkeyed fail, and the seal disagrees */
  assert_int_equal(db_exec(db, "UPDATE audit_chain SET keyed_from = 3"), DB_OK);
  c = check(db);
  assert_true(c.boundary_changed);
  assert_int_equal(c.bad_id, 1);
  assert_int_equal(db_exec(db, "DELETE FROM audit_chain"), DB_OK);
  c = check(db);
  assert_true(c.boundary_changed);
  assert_false(audit_check_intact(&c));
  assert_int_equal(db_exec(db, "INSERT INTO audit_chain (id, keyed_from) VALUES (1, 1)"), DB_OK);

  /* the seal removed */
  unlink(sp);
  c = check(db);
  assert_int_equal(c.seal_status, SEAL_MISSING);
  assert_false(audit_check_intact(&c));
  /* reseal: only a whole chain */
  Seal now;
  assert_int_equal(audit_reseal(db, &c, &now), DB_OK);
  assert_int_equal(now.id, 6);
  c = check(db);
  assert_true(audit_check_intact(&c));
  assert_int_equal(db_exec(db, "UPDATE access_log SET outcome = 'ok' WHERE id = 2"), DB_OK);
  assert_int_equal(audit_reseal(db, &c, &now), DB_ERROR);
  assert_int_equal(c.bad_id, 2);

  fixture_close(db);
  cleanup(kp, sp);
  cfg.audit_key_file[0] = cfg.audit_seal_file[0] = 0;
}

/* An upgraded log: entries before the boundary keep the unkeyed hash, later ones are keyed. */
static void boundary(void **state) {
  (void)state;
  Db *db = fixture_open();
  unsigned char key[SEAL_KEY_BYTES] = {9};
  audit_key_use(key);
  assert_int_equal(db_exec(db, "UPDATE audit_chain SET keyed_from = 4"), DB_OK);
  append(db, 6);
  int64_t bad, n;
  assert_int_equal(audit_verify(db, &bad, &n), DB_OK);
  assert_int_equal(bad, 0);
  assert_int_equal(n, 6);
  /* read as all unkeyed, entry 4 is the first that does not fit; read as all keyed, entry 1 */
  assert_int_equal(db_exec(db, "UPDATE audit_chain SET keyed_from = 100"), DB_OK);
  assert_int_equal(audit_verify(db, &bad, &n), DB_OK);
  assert_int_equal(bad, 4);
  assert_int_equal(db_exec(db, "UPDATE audit_chain SET keyed_from = 1"), DB_OK);
  assert_int_equal(audit_verify(db, &bad, &n), DB_OK);
  assert_int_equal(bad, 1);
  /* another key: the keyed part does not verify */
  assert_int_equal(db_exec(db, "UPDATE audit_chain SET keyed_from = 4"), DB_OK);
  unsigned char other[SEAL_KEY_BYTES] = {10};
  audit_key_use(other);
  assert_int_equal(audit_verify(db, &bad, &n), DB_OK);
  assert_int_equal(bad, 4);
  fixture_close(db);
}

int main(void) {
  if (sodium_init() < 0) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(key_files),
      cmocka_unit_test(seal_mac),
      cmocka_unit_test(sealed_log),
      cmocka_unit_test(boundary),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
