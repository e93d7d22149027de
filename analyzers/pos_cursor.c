/* pos_cursor.c - incremental offset/character-index -> position; see pos_cursor.h. */
#include "pos_cursor.h"

#include <string.h>

static inline int is_continuation(unsigned char b)
{
    return (b & 0xC0) == 0x80;
}

void pos_cursor_init(pos_cursor *c, const src_file *f)
{
    c->f = f;
    c->off = 0;
    c->chr = 0;
    c->line0 = 0;
    c->col0 = 0;
    /* plain ASCII is one run; else pos_cursor_at_mark starts the first */
    c->run_chr = f->plain_ascii ? 0 : SIZE_MAX;
    c->run_off = 0;
    c->run_len = f->plain_ascii ? f->len : 0;
}

static src_pos cursor_pos(const pos_cursor *c)
{
    src_pos p = {.offset = (uint32_t)c->off, .line = c->line0 + 1, .col = c->col0 + 1};
    return p;
}

/* Moves forward until the byte offset reaches stop, or (when counting
 * characters) until chr reaches char_stop at a code point boundary. One tight
 * loop over bytes: this runs for every byte the parser passes. */
static inline void advance(pos_cursor *c, size_t stop, size_t char_stop)
{
    const unsigned char *d = (const unsigned char *)c->f->data;
    size_t off = c->off, chr = c->chr;
    uint32_t line0 = c->line0, col0 = c->col0;
    if (stop > c->f->len)
        stop = c->f->len;
    while (off < stop) {
        unsigned char b = d[off];
        if (!is_continuation(b)) {
            if (chr == char_stop)
                break;
            chr++;
            if (b == '\n') {
                line0++;
                col0 = 0;
            } else {
                col0++;
            }
        }
        off++;
    }
    c->off = off;
    c->chr = chr;
    c->line0 = line0;
    c->col0 = col0;
}

/* Moves the cursor back to the code point starting at or before offset:
 * finds the line, then recounts the characters of that line. The character
 * index is kept exact by counting the code points stepped over. */
static void move_back(pos_cursor *c, size_t offset)
{
    const unsigned char *d = (const unsigned char *)c->f->data;
    while (offset > 0 && offset < c->f->len && is_continuation(d[offset]))
        offset--;
    for (size_t i = offset; i < c->off; i++)
        if (!is_continuation(d[i]))
            c->chr--;
    uint32_t lo = 0, hi = c->line0 + 1; /* the line is in [lo, hi) */
    /* usually a line or two back: look there before searching */
    for (uint32_t n = 0; n < 4 && hi - 1 > 0 && c->f->line_starts[hi - 1] > offset; n++)
        hi--;
    if (c->f->line_starts[hi - 1] <= offset)
        lo = hi - 1;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (c->f->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    uint32_t line0 = lo;
    uint32_t col0 = 0;
    for (size_t i = c->f->line_starts[line0]; i < offset; i++)
        if (!is_continuation(d[i]))
            col0++;
    c->off = offset;
    c->line0 = line0;
    c->col0 = col0;
}

src_pos pos_cursor_at_byte(pos_cursor *c, size_t offset)
{
    if (offset > c->f->len)
        offset = c->f->len;
    if (offset < c->off)
        move_back(c, offset);
    advance(c, offset, SIZE_MAX);
    return cursor_pos(c);
}

src_pos pos_cursor_at_char(pos_cursor *c, size_t char_index)
{
    if (char_index < c->chr) {
        /* Walk back code point by code point; marks rarely go far back. */
        const unsigned char *d = (const unsigned char *)c->f->data;
        size_t off = c->off;
        size_t chr = c->chr;
        while (chr > char_index && off > 0) {
            off--;
            while (off > 0 && is_continuation(d[off]))
                off--;
            chr--;
        }
        move_back(c, off);
    }
    advance(c, c->f->len, char_index);
    return cursor_pos(c);
}

/* Offset of the first byte >= 0x80 at or after off, or len; eight bytes at
 * a time. */
static size_t next_non_ascii(const unsigned char *d, size_t off, size_t len)
{
    while (len - off >= 8) {
        uint64_t w;
        memcpy(&w, d + off, 8);
        if (w & 0x8080808080808080ULL)
            break;
        off += 8;
    }
    while (off < len && d[off] < 0x80)
        off++;
    return off;
}

size_t pos_cursor_run_to(pos_cursor *c, size_t char_index)
{
    const unsigned char *d = (const unsigned char *)c->f->data;
    size_t len = c->f->len;
    if (char_index < c->run_chr) { /* behind the run (or none yet): start over */
        c->run_chr = c->run_off = 0;
        c->run_len = next_non_ascii(d, 0, len);
    }
    while (char_index - c->run_chr > c->run_len && c->run_off + c->run_len < len) {
        /* step over the non-ASCII character that ends the run */
        size_t off = c->run_off + c->run_len + 1;
        while (off < len && is_continuation(d[off]))
            off++;
        c->run_chr += c->run_len + 1;
        c->run_off = off;
        c->run_len = next_non_ascii(d, off, len) - off;
    }
    size_t off = c->run_off + (char_index - c->run_chr);
    return off < len ? off : len;
}
