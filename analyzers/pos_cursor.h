/* pos_cursor.h - cheap, exact positions for parsers that walk a file forward.
 *
 * A pos_cursor remembers the last position it produced (byte offset,
 * character index, 0-based line, 0-based character column) so that
 * converting the next, usually slightly later, offset costs only the bytes in
 * between. Guarantees: the result equals src_pos_at(f, offset) for every
 * offset 0..len, whatever order the queries come in (moving backwards costs a
 * line lookup plus the scan of one line). Lines are counted at '\n' only, as
 * src_file does; columns count UTF-8 code points.
 *
 * Character indexes are what libyaml puts in yaml_mark_t.index when its
 * input encoding is set to UTF-8: one per code point (a BOM counts), two for
 * "\r\n". pos_cursor_at_char() maps such an index to the exact position.
 *
 * When the file's lines are YAML's lines (src_file.lf_breaks), a libyaml
 * mark's line and column are already the position's: pos_cursor_at_mark()
 * only turns the index into a byte offset, in O(1) unless the index lies
 * beyond the next non-ASCII character (each is stepped over once). It keeps
 * its own state, so it can be mixed with the other queries. */
#ifndef SA_POS_CURSOR_H
#define SA_POS_CURSOR_H

#include <stddef.h>
#include <stdint.h>

#include "core/source.h"

typedef struct pos_cursor {
    const src_file *f;
    size_t off;     /* byte offset of the cursor */
    size_t chr;     /* number of code points before off */
    uint32_t line0; /* 0-based line of off */
    uint32_t col0;  /* 0-based character column of off */
    /* for pos_cursor_at_mark: the run_len bytes from run_off are ASCII,
     * followed by a non-ASCII byte or the end, and run_off is character
     * run_chr (no run yet: run_chr is SIZE_MAX, run_len 0) */
    size_t run_chr;
    size_t run_off;
    size_t run_len;
} pos_cursor;

void pos_cursor_init(pos_cursor *c, const src_file *f);
/* Position of a byte offset (clamped to f->len). */
src_pos pos_cursor_at_byte(pos_cursor *c, size_t offset);
/* Position of the code point with the given index (clamped to the end). */
src_pos pos_cursor_at_char(pos_cursor *c, size_t char_index);
/* Byte offset of a character index outside pos_cursor_at_mark's run (its
 * slow path): moves the run to the one holding char_index (or ending just
 * before it at the end of the file). */
size_t pos_cursor_run_to(pos_cursor *c, size_t char_index);

/* Position of a libyaml mark (character index, 0-based line and column) in
 * a file whose f->lf_breaks is set; line0 must be a line of the file. */
static inline src_pos pos_cursor_at_mark(pos_cursor *c, size_t char_index, uint32_t line0,
                                         uint32_t col0)
{
    size_t k = char_index - c->run_chr; /* huge when char_index is before the run */
    size_t off = k <= c->run_len ? c->run_off + k : pos_cursor_run_to(c, char_index);
    src_pos p = {.offset = (uint32_t)off, .line = line0 + 1, .col = col0 + 1};
    return p;
}

#endif
