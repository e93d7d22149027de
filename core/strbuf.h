/* strbuf.h - growable, always NUL-terminated byte buffer (malloc-backed).
 *
 * Guarantees: sb->buf is never NULL after sb_init and always NUL-terminated;
 * sb_detach hands the buffer to the caller and leaves sb empty. */
#ifndef SA_STRBUF_H
#define SA_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct strbuf {
    char *buf;
    size_t len;
    size_t cap;
} strbuf;

void sb_init(strbuf *sb);
void sb_free(strbuf *sb);
void sb_reset(strbuf *sb);
void sb_grow(strbuf *sb, size_t extra);
void sb_addn(strbuf *sb, const char *s, size_t n);
void sb_adds(strbuf *sb, const char *s);
void sb_addc(strbuf *sb, char c);
void sb_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(strbuf *sb, const char *fmt, va_list ap);
char *sb_detach(strbuf *sb);

#endif
