# Homunculus — build, tests and benchmarks. Dependencies are found with pkg-config.
#   make                 build everything
#   make check           run every test suite (SANITIZE=1: under ASan + UBSan)
#   make check VALGRIND=1  the same with our own processes under valgrind's memcheck: 0 errors,
#                        0 leaks (tests/valgrind.sh, tests/valgrind.supp, docs/robustness.md)
#   make bench           print speed and memory figures
#   make stress          an hour of dense input, 10,000 practice hours (docs/robustness.md)
#   make install         PREFIX=/usr/local DESTDIR=  (programs and the LV2 bundle)
#   make install-user    the LV2 bundle into ~/.lv2
#   make fuzz            build the libFuzzer targets of tests/fuzz/ with clang (ASan + UBSan) in build-fuzz/
#   make fuzz-run        run each target FUZZ_SECONDS (default 60) on a copy of its seeds (build-fuzz/corpus/);
#                        FUZZ_TARGETS=smf limits it to some; crashes land in build-fuzz/artifacts/

PREFIX ?= /usr/local
CC ?= cc
PKG_CONFIG ?= pkg-config

ifeq ($(SANITIZE),1)
BUILD ?= build-sanitize
OPTFLAGS ?= -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
else
BUILD ?= build
OPTFLAGS ?= -O3 -g
endif

WARNINGS = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
CFLAGS_ALL = -std=c11 $(OPTFLAGS) $(WARNINGS) -D_POSIX_C_SOURCE=200809L -Icore $(CFLAGS)
LDLIBS_CORE = -lm

CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

CORE_SRC := $(wildcard core/*.c)
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
CORE_LIB := $(BUILD)/libhomunculus-core.a

TEST_SRC := $(wildcard tests/*.c)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(BUILD)/tests/run-tests

BENCH_BIN := $(BUILD)/bench/bench-model $(BUILD)/bench/bench-engine $(BUILD)/bench/bench-sonify \
	$(BUILD)/bench/bench-simulate $(BUILD)/bench/bench-fingering
BENCH_BIN += $(BUILD)/bench/bench-stress $(BUILD)/bench/bench-longrun $(BUILD)/bench/bench-view

# RealtimeSanitizer's runtime (Debian libclang-rt-19-dev), linked into a gcc-built driver
# that runs engine_process in real-time context; not combined with ASan.
RTSAN_LIB ?= /usr/lib/llvm-19/lib/clang/19/lib/linux/libclang_rt.rtsan-x86_64.a
RTSAN_BIN := $(BUILD)/tests/rtsan-engine
RTSAN_PRACTICE_BIN := $(BUILD)/tests/rtsan-practice
DEMO_BIN := $(BUILD)/homunculus-core-demo
SCORE_BIN := $(BUILD)/homunculus-fingering-score
PROGRAM_BIN := $(BUILD)/homunculus
PROFILE_SAVER := $(BUILD)/tests/profile-saver

# The folders and what each may include (docs/architecture.md; tests/check-includes.sh checks
# the sources): core/ only itself; draw/ (pictures, cairo) core; plugin/ core and draw;
# standalone/ core, draw and its own rooms: cli/ (main, options, one file per command), live/
# (audio and MIDI I/O, the live session), store/ (profiles, practice log, files), research/
# (schedules, simulation, experiments, plots) and tools/ (two small programs of their own).
STANDALONE_ROOMS := cli live store research
DRAW_SRC := $(wildcard draw/*.c)
INCLUDE_core := -Icore
INCLUDE_draw := -Icore -Idraw
INCLUDE_plugin := -Icore -Idraw -Iplugin
INCLUDE_standalone := -Icore -Idraw $(addprefix -Istandalone/,$(STANDALONE_ROOMS))
# -I flags for a source file, by its top folder (tests and benchmarks see what the program sees)
includes_of = $(INCLUDE_$(firstword $(subst /, ,$(1))))
INCLUDE_tests := $(INCLUDE_standalone)
INCLUDE_bench := $(INCLUDE_standalone)
HEADERS := $(wildcard core/*.h draw/*.h $(STANDALONE_ROOMS:%=standalone/%/*.h) tests/*.h)

# The program's modules (standalone/'s rooms but main, and draw/) form one library that the
# program and the unit tests link; APP_PACKAGES are its pkg-config names.
APP_PACKAGES := sndfile cairo alsa portaudio-2.0 jack inih
APP_PACKAGES += fontconfig # pictures' text; the tests release its caches (FcFini) for LeakSanitizer
APP_PACKAGES += x11 cairo-xlib # the practice window (draw/panel_window.c)
APP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(APP_PACKAGES) 2>/dev/null)
APP_LIBS := $(shell $(PKG_CONFIG) --libs $(APP_PACKAGES) 2>/dev/null)
APP_SRC := $(filter-out standalone/cli/homunculus.c,$(wildcard $(STANDALONE_ROOMS:%=standalone/%/*.c))) $(DRAW_SRC)
APP_OBJ := $(APP_SRC:%.c=$(BUILD)/%.o)
APP_LIB := $(BUILD)/libhomunculus-app.a

# The LV2 bundle: core and glue compiled position-independent with hidden symbols (only
# lv2_descriptor is exported), plus the TTL files. The test host loads it through lilv from
# a folder that holds only bundles (lilv treats every entry of an LV2_PATH folder as one).
LV2_CFLAGS := $(shell $(PKG_CONFIG) --cflags lv2 cairo 2>/dev/null)
CAIRO_LIBS := $(shell $(PKG_CONFIG) --libs cairo 2>/dev/null)
LILV_CFLAGS := $(shell $(PKG_CONFIG) --cflags lilv-0 2>/dev/null)
LILV_LIBS := $(shell $(PKG_CONFIG) --libs lilv-0 2>/dev/null)
LV2_BUNDLE := $(BUILD)/homunculus.lv2
LV2_PATH_DIR := $(BUILD)/lv2-path
LV2_SO := $(LV2_BUNDLE)/homunculus.so
LV2_TTL := $(addprefix $(LV2_BUNDLE)/,$(notdir $(wildcard ttl/*.ttl)))
PIC_OBJ := $(patsubst %.c,$(BUILD)/pic/%.o,$(CORE_SRC) $(filter-out draw/panel_window.c,$(DRAW_SRC)) $(wildcard plugin/*.c))
# The custom UI, a shared object of its own (Xlib and cairo, no toolkit): plugin/ui/ with the
# panel it draws (draw/) and the few core and plugin modules that panel and message need.
UI_SO := $(LV2_BUNDLE)/homunculus_ui.so
UI_CFLAGS := $(shell $(PKG_CONFIG) --cflags cairo-xlib x11 2>/dev/null)
UI_LIBS := $(shell $(PKG_CONFIG) --libs cairo-xlib x11 2>/dev/null)
UI_PIC_OBJ := $(patsubst %.c,$(BUILD)/pic/%.o,$(wildcard plugin/ui/*.c) draw/panel.c draw/panel_window.c \
	draw/map_picture.c plugin/ui_message.c)
CORE_PIC_LIB := $(BUILD)/pic/libhomunculus-core.a # the UI takes only the core modules it uses
LV2_HOST := $(BUILD)/tests/lv2-host
LV2_RTSAN_HOST := $(BUILD)/tests/lv2-host-rtsan
LV2_URI := https://homunculus.invalid/plugins/homunculus

.PHONY: all check bench clean install install-user deps-check lv2 check-lv2 check-ardour
.PHONY: stress
all: $(CORE_LIB) $(DEMO_BIN) $(SCORE_BIN) $(PROGRAM_BIN) $(TEST_BIN) $(BENCH_BIN) lv2

lv2: $(LV2_SO) $(UI_SO) $(LV2_TTL) $(LV2_PATH_DIR)/homunculus.lv2

$(BUILD)/pic/%.o: %.c $(wildcard core/*.h draw/*.h plugin/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(call includes_of,$<) $(LV2_CFLAGS) $(if $(filter plugin/ui/% draw/panel_window.c,$<),$(UI_CFLAGS)) -fPIC -fvisibility=hidden -c $< -o $@

$(LV2_SO): $(PIC_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -shared -fPIC -fvisibility=hidden $^ -o $@ $(CAIRO_LIBS) $(LDLIBS_CORE) $(LDFLAGS)

$(CORE_PIC_LIB): $(CORE_SRC:%.c=$(BUILD)/pic/%.o)
	rm -f $@
	$(AR) rcs $@ $^

$(UI_SO): $(UI_PIC_OBJ) $(CORE_PIC_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -shared -fPIC -fvisibility=hidden $^ -o $@ $(UI_LIBS) $(LDLIBS_CORE) $(LDFLAGS)

$(LV2_BUNDLE)/%.ttl: ttl/%.ttl
	@mkdir -p $(dir $@)
	cp $< $@

$(LV2_PATH_DIR)/homunculus.lv2:
	@mkdir -p $(LV2_PATH_DIR)
	ln -sfn ../homunculus.lv2 $@

FONTCONFIG_LIBS := $(shell $(PKG_CONFIG) --libs fontconfig 2>/dev/null)
$(LV2_HOST): tests/lv2/lv2_host.c $(wildcard plugin/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LILV_CFLAGS) $(LV2_CFLAGS) $< -o $@ $(LILV_LIBS) $(CAIRO_LIBS) $(FONTCONFIG_LIBS) -lpthread -lm $(LDFLAGS)

# The same host running every run() inside RealtimeSanitizer's real-time context.
$(LV2_RTSAN_HOST): tests/lv2/lv2_host.c $(wildcard plugin/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LILV_CFLAGS) $(LV2_CFLAGS) -DHOST_RTSAN $< -o $@ $(LILV_LIBS) $(CAIRO_LIBS) $(FONTCONFIG_LIBS) -lm \
		-Wl,--whole-archive $(RTSAN_LIB) -Wl,--no-whole-archive -lstdc++ -lpthread -ldl -rdynamic $(LDFLAGS)

$(BUILD)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(call includes_of,$<) $(if $(filter draw/% standalone/% tests/%,$<),$(APP_CFLAGS)) $(if $(filter tests/%,$<),$(CHECK_CFLAGS)) -c $< -o $@

$(CORE_LIB): $(CORE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(APP_LIB): $(APP_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(DEMO_BIN): $(BUILD)/standalone/tools/core_demo.o $(CORE_LIB)
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(LDLIBS_CORE) $(LDFLAGS)

$(SCORE_BIN): $(BUILD)/standalone/tools/fingering_score.o $(CORE_LIB)
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(LDLIBS_CORE) $(LDFLAGS)

$(PROGRAM_BIN): $(BUILD)/standalone/cli/homunculus.o $(APP_LIB) $(CORE_LIB)
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(APP_LIBS) $(LDLIBS_CORE) $(LDFLAGS)

# Saves a profile in a loop until killed (the kill -9 test in tests/cli/test_profile.sh).
$(PROFILE_SAVER): $(BUILD)/tests/tools/profile_saver.o $(APP_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(APP_LIBS) $(LDLIBS_CORE) $(LDFLAGS)

$(TEST_BIN): $(TEST_OBJ) $(APP_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(CHECK_LIBS) $(APP_LIBS) $(LDLIBS_CORE) $(LDFLAGS)

$(BUILD)/bench/bench-%: $(BUILD)/bench/bench_%.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(LDLIBS_CORE) $(LDFLAGS)

# Shared bench helpers: block timing; the model's documented ranges (stress and long run).
$(BUILD)/bench/bench-engine: $(BUILD)/bench/block_times.o
$(BUILD)/bench/bench-fingering: $(BUILD)/bench/block_times.o
$(BUILD)/bench/bench-stress: $(BUILD)/bench/block_times.o $(BUILD)/bench/model_ranges.o

# 10,000 simulated practice hours through the simulator (the program's modules).
$(BUILD)/bench/bench_longrun.o: bench/bench_longrun.c $(HEADERS) bench/model_ranges.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(INCLUDE_standalone) $(APP_CFLAGS) -c $< -o $@

$(BUILD)/bench/bench-longrun: $(BUILD)/bench/bench_longrun.o $(BUILD)/bench/model_ranges.o $(APP_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(APP_LIBS) $(LDLIBS_CORE) $(LDFLAGS)

# The simulator's and the views' benches use the program's modules (schedules, the
# simulated player; the terminal view and the practice window's panel).
$(BUILD)/bench/bench_simulate.o $(BUILD)/bench/bench_view.o: $(BUILD)/bench/%.o: bench/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(INCLUDE_standalone) $(APP_CFLAGS) -c $< -o $@

$(BUILD)/bench/bench-simulate $(BUILD)/bench/bench-view: $(BUILD)/bench/bench-%: $(BUILD)/bench/bench_%.o $(APP_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(APP_LIBS) $(LDLIBS_CORE) $(LDFLAGS)

$(RTSAN_BIN): tests/rt/rtsan_engine.c tests/rt/rtsan_support.h $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(filter-out %.h,$^) -o $@ -Wl,--whole-archive $(RTSAN_LIB) -Wl,--no-whole-archive \
		-lstdc++ -lpthread -ldl -rdynamic $(LDLIBS_CORE) $(LDFLAGS)

# The same for a live practice session's audio-thread work (standalone/live/practice_session.c).
$(RTSAN_PRACTICE_BIN): tests/rt/rtsan_practice.c tests/rt/rtsan_support.h $(APP_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(INCLUDE_standalone) $(filter-out %.h,$^) -o $@ -Wl,--whole-archive $(RTSAN_LIB) -Wl,--no-whole-archive \
		-lstdc++ -lpthread -ldl -rdynamic $(LDLIBS_CORE) $(LDFLAGS)

deps-check:
	@$(PKG_CONFIG) --exists check || { echo "missing: the Check unit-test library (Debian: apt-get install check pkg-config)"; exit 1; }
	@$(PKG_CONFIG) --exists sndfile || { echo "missing: libsndfile (Debian: apt-get install libsndfile1-dev)"; exit 1; }
	@$(PKG_CONFIG) --exists portaudio-2.0 alsa jack || { echo "missing: PortAudio, ALSA, JACK (Debian: apt-get install portaudio19-dev libasound2-dev libjack-jackd2-dev)"; exit 1; }
	@$(PKG_CONFIG) --exists fontconfig || { echo "missing: fontconfig (Debian: apt-get install libfontconfig-dev)"; exit 1; }
	@$(PKG_CONFIG) --exists inih || { echo "missing: inih, the schedule files' INI parser (Debian: apt-get install libinih-dev)"; exit 1; }
	@$(PKG_CONFIG) --exists lv2 lilv-0 cairo || { echo "missing: the LV2 SDK, lilv, cairo (Debian: apt-get install lv2-dev liblilv-dev libcairo2-dev)"; exit 1; }
	@$(PKG_CONFIG) --exists x11 cairo-xlib || { echo "missing: Xlib and cairo's Xlib surface, for the windows (Debian: apt-get install libx11-dev libcairo2-dev)"; exit 1; }
	@command -v lv2_validate >/dev/null && command -v sordi >/dev/null && command -v lv2info >/dev/null || \
		{ echo "missing: lv2_validate, sordi, lv2info (Debian: apt-get install lv2-dev sordi lilv-utils)"; exit 1; }
ifneq ($(SANITIZE),1)
	@command -v jackd >/dev/null && command -v jalv >/dev/null && command -v jack_midiseq >/dev/null || \
		{ echo "missing: jackd, jalv, jack_midiseq (Debian: apt-get install jackd2 jalv)"; exit 1; }
	@command -v Xvfb >/dev/null && command -v xwd >/dev/null && command -v xwininfo >/dev/null && command -v convert >/dev/null || \
		{ echo "missing: Xvfb, xwd, xwininfo, convert for the UI test (Debian: apt-get install xvfb x11-apps x11-utils imagemagick)"; exit 1; }
endif
	@$(PKG_CONFIG) --exists x11 cairo-xlib || { echo "missing: Xlib for the plugin's UI (Debian: apt-get install libx11-dev libcairo2-dev)"; exit 1; }
ifneq ($(SANITIZE),1)
	@command -v groff >/dev/null || { echo "missing: groff, to check the man page (Debian: apt-get install groff-base)"; exit 1; }
endif
ifneq ($(SANITIZE),1)
	@test -f $(RTSAN_LIB) || { echo "missing: RealtimeSanitizer's runtime $(RTSAN_LIB) (Debian: apt-get install libclang-rt-19-dev)"; exit 1; }
endif
ifeq ($(VALGRIND),1)
	@command -v valgrind >/dev/null || { echo "missing: valgrind (Debian: apt-get install valgrind)"; exit 1; }
endif

# The bundle's TTL and ports (lv2_validate, lv2info) and the test host.
# Profiles cross between the program and the plugin: the program makes one, the test host
# loads it into the plugin and saves the plugin's hands as another, which the program reads.
LV2_PROFILES := $(BUILD)/lv2-profiles
check-lv2: deps-check lv2 $(LV2_HOST) $(PROGRAM_BIN)
	tests/lv2/check-bundle.sh $(LV2_BUNDLE) $(LV2_PATH_DIR) $(LV2_URI)
	rm -rf $(LV2_PROFILES) && mkdir -p $(LV2_PROFILES)
	XDG_DATA_HOME=$(abspath $(LV2_PROFILES)) $(PROGRAM_BIN) play tests/fixtures/midi/c_major_scale_format0.mid \
		--profile hands >/dev/null
	LV2_PATH=$(abspath $(LV2_PATH_DIR)):/usr/lib/lv2 HM_DISPLAY_PNG=$(BUILD)/inline-display.png \
		HM_PROGRAM_PROFILE=$(abspath $(LV2_PROFILES))/homunculus/hands.profile \
		HM_PLUGIN_PROFILE_OUT=$(abspath $(LV2_PROFILES))/from-plugin.profile $(LV2_HOST)
	$(PROGRAM_BIN) state show $(LV2_PROFILES)/from-plugin.profile >/dev/null
# A minute of the stress input (no NaN/Inf, queues bounded, every stimulus learned or
# merged and counted; starved of model time, merges must happen) and 48 practice hours
# within the model's documented ranges: the short forms of `make stress`.
STRESS_CHECKS = $(BUILD)/bench/bench-stress --seconds 60 --no-timing && \
	$(BUILD)/bench/bench-stress --seconds 60 --no-timing --steps-per-second 2000 --expect-merges && \
	$(BUILD)/bench/bench-longrun --hours 48 --fast-factor 64

# make check's suites, independent of each other: `make -j2 -Otarget check` runs two at a time
# with each one's output together (.ci/run does); `make check-NAME` runs one. The include
# rules are checked first. Under SANITIZE=1 the suites that run the programs themselves
# (the command-line tests, RealtimeSanitizer, jalv) are left to the plain run.
CLI_SUITES := $(addprefix check-cli-,homunculus practice profile experiment simulate demo robustness hostile view)
ifeq ($(SANITIZE),1)
CHECK_SUITES := check-unit check-stress check-lv2 fuzz-replay
else
# The longest suites first, so that two jobs end together (under valgrind the unit suites take
# about 20 min and lv2-host about 9).
CHECK_SUITES := check-unit check-lv2 check-stress check-score $(CLI_SUITES) check-man check-rtsan check-jalv check-ui fuzz-replay
endif
.PHONY: check-includes check-unit check-stress check-score $(CLI_SUITES) check-man check-rtsan check-jalv check-ui
check-includes:
	tests/check-includes.sh
check: check-includes $(CHECK_SUITES) $(DEMO_BIN)
$(CHECK_SUITES): check-includes deps-check
# The suites that must keep real-time pace (live practice through JACK, the plugin in jalv) run
# after the others and one at a time in a whole check: sharing the two cores with another
# suite, the session fell behind its notes. Under valgrind they cannot keep pace anyway (those
# checks are skipped there), but the suites that wait on a live program (JACK sessions, the
# views in tmux, jalv) run after the unit suites: beside those two memcheck processes a
# program's start took longer than the waits twice (a session too short for its sequencer to
# connect, a view never seen in tmux).
ifneq ($(filter check,$(MAKECMDGOALS)),)
ifneq ($(VALGRIND),1)
check-cli-practice: | $(filter-out check-cli-practice check-jalv,$(CHECK_SUITES))
check-jalv: | check-cli-practice
check-ui: | check-jalv
else
check-cli-homunculus check-cli-practice check-cli-view check-jalv check-ui: | check-unit
endif
endif

# Check's 4 s per test is a hang detector, not a timing assertion: sanitizer builds run
# several times slower, and a machine busy with other builds slower still (two smf tests
# timed out under ASan with a load average of 6), so every unit test gets 10 times as long.
check-unit: export CK_TIMEOUT_MULTIPLIER ?= 10
check-unit: $(TEST_BIN)
	$(TEST_BIN)
check-stress: $(BUILD)/bench/bench-stress $(BUILD)/bench/bench-longrun
	$(STRESS_CHECKS)
# the fingering estimator on the textbook corpus, per kind, against the floors in
# tests/fixtures/fingering/textbook/floors.conf (docs/fingering.md)
check-score: $(SCORE_BIN)
	tests/cli/test_fingering_score.sh $(SCORE_BIN)
$(filter-out check-cli-profile,$(CLI_SUITES)): check-cli-%: $(PROGRAM_BIN)
	tests/cli/test_$*.sh $(PROGRAM_BIN)
check-cli-profile: $(PROGRAM_BIN) $(PROFILE_SAVER)
	tests/cli/test_profile.sh $(PROGRAM_BIN) $(PROFILE_SAVER)
check-man:
	@warnings=$$(groff -man -Tutf8 -ww -z docs/homunculus.1 2>&1); \
		if [ -n "$$warnings" ]; then echo "$$warnings"; echo "docs/homunculus.1: groff warnings"; exit 1; fi
check-jalv: lv2
	tests/lv2/jalv-smoke.sh $(LV2_PATH_DIR) $(LV2_URI)
# The custom UI in jalv.gtk3 under Xvfb: a screenshot shows both maps (skipped without X).
check-ui: lv2
	tests/lv2/ui-screenshot.sh $(LV2_PATH_DIR) $(LV2_URI) $(BUILD)/ui-screenshot.png
ifeq ($(VALGRIND),1)
check-rtsan:
	@echo "SKIP under VALGRIND=1: rtsan-engine, rtsan-practice and lv2-host-rtsan carry RealtimeSanitizer's own runtime, which cannot run under valgrind (plain make check runs them)"
else
check-rtsan: $(RTSAN_BIN) $(RTSAN_PRACTICE_BIN) $(LV2_RTSAN_HOST) lv2
	@if $(RTSAN_BIN) --self-test >/dev/null 2>&1; then echo "rtsan-engine: sanitizer inactive"; exit 1; fi
	$(RTSAN_BIN)
	@if $(RTSAN_PRACTICE_BIN) --self-test >/dev/null 2>&1; then echo "rtsan-practice: sanitizer inactive"; exit 1; fi
	$(RTSAN_PRACTICE_BIN)
	@if LV2_PATH=$(abspath $(LV2_PATH_DIR)):/usr/lib/lv2 $(LV2_RTSAN_HOST) $(LV2_URI) --self-test >/dev/null 2>&1; then \
		echo "lv2-host-rtsan: sanitizer inactive"; exit 1; fi
	LV2_PATH=$(abspath $(LV2_PATH_DIR)):/usr/lib/lv2 $(LV2_RTSAN_HOST)
endif

# VALGRIND=1: the normal -O3 -g build (the code users run), with every process of ours under
# valgrind's memcheck through wrappers (tests/valgrind.sh) handed to the tests in place of the
# programs: these target-specific values replace the programs' paths in the suites' recipes,
# while the prerequisites still name the real programs. The unit suites run with
# CK_FORK=no so that a leak is found in the process that made it; the programs the CLI tests
# run log to $(VALGRIND_LOGS), judged at the end. External programs (jackd, jalv, tmux,
# lv2_validate) run as they are; waits in the CLI tests are scaled by HM_TIME_SCALE.
ifeq ($(VALGRIND),1)
ifeq ($(SANITIZE),1)
$(error VALGRIND=1 and SANITIZE=1 exclude each other: valgrind cannot run ASan's programs)
endif
VALGRIND_DIR := $(BUILD)/valgrind
VALGRIND_LOGS := $(VALGRIND_DIR)/logs
VALGRIND_WRAPPERS := $(addprefix $(VALGRIND_DIR)/,run-tests homunculus-fingering-score homunculus profile-saver)
$(VALGRIND_DIR)/run-tests: $(TEST_BIN) tests/valgrind.sh
	tests/valgrind.sh wrap-suites $< $@
$(VALGRIND_DIR)/homunculus-fingering-score: $(SCORE_BIN) tests/valgrind.sh
	tests/valgrind.sh wrap $< $@ -
$(VALGRIND_DIR)/lv2-host: $(LV2_HOST) tests/valgrind.sh
	tests/valgrind.sh wrap $< $@ -
$(VALGRIND_DIR)/homunculus: $(PROGRAM_BIN) tests/valgrind.sh
	tests/valgrind.sh wrap $< $@ $(VALGRIND_LOGS)
$(VALGRIND_DIR)/profile-saver: $(PROFILE_SAVER) tests/valgrind.sh
	tests/valgrind.sh wrap $< $@ $(VALGRIND_LOGS)
check $(CHECK_SUITES): TEST_BIN := $(VALGRIND_DIR)/run-tests
check $(CHECK_SUITES): SCORE_BIN := $(VALGRIND_DIR)/homunculus-fingering-score
check $(CHECK_SUITES): LV2_HOST := $(VALGRIND_DIR)/lv2-host
check $(CHECK_SUITES): PROGRAM_BIN := $(VALGRIND_DIR)/homunculus
check $(CHECK_SUITES): PROFILE_SAVER := $(VALGRIND_DIR)/profile-saver
check $(CHECK_SUITES): export HM_TIME_SCALE := 20
check $(filter-out check-lv2,$(CHECK_SUITES)): export HM_VALGRIND := 1
check-lv2: $(VALGRIND_DIR)/lv2-host
# every suite after the wrappers and the emptied log folder; the verdict after every suite
$(CHECK_SUITES): $(VALGRIND_WRAPPERS) valgrind-fresh-logs
.PHONY: valgrind-fresh-logs
valgrind-fresh-logs:
	rm -rf $(VALGRIND_LOGS)
check:
	tests/valgrind.sh verdict $(VALGRIND_LOGS)
endif

# ---- Fuzzing (tests/fuzz/, docs/robustness.md) ----
# Each tests/fuzz/fuzz_NAME.c implements LLVMFuzzerTestOneInput. `make fuzz` builds them with
# clang's libFuzzer, ASan and UBSan from their own objects in build-fuzz/; `make check` links
# the same files with the plain driver tests/fuzz/replay.c (gcc, or SANITIZE=1) and replays
# the seeds (tests/fuzz/corpus/NAME) and every input that ever broke a target
# (tests/fuzz/regressions/NAME).
FUZZ_TARGETS ?= smf midi state schedule pig fingering_table state_params practice_log
FUZZ_CC ?= clang-14
FUZZ_BUILD := build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_MAX_LEN_state := 65536
FUZZ_MAX_LEN_practice_log := 16384
FUZZ_MAX_LEN_smf := 16384
FUZZ_MAX_LEN_schedule := 8192
FUZZ_MAX_LEN ?= 4096
FUZZ_CFLAGS := -std=c11 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all $(WARNINGS) -D_POSIX_C_SOURCE=200809L $(INCLUDE_standalone) -Itests/fuzz $(APP_CFLAGS)
FUZZ_HEADERS := $(HEADERS) $(wildcard tests/fuzz/*.h)
FUZZ_LIB_OBJ := $(CORE_SRC:%.c=$(FUZZ_BUILD)/%.o) $(APP_SRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_BIN := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz-%)
FUZZ_REPLAY_BIN := $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz-replay-%)

.PHONY: fuzz fuzz-run fuzz-replay fuzz-state-seeds
fuzz: $(FUZZ_BIN)
.SECONDARY: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/tests/fuzz/fuzz_%.o) $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz/fuzz_%.o) \
	$(BUILD)/tests/fuzz/replay.o $(BUILD)/tests/fuzz/make_state_seeds.o

$(FUZZ_BUILD)/%.o: %.c $(FUZZ_HEADERS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/fuzz-%: $(FUZZ_BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ -o $@ $(APP_LIBS) $(LDLIBS_CORE) $(LDFLAGS)

# One target after the other on one core, each on its own growing corpus seeded from the
# committed seeds (build-fuzz/corpus/NAME); libFuzzer's log is build-fuzz/log/NAME/fuzz-0.log,
# crashes land in build-fuzz/artifacts/. FUZZ_OPTIONS adds libFuzzer flags.
FUZZ_ABS := $(abspath $(FUZZ_BUILD))
fuzz-run: $(FUZZ_BIN)
	@mkdir -p $(FUZZ_BUILD)/artifacts
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_BUILD)/corpus/$$t $(FUZZ_BUILD)/log/$$t && cp -n tests/fuzz/corpus/$$t/* $(FUZZ_BUILD)/corpus/$$t/; \
		max_len=$$(case $$t in state|state_params) echo $(FUZZ_MAX_LEN_state);; practice_log) echo $(FUZZ_MAX_LEN_practice_log);; smf) echo $(FUZZ_MAX_LEN_smf);; \
			schedule) echo $(FUZZ_MAX_LEN_schedule);; *) echo $(FUZZ_MAX_LEN);; esac); \
		echo "== fuzz-$$t for $(FUZZ_SECONDS) s (max_len $$max_len)"; \
		(cd $(FUZZ_BUILD)/log/$$t && nice -n 10 $(FUZZ_ABS)/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
			-rss_limit_mb=2048 -max_len=$$max_len -jobs=1 -workers=1 -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_ABS)/artifacts/$$t- $(FUZZ_OPTIONS) \
			$(FUZZ_ABS)/corpus/$$t $(abspath tests/fuzz/regressions)/$$t >/dev/null 2>&1); \
		grep -E "^(#[0-9]+.*(DONE|pulse)|Done|stat::|SUMMARY|==[0-9]+==ERROR)" $(FUZZ_BUILD)/log/$$t/fuzz-0.log | tail -n 12; \
		if grep -q "Test unit written" $(FUZZ_BUILD)/log/$$t/fuzz-0.log; then \
			grep -B2 -A30 -m1 -E "ERROR|runtime error|invariant broken" $(FUZZ_BUILD)/log/$$t/fuzz-0.log; exit 1; fi; \
	done

$(BUILD)/tests/fuzz/%.o: tests/fuzz/%.c $(FUZZ_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(INCLUDE_standalone) -Itests/fuzz $(APP_CFLAGS) -c $< -o $@

$(BUILD)/tests/fuzz-replay-%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o $(APP_LIB) $(CORE_LIB)
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(APP_LIBS) $(LDLIBS_CORE) $(LDFLAGS)

# Rewrites the state target's seeds (after a change of the state format).
fuzz-state-seeds: $(BUILD)/tests/fuzz/make_state_seeds.o $(APP_LIB) $(CORE_LIB)
	$(CC) $(CFLAGS_ALL) $^ -o $(BUILD)/tests/make-state-seeds $(APP_LIBS) $(LDLIBS_CORE) $(LDFLAGS)
	$(BUILD)/tests/make-state-seeds tests/fuzz/corpus/state/fresh.state tests/fuzz/corpus/state/practiced.state

FUZZ_REPLAY_DIR := $(BUILD)/tests
ifeq ($(VALGRIND),1) # the replays under memcheck too
$(VALGRIND_DIR)/fuzz-replay-%: $(BUILD)/tests/fuzz-replay-% tests/valgrind.sh
	tests/valgrind.sh wrap $< $@ -
fuzz-replay: FUZZ_REPLAY_DIR := $(VALGRIND_DIR)
fuzz-replay: $(FUZZ_TARGETS:%=$(VALGRIND_DIR)/fuzz-replay-%)
endif
fuzz-replay: $(FUZZ_REPLAY_BIN)
	@for t in $(FUZZ_TARGETS); do \
		$(FUZZ_REPLAY_DIR)/fuzz-replay-$$t tests/fuzz/corpus/$$t tests/fuzz/regressions/$$t || exit 1; \
	done

# The plugin in Ardour 7, headless on JACK's dummy backend, and its custom UI in Ardour's GUI
# under Xvfb (needs the `ardour` package, which is large: not part of `make check`; .ci/run
# installs it and runs this).
check-ardour: lv2 $(PROGRAM_BIN)
	tests/lv2/ardour-session.sh $(LV2_PATH_DIR) $(PROGRAM_BIN)
	tests/lv2/ardour-ui.sh $(LV2_PATH_DIR) $(BUILD)/ardour-ui.png

bench: $(BENCH_BIN) lv2 $(LV2_HOST)
	$(BUILD)/bench/bench-model
	$(BUILD)/bench/bench-engine
	$(BUILD)/bench/bench-sonify
	$(BUILD)/bench/bench-simulate
	$(BUILD)/bench/bench-fingering
	$(BUILD)/bench/bench-view
	LV2_PATH=$(abspath $(LV2_PATH_DIR)):/usr/lib/lv2 $(LV2_HOST) $(LV2_URI) --bench 300

# An hour of dense input through the engine (block times: thread CPU, two identical runs)
# and 10,000 simulated practice hours through the model; figures in docs/robustness.md.
stress: $(BUILD)/bench/bench-stress $(BUILD)/bench/bench-longrun
	$(BUILD)/bench/bench-stress
	$(BUILD)/bench/bench-longrun

install: $(DEMO_BIN) $(SCORE_BIN) $(PROGRAM_BIN) lv2
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(DEMO_BIN) $(SCORE_BIN) $(PROGRAM_BIN) $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 docs/homunculus.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -d $(DESTDIR)$(PREFIX)/lib/lv2/homunculus.lv2
	install -m 755 $(LV2_SO) $(DESTDIR)$(PREFIX)/lib/lv2/homunculus.lv2/
	install -m 644 $(LV2_TTL) $(DESTDIR)$(PREFIX)/lib/lv2/homunculus.lv2/

# The LV2 bundle for the current user only (hosts search ~/.lv2).
install-user: lv2
	install -d $(HOME)/.lv2/homunculus.lv2
	install -m 755 $(LV2_SO) $(HOME)/.lv2/homunculus.lv2/
	install -m 644 $(LV2_TTL) $(HOME)/.lv2/homunculus.lv2/

clean:
	rm -rf build build-sanitize $(FUZZ_BUILD)
