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
 * "\r\n". pos_cursor_at_char() maps such an index to the exact position. */
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
} pos_cursor;

void pos_cursor_init(pos_cursor *c, const src_file *f);
/* Position of a byte offset (clamped to f->len). */
src_pos pos_cursor_at_byte(pos_cursor *c, size_t offset);
/* Position of the code point with the given index (clamped to the end). */
src_pos pos_cursor_at_char(pos_cursor *c, size_t char_index);

#endif
