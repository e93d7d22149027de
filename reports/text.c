/* text.c - human-readable lint output: findings grouped by file as
 * "file:line:col: severity RULE-ID message", the source line with a caret
 * under the span (secrets masked), and a summary by severity. Colors only
 * when the caller says so (a TTY without NO_COLOR). */
#include <stdlib.h>
#include <string.h>

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

byte_range *report_mask_ranges(const finding_list *l, const char *path, size_t *n)
{
    byte_range *r = NULL;
    *n = 0;
    for (size_t i = 0; i < l->count; i++) {
        const finding *f = &l->items[i];
        if (f->mask_end <= f->mask_start || strcmp(f->path, path) != 0)
            continue;
        r = realloc(r, (*n + 1) * sizeof *r);
        if (!r)
            abort();
        r[*n].start = f->mask_start;
        r[*n].end = f->mask_end;
        (*n)++;
    }
    return r;
}

static const byte_range *mask_at(const byte_range *masks, size_t n, size_t off)
{
    for (size_t i = 0; i < n; i++)
        if (off >= masks[i].start && off < masks[i].end)
            return &masks[i];
    return NULL;
}

char *report_masked_line(const src_file *f, uint32_t line, const byte_range *masks, size_t nmasks,
                         size_t from, size_t to, uint32_t *col_start, uint32_t *col_end)
{
    if (!f || line == 0 || line > f->nlines)
        return NULL;
    size_t len;
    const char *text = src_line_text(f, line, &len);
    size_t base = (size_t)(text - f->data);
    strbuf out;
    sb_init(&out);
    uint32_t col = 1;
    *col_start = *col_end = 0;
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

/* The caret line under display columns [from, to) of line (tabs kept so
 * it lines up); at least one '^'. */
static void print_caret(FILE *out, const char *line, uint32_t from, uint32_t to, bool color)
{
    fprintf(out, "      | ");
    uint32_t col = 1;
    for (const char *p = line; *p && col < from; p++) {
        if (((unsigned char)*p & 0xC0) == 0x80)
            continue;
        fputc(*p == '\t' ? '\t' : ' ', out);
        col++;
    }
    uint32_t width = to > from ? to - from : 1;
    if (color)
        fputs("\033[1;32m", out);
    fputc('^', out);
    for (uint32_t i = 1; i < width && i < 200; i++)
        fputc('~', out);
    if (color)
        fputs("\033[0m", out);
    fputc('\n', out);
}

static void print_source(FILE *out, const report_data *d, const finding *f, const byte_range *masks,
                         size_t nmasks, bool color)
{
    const src_file *src = d->source_of ? d->source_of(d->ud, f->path) : NULL;
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
    fprintf(out, "%5u | %s\n", f->span.start.line, line);
    print_caret(out, line, c0, c1, color);
    free(line);
}

void report_text(FILE *out, const report_data *d, bool color)
{
    const finding_list *l = d->findings;
    size_t counts[SEV_CRITICAL + 1] = {0};
    const char *current = NULL;
    byte_range *masks = NULL;
    size_t nmasks = 0;
    for (size_t i = 0; i < l->count; i++) {
        const finding *f = &l->items[i];
        counts[f->sev]++;
        if (!current || strcmp(current, f->path) != 0) {
            if (current)
                fputc('\n', out);
            fprintf(out, color ? "\033[1m%s\033[0m\n" : "%s\n", f->path);
            current = f->path;
            free(masks);
            masks = report_mask_ranges(l, f->path, &nmasks);
        }
        fprintf(out, "%s:%u:%u: ", f->path, f->span.start.line, f->span.start.col);
        if (color)
            fprintf(out, "%s%s\033[0m \033[1m%s\033[0m %s", sev_color(f->sev),
                    severity_name(f->sev), f->rule_id, f->message);
        else
            fprintf(out, "%s %s %s", severity_name(f->sev), f->rule_id, f->message);
        fputs(f->fixable ? " [fixable]\n" : "\n", out);
        print_source(out, d, f, masks, nmasks, color);
    }
    free(masks);
    if (l->count)
        fputc('\n', out);
    fprintf(out, "%zu finding%s in %zu file%s", l->count, l->count == 1 ? "" : "s",
            d->files_scanned, d->files_scanned == 1 ? "" : "s");
    if (l->count) {
        fputs(" (", out);
        bool first = true;
        for (int s = SEV_CRITICAL; s >= SEV_INFO; s--) {
            if (!counts[s])
                continue;
            fprintf(out, "%s%zu %s", first ? "" : ", ", counts[s], severity_name((severity)s));
            first = false;
        }
        fputc(')', out);
    }
    if (d->files_failed)
        fprintf(out, "; %zu file%s could not be checked", d->files_failed,
                d->files_failed == 1 ? "" : "s");
    fputc('\n', out);
}
