# zorgwerk — the commands the README promises. Everything else is in meson.build.
#   make run     install what is missing, build, create a demo database, serve on 127.0.0.1:8080
#   make test    install what is missing, build with sanitizers, run every test
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

test: testbuild
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  meson test -C $(TESTBUILD) --print-errorlogs --num-processes 2; rc=$$?; \
	  python3 scripts/test-summary.py $(TESTBUILD)/meson-logs/testlog.json; exit $$rc

bench: release
	@scripts/deps.sh bench
	@bench/run.sh $(BUILD)/zorgwerk

fuzz:
	@scripts/deps.sh fuzz
	@[ -f $(FUZZBUILD)/build.ninja ] || CC=clang meson setup $(FUZZBUILD) -Dfuzz=true --buildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	@ninja -C $(FUZZBUILD)
	@fuzz/run.sh $(FUZZBUILD) $(FUZZ_SECONDS)

clean:
	rm -rf build
