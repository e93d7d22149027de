/* json_out.h - streaming JSON writer into a strbuf.
 *
 * Guarantees: output is valid JSON (strings escaped, invalid UTF-8 bytes
 * replaced by U+FFFD, non-finite numbers written as null); commas and
 * indentation are handled by the writer; pretty output uses two spaces. */
#ifndef SA_JSON_OUT_H
#define SA_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "strbuf.h"

#define JSON_MAX_DEPTH 512

typedef struct json_out {
    strbuf *sb;
    bool pretty;
    int depth;
    bool first[JSON_MAX_DEPTH]; /* no element written yet at this depth */
    bool after_key;
} json_out;

void json_init(json_out *j, strbuf *sb, bool pretty);
/* Tells j that n elements of the array or object it is in were appended
 * to its output by other means (e.g. formatted in parallel), so that what
 * j writes next gets its comma and the container closes properly. */
void json_elements_written(json_out *j, size_t n);
void json_begin_object(json_out *j);
void json_end_object(json_out *j);
void json_begin_array(json_out *j);
void json_end_array(json_out *j);
void json_keyn(json_out *j, const char *key, size_t n);
/* json_keyn of a C string (inline: a literal's length is known when compiling). */
static inline void json_key(json_out *j, const char *key)
{
    json_keyn(j, key, strlen(key));
}
void json_string(json_out *j, const char *s);
void json_stringn(json_out *j, const char *s, size_t n);
void json_int(json_out *j, int64_t v);
void json_double(json_out *j, double v);
void json_bool(json_out *j, bool v);
void json_null(json_out *j);
/* Appends an escaped JSON string literal (with quotes) to sb. */
void json_escape(strbuf *sb, const char *s, size_t n);
/* The room json_put_uint needs at p: 20 digits at most (it writes 8 bytes
 * at a time, so bytes past the last digit may change). */
#define JSON_UINT_ROOM 20
/* Writes v in decimal at p (JSON_UINT_ROOM bytes of room); returns the end
 * of the digits: what json_int writes for v, without separator. */
char *json_put_uint(char *p, uint64_t v);
/* Writes s[0, n) (escaped already, or needing none) in quotes at p (n + 2 bytes of
 * room); returns the end. */
static inline char *json_put_quoted(char *p, const char *s, size_t n)
{
    *p = '"';
    memcpy(p + 1, s, n);
    p[n + 1] = '"';
    return p + n + 2;
}

#endif
