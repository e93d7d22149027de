/* source.c - loading files and mapping byte offsets to line/column; see source.h. */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

parse_limits parse_limits_default(void)
{
    parse_limits l = {.max_depth = 256, .max_nodes = 1000000, .max_file_size = 64u << 20};
    return l;
}

size_t src_utf8_len(const unsigned char *p, const unsigned char *end)
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

/* True for the UTF-8 encodings of NEL (U+0085), LS (U+2028) and PS (U+2029),
 * which YAML counts as line breaks. */
static bool unicode_break(const unsigned char *p, size_t n)
{
    return (n == 2 && p[0] == 0xC2 && p[1] == 0x85) ||
           (n == 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9));
}

/* The one pass over a file's bytes (scan_text) looks at BLOCK bytes at a
 * time: a block's line breaks are recorded from a bit mask, and a block
 * without a NUL, '\r' or byte >= 0x80 needs nothing else; such a byte is
 * checked on its own (check_byte), and the next block starts after it. */
enum { BLOCK = 64 };

typedef struct block_masks {
    uint64_t nl;      /* bit i: byte i is '\n' */
    uint64_t special; /* bit i: byte i is NUL, '\r' or >= 0x80 */
} block_masks;

#ifdef __SSE2__
static inline block_masks classify16(const unsigned char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i odd = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_setzero_si128()),
                               _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')));
    block_masks m = {
        .nl = (uint64_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
        .special = (uint64_t)_mm_movemask_epi8(_mm_or_si128(odd, v)), /* v: bytes >= 0x80 */
    };
    return m;
}

static inline block_masks classify(const unsigned char *p)
{
    block_masks q0 = classify16(p), q1 = classify16(p + 16), q2 = classify16(p + 32),
                q3 = classify16(p + 48);
    block_masks m = {
        .nl = q0.nl | q1.nl << 16 | q2.nl << 32 | q3.nl << 48,
        .special = q0.special | q1.special << 16 | q2.special << 32 | q3.special << 48,
    };
    return m;
}
#else
static inline block_masks classify(const unsigned char *p)
{
    block_masks m = {0, 0};
    for (unsigned i = 0; i < BLOCK; i++) {
        m.nl |= (uint64_t)(p[i] == '\n') << i;
        m.special |= (uint64_t)(p[i] == 0 || p[i] == '\r' || p[i] >= 0x80) << i;
    }
    return m;
}
#endif

/* What scan_text learns besides the line starts. */
typedef struct text_facts {
    size_t bad;  /* offset of the first NUL or invalid UTF-8 byte, or len */
    bool ascii;  /* no byte >= 0x80 */
    bool lf;     /* no lone '\r', NEL, LS or PS */
} text_facts;

/* Checks the byte at i of d (len bytes), a NUL, '\r' or byte >= 0x80, and
 * returns the offset after it (after its whole UTF-8 sequence). */
static size_t check_byte(const unsigned char *d, size_t len, size_t i, text_facts *t)
{
    const unsigned char *p = d + i;
    if (*p == '\r') {
        if (i + 1 >= len || p[1] != '\n')
            t->lf = false; /* a lone CR: libyaml counts a line where we do not */
        return i + 1;
    }
    size_t n = *p ? src_utf8_len(p, d + len) : 0;
    if (!n) {
        t->bad = i;
        return i + 1;
    }
    if (unicode_break(p, n))
        t->lf = false;
    t->ascii = false;
    return i + n;
}

/* Line starts, collected on the stack (or, for long files, in a growing heap
 * buffer) and copied to the arena exactly sized. */
typedef struct line_list {
    uint32_t *starts;
    size_t n, cap;
} line_list;

/* Room for the line starts of one more block. */
static inline void lines_reserve(line_list *l, const uint32_t *local)
{
    if (l->cap - l->n >= BLOCK)
        return;
    l->cap *= 2;
    l->starts = l->starts == local ? memcpy(xmalloc(l->cap * sizeof *l->starts), local,
                                            l->n * sizeof *l->starts)
                                   : xrealloc(l->starts, l->cap * sizeof *l->starts);
}

/* Sets f's line index, plain_ascii, lf_breaks and bad_byte in one pass. */
static void scan_text(arena *a, src_file *f)
{
    const unsigned char *d = (const unsigned char *)f->data;
    size_t len = f->len;
    uint32_t local[2048];
    line_list l = {.starts = local, .n = 1, .cap = sizeof local / sizeof *local};
    local[0] = 0;
    text_facts t = {.bad = len, .ascii = true, .lf = true};
    uint64_t checking = ~(uint64_t)0; /* 0 once a bad byte is found: then only lines count */
    for (size_t i = 0; i < len;) {
        unsigned char pad[BLOCK];
        const unsigned char *p = d + i;
        if (len - i < BLOCK) { /* the last block, filled up with spaces */
            memset(pad, ' ', BLOCK);
            memcpy(pad, p, len - i);
            p = pad;
        }
        block_masks m = classify(p);
        uint64_t special = m.special & checking;
        uint64_t nl = m.nl & ~special & (special - 1); /* those before the first special */
        lines_reserve(&l, local);
        for (; nl; nl &= nl - 1)
            l.starts[l.n++] = (uint32_t)(i + (size_t)__builtin_ctzll(nl) + 1);
        if (!special) {
            i += BLOCK;
            continue;
        }
        i = check_byte(d, len, i + (size_t)__builtin_ctzll(special), &t);
        if (t.bad != len)
            checking = 0;
    }
    f->line_starts = arena_memdup(a, l.starts, l.n * sizeof *l.starts);
    f->nlines = (uint32_t)l.n;
    if (l.starts != local)
        free(l.starts);
    f->bad_byte = t.bad;
    f->plain_ascii = t.bad == len && t.ascii && t.lf;
    f->lf_breaks = t.bad == len && t.lf;
}

src_file *src_from_memory(arena *a, const char *path, const char *data, size_t len)
{
    src_file *f = arena_alloc(a, sizeof *f);
    f->path = arena_strdup(a, path);
    f->data = arena_strndup(a, data, len);
    f->len = len;
    scan_text(a, f);
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
    char *buf = arena_alloc_uninit(a, cap + 1); /* read() and the NUL fill it */
    if (!read_up_to(fd, buf, cap, &got))
        return fail(diags, path, status, SRC_FAILED, "I/O error");
    buf[got] = '\0';
    src_file *f = arena_alloc(a, sizeof *f);
    f->path = arena_strdup(a, path);
    f->data = buf;
    f->len = got;
    scan_text(a, f);
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

bool src_check_text(const src_file *f, diag_list *diags)
{
    if (f->bad_byte == f->len)
        return true;
    src_pos pos = src_pos_at(f, f->bad_byte);
    unsigned char c = (unsigned char)f->data[f->bad_byte];
    if (c == 0)
        diag_add(diags, DIAG_ERROR, f->path, pos.line, pos.col,
                 "binary file (NUL byte at offset %u); not a text configuration file",
                 pos.offset);
    else
        diag_add(diags, DIAG_ERROR, f->path, pos.line, pos.col,
                 "invalid UTF-8 (byte 0x%02X at offset %u)", c, pos.offset);
    return false;
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
