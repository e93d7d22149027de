/* strbuf.h - growable, always NUL-terminated byte buffer (malloc-backed).
 *
 * Guarantees: sb->buf is never NULL after sb_init and always NUL-terminated;
 * sb_detach hands the buffer to the caller and leaves sb empty. Appending is
 * inline with one capacity check (sb_grow only when the buffer is full), so
 * that a piece of constant length is copied by a few moves. */
#ifndef SA_STRBUF_H
#define SA_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct strbuf {
    char *buf;
    size_t len;
    size_t cap;
} strbuf;

void sb_init(strbuf *sb);
void sb_free(strbuf *sb);
void sb_reset(strbuf *sb);
/* Makes room for extra more bytes and the NUL. */
void sb_grow(strbuf *sb, size_t extra);

/* Where the next n bytes go, with room for them and the NUL: write up to n
 * bytes there, then sb_commit the end of what was written. */
static inline char *sb_room(strbuf *sb, size_t n)
{
    if (sb->len + n + 1 > sb->cap)
        sb_grow(sb, n);
    return sb->buf + sb->len;
}

/* Ends sb's text at end, one past the last byte written after sb_room. */
static inline void sb_commit(strbuf *sb, char *end)
{
    *end = '\0';
    sb->len = (size_t)(end - sb->buf);
}

static inline void sb_addn(strbuf *sb, const char *s, size_t n)
{
    char *p = sb_room(sb, n);
    memcpy(p, s, n);
    sb_commit(sb, p + n);
}

static inline void sb_addc(strbuf *sb, char c)
{
    char *p = sb_room(sb, 1);
    *p = c;
    sb_commit(sb, p + 1);
}

void sb_adds(strbuf *sb, const char *s);
void sb_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(strbuf *sb, const char *fmt, va_list ap);
char *sb_detach(strbuf *sb);

#endif
