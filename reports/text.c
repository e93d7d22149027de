/* text.c - human-readable lint output: findings grouped by file as
 * "file:line:col: severity RULE-ID message", the source line with a caret
 * under the span (secrets masked), and a summary by severity. Colors only
 * when the caller says so (a TTY without NO_COLOR). */
#include <stdlib.h>
#include <string.h>

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

char *report_masked_line(const src_file *f, uint32_t line, size_t mask_start, size_t mask_end)
{
    size_t len;
    const char *text = src_line_text(f, line, &len);
    if (!f || line == 0 || line > f->nlines)
        return NULL;
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    memcpy(out, text, len);
    out[len] = '\0';
    size_t base = (size_t)(text - f->data);
    for (size_t i = 0; i < len; i++)
        if (mask_end > mask_start && base + i >= mask_start && base + i < mask_end)
            out[i] = '*';
    return out;
}

static void print_caret(FILE *out, const finding *f, const char *line, bool color)
{
    /* columns count characters; the line is printed as is, so pad by
     * character with tabs kept so the caret lines up */
    fprintf(out, "      | ");
    uint32_t col = 1;
    for (const char *p = line; *p && col < f->span.start.col; p++) {
        if (((unsigned char)*p & 0xC0) == 0x80)
            continue;
        fputc(*p == '\t' ? '\t' : ' ', out);
        col++;
    }
    uint32_t width = 1;
    if (f->span.end.line == f->span.start.line && f->span.end.col > f->span.start.col)
        width = f->span.end.col - f->span.start.col;
    else {
        uint32_t chars = 0;
        for (const char *p = line; *p; p++)
            if (((unsigned char)*p & 0xC0) != 0x80)
                chars++;
        if (chars + 1 > f->span.start.col)
            width = chars + 1 - f->span.start.col;
    }
    if (color)
        fputs("\033[1;32m", out);
    fputc('^', out);
    for (uint32_t i = 1; i < width && i < 200; i++)
        fputc('~', out);
    if (color)
        fputs("\033[0m", out);
    fputc('\n', out);
}

void report_text(FILE *out, const report_data *d, bool color)
{
    const finding_list *l = d->findings;
    size_t counts[SEV_CRITICAL + 1] = {0};
    const char *current = NULL;
    for (size_t i = 0; i < l->count; i++) {
        const finding *f = &l->items[i];
        counts[f->sev]++;
        if (!current || strcmp(current, f->path) != 0) {
            if (current)
                fputc('\n', out);
            fprintf(out, color ? "\033[1m%s\033[0m\n" : "%s\n", f->path);
            current = f->path;
        }
        fprintf(out, "%s:%u:%u: ", f->path, f->span.start.line, f->span.start.col);
        if (color)
            fprintf(out, "%s%s\033[0m \033[1m%s\033[0m %s", sev_color(f->sev),
                    severity_name(f->sev), f->rule_id, f->message);
        else
            fprintf(out, "%s %s %s", severity_name(f->sev), f->rule_id, f->message);
        fputs(f->fixable ? " [fixable]\n" : "\n", out);
        const src_file *src = d->source_of ? d->source_of(d->ud, f->path) : NULL;
        char *line = src ? report_masked_line(src, f->span.start.line, f->mask_start, f->mask_end) : NULL;
        if (line) {
            fprintf(out, "%5u | %s\n", f->span.start.line, line);
            print_caret(out, f, line, color);
            free(line);
        }
    }
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
