/* yaml_comments.c - recovering YAML comments, which libyaml drops.
 *
 * Guarantees: after a successful parse, every '#' that starts a line or
 * follows a space or tab, and lies outside the text of every scalar (quoted,
 * plain and block scalars, given as byte ranges), starts a comment running to
 * the end of its line. Each is added with src_add_comment (COMMENT_HASH), in
 * file order, its span covering the '#' and the text, not the line break.
 * '#' inside quotes, block scalars or plain values such as http://x#y is
 * never a comment. */
#include <stdlib.h>
#include <string.h>

#include "analyzers/yaml_internal.h"

static int by_start(const void *x, const void *y)
{
    const yaml_range *a = x, *b = y;
    return a->start < b->start ? -1 : a->start > b->start;
}

static bool sorted(const yaml_range *r, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (r[i].start < r[i - 1].start)
            return false;
    return true;
}

static bool starts_comment(const char *d, size_t off)
{
    if (off == 0)
        return true;
    char prev = d[off - 1];
    if (prev == ' ' || prev == '\t' || prev == '\n' || prev == '\r')
        return true;
    return off == 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0; /* right after a BOM */
}

void yaml_collect_comments(arena *a, src_file *f, yaml_range *scalars, size_t nscalars)
{
    if (!sorted(scalars, nscalars))
        qsort(scalars, nscalars, sizeof *scalars, by_start);
    const char *d = f->data;
    size_t len = f->len;
    size_t k = 0; /* first scalar range that may contain or follow pos */
    size_t pos = 0;
    const char *hash;
    while (pos < len && (hash = memchr(d + pos, '#', len - pos))) {
        size_t off = (size_t)(hash - d);
        while (k < nscalars && scalars[k].end <= off)
            k++;
        if (k < nscalars && scalars[k].start <= off) {
            pos = scalars[k].end; /* inside a scalar's text */
            continue;
        }
        if (!starts_comment(d, off)) {
            pos = off + 1;
            continue;
        }
        size_t end = off;
        while (end < len && d[end] != '\n' && d[end] != '\r')
            end++;
        src_span span;
        span.start = src_pos_at(f, off); /* comments are sparse: no need to walk */
        span.end = src_pos_at(f, end);
        src_add_comment(a, f, span, COMMENT_HASH, d + off + 1, end - off - 1);
        pos = end;
    }
}
