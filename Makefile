# Homunculus — build, tests and benchmarks. Dependencies are found with pkg-config.
#   make                 build everything
#   make check           run every test suite (SANITIZE=1: under ASan + UBSan)
#   make bench           print speed and memory figures
#   make install         PREFIX=/usr/local DESTDIR=

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

BENCH_BIN := $(BUILD)/bench/bench-model $(BUILD)/bench/bench-engine $(BUILD)/bench/bench-sonify

# RealtimeSanitizer's runtime (Debian libclang-rt-19-dev), linked into a gcc-built driver
# that runs engine_process in real-time context; not combined with ASan.
RTSAN_LIB ?= /usr/lib/llvm-19/lib/clang/19/lib/linux/libclang_rt.rtsan-x86_64.a
RTSAN_BIN := $(BUILD)/tests/rtsan-engine
DEMO_BIN := $(BUILD)/homunculus-core-demo
SCORE_BIN := $(BUILD)/homunculus-fingering-score

.PHONY: all check bench clean install deps-check
all: $(CORE_LIB) $(DEMO_BIN) $(SCORE_BIN) $(TEST_BIN) $(BENCH_BIN)

$(BUILD)/%.o: %.c $(wildcard core/*.h) $(wildcard tests/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(if $(filter tests/%,$<),$(CHECK_CFLAGS)) -c $< -o $@

$(CORE_LIB): $(CORE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(DEMO_BIN): $(BUILD)/standalone/core_demo.o $(CORE_LIB)
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(LDLIBS_CORE) $(LDFLAGS)

$(SCORE_BIN): $(BUILD)/standalone/fingering_score.o $(CORE_LIB)
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(LDLIBS_CORE) $(LDFLAGS)

$(TEST_BIN): $(TEST_OBJ) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(CHECK_LIBS) $(LDLIBS_CORE) $(LDFLAGS)

$(BUILD)/bench/bench-%: $(BUILD)/bench/bench_%.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(LDLIBS_CORE) $(LDFLAGS)

$(RTSAN_BIN): tests/rt/rtsan_engine.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $^ -o $@ -Wl,--whole-archive $(RTSAN_LIB) -Wl,--no-whole-archive \
		-lstdc++ -lpthread -ldl -rdynamic $(LDLIBS_CORE) $(LDFLAGS)

deps-check:
	@$(PKG_CONFIG) --exists check || { echo "missing: the Check unit-test library (Debian: apt-get install check pkg-config)"; exit 1; }
ifneq ($(SANITIZE),1)
	@test -f $(RTSAN_LIB) || { echo "missing: RealtimeSanitizer's runtime $(RTSAN_LIB) (Debian: apt-get install libclang-rt-19-dev)"; exit 1; }
endif

ifeq ($(SANITIZE),1)
check: deps-check $(TEST_BIN) $(DEMO_BIN)
	$(TEST_BIN)
else
check: deps-check $(TEST_BIN) $(DEMO_BIN) $(SCORE_BIN) $(RTSAN_BIN)
	$(TEST_BIN)
	$(SCORE_BIN) tests/fixtures/fingering/small_pig.txt
	@if $(RTSAN_BIN) --self-test >/dev/null 2>&1; then echo "rtsan-engine: sanitizer inactive"; exit 1; fi
	$(RTSAN_BIN)
endif

bench: $(BENCH_BIN)
	$(BUILD)/bench/bench-model
	$(BUILD)/bench/bench-engine
	$(BUILD)/bench/bench-sonify

install: $(DEMO_BIN) $(SCORE_BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(DEMO_BIN) $(SCORE_BIN) $(DESTDIR)$(PREFIX)/bin/

clean:
	rm -rf build build-sanitize
