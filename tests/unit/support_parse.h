/* support_parse.h - what the front-end tests share (test_json.c,
 * test_yaml.c, test_hcl.c): parsing a text held in memory with one
 * front-end, freeing the result, reaching into maps and sequences, and
 * asserting exact spans and a parse's single error. Implemented in
 * support_parse.c, which the Makefile links into every unit test.
 *
 * Include after <cmocka.h>. The assertions are macros so that a failure
 * names the line of the test itself. */
#ifndef SA_SUPPORT_PARSE_H
#define SA_SUPPORT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "analyzers/frontend.h"

typedef enum parse_frontend { FRONTEND_JSON, FRONTEND_YAML, FRONTEND_HCL } parse_frontend;

/* One text parsed by one front-end; the file is named "t.tfvars.json",
 * "t.yaml" or "t.tf". */
typedef struct parse_case {
    arena *a;
    diag_list diags;
    src_file *f;
    doc_node *root;  /* JSON: the value; HCL: the body */
    doc_stream docs; /* YAML: the documents */
    bool ok;
} parse_case;

/* Parses len bytes of text within lim. Before the parse the result
 * (root, or docs for YAML) holds non-NULL garbage, so that a test sees a
 * failing parse reset it. */
void parse_case_run(parse_case *c, parse_frontend fe, const char *text, size_t len,
                    const parse_limits *lim);
/* The same for a NUL-terminated text within the default limits. */
void parse_case_text(parse_case *c, parse_frontend fe, const char *text);
/* Frees what the parse allocated. */
void parse_case_done(parse_case *c);

/* A test file of one front-end defines PARSE_FRONTEND (FRONTEND_JSON...)
 * before including this header, and gets parse() and parse_with() for it. */
#ifdef PARSE_FRONTEND
static inline void parse_with(parse_case *c, const char *text, size_t len,
                              const parse_limits *lim)
{
    parse_case_run(c, PARSE_FRONTEND, text, len, lim);
}

static inline void parse(parse_case *c, const char *text)
{
    parse_case_text(c, PARSE_FRONTEND, text);
}
#endif

/* The i-th pair of a map, the i-th item of a sequence (asserted to be
 * there). */
const doc_pair *pair_at(const doc_node *map, size_t i);
doc_node *item_at(const doc_node *seq, size_t i);

/* Asserts a span: start line, col, offset; end line, col, offset. */
#define assert_span(n, sl, sc, so, el, ec, eo)                                 \
    do {                                                                       \
        const src_span *s_ = &(n)->span;                                       \
        assert_int_equal(s_->start.line, (sl));                                \
        assert_int_equal(s_->start.col, (sc));                                 \
        assert_int_equal(s_->start.offset, (so));                              \
        assert_int_equal(s_->end.line, (el));                                  \
        assert_int_equal(s_->end.col, (ec));                                   \
        assert_int_equal(s_->end.offset, (eo));                                \
    } while (0)

/* Asserts the parse case c holds exactly one error, its last diagnostic,
 * in file file_ at line:col, whose message contains msg. */
#define assert_single_error_at(c, file_, l, col_, msg)                         \
    do {                                                                       \
        assert_int_equal(diag_count(&(c)->diags, DIAG_ERROR), 1);              \
        const diag *e_ = &(c)->diags.items[(c)->diags.count - 1];              \
        assert_int_equal(e_->level, DIAG_ERROR);                               \
        assert_string_equal(e_->path, (file_));                                \
        if (!strstr(e_->message, (msg)))                                       \
            fail_msg("message '%s' lacks '%s'", e_->message, (msg));           \
        if (e_->line != (unsigned)(l) || e_->col != (unsigned)(col_))          \
            fail_msg("error '%s' at %u:%u, expected %u:%u", e_->message,       \
                     e_->line, e_->col, (unsigned)(l), (unsigned)(col_));      \
    } while (0)

#endif
