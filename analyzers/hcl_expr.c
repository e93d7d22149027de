/* hcl_expr.c - HCL2 expressions: literals, tuples, objects, references,
 * calls, operators, conditionals, for-expressions, splats and indexing.
 *
 * Guarantees: precedence and associativity follow the HCL spec (unary
 * '-' '!' bind tightest to a term with its traversals; then * / %, + -,
 * comparisons, == !=, &&, ||, all left-associative; '? :' lowest and
 * right-associative). Literals become scalars (a minus sign directly before
 * a number literal is folded into it, as HashiCorp's parser does), tuples
 * DOC_SEQ, objects DOC_MAP (bare identifier and quoted keys as scalars,
 * anything else as an expression key); every other expression is a DOC_EXPR
 * whose span covers exactly its text. Sub-expressions are parsed fully, so
 * syntax errors anywhere are reported, but are not evaluated. Newlines are
 * ignored inside (), [] and function calls and separate object elements. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/hcl_parser.h"

static bool tok_is_keyword(const hcl_token *t, const char *kw)
{
    size_t n = strlen(kw);
    return t->type == HT_IDENT && t->len == n && memcmp(t->text, kw, n) == 0;
}

static void error_unclosed(hcl_parser *p, char opener, src_pos open)
{
    char closer = opener == '[' ? ']' : opener == '(' ? ')' : '}';
    hp_error(p, p->tok.start, "unclosed '%c' opened at line %u, column %u: expected '%c' before end "
             "of file", opener, open.line, open.col, closer);
}

/* Reports what was found where a closer was expected. */
static void error_expected(hcl_parser *p, char opener, src_pos open, const char *expected)
{
    if (p->tok.type == HT_EOF)
        error_unclosed(p, opener, open);
    else
        hp_error_found(p, expected);
}

static doc_node *number_scalar(hcl_parser *p, const hcl_token *t)
{
    src_span span = {.start = t->start, .end = t->end};
    bool integral = !memchr(t->text, '.', t->len) && !memchr(t->text, 'e', t->len) &&
                    !memchr(t->text, 'E', t->len);
    doc_node *n = doc_new_scalar(p->a, p->f, span, SCALAR_FLOAT, STYLE_PLAIN, t->text, t->len);
    const char *text = n->u.scalar.text; /* NUL-terminated copy */
    if (integral) {
        errno = 0;
        long long v = strtoll(text, NULL, 10);
        if (!errno) {
            n->u.scalar.type = SCALAR_INT;
            n->u.scalar.i = v;
            n->u.scalar.f = (double)v;
            return n;
        }
    }
    n->u.scalar.f = strtod(text, NULL);
    if (isfinite(n->u.scalar.f) && fabs(n->u.scalar.f) < 9.2e18 &&
        n->u.scalar.f == (double)(int64_t)n->u.scalar.f)
        n->u.scalar.i = (int64_t)n->u.scalar.f;
    return n;
}

/* "-N": folds the minus into the number literal right after it. */
static doc_node *negate_number(hcl_parser *p, src_pos minus, const doc_node *num)
{
    src_span span = {.start = minus, .end = num->span.end};
    char *text = arena_printf(p->a, "-%s", num->u.scalar.text);
    doc_node *n = doc_new_scalar(p->a, p->f, span, num->u.scalar.type, STYLE_PLAIN, text,
                                 num->u.scalar.len + 1);
    n->u.scalar.i = -num->u.scalar.i;
    n->u.scalar.f = -num->u.scalar.f;
    return n;
}

static bool is_number_literal(const hcl_parser *p, const doc_node *n)
{
    if (n->kind != DOC_SCALAR || (n->u.scalar.type != SCALAR_INT && n->u.scalar.type != SCALAR_FLOAT))
        return false;
    char c = p->f->data[n->span.start.offset];
    return c >= '0' && c <= '9';
}

/* "for k, v in coll : value [=> ...] [...] [if cond]" up to the closer;
 * the lookahead is 'for', newlines are already ignored. */
static doc_node *parse_for(hcl_parser *p, const hcl_token *open, hcl_tok_type close)
{
    bool object = close == HT_RBRACE;
    hp_next(p); /* for */
    if (hp_peek(p)->type != HT_IDENT) {
        hp_error_found(p, "a variable name after 'for'");
        return NULL;
    }
    hp_next(p);
    if (hp_peek(p)->type == HT_COMMA) {
        hp_next(p);
        if (hp_peek(p)->type != HT_IDENT) {
            hp_error_found(p, "a second variable name after ',' in the 'for' expression");
            return NULL;
        }
        hp_next(p);
    }
    if (!tok_is_keyword(hp_peek(p), "in")) {
        hp_error_found(p, "'in' after the variable names of the 'for' expression");
        return NULL;
    }
    hp_next(p);
    if (!hp_expr(p))
        return NULL;
    if (hp_peek(p)->type != HT_COLON) {
        hp_error_found(p, "':' after the collection of the 'for' expression");
        return NULL;
    }
    hp_next(p);
    src_pos value_start = hp_peek(p)->start;
    if (!hp_expr(p))
        return NULL;
    const hcl_token *t = hp_peek(p);
    bool has_key = false;
    if (t->type == HT_ARROW) {
        if (!object) {
            hp_error(p, t->start, "a tuple 'for' expression ([for ...]) cannot have a key ('=>'); "
                     "use {for ...} to build an object");
            return NULL;
        }
        has_key = true;
        hp_next(p);
        if (!hp_expr(p))
            return NULL;
        t = hp_peek(p);
    }
    if (object && !has_key) {
        hp_error(p, value_start, "an object 'for' expression ({for ...}) needs 'key => value' after ':'");
        return NULL;
    }
    if (t->type == HT_ELLIPSIS) {
        if (!object) {
            hp_error(p, t->start, "grouping with '...' is only allowed in object 'for' expressions");
            return NULL;
        }
        hp_next(p);
        t = hp_peek(p);
    }
    if (tok_is_keyword(t, "if")) {
        hp_next(p);
        if (!hp_expr(p))
            return NULL;
        t = hp_peek(p);
    }
    if (t->type != close) {
        error_expected(p, object ? '{' : '[', open->start,
                       object ? "'}' to end the 'for' expression" : "']' to end the 'for' expression");
        return NULL;
    }
    hp_next(p);
    return hp_expr_node(p, EXPR_FOR, open->start, p->prev_end);
}

static doc_node *parse_tuple(hcl_parser *p)
{
    hcl_token open = p->tok;
    hp_next(p);
    bool old = hp_set_nl(p, false);
    if (tok_is_keyword(hp_peek(p), "for")) {
        doc_node *n = parse_for(p, &open, HT_RBRACK);
        hp_set_nl(p, old);
        return n;
    }
    src_span span = {.start = open.start, .end = open.end};
    doc_node *seq = doc_new(p->a, DOC_SEQ, p->f, span);
    for (;;) {
        const hcl_token *t = hp_peek(p);
        if (t->type == HT_RBRACK)
            break;
        if (t->type == HT_EOF) {
            error_unclosed(p, '[', open.start);
            return NULL;
        }
        doc_node *item = hp_expr(p);
        if (!item)
            return NULL;
        doc_seq_add(p->a, seq, item);
        t = hp_peek(p);
        if (t->type == HT_RBRACK)
            break;
        if (t->type != HT_COMMA) {
            error_expected(p, '[', open.start, "',' or ']' after a tuple element");
            return NULL;
        }
        hp_next(p);
    }
    hp_set_nl(p, old);
    hp_next(p);
    seq->span.end = p->prev_end;
    return seq;
}

static doc_node *parse_object(hcl_parser *p)
{
    hcl_token open = p->tok;
    hp_next(p);
    bool old = hp_set_nl(p, false);
    if (tok_is_keyword(hp_peek(p), "for")) {
        doc_node *n = parse_for(p, &open, HT_RBRACE);
        hp_set_nl(p, old);
        return n;
    }
    hp_set_nl(p, true);
    src_span span = {.start = open.start, .end = open.end};
    doc_node *map = doc_new(p->a, DOC_MAP, p->f, span);
    hcl_keyset keys = {0};
    for (;;) {
        const hcl_token *t = hp_peek(p);
        if (t->type == HT_NEWLINE) {
            hp_next(p);
            continue;
        }
        if (t->type == HT_RBRACE)
            break;
        if (t->type == HT_EOF) {
            error_unclosed(p, '{', open.start);
            return NULL;
        }
        doc_node *key;
        if (t->type == HT_IDENT) {
            /* A bare identifier followed by '=' or ':' is a literal key;
             * otherwise it starts a key expression (a.b, f(x)...). */
            hcl_token id = *t;
            hp_next(p);
            t = hp_peek(p);
            if (t->type == HT_EQUAL || t->type == HT_COLON) {
                src_span kspan = {.start = id.start, .end = id.end};
                key = doc_new_scalar(p->a, p->f, kspan, SCALAR_STR, STYLE_PLAIN, id.text, id.len);
            } else {
                p->pending = id;
                p->has_pending = true;
                key = hp_expr(p);
            }
        } else {
            key = hp_expr(p);
        }
        if (!key)
            return NULL;
        t = hp_peek(p);
        if (t->type != HT_EQUAL && t->type != HT_COLON) {
            size_t klen = key->span.end.offset - key->span.start.offset;
            if (t->type == HT_EOF && !p->failed)
                error_unclosed(p, '{', open.start);
            else if (!p->failed)
                hp_error(p, t->start, "expected '=' or ':' after the object key '%.*s', found %s",
                         (int)klen, p->f->data + key->span.start.offset, hcl_tok_describe(p->a, t));
            return NULL;
        }
        hp_next(p);
        doc_node *value = hp_expr(p);
        if (!value)
            return NULL;
        if (key->kind == DOC_SCALAR) {
            const doc_node *first = hcl_keyset_add(p->a, &keys, map, key);
            if (first)
                hp_warn_duplicate(p, "object key", key, first);
        }
        doc_map_add(p->a, map, key, value);
        t = hp_peek(p);
        if (t->type == HT_RBRACE)
            break;
        if (t->type != HT_COMMA && t->type != HT_NEWLINE) {
            error_expected(p, '{', open.start, "',' or a newline after an object element");
            return NULL;
        }
        hp_next(p);
    }
    hp_set_nl(p, old);
    hp_next(p);
    map->span.end = p->prev_end;
    return map;
}

/* name(args...) or ns::name(args...); the lookahead is '(' or '::'. */
static doc_node *parse_call(hcl_parser *p, const hcl_token *name)
{
    while (p->tok.type == HT_DCOLON) {
        hp_next(p);
        if (hp_peek(p)->type != HT_IDENT) {
            hp_error_found(p, "a function name after '::'");
            return NULL;
        }
        hp_next(p);
        const hcl_token *t = hp_peek(p);
        if (t->type != HT_DCOLON && t->type != HT_LPAREN) {
            hp_error_found(p, "'(' after the function name");
            return NULL;
        }
    }
    hcl_token open = p->tok;
    hp_next(p);
    bool old = hp_set_nl(p, false);
    for (;;) {
        const hcl_token *t = hp_peek(p);
        if (t->type == HT_RPAREN)
            break;
        if (t->type == HT_EOF) {
            if (!p->failed)
                hp_error(p, t->start, "unclosed '(' of the call to '%.*s' opened at line %u, column %u",
                         (int)name->len, name->text, open.start.line, open.start.col);
            return NULL;
        }
        if (!hp_expr(p))
            return NULL;
        t = hp_peek(p);
        if (t->type == HT_RPAREN)
            break;
        if (t->type == HT_ELLIPSIS) {
            hp_next(p);
            if (hp_peek(p)->type != HT_RPAREN) {
                hp_error_found(p, "')' after '...' (only the last argument can be expanded)");
                return NULL;
            }
            break;
        }
        if (t->type != HT_COMMA) {
            if (t->type == HT_EOF && !p->failed)
                hp_error(p, t->start, "unclosed '(' of the call to '%.*s' opened at line %u, column %u",
                         (int)name->len, name->text, open.start.line, open.start.col);
            else
                hp_error_found(p, "',' or ')' after a function argument");
            return NULL;
        }
        hp_next(p);
    }
    hp_set_nl(p, old);
    hp_next(p);
    return hp_expr_node(p, EXPR_CALL, name->start, p->prev_end);
}

static doc_node *parse_paren(hcl_parser *p)
{
    hcl_token open = p->tok;
    hp_next(p);
    bool old = hp_set_nl(p, false);
    if (!hp_expr(p))
        return NULL;
    if (hp_peek(p)->type != HT_RPAREN) {
        error_expected(p, '(', open.start, "')' to close the parenthesis");
        return NULL;
    }
    hp_set_nl(p, old);
    hp_next(p);
    return hp_expr_node(p, EXPR_PAREN, open.start, p->prev_end);
}

/* An identifier: a call, true/false/null, or a variable reference. The
 * identifier has been consumed; the lookahead is the token after it. */
static doc_node *parse_identifier(hcl_parser *p, const hcl_token *id)
{
    hcl_tok_type next = hp_peek(p)->type;
    if (next == HT_LPAREN || next == HT_DCOLON) {
        if (!hp_enter(p, id->start))
            return NULL;
        doc_node *n = parse_call(p, id);
        if (n)
            hp_leave(p);
        return n;
    }
    src_span span = {.start = id->start, .end = id->end};
    if (tok_is_keyword(id, "true") || tok_is_keyword(id, "false"))
        return doc_new_bool(p->a, p->f, span, id->len == 4);
    if (tok_is_keyword(id, "null"))
        return doc_new_scalar(p->a, p->f, span, SCALAR_NULL, STYLE_PLAIN, "", 0);
    return hp_expr_node(p, EXPR_REFERENCE, id->start, id->end);
}

static doc_node *parse_primary(hcl_parser *p)
{
    if (p->has_pending) {
        hcl_token id = p->pending;
        p->has_pending = false;
        return parse_identifier(p, &id);
    }
    const hcl_token *t = hp_peek(p);
    switch (t->type) {
    case HT_NUMBER: {
        doc_node *n = number_scalar(p, t);
        hp_next(p);
        return n;
    }
    case HT_IDENT: {
        hcl_token id = *t;
        hp_next(p);
        return parse_identifier(p, &id);
    }
    case HT_OQUOTE:
    case HT_HEREDOC:
        return hp_template(p, false);
    case HT_LPAREN:
    case HT_LBRACK:
    case HT_LBRACE: {
        if (!hp_enter(p, t->start))
            return NULL;
        doc_node *n = t->type == HT_LPAREN ? parse_paren(p)
                      : t->type == HT_LBRACK ? parse_tuple(p) : parse_object(p);
        if (n)
            hp_leave(p);
        return n;
    }
    case HT_NEWLINE:
        hp_error(p, t->start, "expected an expression before the end of the line");
        return NULL;
    default:
        hp_error_found(p, "an expression");
        return NULL;
    }
}

/* ".N" legacy index; the lookahead is the number. */
static bool legacy_index(hcl_parser *p)
{
    const hcl_token *t = &p->tok;
    const char *dot = memchr(t->text, '.', t->len);
    if (dot) {
        hp_error(p, t->start, "invalid legacy index '.%.*s': chaining two indexes is not allowed; "
                 "write [%.*s][%.*s]", (int)t->len, t->text, (int)(dot - t->text), t->text,
                 (int)(t->len - (size_t)(dot - t->text) - 1), dot + 1);
        return false;
    }
    hp_next(p);
    return true;
}

/* Attribute access, indexing and splats after a term. */
static doc_node *parse_postfix(hcl_parser *p, doc_node *term)
{
    if (!term)
        return NULL;
    bool any = false, splat = false;
    expr_kind kind = EXPR_REFERENCE;
    for (;;) {
        const hcl_token *t = hp_peek(p);
        if (t->type == HT_DOT) {
            hp_next(p);
            t = hp_peek(p);
            if (t->type == HT_IDENT) {
                hp_next(p);
                kind = EXPR_REFERENCE;
            } else if (t->type == HT_NUMBER) {
                if (!legacy_index(p))
                    return NULL;
                kind = EXPR_INDEX;
            } else if (t->type == HT_STAR) {
                hp_next(p);
                splat = true;
                while (hp_peek(p)->type == HT_DOT) { /* .*.a.b: attribute-only splat */
                    hp_next(p);
                    t = hp_peek(p);
                    if (t->type == HT_IDENT) {
                        hp_next(p);
                    } else if (t->type == HT_NUMBER) {
                        if (!legacy_index(p))
                            return NULL;
                    } else if (t->type == HT_STAR) {
                        hp_error(p, t->start, "a splat ('.*') cannot contain another splat");
                        return NULL;
                    } else {
                        hp_error_found(p, "an attribute name after '.'");
                        return NULL;
                    }
                }
            } else {
                hp_error_found(p, "an attribute name after '.'");
                return NULL;
            }
        } else if (t->type == HT_LBRACK) {
            src_pos open = t->start;
            if (!hp_enter(p, open))
                return NULL;
            hp_next(p);
            bool old = hp_set_nl(p, false);
            if (hp_peek(p)->type == HT_STAR) {
                hp_next(p);
                if (hp_peek(p)->type != HT_RBRACK) {
                    hp_error_found(p, "']' after '[*' (a full splat is written [*])");
                    return NULL;
                }
                splat = true;
            } else {
                if (!hp_expr(p))
                    return NULL;
                if (hp_peek(p)->type != HT_RBRACK) {
                    error_expected(p, '[', open, "']' to close the index");
                    return NULL;
                }
                kind = EXPR_INDEX;
            }
            hp_set_nl(p, old);
            hp_next(p);
            hp_leave(p);
        } else {
            break;
        }
        any = true;
    }
    if (!any)
        return term;
    return hp_expr_node(p, splat ? EXPR_SPLAT : kind, term->span.start, p->prev_end);
}

static doc_node *parse_unary(hcl_parser *p)
{
    const hcl_token *t = hp_peek(p);
    if (p->has_pending || (t->type != HT_MINUS && t->type != HT_BANG))
        return parse_postfix(p, parse_primary(p));
    hcl_token op = *t;
    if (!hp_enter(p, op.start))
        return NULL;
    hp_next(p);
    doc_node *operand = parse_unary(p);
    if (!operand)
        return NULL;
    hp_leave(p);
    if (op.type == HT_MINUS && is_number_literal(p, operand))
        return negate_number(p, op.start, operand);
    return hp_expr_node(p, EXPR_OPERATOR, op.start, operand->span.end);
}

static int binary_precedence(hcl_tok_type t)
{
    switch (t) {
    case HT_OR:
        return 1;
    case HT_AND:
        return 2;
    case HT_EQEQ:
    case HT_NOTEQ:
        return 3;
    case HT_LT:
    case HT_LE:
    case HT_GT:
    case HT_GE:
        return 4;
    case HT_PLUS:
    case HT_MINUS:
        return 5;
    case HT_STAR:
    case HT_SLASH:
    case HT_PERCENT:
        return 6;
    default:
        return 0;
    }
}

/* Precedence climbing: operators of at least min_prec, left-associative.
 * Recursion depth is bounded by the number of precedence levels. */
static doc_node *parse_binary(hcl_parser *p, int min_prec)
{
    doc_node *lhs = parse_unary(p);
    while (lhs) {
        int prec = binary_precedence(hp_peek(p)->type);
        if (prec == 0 || prec < min_prec)
            break;
        hp_next(p);
        doc_node *rhs = parse_binary(p, prec + 1);
        if (!rhs)
            return NULL;
        lhs = hp_expr_node(p, EXPR_OPERATOR, lhs->span.start, rhs->span.end);
    }
    return lhs;
}

doc_node *hp_expr(hcl_parser *p)
{
    doc_node *n = parse_binary(p, 1);
    if (n && hp_peek(p)->type == HT_QUESTION) {
        src_pos question = p->tok.start;
        if (!hp_enter(p, question))
            return NULL;
        hp_next(p);
        if (!hp_expr(p))
            return NULL;
        if (hp_peek(p)->type != HT_COLON) {
            if (!p->failed)
                hp_error(p, p->tok.start, "expected ':' in the conditional expression started by '?' "
                         "at line %u, column %u, found %s", question.line, question.col,
                         hcl_tok_describe(p->a, &p->tok));
            return NULL;
        }
        hp_next(p);
        doc_node *no = hp_expr(p);
        if (!no)
            return NULL;
        hp_leave(p);
        n = hp_expr_node(p, EXPR_CONDITIONAL, n->span.start, no->span.end);
    }
    return n;
}
