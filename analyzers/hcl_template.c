/* hcl_template.c - quoted strings and heredocs, with or without templates.
 *
 * Guarantees: a quoted string or heredoc without ${...} / %{...} sequences
 * becomes a string scalar holding the decoded value: in quoted strings the
 * escapes \n \r \t \" \\ \uNNNN \UNNNNNNNN are decoded (anything else after
 * a backslash is an error) and a quoted string cannot span lines; in both
 * forms "$${" stands for "${" and "%%{" for "%{". A <<- heredoc loses the
 * smallest leading-whitespace width of its non-blank lines, exactly as
 * HashiCorp's parser does (whitespace-only lines are left untouched). With
 * sequences the result is an EXPR_TEMPLATE node: every interpolation and
 * directive expression is parsed, and if/else/endif and for/endfor must
 * balance. Spans cover the quotes, or "<<MARKER" through the closing marker.
 * The scanner reads raw bytes through the lexer, so positions stay exact. */
#include <string.h>

#include "analyzers/hcl_parser.h"

typedef enum directive_type { DIR_IF, DIR_FOR } directive_type;

typedef struct directive {
    directive_type type;
    src_pos at;
    bool has_else;
    struct directive *outer;
} directive;

typedef struct template_scan {
    const hcl_token *open;
    bool literal_only;  /* block label: no sequences allowed */
    bool has_sequences; /* ${...} or %{...} seen: the result is an expression */
    size_t base;        /* start of this template's text in p->sb */
    directive *open_directives;
    src_pos end;
} template_scan;

static bool is_hex(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned hex_value(int c)
{
    return c <= '9' ? (unsigned)(c - '0') : (unsigned)((c | 0x20) - 'a' + 10);
}

static void add_utf8(strbuf *sb, unsigned cp)
{
    if (cp < 0x80) {
        sb_addc(sb, (char)cp);
    } else if (cp < 0x800) {
        sb_addc(sb, (char)(0xC0 | (cp >> 6)));
        sb_addc(sb, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        sb_addc(sb, (char)(0xE0 | (cp >> 12)));
        sb_addc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
        sb_addc(sb, (char)(0x80 | (cp & 0x3F)));
    } else {
        sb_addc(sb, (char)(0xF0 | (cp >> 18)));
        sb_addc(sb, (char)(0x80 | ((cp >> 12) & 0x3F)));
        sb_addc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
        sb_addc(sb, (char)(0x80 | (cp & 0x3F)));
    }
}

static void add_text(hcl_parser *p, template_scan *ts, const char *s, size_t n)
{
    if (!ts->has_sequences)
        sb_addn(&p->sb, s, n);
}

/* Decodes the escape at the backslash (quoted strings only). */
static bool scan_escape(hcl_parser *p, template_scan *ts)
{
    hcl_lexer *lx = &p->lx;
    src_pos at = hcl_lex_pos(lx);
    int e = hcl_lex_byte(lx, 1);
    const char *simple = NULL;
    switch (e) {
    case 'n':
        simple = "\n";
        break;
    case 'r':
        simple = "\r";
        break;
    case 't':
        simple = "\t";
        break;
    case '"':
        simple = "\"";
        break;
    case '\\':
        simple = "\\";
        break;
    case 'u':
    case 'U': {
        size_t digits = e == 'u' ? 4 : 8;
        unsigned cp = 0;
        for (size_t i = 0; i < digits; i++) {
            int h = hcl_lex_byte(lx, 2 + i);
            if (!is_hex(h)) {
                hp_error(p, at, "invalid escape sequence: \\%c must be followed by %s hexadecimal digits",
                         e, e == 'u' ? "four" : "eight");
                return false;
            }
            cp = cp * 16 + hex_value(h);
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            hp_error(p, at, "invalid escape sequence: U+%04X cannot be encoded in UTF-8", cp);
            return false;
        }
        if (!ts->has_sequences)
            add_utf8(&p->sb, cp);
        hcl_lex_advance(lx, 2 + digits);
        return true;
    }
    case -1:
    case '\n':
    case '\r':
        hp_error(p, ts->open->start, "unterminated string: missing closing '\"' before the end of "
                 "the line");
        return false;
    default: {
        const char *c = lx->data + lx->pos + 1;
        size_t n = (unsigned char)*c < 0x80 ? 1 : (unsigned char)*c < 0xE0 ? 2 : (unsigned char)*c < 0xF0 ? 3 : 4;
        hp_error(p, at, "invalid escape sequence '\\%.*s'; valid escapes are \\n \\r \\t \\\" \\\\ "
                 "\\uNNNN and \\UNNNNNNNN", (int)n, c);
        return false;
    }
    }
    add_text(p, ts, simple, 1);
    hcl_lex_advance(lx, 2);
    return true;
}

static directive *push_directive(hcl_parser *p, template_scan *ts, directive_type type, src_pos at)
{
    if (!hp_enter(p, at))
        return NULL;
    directive *d = arena_alloc(p->a, sizeof *d);
    d->type = type;
    d->at = at;
    d->outer = ts->open_directives;
    ts->open_directives = d;
    return d;
}

/* Expects the '}' or '~}' closing a sequence; the lexer then sits right
 * after it, where literal scanning resumes. */
static bool expect_sequence_end(hcl_parser *p, src_pos opened, const char *what)
{
    const hcl_token *t = hp_peek(p);
    if (t->type == HT_RBRACE || t->type == HT_STRIP_RBRACE)
        return true;
    if (t->type == HT_EOF && !p->failed)
        hp_error(p, t->start, "unclosed '%s' opened at line %u, column %u: expected '}'", what,
                 opened.line, opened.col);
    else if (!p->failed)
        hp_error(p, t->start, "expected '}' to close the '%s' opened at line %u, column %u, found %s",
                 what, opened.line, opened.col, hcl_tok_describe(p->a, t));
    return false;
}

static bool keyword_is(const hcl_token *t, const char *kw)
{
    size_t n = strlen(kw);
    return t->type == HT_IDENT && t->len == n && memcmp(t->text, kw, n) == 0;
}

/* A %{ ... } directive; the lexer is past "%{" and the strip marker. */
static bool scan_directive(hcl_parser *p, template_scan *ts, src_pos at)
{
    hp_scan(p);
    const hcl_token *t = hp_peek(p);
    if (t->type != HT_IDENT) {
        hp_error_found(p, "'if', 'for', 'else', 'endif' or 'endfor' after '%{'");
        return false;
    }
    hcl_token kw = *t;
    hp_next(p);
    directive *top = ts->open_directives;
    if (keyword_is(&kw, "if")) {
        if (!hp_expr(p) || !push_directive(p, ts, DIR_IF, at))
            return false;
    } else if (keyword_is(&kw, "for")) {
        if (hp_peek(p)->type != HT_IDENT) {
            hp_error_found(p, "a variable name after '%{ for'");
            return false;
        }
        hp_next(p);
        if (hp_peek(p)->type == HT_COMMA) {
            hp_next(p);
            if (hp_peek(p)->type != HT_IDENT) {
                hp_error_found(p, "a second variable name after ',' in '%{ for'");
                return false;
            }
            hp_next(p);
        }
        if (!keyword_is(hp_peek(p), "in")) {
            hp_error_found(p, "'in' after the variable names of '%{ for'");
            return false;
        }
        hp_next(p);
        if (!hp_expr(p) || !push_directive(p, ts, DIR_FOR, at))
            return false;
    } else if (keyword_is(&kw, "else")) {
        if (!top || top->type != DIR_IF || top->has_else) {
            hp_error(p, at, "unexpected '%%{ else }': %s", !top ? "no '%{ if }' is open"
                     : top->type != DIR_IF ? "a '%{ for }' cannot have an else clause"
                     : "this '%{ if }' already has an else clause");
            return false;
        }
        top->has_else = true;
    } else if (keyword_is(&kw, "endif") || keyword_is(&kw, "endfor")) {
        directive_type want = keyword_is(&kw, "endif") ? DIR_IF : DIR_FOR;
        if (!top || top->type != want) {
            hp_error(p, at, "unexpected '%%{ %.*s }': %s", (int)kw.len, kw.text,
                     !top ? "no matching directive is open"
                     : top->type == DIR_IF ? "the open directive is an '%{ if }' (close it with endif)"
                     : "the open directive is a '%{ for }' (close it with endfor)");
            return false;
        }
        ts->open_directives = top->outer;
        hp_leave(p);
    } else {
        hp_error(p, kw.start, "unknown template directive '%.*s'; expected if, for, else, endif or "
                 "endfor", (int)kw.len, kw.text);
        return false;
    }
    return expect_sequence_end(p, at, "%{");
}

/* "${" or "%{" at the lexer position (the caller checked the brace). */
static bool scan_sequence(hcl_parser *p, template_scan *ts)
{
    hcl_lexer *lx = &p->lx;
    src_pos at = hcl_lex_pos(lx);
    bool is_directive = hcl_lex_byte(lx, 0) == '%';
    if (ts->literal_only) {
        hp_error(p, at, "template sequences are not allowed in a block label; write '%s' for a "
                 "literal '%s'", is_directive ? "%%{" : "$${", is_directive ? "%{" : "${");
        return false;
    }
    if (!ts->has_sequences) {
        ts->has_sequences = true;
        p->sb.len = ts->base;
    }
    if (!hp_enter(p, at))
        return false;
    hcl_lex_advance(lx, hcl_lex_byte(lx, 2) == '~' ? 3 : 2);
    bool old = hp_set_nl(p, false);
    bool ok;
    if (is_directive) {
        ok = scan_directive(p, ts, at);
    } else {
        hp_scan(p);
        ok = hp_expr(p) && expect_sequence_end(p, at, "${");
    }
    hp_set_nl(p, old);
    if (ok)
        hp_leave(p);
    return ok;
}

/* Handles '$' or '%' at the lexer position: an escape ($${ %%{), a
 * sequence, or a literal character. */
static bool scan_dollar_percent(hcl_parser *p, template_scan *ts)
{
    hcl_lexer *lx = &p->lx;
    int c = hcl_lex_byte(lx, 0);
    int c1 = hcl_lex_byte(lx, 1);
    if (c1 == c && hcl_lex_byte(lx, 2) == '{') {
        add_text(p, ts, lx->data + lx->pos + 1, 2);
        hcl_lex_advance(lx, 3);
        return true;
    }
    if (c1 == '{')
        return scan_sequence(p, ts);
    add_text(p, ts, lx->data + lx->pos, 1);
    hcl_lex_advance(lx, 1);
    return true;
}

static bool scan_quoted(hcl_parser *p, template_scan *ts)
{
    hcl_lexer *lx = &p->lx;
    for (;;) {
        if (p->failed)
            return false;
        int c = hcl_lex_byte(lx, 0);
        if (c == '"') {
            hcl_lex_advance(lx, 1);
            ts->end = hcl_lex_pos(lx);
            return true;
        }
        if (c < 0 || c == '\n' || (c == '\r' && hcl_lex_byte(lx, 1) == '\n')) {
            hp_error(p, ts->open->start, "unterminated string: missing closing '\"' before the end of "
                     "the %s (a quoted string cannot span lines; use a heredoc <<EOT for multi-line text)",
                     c < 0 ? "file" : "line");
            return false;
        }
        if (c == '\\') {
            if (!scan_escape(p, ts))
                return false;
        } else if (c == '$' || c == '%') {
            if (!scan_dollar_percent(p, ts))
                return false;
        } else {
            size_t n = 1;
            for (int d; (d = hcl_lex_byte(lx, n)) >= 0 && d != '"' && d != '\\' && d != '$' &&
                        d != '%' && d != '\n' && d != '\r';)
                n++;
            add_text(p, ts, lx->data + lx->pos, n);
            hcl_lex_advance(lx, n);
        }
    }
}

static bool is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* At the start of a heredoc line: is it the closing marker (surrounded by
 * optional whitespace)? If so, moves the lexer past the marker. */
static bool at_closing_marker(hcl_parser *p, template_scan *ts)
{
    hcl_lexer *lx = &p->lx;
    size_t i = 0;
    while (is_space(hcl_lex_byte(lx, i)))
        i++;
    size_t mlen = ts->open->marker_len;
    if (lx->pos + i + mlen > lx->len || memcmp(lx->data + lx->pos + i, ts->open->marker, mlen) != 0)
        return false;
    size_t j = i + mlen;
    while (is_space(hcl_lex_byte(lx, j)))
        j++;
    int c = hcl_lex_byte(lx, j);
    if (c != '\n' && c != -1)
        return false;
    hcl_lex_advance(lx, i + mlen);
    ts->end = hcl_lex_pos(lx);
    return true;
}

static bool scan_heredoc(hcl_parser *p, template_scan *ts)
{
    hcl_lexer *lx = &p->lx;
    bool line_start = true;
    for (;;) {
        if (p->failed)
            return false;
        if (line_start && at_closing_marker(p, ts))
            return true;
        line_start = false;
        int c = hcl_lex_byte(lx, 0);
        if (c < 0) {
            hp_error(p, ts->open->start, "unterminated heredoc: expected '%.*s' before end of file "
                     "(the closing marker must be on a line of its own)",
                     (int)ts->open->marker_len, ts->open->marker);
            return false;
        }
        if (c == '\n') {
            add_text(p, ts, "\n", 1);
            hcl_lex_advance(lx, 1);
            line_start = true;
        } else if (c == '$' || c == '%') {
            if (!scan_dollar_percent(p, ts))
                return false;
        } else {
            size_t n = 1;
            for (int d; (d = hcl_lex_byte(lx, n)) >= 0 && d != '$' && d != '%' && d != '\n';)
                n++;
            add_text(p, ts, lx->data + lx->pos, n);
            hcl_lex_advance(lx, n);
        }
    }
}

/* <<- : removes the smallest leading-whitespace width of the non-blank
 * lines from each of them (in place; returns the new length). */
static size_t flush_heredoc(char *s, size_t len)
{
    size_t min = (size_t)-1;
    for (size_t i = 0; i < len;) {
        size_t eol = i;
        while (eol < len && s[eol] != '\n')
            eol++;
        size_t ws = i;
        while (ws < eol && is_space((unsigned char)s[ws]))
            ws++;
        bool blank = ws == eol && eol < len;
        if (!blank && ws - i < min)
            min = ws - i;
        i = eol + 1;
    }
    if (min == (size_t)-1 || min == 0)
        return len;
    size_t out = 0;
    for (size_t i = 0; i < len;) {
        size_t eol = i;
        while (eol < len && s[eol] != '\n')
            eol++;
        size_t ws = i;
        while (ws < eol && is_space((unsigned char)s[ws]))
            ws++;
        bool blank = ws == eol && eol < len;
        size_t from = blank ? i : i + min;
        size_t stop = eol < len ? eol + 1 : len;
        memmove(s + out, s + from, stop - from);
        out += stop - from;
        i = stop;
    }
    return out;
}

doc_node *hp_template(hcl_parser *p, bool literal_only)
{
    hcl_token open = p->tok;
    bool heredoc = open.type == HT_HEREDOC;
    template_scan ts = {.open = &open, .literal_only = literal_only, .base = p->sb.len};
    bool ok = heredoc ? scan_heredoc(p, &ts) : scan_quoted(p, &ts);
    if (ok && ts.open_directives) {
        directive *d = ts.open_directives;
        hp_error(p, d->at, "the '%%{ %s }' directive has no matching '%%{ %s }' before the end of the %s",
                 d->type == DIR_IF ? "if" : "for", d->type == DIR_IF ? "endif" : "endfor",
                 heredoc ? "heredoc" : "string");
        ok = false;
    }
    if (!ok) {
        p->sb.len = ts.base;
        return NULL;
    }
    src_span span = {.start = open.start, .end = ts.end};
    doc_node *n;
    if (ts.has_sequences) {
        n = hp_expr_node(p, EXPR_TEMPLATE, open.start, ts.end);
    } else {
        char *text = p->sb.buf + ts.base;
        size_t len = p->sb.len - ts.base;
        if (heredoc && open.flush)
            len = flush_heredoc(text, len);
        n = doc_new_scalar(p->a, p->f, span, SCALAR_STR, heredoc ? STYLE_HEREDOC : STYLE_DOUBLE_QUOTED,
                           text, len);
    }
    p->sb.len = ts.base;
    p->sb.buf[ts.base] = '\0';
    p->prev_end = ts.end;
    hp_scan(p);
    return n;
}
