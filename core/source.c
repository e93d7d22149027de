/* source.c - loading files and mapping byte offsets to line/column; see source.h. */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

parse_limits parse_limits_default(void)
{
    parse_limits l = {.max_depth = 256, .max_nodes = 1000000, .max_file_size = 64u << 20};
    return l;
}

/* Line starts in one pass over the data: they are collected on the stack
 * (or, for long files, in a growing heap buffer) and copied to the arena
 * exactly sized. */
static void index_lines(arena *a, src_file *f)
{
    uint32_t local[2048];
    uint32_t *starts = local;
    size_t n = 1, cap = sizeof local / sizeof *local;
    starts[0] = 0;
    const char *end = f->data + f->len;
    for (const char *p = f->data; (p = memchr(p, '\n', (size_t)(end - p))); p++) {
        if (n == cap) {
            cap *= 2;
            starts = starts == local ? memcpy(xmalloc(cap * sizeof *starts), local, sizeof local)
                                     : xrealloc(starts, cap * sizeof *starts);
        }
        starts[n++] = (uint32_t)(p - f->data + 1);
    }
    f->line_starts = arena_memdup(a, starts, n * sizeof *starts);
    f->nlines = (uint32_t)n;
    if (starts != local)
        free(starts);
}

src_file *src_from_memory(arena *a, const char *path, const char *data, size_t len)
{
    src_file *f = arena_alloc(a, sizeof *f);
    f->path = arena_strdup(a, path);
    f->data = arena_strndup(a, data, len);
    f->len = len;
    index_lines(a, f);
    return f;
}

/* Opens path for reading. O_NONBLOCK keeps the open of a FIFO from waiting
 * for a writer; on a regular file it only matters under a lease, where the
 * open then fails with EWOULDBLOCK and is retried waiting, as fopen did. */
static int open_for_reading(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0 && errno == EWOULDBLOCK)
        fd = open(path, O_RDONLY | O_CLOEXEC);
    return fd;
}

/* After open failed with err: true when no file exists at path at all, i.e.
 * stat fails too (asked only when err does not already say so). */
static bool no_file_at(const char *path, int err)
{
    struct stat st;
    return err == ENOENT || err == ENOTDIR || stat(path, &st) != 0;
}

/* Reads up to cap bytes (fewer at end of file); false on a read error. */
static bool read_up_to(int fd, char *buf, size_t cap, size_t *got)
{
    size_t n = 0;
    while (n < cap) {
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return false;
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *got = n;
    return true;
}

static src_file *fail(diag_list *diags, const char *path, src_status *status, src_status why,
                      const char *message)
{
    diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot read file: %s", message);
    *status = why;
    return NULL;
}

/* The bytes of the open regular file fd (described by st) as a src_file. */
static src_file *load_fd(arena *a, const char *path, int fd, const struct stat *st,
                         const parse_limits *lim, diag_list *diags, src_status *status)
{
    if ((size_t)st->st_size > lim->max_file_size) {
        diag_add(diags, DIAG_ERROR, path, 0, 0,
                 "file is %lld bytes, over the limit of %zu bytes (--max-file-size)",
                 (long long)st->st_size, lim->max_file_size);
        *status = SRC_FAILED;
        return NULL;
    }
    size_t cap = (size_t)st->st_size, got;
    char *buf = arena_alloc(a, cap + 1);
    if (!read_up_to(fd, buf, cap, &got))
        return fail(diags, path, status, SRC_FAILED, "I/O error");
    buf[got] = '\0';
    src_file *f = arena_alloc(a, sizeof *f);
    f->path = arena_strdup(a, path);
    f->data = buf;
    f->len = got;
    index_lines(a, f);
    *status = SRC_LOADED;
    return f;
}

/* src_load and src_load_optional: missing_ok turns a path where no file
 * exists into SRC_MISSING without a diagnostic. */
static src_file *load(arena *a, const char *path, const parse_limits *lim, diag_list *diags,
                      bool missing_ok, src_status *status)
{
    int fd = open_for_reading(path);
    if (fd < 0) {
        int err = errno;
        if (err == ENXIO || err == ENODEV) /* a socket, or a device without a driver */
            return fail(diags, path, status, SRC_NOT_REGULAR, "not a regular file");
        if (missing_ok && no_file_at(path, err)) {
            *status = SRC_MISSING;
            return NULL;
        }
        return fail(diags, path, status, SRC_FAILED, strerror(err));
    }
    struct stat st;
    src_file *f = fstat(fd, &st) == 0 && S_ISREG(st.st_mode)
                      ? load_fd(a, path, fd, &st, lim, diags, status)
                      : fail(diags, path, status, SRC_NOT_REGULAR, "not a regular file");
    close(fd);
    return f;
}

src_file *src_load(arena *a, const char *path, const parse_limits *lim, diag_list *diags)
{
    src_status status;
    return load(a, path, lim, diags, false, &status);
}

src_file *src_load_optional(arena *a, const char *path, const parse_limits *lim,
                            diag_list *diags, src_status *status)
{
    return load(a, path, lim, diags, true, status);
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned min;
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        min = 0x80;
        c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        min = 0x800;
        c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        min = 0x10000;
        c &= 0x07;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    return n;
}

/* Length of the run of ASCII bytes other than NUL and '\r' at p, read
 * eight bytes at a time (the common case for configuration files). */
static size_t plain_ascii_run(const unsigned char *p, const unsigned char *end)
{
    const unsigned char *start = p;
    const uint64_t high = 0x8080808080808080ULL, ones = 0x0101010101010101ULL;
    while (end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        uint64_t cr = w ^ (ones * '\r');
        /* any byte >= 0x80, == 0 or == '\r' stops the fast loop: with no
         * byte >= 0x80, subtracting one from each byte borrows (and sets a
         * high bit) exactly where a byte is 0, and in cr where it is '\r' */
        if ((w | (w - ones) | (cr - ones)) & high)
            break;
        p += 8;
    }
    while (p < end && *p && *p < 0x80 && *p != '\r')
        p++;
    return (size_t)(p - start);
}

/* True for the UTF-8 encodings of NEL (U+0085), LS (U+2028) and PS (U+2029),
 * which YAML counts as line breaks. */
static bool unicode_break(const unsigned char *p, size_t n)
{
    return (n == 2 && p[0] == 0xC2 && p[1] == 0x85) ||
           (n == 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9));
}

bool src_check_text(src_file *f, diag_list *diags)
{
    const unsigned char *base = (const unsigned char *)f->data;
    const unsigned char *p = base, *end = p + f->len;
    bool ascii = true, lf = true;
    while (p < end) {
        p += plain_ascii_run(p, end);
        if (p >= end)
            break;
        if (*p == '\r') {
            if (p + 1 >= end || p[1] != '\n')
                lf = false; /* a lone CR: libyaml counts a line where we do not */
            p++;
            continue;
        }
        if (*p == 0) {
            src_pos pos = src_pos_at(f, (size_t)(p - base));
            diag_add(diags, DIAG_ERROR, f->path, pos.line, pos.col,
                     "binary file (NUL byte at offset %u); not a text configuration file",
                     pos.offset);
            return false;
        }
        size_t n = utf8_seq_len(p, end);
        if (!n) {
            src_pos pos = src_pos_at(f, (size_t)(p - base));
            diag_add(diags, DIAG_ERROR, f->path, pos.line, pos.col,
                     "invalid UTF-8 (byte 0x%02X at offset %u)", *p, pos.offset);
            return false;
        }
        if (unicode_break(p, n))
            lf = false;
        ascii = false;
        p += n;
    }
    f->plain_ascii = ascii && lf;
    f->lf_breaks = lf;
    return true;
}

static uint32_t line_index_of(const src_file *f, size_t offset)
{
    uint32_t lo = 0, hi = f->nlines;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

src_pos src_pos_at(const src_file *f, size_t offset)
{
    if (offset > f->len)
        offset = f->len;
    uint32_t li = line_index_of(f, offset);
    uint32_t col = 1;
    for (size_t i = f->line_starts[li]; i < offset; i++)
        if (((unsigned char)f->data[i] & 0xC0) != 0x80)
            col++;
    src_pos p = {.offset = (uint32_t)offset, .line = li + 1, .col = col};
    return p;
}

size_t src_offset_of(const src_file *f, size_t line0, size_t col0)
{
    if (line0 >= f->nlines)
        return f->len;
    size_t i = f->line_starts[line0];
    size_t stop = line0 + 1 < f->nlines ? f->line_starts[line0 + 1] : f->len;
    while (col0 > 0 && i < stop) {
        i++;
        while (i < stop && ((unsigned char)f->data[i] & 0xC0) == 0x80)
            i++;
        col0--;
    }
    return i;
}

src_span src_span_of(const src_file *f, size_t start, size_t end)
{
    src_span s = {.start = src_pos_at(f, start), .end = src_pos_at(f, end)};
    return s;
}

const char *src_line_text(const src_file *f, uint32_t line, size_t *len)
{
    if (line == 0 || line > f->nlines) {
        *len = 0;
        return f->data + f->len;
    }
    size_t start = f->line_starts[line - 1];
    size_t end = line < f->nlines ? f->line_starts[line] - 1 : f->len;
    if (end > start && f->data[end - 1] == '\r')
        end--;
    *len = end - start;
    return f->data + start;
}

void src_add_comment(arena *a, src_file *f, src_span span, comment_style style,
                     const char *body, size_t body_len)
{
    while (body_len && (*body == ' ' || *body == '\t')) {
        body++;
        body_len--;
    }
    while (body_len && (body[body_len - 1] == ' ' || body[body_len - 1] == '\t' ||
                        body[body_len - 1] == '\r' || body[body_len - 1] == '\n'))
        body_len--;
    /* capacity: 4, then doubles whenever the count reaches a power of two */
    size_t n = f->ncomments;
    if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {
        size_t cap = n ? n * 2 : 4;
        f->comments = arena_grow(a, f->comments, n * sizeof(src_comment), cap * sizeof(src_comment));
    }
    src_comment *c = &f->comments[f->ncomments++];
    c->span = span;
    c->style = style;
    c->text = arena_strndup(a, body, body_len);
}

/* Bump allocation inside the block src_clone sized beforehand. */
static void *take(char **next, size_t size, size_t align)
{
    uintptr_t p = ((uintptr_t)*next + align - 1) & ~(uintptr_t)(align - 1);
    *next = (char *)p + size;
    return (void *)p;
}

src_file *src_clone(const src_file *f)
{
    size_t path_len = strlen(f->path) + 1;
    size_t size = sizeof(src_file) + path_len + f->len + 1 + f->nlines * sizeof(uint32_t) +
                  f->ncomments * sizeof(src_comment) + 3 * _Alignof(max_align_t);
    for (size_t i = 0; i < f->ncomments; i++)
        size += strlen(f->comments[i].text) + 1;
    char *next = xmalloc(size);
    src_file *c = take(&next, sizeof *c, _Alignof(max_align_t));
    *c = *f;
    c->line_starts = take(&next, f->nlines * sizeof(uint32_t), _Alignof(uint32_t));
    memcpy(c->line_starts, f->line_starts, f->nlines * sizeof(uint32_t));
    c->comments = f->ncomments ? take(&next, f->ncomments * sizeof(src_comment),
                                      _Alignof(src_comment))
                               : NULL;
    for (size_t i = 0; i < f->ncomments; i++) {
        size_t n = strlen(f->comments[i].text) + 1;
        c->comments[i] = f->comments[i];
        c->comments[i].text = memcpy(take(&next, n, 1), f->comments[i].text, n);
    }
    c->data = memcpy(take(&next, f->len + 1, 1), f->data, f->len + 1);
    c->path = memcpy(take(&next, path_len, 1), f->path, path_len);
    return c;
}
