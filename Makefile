# Makefile - builds build/<variant>/stackaudit, its library and the unit tests.
# Driven by build.sh; usable directly:  make [BUILD=build/asan SAN=1] [CC=clang]
# Sources are found by wildcard: a new .c file under core/ analyzers/ rules/
# pricing/ reports/ joins the library, a new tests/unit/test_*.c becomes a test.

BUILD ?= build/release
CC ?= cc
PKGS := yaml-0.1 libxml-2.0 libpcre2-8 sqlite3 libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
# libcurl is not linked: pricing/download.c opens it when a download starts
PKG_LIBS := $(shell pkg-config --libs $(filter-out libcurl,$(PKGS))) -ldl -lpthread -lm
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

WARN := -Wall -Wextra -Werror -Wshadow -Wno-missing-field-initializers
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE $(WARN) -g -I. $(PKG_CFLAGS)
ifeq ($(SAN),1)
  OPT := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  LDSAN := -fsanitize=address,undefined
else
  OPT := -O2
  LDSAN :=
endif
CFLAGS ?=
ALL_CFLAGS := $(CFLAGS_BASE) $(OPT) $(CFLAGS)

LIB_SRC := $(sort $(wildcard core/*.c analyzers/*.c rules/*.c pricing/*.c reports/*.c))
CMD_SRC := $(sort $(wildcard cmd/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_SUPPORT_SRC := $(sort $(wildcard tests/unit/support_*.c))
# Data files compiled into the binary (core/embedded.h).
EMBED_FILES := $(sort $(wildcard rules/builtin/*.yaml pricing/data/*.csv))
EMBED_C := $(BUILD)/gen/embedded_data.c
EMBED_OBJ := $(BUILD)/obj/gen/embedded_data.o

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CMD_OBJ := $(CMD_SRC:%.c=$(BUILD)/obj/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SUPPORT_OBJ := $(TEST_SUPPORT_SRC:%.c=$(BUILD)/obj/%.o)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIB := $(BUILD)/libstackaudit.a
BIN := $(BUILD)/stackaudit

.PHONY: all tests clean
all: $(BIN)
tests: $(BIN) $(TEST_BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(EMBED_C): $(EMBED_FILES) tools/embed.py Makefile
	@mkdir -p $(dir $@)
	python3 tools/embed.py $@ $(EMBED_FILES)

$(EMBED_OBJ): $(EMBED_C)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ) $(EMBED_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(CMD_OBJ) $(LIB)
	$(CC) $(LDSAN) -o $@ $(CMD_OBJ) $(LIB) $(PKG_LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(TEST_SUPPORT_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDSAN) -o $@ $< $(TEST_SUPPORT_OBJ) $(LIB) $(PKG_LIBS) $(CMOCKA_LIBS)

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(TEST_SUPPORT_OBJ:.o=.d)
