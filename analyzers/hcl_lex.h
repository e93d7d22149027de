/* hcl_lex.h - tokens of HCL2 native syntax (internal to the HCL front-end).
 *
 * A pull lexer over the file's bytes: hcl_lex_next() skips spaces, tabs and
 * comments (recording every comment with src_add_comment, in file order, each
 * exactly once because the lexer never moves backwards) and returns the next
 * token with its exact start/end position. Quoted strings and heredocs are
 * not tokenised here: the lexer returns HT_OQUOTE / HT_HEREDOC and stops
 * right after the opener, and the template scanner (hcl_template.c) reads
 * the raw bytes through hcl_lex_byte()/hcl_lex_advance(), which keep the
 * line and character column exact. The input must already be valid UTF-8
 * (hcl_parse checks it first). */
#ifndef SA_HCL_LEX_H
#define SA_HCL_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/source.h"

typedef enum hcl_tok_type {
    HT_EOF,
    HT_NEWLINE,  /* "\n" or "\r\n"; a line comment ends just before it */
    HT_IDENT,
    HT_NUMBER,   /* decimal+ ("." decimal+)? ([eE] [+-]? decimal+)? */
    HT_OQUOTE,   /* '"': lexer position is right after it */
    HT_HEREDOC,  /* "<<MARKER" or "<<-MARKER" and its newline: position is at the first content line */
    HT_LBRACE,
    HT_RBRACE,
    HT_LBRACK,
    HT_RBRACK,
    HT_LPAREN,
    HT_RPAREN,
    HT_EQUAL,    /* = */
    HT_EQEQ,     /* == */
    HT_BANG,     /* ! */
    HT_NOTEQ,    /* != */
    HT_LT,
    HT_LE,
    HT_GT,
    HT_GE,
    HT_PLUS,
    HT_MINUS,
    HT_STAR,
    HT_SLASH,
    HT_PERCENT,
    HT_AND,      /* && */
    HT_OR,       /* || */
    HT_QUESTION,
    HT_COLON,
    HT_DCOLON,   /* :: (provider function namespaces) */
    HT_COMMA,
    HT_DOT,
    HT_ELLIPSIS, /* ... */
    HT_ARROW,    /* => */
    HT_STRIP_RBRACE, /* ~} closing a template sequence with a strip marker */
    HT_INVALID   /* lexical error: hcl_lexer.error says what */
} hcl_tok_type;

typedef struct hcl_token {
    hcl_tok_type type;
    src_pos start;
    src_pos end;       /* exclusive; for HT_HEREDOC the end of the marker, before its newline */
    const char *text;  /* points into the file data */
    size_t len;
    /* HT_HEREDOC only */
    const char *marker;
    size_t marker_len;
    bool flush;        /* <<- form */
} hcl_token;

typedef struct hcl_lexer {
    arena *a;
    src_file *f;
    const char *data;
    size_t len;
    size_t pos;     /* byte offset of the next unread byte */
    uint32_t line;  /* position of data[pos] */
    uint32_t col;
    const char *error; /* message of the last HT_INVALID token (arena string) */
} hcl_lexer;

void hcl_lex_init(hcl_lexer *lx, arena *a, src_file *f);
/* Scans the next token into *tok. */
void hcl_lex_next(hcl_lexer *lx, hcl_token *tok);

/* Raw access for the template scanner. */
static inline src_pos hcl_lex_pos(const hcl_lexer *lx)
{
    src_pos p = {.offset = (uint32_t)lx->pos, .line = lx->line, .col = lx->col};
    return p;
}

/* Byte at pos + ahead, or -1 past the end. */
static inline int hcl_lex_byte(const hcl_lexer *lx, size_t ahead)
{
    return lx->pos + ahead < lx->len ? (unsigned char)lx->data[lx->pos + ahead] : -1;
}

/* Moves n bytes forward, keeping line and column exact. */
static inline void hcl_lex_advance(hcl_lexer *lx, size_t n)
{
    while (n-- > 0 && lx->pos < lx->len) {
        unsigned char c = (unsigned char)lx->data[lx->pos++];
        if (c == '\n') {
            lx->line++;
            lx->col = 1;
        } else if ((c & 0xC0) != 0x80) {
            lx->col++;
        }
    }
}

/* True for bytes that may start / continue an identifier (any non-ASCII
 * character is accepted as a letter). */
static inline bool hcl_ident_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static inline bool hcl_ident_char(int c)
{
    return hcl_ident_start(c) || (c >= '0' && c <= '9') || c == '-';
}

/* Human description of a token for messages ("'='", "newline", "end of file",
 * "identifier 'foo'"...), allocated in a when needed. */
const char *hcl_tok_describe(arena *a, const hcl_token *tok);

#endif
