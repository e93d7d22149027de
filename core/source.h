/* source.h - a loaded input file, exact positions inside it, and its comments.
 *
 * Guarantees: src_file.data holds the file's bytes unmodified followed by a
 * NUL (len excludes it); positions are 1-based lines and 1-based columns
 * counted in characters (UTF-8 code points), with the byte offset alongside;
 * converting offset -> position is exact for every offset 0..len.
 * Loading (src_load, src_from_memory) makes one pass over the bytes that
 * indexes the lines and checks the text (bad_byte, plain_ascii, lf_breaks);
 * src_check_text only reports what it found. */
#ifndef SA_SOURCE_H
#define SA_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"

typedef struct src_pos {
    uint32_t offset; /* byte offset from the start of the file */
    uint32_t line;   /* 1-based */
    uint32_t col;    /* 1-based, in characters */
} src_pos;

typedef struct src_span {
    src_pos start;
    src_pos end; /* exclusive: one past the last byte/character */
} src_span;

typedef enum comment_style {
    COMMENT_HASH,  /* # ...  (YAML, HCL) */
    COMMENT_SLASH, /* // ... (HCL) */
    COMMENT_BLOCK  /* / * ... * / (HCL) */
} comment_style;

typedef struct src_comment {
    src_span span;     /* covers the markers too */
    const char *text;  /* body without the markers, trimmed, NUL-terminated */
    comment_style style;
} src_comment;

typedef struct src_file {
    const char *path;  /* as given by the user / walker */
    char *data;        /* bytes + NUL */
    size_t len;
    uint32_t *line_starts; /* byte offset of each line's first byte */
    uint32_t nlines;
    src_comment *comments; /* sorted by offset; filled by the front-end */
    size_t ncomments;
    size_t bad_byte;  /* offset of the first NUL byte or invalid UTF-8 sequence, or
                         len if none: what src_check_text reports */
    bool plain_ascii; /* valid text (see bad_byte), only ASCII, no '\r' outside
                         "\r\n"; then byte offsets equal character indexes */
    bool lf_breaks;   /* valid text and every line break is "\n" or "\r\n" (no
                         lone '\r', none of the breaks NEL, LS, PS that YAML also
                         counts), so YAML's line numbers are the ones here */
} src_file;

/* Limits against hostile input; see parse_limits_default(). */
typedef struct parse_limits {
    size_t max_depth;      /* nesting depth (default 256) */
    size_t max_nodes;      /* nodes after alias expansion (default 1,000,000) */
    size_t max_file_size;  /* bytes (default 64 MiB) */
} parse_limits;

parse_limits parse_limits_default(void);

/* Reads path into a new src_file allocated in a: one open (non-blocking, so
 * a FIFO never stalls it), fstat, reads, close. Only regular files are read.
 * On failure (unreadable, too large, not a regular file) adds an error
 * diagnostic naming the file and returns NULL. */
src_file *src_load(arena *a, const char *path, const parse_limits *lim, diag_list *diags);

typedef enum src_status {
    SRC_LOADED,
    SRC_MISSING,     /* no file exists at the path (stat fails too) */
    SRC_NOT_REGULAR, /* a directory, FIFO, socket or device */
    SRC_FAILED       /* unreadable, an I/O error or over the size limit */
} src_status;

/* src_load for a file that may be absent: a path where no file exists
 * returns NULL without a diagnostic; every other failure adds src_load's.
 * *status says which. */
src_file *src_load_optional(arena *a, const char *path, const parse_limits *lim,
                            diag_list *diags, src_status *status);
/* Wraps bytes already in memory (copied into the arena); used by tests. */
src_file *src_from_memory(arena *a, const char *path, const char *data, size_t len);
/* Length of the valid UTF-8 sequence at p (1..4; 1 for ASCII), or 0 if it
 * is invalid: truncated at end, overlong, a surrogate or beyond U+10FFFF. */
size_t src_utf8_len(const unsigned char *p, const unsigned char *end);

/* Whether the bytes are valid UTF-8 without NUL bytes (as found when f was
 * loaded). If not, adds an error at the first bad byte ("binary file" for NUL
 * bytes) and returns false. */
bool src_check_text(const src_file *f, diag_list *diags);

/* Exact position of a byte offset (clamped to len). */
src_pos src_pos_at(const src_file *f, size_t offset);
/* Byte offset of (0-based line, 0-based character column), clamped to the line. */
size_t src_offset_of(const src_file *f, size_t line0, size_t col0);
src_span src_span_of(const src_file *f, size_t start, size_t end);
/* Start offset and length of the 1-based line's text, without its newline. */
const char *src_line_text(const src_file *f, uint32_t line, size_t *len);

/* A copy of f (bytes, line index, comments) in one malloc'd block that
 * free() releases: what outlives the arena f was built in. */
src_file *src_clone(const src_file *f);

/* Appends a comment (front-ends call this in file order). */
void src_add_comment(arena *a, src_file *f, src_span span, comment_style style,
                     const char *body, size_t body_len);

#endif
