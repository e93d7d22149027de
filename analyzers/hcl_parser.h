/* hcl_parser.h - state shared by the HCL parser files (internal).
 *
 * hcl_parse.c parses bodies, attributes and blocks; hcl_expr.c parses
 * expressions; hcl_template.c scans quoted strings and heredocs. They share
 * one hcl_parser with a single token of lookahead. Error handling: the first
 * error is recorded as a diagnostic, p->failed is set and the lookahead
 * becomes HT_EOF, so every loop ends and every function unwinds returning
 * NULL; only one error is reported per file. */
#ifndef SA_HCL_PARSER_H
#define SA_HCL_PARSER_H

#include <stdbool.h>

#include "analyzers/hcl_lex.h"
#include "core/doc.h"
#include "core/strbuf.h"

/* Nesting never goes deeper than this, whatever --max-depth says, so the
 * recursive-descent parser cannot exhaust the C stack: the deepest
 * per-level use (nested "${ templates) is under 1 KiB in optimised builds
 * and about 2 KiB under ASan, measured against an 8 MiB stack. */
#define HCL_HARD_MAX_DEPTH 1000

typedef struct hcl_parser {
    arena *a;
    src_file *f;
    diag_list *diags;
    hcl_lexer lx;
    hcl_token tok;      /* lookahead (may be HT_NEWLINE even when newlines are ignored) */
    src_pos prev_end;   /* end of the last consumed token */
    bool nl_sig;        /* newlines are significant (bodies, objects) */
    size_t depth;
    size_t max_depth;
    bool failed;
    bool has_pending;   /* pending: an identifier already consumed that starts */
    hcl_token pending;  /* the next expression (object keys, see parse_object) */
    strbuf sb;          /* decoded string contents (templates nest by appending) */
} hcl_parser;

/* Lookahead, skipping newlines when they are not significant. */
static inline const hcl_token *hp_peek(hcl_parser *p)
{
    while (!p->nl_sig && p->tok.type == HT_NEWLINE)
        hcl_lex_next(&p->lx, &p->tok);
    return &p->tok;
}

/* Consumes the lookahead and scans the next token. */
void hp_next(hcl_parser *p);
/* Scans the next token into the lookahead without touching prev_end (used
 * after the template scanner moved the lexer by hand). */
void hp_scan(hcl_parser *p);
/* Records the first error (later calls are ignored) and stops the parse. */
void hp_error(hcl_parser *p, src_pos at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Error naming what was found instead of what was expected. */
void hp_error_found(hcl_parser *p, const char *expected);
/* Depth accounting for nested constructs; false (after an error) when the
 * limit is exceeded. Every successful hp_enter is paired with hp_leave. */
bool hp_enter(hcl_parser *p, src_pos at);
static inline void hp_leave(hcl_parser *p)
{
    p->depth--;
}
/* Sets whether newlines are significant; returns the previous setting. */
static inline bool hp_set_nl(hcl_parser *p, bool significant)
{
    bool old = p->nl_sig;
    p->nl_sig = significant;
    return old;
}

doc_node *hp_expr_node(hcl_parser *p, expr_kind kind, src_pos start, src_pos end);
void hp_warn_duplicate(hcl_parser *p, const char *what, const doc_node *key, const doc_node *first);

/* Key-set of a body or object, used to report duplicates (hcl_parse.c):
 * small maps are scanned, larger ones get a hash table. */
typedef struct hcl_keyset {
    const doc_node **slots; /* key nodes (scalars), open addressing */
    size_t cap;
    size_t count;
} hcl_keyset;
/* Checks key (a scalar about to be added to map) against the scalar keys of
 * map's non-block pairs; returns the first earlier key with the same text,
 * or NULL (and remembers key). */
const doc_node *hcl_keyset_add(arena *a, hcl_keyset *set, const doc_node *map, const doc_node *key);

/* hcl_expr.c: a full expression (conditional level). */
doc_node *hp_expr(hcl_parser *p);

/* hcl_template.c: the quoted string or heredoc at the lookahead (HT_OQUOTE
 * or HT_HEREDOC). Literal-only templates become string scalars (escapes
 * decoded; <<- indentation removed); templates with ${...} or %{...}
 * become EXPR_TEMPLATE nodes. literal_only rejects template sequences
 * (block labels). */
doc_node *hp_template(hcl_parser *p, bool literal_only);

#endif
