# zorgwerk — the commands the README promises. Everything else is in meson.build.
#   make run     install what is missing, build, create a demo database, serve on 127.0.0.1:8080
#   make test    install what is missing, build with sanitizers, run every test on SQLite, then on PostgreSQL
#   make bench   benchmarks against nginx (bench/)
#   make fuzz    run every fuzz target for FUZZ_SECONDS seconds (default 60)
#   make clean
BUILD      ?= build/release
TESTBUILD  ?= build/test
FUZZBUILD  ?= build/fuzz
DEMO_DB    ?= var/demo.db
LISTEN     ?= 127.0.0.1:8080
FUZZ_SECONDS ?= 60

.PHONY: all run test bench fuzz clean deps release testbuild

all: release

release:
	@scripts/deps.sh build
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) --buildtype=release -Db_ndebug=false >/dev/null
	@ninja -C $(BUILD) >/dev/null

run: release
	@mkdir -p var
	@$(BUILD)/zorgwerk demo --db $(DEMO_DB) --force
	@exec $(BUILD)/zorgwerk serve --db $(DEMO_DB) --listen $(LISTEN)

testbuild:
	@scripts/deps.sh test
	@[ -f $(TESTBUILD)/build.ninja ] || meson setup $(TESTBUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	@ninja -C $(TESTBUILD)

# make test   two rounds, then one summary (counts per driver); fails if anything failed in either round:
#             1. the meson suite on SQLite (unit, HTTP, browser, static checks);
#             2. on PostgreSQL (scripts/test-pg.sh, PG_JOBS at a time): the unit tests that open a database,
#                the HTTP tests but those of scripts/test-pg.skip, those of scripts/test-pg.only and the
#                browser tests, against a throwaway cluster it starts and removes
#             MESON_TESTS / PG_TESTS: only these tests of a round (meson test names / scripts/test-pg.sh names)
MESON_TESTS ?=
PG_TESTS    ?=
test: testbuild
	@rm -f $(TESTBUILD)/meson-logs/testlog.json $(TESTBUILD)/meson-logs/pg/results.txt
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  env -u ZW_TEST_DB_URL meson test -C $(TESTBUILD) --print-errorlogs --num-processes 2 $(MESON_TESTS); rc=$$?; \
	  echo "== PostgreSQL round (scripts/test-pg.sh)"; \
	  scripts/test-pg.sh $(TESTBUILD) $(PG_TESTS); rc2=$$?; \
	  echo "== make test"; \
	  python3 scripts/test-summary.py $(TESTBUILD)/meson-logs/testlog.json $(TESTBUILD)/meson-logs/pg/results.txt; \
	  rc3=$$?; [ $$rc -eq 0 ] && [ $$rc2 -eq 0 ] && [ $$rc3 -eq 0 ]

# make test-pg   the PostgreSQL round of make test alone (scripts/test-pg.sh)
.PHONY: test-pg
test-pg: testbuild
	@scripts/test-pg.sh $(TESTBUILD) $(PG_TESTS)

bench: release
	@scripts/deps.sh bench pg
	@bench/run.sh $(BUILD)/zorgwerk

# make bench-scale   pages at size (issue 15): 100,000 participants and 10,000,000 chained access-log entries
#                    (SCALE_PARTICIPANTS, SCALE_LOG_ENTRIES for a smaller run), p50/p99 per page, audit verify,
#                    on SQLite and on PostgreSQL (SCALE_DRIVERS) side by side
.PHONY: bench-scale
bench-scale: release
	@scripts/deps.sh pg
	@bench/scale.sh $(BUILD)/zorgwerk

fuzz:
	@scripts/deps.sh fuzz
	@[ -f $(FUZZBUILD)/build.ninja ] || CC=clang meson setup $(FUZZBUILD) -Dfuzz=true --buildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	@ninja -C $(FUZZBUILD)
	@fuzz/run.sh $(FUZZBUILD) $(FUZZ_SECONDS)

clean:
	rm -rf build

# make soak   crash durability for SOAK_ROUNDS rounds of SIGKILL + restart under write load (default 200),
#             stopping early after SOAK_SECONDS seconds if that is set (0: no time limit); release build
SOAK_ROUNDS  ?= 200
SOAK_SECONDS ?= 0
.PHONY: soak
soak: release
	@scripts/soak.sh $(BUILD)/zorgwerk $(SOAK_ROUNDS) $(SOAK_SECONDS)

# Proof of robustness (hostile clients, injection scan, memcheck):
#   make hostile    hostile clients against a release build for HOSTILE_SECONDS; the normal client's p99 and
#                   the server's memory must stay under HOSTILE_P99_MS / HOSTILE_RSS_MIB
#   make sqlmap     sqlmap against the login form, the caseload search and the note form (0 injectable)
#   make valgrind   the HTTP suite under valgrind memcheck (VALGRIND_TESTS: a subset, e.g. "http/auth http/csrf")
HOSTILE_SECONDS ?= 60
HOSTILE_P99_MS  ?= 50
HOSTILE_RSS_MIB ?= 64
HOSTILE_FLOOD_THREADS ?= 2
VGBUILD         ?= build/valgrind
VALGRIND_TESTS  ?=
.PHONY: hostile sqlmap valgrind
hostile: release
	@scripts/deps.sh robust
	@ZW_BIN=$(BUILD)/zorgwerk HOSTILE_SECONDS=$(HOSTILE_SECONDS) HOSTILE_P99_MS=$(HOSTILE_P99_MS) \
	  HOSTILE_RSS_MIB=$(HOSTILE_RSS_MIB) HOSTILE_FLOOD_THREADS=$(HOSTILE_FLOOD_THREADS) \
	  PYTHONDONTWRITEBYTECODE=1 python3 tests/http/test_hostile.py

sqlmap: release
	@scripts/deps.sh robust
	@scripts/sqlmap.sh $(BUILD)/zorgwerk

valgrind:
	@scripts/deps.sh robust
	@[ -f $(VGBUILD)/build.ninja ] || meson setup $(VGBUILD) --buildtype=debug >/dev/null
	@ninja -C $(VGBUILD)
	@scripts/valgrind.sh $(VGBUILD) $(VALGRIND_TESTS)
