/* text.c - human-readable lint output: findings grouped by file as
 * "file:line:col: severity RULE-ID message", the source line with a caret
 * under the span (secrets masked), and a summary by severity. Colors only
 * when the caller says so (a TTY without NO_COLOR). */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/strbuf.h"
#include "reports/report.h"

static const char *sev_color(severity s)
{
    switch (s) {
    case SEV_CRITICAL:
        return "\033[1;35m";
    case SEV_HIGH:
        return "\033[1;31m";
    case SEV_MEDIUM:
        return "\033[33m";
    case SEV_LOW:
        return "\033[36m";
    default:
        return "\033[2m";
    }
}

static const byte_range *mask_at(const byte_range *masks, size_t n, size_t off)
{
    for (size_t i = 0; i < n; i++)
        if (off >= masks[i].start && off < masks[i].end)
            return &masks[i];
    return NULL;
}

/* True when some mask covers a byte of [start, end). */
static bool masks_touch(const byte_range *masks, size_t n, size_t start, size_t end)
{
    for (size_t i = 0; i < n; i++)
        if (masks[i].start < masks[i].end && masks[i].start < end && masks[i].end > start)
            return true;
    return false;
}

char *report_masked_line(const src_file *f, uint32_t line, const byte_range *masks, size_t nmasks,
                         size_t from, size_t to, uint32_t *col_start, uint32_t *col_end)
{
    if (!f || line == 0 || line > f->nlines)
        return NULL;
    size_t len;
    const char *text = src_line_text(f, line, &len);
    size_t base = (size_t)(text - f->data);
    *col_start = *col_end = 0;
    if (!masks_touch(masks, nmasks, base, base + len)) {
        /* nothing to mask on this line: the text as is, columns by counting */
        uint32_t col = 1;
        for (size_t i = 0; i <= len; i++) {
            size_t off = base + i;
            if (off >= from && !*col_start)
                *col_start = col;
            if (off >= to && !*col_end)
                *col_end = col;
            if (i == len || (*col_start && *col_end))
                break;
            if (((unsigned char)text[i] & 0xC0) != 0x80)
                col++;
        }
        char *out = xmalloc(len + 1);
        memcpy(out, text, len);
        out[len] = '\0';
        return out;
    }
    strbuf out;
    sb_init(&out);
    uint32_t col = 1;
    for (size_t i = 0; i <= len;) {
        size_t off = base + i;
        if (off >= from && !*col_start)
            *col_start = col;
        if (off >= to && !*col_end)
            *col_end = col;
        if (i == len)
            break;
        const byte_range *m = mask_at(masks, nmasks, off);
        if (m) {
            sb_adds(&out, SECRET_TEXT_MASK);
            col += (uint32_t)strlen(SECRET_TEXT_MASK);
            size_t skip = (m->end < base + len ? m->end : base + len) - off;
            /* a span boundary inside the secret maps to the mask's edges */
            if (!*col_start && from < off + skip)
                *col_start = col - (uint32_t)strlen(SECRET_TEXT_MASK);
            if (!*col_end && to <= off + skip && to > off)
                *col_end = col;
            i += skip;
            continue;
        }
        sb_addc(&out, text[i]);
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            col++; /* columns count characters: only lead bytes advance */
        i++;
    }
    return sb_detach(&out);
}

/* ---- buffered output ----------------------------------------------------- */

/* The report is formatted into a buffer written out in large chunks. */
typedef struct text_out {
    FILE *f;
    strbuf sb;
} text_out;

#define TEXT_FLUSH_AT (1u << 16)

static void out_flush(text_out *o)
{
    if (o->sb.len)
        fwrite(o->sb.buf, 1, o->sb.len, o->f);
    sb_reset(&o->sb);
}

static void out_n(text_out *o, const char *s, size_t n)
{
    sb_addn(&o->sb, s, n);
    if (o->sb.len >= TEXT_FLUSH_AT)
        out_flush(o);
}

static void out_s(text_out *o, const char *s)
{
    out_n(o, s, strlen(s));
}

static void out_c(text_out *o, char c)
{
    sb_addc(&o->sb, c);
}

/* Appends n bytes c (one capacity check). */
static void out_repeat(text_out *o, char c, size_t n)
{
    sb_grow(&o->sb, n);
    memset(o->sb.buf + o->sb.len, c, n);
    o->sb.len += n;
    o->sb.buf[o->sb.len] = '\0';
}

/* Decimal v, right-aligned in at least width characters (printf "%*u"). */
static void out_u(text_out *o, uint32_t v, int width)
{
    char buf[16];
    int n = 0;
    do {
        buf[sizeof buf - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width && n < (int)sizeof buf)
        buf[sizeof buf - 1 - n++] = ' ';
    out_n(o, buf + sizeof buf - n, (size_t)n);
}

/* The caret line under display columns [from, to) of line (tabs kept so
 * it lines up); at least one '^'. */
static void print_caret(text_out *out, const char *line, uint32_t from, uint32_t to, bool color)
{
    out_n(out, "      | ", 8);
    uint32_t col = 1;
    for (const char *p = line; *p && col < from;) {
        size_t blanks = 0; /* a run of characters shown as spaces */
        for (; *p && *p != '\t' && col < from; p++) {
            if (((unsigned char)*p & 0xC0) != 0x80) {
                blanks++;
                col++;
            }
        }
        out_repeat(out, ' ', blanks);
        for (; *p == '\t' && col < from; p++, col++)
            out_c(out, '\t');
    }
    uint32_t width = to > from ? to - from : 1;
    if (color)
        out_s(out, "\033[1;32m");
    out_c(out, '^');
    out_repeat(out, '~', (width < 200 ? width : 200) - 1);
    if (color)
        out_s(out, "\033[0m");
    out_n(out, "\n", 1);
}

static void print_source(text_out *out, const src_file *src, const finding *f,
                         const byte_range *masks, size_t nmasks, bool color)
{
    if (!src)
        return;
    /* a span running past its line is underlined to the end of the line */
    size_t to = f->span.end.line == f->span.start.line ? f->span.end.offset : (size_t)-1;
    uint32_t c0, c1;
    char *line = report_masked_line(src, f->span.start.line, masks, nmasks, f->span.start.offset, to,
                                    &c0, &c1);
    if (!line)
        return;
    if (!c1) {
        c1 = 1;
        for (const char *p = line; *p; p++)
            c1 += ((unsigned char)*p & 0xC0) != 0x80;
    }
    out_u(out, f->span.start.line, 5);
    out_n(out, " | ", 3);
    out_s(out, line);
    out_c(out, '\n');
    print_caret(out, line, c0, c1, color);
    free(line);
}

/* ---- secrets to mask, per file ------------------------------------------- */

/* The findings that carry a mask, ordered by path and then by report
 * order, so the masks of one file are found by binary search. */
typedef struct masked_ref {
    const finding *f;
    size_t order; /* in the report */
} masked_ref;

typedef struct mask_index {
    masked_ref *items;
    size_t count;
} mask_index;

static int cmp_masked(const void *x, const void *y)
{
    const masked_ref *a = x, *b = y;
    int c = strcmp(a->f->path, b->f->path);
    if (c)
        return c;
    return (a->order > b->order) - (a->order < b->order);
}

static void mask_index_build(mask_index *ix, const finding_refs *l)
{
    ix->items = NULL;
    ix->count = 0;
    for (size_t i = 0; i < l->count; i++)
        ix->count += l->items[i]->mask_end > l->items[i]->mask_start;
    if (!ix->count)
        return;
    ix->items = xmalloc(ix->count * sizeof *ix->items);
    size_t n = 0;
    for (size_t i = 0; i < l->count; i++)
        if (l->items[i]->mask_end > l->items[i]->mask_start)
            ix->items[n++] = (masked_ref){l->items[i], i};
    qsort(ix->items, ix->count, sizeof *ix->items, cmp_masked);
}

/* The secret ranges of the findings on path, in report order (malloc'd;
 * *n = count). */
static byte_range *mask_index_ranges(const mask_index *ix, const char *path, size_t *n)
{
    *n = 0;
    size_t lo = 0, hi = ix->count;
    while (lo < hi) { /* first item whose path is >= path */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix->items[mid].f->path, path) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < ix->count && !strcmp(ix->items[end].f->path, path))
        end++;
    if (end == lo)
        return NULL;
    byte_range *r = xmalloc((end - lo) * sizeof *r);
    for (size_t i = lo; i < end; i++) {
        r[i - lo].start = ix->items[i].f->mask_start;
        r[i - lo].end = ix->items[i].f->mask_end;
    }
    *n = end - lo;
    return r;
}

void report_text(FILE *f_out, const report_data *d, bool color)
{
    text_out o = {.f = f_out};
    text_out *out = &o;
    sb_init(&o.sb);
    sb_grow(&o.sb, TEXT_FLUSH_AT + 4096);
    const finding_refs *l = d->findings;
    size_t counts[SEV_CRITICAL + 1] = {0};
    const char *current = NULL; /* the file of the findings being printed, */
    const src_file *src = NULL;  /* its source */
    mask_index mix;
    mask_index_build(&mix, l);
    byte_range *masks = NULL;
    size_t nmasks = 0;
    for (size_t i = 0; i < l->count; i++) {
        const finding *f = l->items[i];
        counts[f->rule->sev]++;
        if (!current || (current != f->path && strcmp(current, f->path) != 0)) {
            if (current)
                out_c(out, '\n');
            if (color)
                out_s(out, "\033[1m");
            out_s(out, f->path);
            out_s(out, color ? "\033[0m\n" : "\n");
            current = f->path;
            src = d->source_of ? d->source_of(d->ud, f->path) : NULL;
            free(masks);
            masks = mask_index_ranges(&mix, f->path, &nmasks);
        }
        out_s(out, f->path);
        out_c(out, ':');
        out_u(out, f->span.start.line, 0);
        out_c(out, ':');
        out_u(out, f->span.start.col, 0);
        out_n(out, ": ", 2);
        if (color) {
            out_s(out, sev_color(f->rule->sev));
            out_s(out, severity_name(f->rule->sev));
            out_s(out, "\033[0m \033[1m");
            out_s(out, f->rule->id);
            out_s(out, "\033[0m ");
        } else {
            out_s(out, severity_name(f->rule->sev));
            out_c(out, ' ');
            out_s(out, f->rule->id);
            out_c(out, ' ');
        }
        out_s(out, f->message);
        out_s(out, f->rule->fixable ? " [fixable]\n" : "\n");
        print_source(out, src, f, masks, nmasks, color);
    }
    free(masks);
    free(mix.items);
    out_flush(out);
    sb_free(&o.sb);
    FILE *fo = f_out;
    if (l->count)
        fputc('\n', fo);
    fprintf(fo, "%zu finding%s in %zu file%s", l->count, l->count == 1 ? "" : "s",
            d->files_scanned, d->files_scanned == 1 ? "" : "s");
    if (l->count) {
        fputs(" (", fo);
        bool first = true;
        for (int s = SEV_CRITICAL; s >= SEV_INFO; s--) {
            if (!counts[s])
                continue;
            fprintf(fo, "%s%zu %s", first ? "" : ", ", counts[s], severity_name((severity)s));
            first = false;
        }
        fputc(')', fo);
    }
    if (d->files_failed)
        fprintf(fo, "; %zu file%s could not be checked", d->files_failed,
                d->files_failed == 1 ? "" : "s");
    fputc('\n', fo);
}
