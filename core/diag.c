/* diag.c - diagnostic lists; see diag.h. */
#include "diag.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "strbuf.h"

void diag_list_init(diag_list *d)
{
    memset(d, 0, sizeof *d);
}

void diag_list_free(diag_list *d)
{
    for (size_t i = 0; i < d->count; i++) {
        free(d->items[i].path);
        free(d->items[i].message);
    }
    free(d->items);
    diag_list_init(d);
}

void diag_vadd(diag_list *d, diag_level level, const char *path, uint32_t line,
               uint32_t col, const char *fmt, va_list ap)
{
    if (d->count == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 8;
        d->items = xrealloc(d->items, d->cap * sizeof(diag));
    }
    strbuf sb;
    sb_init(&sb);
    sb_vaddf(&sb, fmt, ap);
    diag *it = &d->items[d->count++];
    it->level = level;
    it->path = path ? xstrdup(path) : NULL;
    it->line = line;
    it->col = col;
    it->message = sb_detach(&sb);
}

void diag_add(diag_list *d, diag_level level, const char *path, uint32_t line,
              uint32_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, level, path, line, col, fmt, ap);
    va_end(ap);
}

void diag_list_move(diag_list *dst, diag_list *src)
{
    for (size_t i = 0; i < src->count; i++) {
        if (dst->count == dst->cap) {
            dst->cap = dst->cap ? dst->cap * 2 : 8;
            dst->items = xrealloc(dst->items, dst->cap * sizeof(diag));
        }
        dst->items[dst->count++] = src->items[i];
    }
    free(src->items);
    diag_list_init(src);
}

size_t diag_count(const diag_list *d, diag_level level)
{
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].level == level)
            n++;
    return n;
}

const char *diag_level_name(diag_level level)
{
    switch (level) {
    case DIAG_ERROR:
        return "error";
    case DIAG_WARNING:
        return "warning";
    case DIAG_NOTE:
        return "note";
    }
    return "error";
}

void diag_print(FILE *out, const diag *it)
{
    if (it->path && it->line)
        fprintf(out, "%s:%u:%u: ", it->path, it->line, it->col);
    else if (it->path)
        fprintf(out, "%s: ", it->path);
    else
        fprintf(out, "stackaudit: ");
    fprintf(out, "%s: %s\n", diag_level_name(it->level), it->message);
}
