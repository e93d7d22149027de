/* hcl_lex.c - the HCL2 native-syntax lexer; see hcl_lex.h.
 *
 * Guarantees: a single forward pass over the bytes (no regex, no
 * backtracking); every comment ('#', '//' to the end of the line, and
 * block comments) is recorded once, in file order, with its exact span and
 * style; positions of tokens are exact byte offsets, 1-based lines and
 * 1-based character columns. A leading UTF-8 byte order mark is skipped. */
#include "hcl_lex.h"

#include <string.h>

void hcl_lex_init(hcl_lexer *lx, arena *a, src_file *f)
{
    memset(lx, 0, sizeof *lx);
    lx->a = a;
    lx->f = f;
    lx->data = f->data;
    lx->len = f->len;
    lx->line = 1;
    lx->col = 1;
    if (lx->len >= 3 && memcmp(lx->data, "\xEF\xBB\xBF", 3) == 0)
        hcl_lex_advance(lx, 3);
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Records a comment from start to the current position; body is the text
 * between the markers. */
static void record_comment(hcl_lexer *lx, src_pos start, comment_style style, size_t body_start,
                           size_t body_end)
{
    src_span span = {.start = start, .end = hcl_lex_pos(lx)};
    src_add_comment(lx->a, lx->f, span, style, lx->data + body_start, body_end - body_start);
}

/* Skips to the end of the line (not past its newline). */
static void skip_to_eol(hcl_lexer *lx)
{
    const char *nl = memchr(lx->data + lx->pos, '\n', lx->len - lx->pos);
    size_t stop = nl ? (size_t)(nl - lx->data) : lx->len;
    if (stop > lx->pos && lx->data[stop - 1] == '\r')
        stop--;
    hcl_lex_advance(lx, stop - lx->pos);
}

/* Skips blanks and comments. Returns false (with tok set to HT_INVALID)
 * on an unterminated block comment. */
static bool skip_blanks(hcl_lexer *lx, hcl_token *tok)
{
    for (;;) {
        int c = hcl_lex_byte(lx, 0);
        if (c == ' ' || c == '\t') {
            hcl_lex_advance(lx, 1);
        } else if (c == '#' || (c == '/' && hcl_lex_byte(lx, 1) == '/')) {
            src_pos start = hcl_lex_pos(lx);
            size_t marker = c == '#' ? 1 : 2;
            hcl_lex_advance(lx, marker);
            size_t body = lx->pos;
            skip_to_eol(lx);
            record_comment(lx, start, c == '#' ? COMMENT_HASH : COMMENT_SLASH, body, lx->pos);
        } else if (c == '/' && hcl_lex_byte(lx, 1) == '*') {
            src_pos start = hcl_lex_pos(lx);
            hcl_lex_advance(lx, 2);
            size_t body = lx->pos;
            const char *end = NULL;
            for (const char *s = lx->data + lx->pos; (s = memchr(s, '*', (size_t)(lx->data + lx->len - s)));
                 s++) {
                if (s + 1 < lx->data + lx->len && s[1] == '/') {
                    end = s;
                    break;
                }
            }
            if (!end) {
                tok->type = HT_INVALID;
                tok->start = start;
                tok->end = start;
                lx->error = "unterminated comment: '/*' has no closing '*/'";
                return false;
            }
            hcl_lex_advance(lx, (size_t)(end - (lx->data + lx->pos)));
            size_t body_end = lx->pos;
            hcl_lex_advance(lx, 2);
            record_comment(lx, start, COMMENT_BLOCK, body, body_end);
        } else {
            return true;
        }
    }
}

static void set_simple(hcl_lexer *lx, hcl_token *tok, hcl_tok_type type, size_t n)
{
    tok->type = type;
    tok->text = lx->data + lx->pos;
    tok->len = n;
    hcl_lex_advance(lx, n);
    tok->end = hcl_lex_pos(lx);
}

static void set_invalid(hcl_lexer *lx, hcl_token *tok, const char *msg)
{
    tok->type = HT_INVALID;
    tok->end = tok->start;
    lx->error = msg;
}

/* Length in bytes of the UTF-8 character at data[pos] (input is valid UTF-8). */
static size_t char_len(const hcl_lexer *lx)
{
    unsigned char c = (unsigned char)lx->data[lx->pos];
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return lx->pos + n <= lx->len ? n : lx->len - lx->pos;
}

static void lex_number(hcl_lexer *lx, hcl_token *tok)
{
    size_t n = 0;
    while (is_digit(hcl_lex_byte(lx, n)))
        n++;
    if (hcl_lex_byte(lx, n) == '.' && is_digit(hcl_lex_byte(lx, n + 1))) {
        n++;
        while (is_digit(hcl_lex_byte(lx, n)))
            n++;
    }
    int e = hcl_lex_byte(lx, n);
    if (e == 'e' || e == 'E') {
        size_t m = n + 1;
        if (hcl_lex_byte(lx, m) == '+' || hcl_lex_byte(lx, m) == '-')
            m++;
        if (is_digit(hcl_lex_byte(lx, m))) {
            while (is_digit(hcl_lex_byte(lx, m)))
                m++;
            n = m;
        }
    }
    set_simple(lx, tok, HT_NUMBER, n);
}

static void lex_heredoc(hcl_lexer *lx, hcl_token *tok)
{
    size_t n = 2;
    bool flush = hcl_lex_byte(lx, n) == '-';
    if (flush)
        n++;
    size_t marker = n;
    if (!hcl_ident_start(hcl_lex_byte(lx, n))) {
        set_invalid(lx, tok, "invalid heredoc: '<<' must be followed by a marker name, as in <<EOT or <<-EOT");
        return;
    }
    while (hcl_ident_char(hcl_lex_byte(lx, n)))
        n++;
    size_t marker_end = n;
    if (hcl_lex_byte(lx, n) == '\r' && hcl_lex_byte(lx, n + 1) == '\n')
        n++;
    if (hcl_lex_byte(lx, n) != '\n') {
        lx->error = arena_printf(lx->a,
                                 "invalid heredoc: the marker '%.*s' must be followed directly by a "
                                 "newline; the text starts on the next line",
                                 (int)(marker_end - marker), lx->data + lx->pos + marker);
        tok->type = HT_INVALID;
        tok->end = tok->start;
        return;
    }
    tok->type = HT_HEREDOC;
    tok->text = lx->data + lx->pos;
    tok->len = marker_end;
    tok->marker = lx->data + lx->pos + marker;
    tok->marker_len = marker_end - marker;
    tok->flush = flush;
    hcl_lex_advance(lx, marker_end);
    tok->end = hcl_lex_pos(lx);
    hcl_lex_advance(lx, n + 1 - marker_end);
}

void hcl_lex_next(hcl_lexer *lx, hcl_token *tok)
{
    memset(tok, 0, sizeof *tok);
    if (!skip_blanks(lx, tok))
        return;
    tok->start = hcl_lex_pos(lx);
    tok->text = lx->data + lx->pos;
    int c = hcl_lex_byte(lx, 0);
    int c1 = hcl_lex_byte(lx, 1);
    if (c < 0) {
        tok->type = HT_EOF;
        tok->end = tok->start;
        return;
    }
    if (hcl_ident_start(c)) {
        size_t n = 1;
        while (hcl_ident_char(hcl_lex_byte(lx, n)))
            n++;
        set_simple(lx, tok, HT_IDENT, n);
        return;
    }
    if (is_digit(c)) {
        lex_number(lx, tok);
        return;
    }
    switch (c) {
    case '\n':
        set_simple(lx, tok, HT_NEWLINE, 1);
        return;
    case '\r':
        if (c1 == '\n') {
            set_simple(lx, tok, HT_NEWLINE, 2);
            return;
        }
        set_invalid(lx, tok, "carriage return without a following line feed; use \\n or \\r\\n line endings");
        return;
    case '"':
        set_simple(lx, tok, HT_OQUOTE, 1);
        return;
    case '{':
        set_simple(lx, tok, HT_LBRACE, 1);
        return;
    case '}':
        set_simple(lx, tok, HT_RBRACE, 1);
        return;
    case '[':
        set_simple(lx, tok, HT_LBRACK, 1);
        return;
    case ']':
        set_simple(lx, tok, HT_RBRACK, 1);
        return;
    case '(':
        set_simple(lx, tok, HT_LPAREN, 1);
        return;
    case ')':
        set_simple(lx, tok, HT_RPAREN, 1);
        return;
    case ',':
        set_simple(lx, tok, HT_COMMA, 1);
        return;
    case '?':
        set_simple(lx, tok, HT_QUESTION, 1);
        return;
    case '+':
        set_simple(lx, tok, HT_PLUS, 1);
        return;
    case '-':
        set_simple(lx, tok, HT_MINUS, 1);
        return;
    case '*':
        set_simple(lx, tok, HT_STAR, 1);
        return;
    case '/':
        set_simple(lx, tok, HT_SLASH, 1);
        return;
    case '%':
        set_simple(lx, tok, HT_PERCENT, 1);
        return;
    case '=':
        if (c1 == '=')
            set_simple(lx, tok, HT_EQEQ, 2);
        else if (c1 == '>')
            set_simple(lx, tok, HT_ARROW, 2);
        else
            set_simple(lx, tok, HT_EQUAL, 1);
        return;
    case '!':
        set_simple(lx, tok, c1 == '=' ? HT_NOTEQ : HT_BANG, c1 == '=' ? 2 : 1);
        return;
    case '<':
        if (c1 == '<') {
            lex_heredoc(lx, tok);
            return;
        }
        set_simple(lx, tok, c1 == '=' ? HT_LE : HT_LT, c1 == '=' ? 2 : 1);
        return;
    case '>':
        set_simple(lx, tok, c1 == '=' ? HT_GE : HT_GT, c1 == '=' ? 2 : 1);
        return;
    case ':':
        set_simple(lx, tok, c1 == ':' ? HT_DCOLON : HT_COLON, c1 == ':' ? 2 : 1);
        return;
    case '.':
        if (c1 == '.' && hcl_lex_byte(lx, 2) == '.')
            set_simple(lx, tok, HT_ELLIPSIS, 3);
        else
            set_simple(lx, tok, HT_DOT, 1);
        return;
    case '&':
        if (c1 == '&') {
            set_simple(lx, tok, HT_AND, 2);
            return;
        }
        set_invalid(lx, tok, "unexpected '&'; the logical AND operator is '&&'");
        return;
    case '|':
        if (c1 == '|') {
            set_simple(lx, tok, HT_OR, 2);
            return;
        }
        set_invalid(lx, tok, "unexpected '|'; the logical OR operator is '||'");
        return;
    case '~':
        if (c1 == '}') {
            set_simple(lx, tok, HT_STRIP_RBRACE, 2);
            return;
        }
        set_invalid(lx, tok, "unexpected '~'; a strip marker must touch its brace, as in '${~' or '~}'");
        return;
    case '\'':
        set_invalid(lx, tok, "unexpected \"'\"; strings in HCL use double quotes");
        return;
    default:
        break;
    }
    if (c < 0x20 || c == 0x7F)
        lx->error = arena_printf(lx->a, "unexpected control character U+%04X", (unsigned)c);
    else
        lx->error = arena_printf(lx->a, "unexpected character '%.*s'", (int)char_len(lx),
                                 lx->data + lx->pos);
    tok->type = HT_INVALID;
    tok->end = tok->start;
}

const char *hcl_tok_describe(arena *a, const hcl_token *tok)
{
    switch (tok->type) {
    case HT_EOF:
        return "end of file";
    case HT_NEWLINE:
        return "end of line";
    case HT_IDENT:
        return arena_printf(a, "'%.*s'", (int)tok->len, tok->text);
    case HT_NUMBER:
        return arena_printf(a, "number %.*s", (int)tok->len, tok->text);
    case HT_OQUOTE:
        return "a quoted string";
    case HT_HEREDOC:
        return "a heredoc";
    case HT_INVALID:
        return "an invalid character";
    default:
        return arena_printf(a, "'%.*s'", (int)tok->len, tok->text);
    }
}
