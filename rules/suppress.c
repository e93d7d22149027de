/* suppress.c - inline ignore directives in comments; see suppress.h. */
#include "rules/suppress.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

static bool comment_alone_on_line(const src_file *f, const src_comment *c)
{
    size_t len;
    const char *line = src_line_text(f, c->span.start.line, &len);
    for (const char *p = line; p < f->data + c->span.start.offset; p++)
        if (*p != ' ' && *p != '\t')
            return false;
    return true;
}

bool suppression_parse(const src_file *f, const src_comment *c, suppression *out)
{
    const char *t = c->text;
    static const char tag[] = "stackaudit:ignore";
    if (strncmp(t, tag, sizeof tag - 1) != 0)
        return false;
    t += sizeof tag - 1;
    memset(out, 0, sizeof *out);
    out->comment = c;
    out->comment_line = c->span.start.line;
    if (!strncmp(t, "-file", 5)) {
        out->whole_file = true;
        t += 5;
    }
    if (*t && !isspace((unsigned char)*t))
        return false;
    while (isspace((unsigned char)*t))
        t++;
    size_t n = strcspn(t, " \t");
    if (n == 0 || n >= sizeof out->rules)
        return false;
    memcpy(out->rules, t, n);
    out->rules[n] = '\0';
    t += n;
    while (isspace((unsigned char)*t))
        t++;
    out->has_reason = *t != '\0';
    out->line = comment_alone_on_line(f, c) ? c->span.end.line + 1 : c->span.start.line;
    return true;
}

static bool names_rule(const char *list, const char *id)
{
    size_t idlen = strlen(id);
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        if ((n == idlen && !strncmp(p, id, n)) || (n == 3 && !strncmp(p, "all", 3)))
            return true;
        p += n;
        if (*p == ',')
            p++;
    }
    return false;
}

void suppression_list_build(suppression_list *l, const src_file *f)
{
    l->items = NULL;
    l->count = 0;
    for (size_t i = 0; f && i < f->ncomments; i++) {
        suppression s;
        if (!suppression_parse(f, &f->comments[i], &s))
            continue;
        l->items = xrealloc(l->items, (l->count + 1) * sizeof *l->items);
        l->items[l->count++] = s;
    }
}

bool suppression_list_applies(const suppression_list *l, const finding *x)
{
    for (size_t i = 0; i < l->count; i++) {
        const suppression *s = &l->items[i];
        if ((s->whole_file || s->line == x->span.start.line) && names_rule(s->rules, x->rule->id))
            return true;
    }
    return false;
}

void suppression_list_free(suppression_list *l)
{
    free(l->items);
    l->items = NULL;
    l->count = 0;
}
