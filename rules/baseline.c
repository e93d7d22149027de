/* baseline.c - reading and writing baseline files; see baseline.h. */
#include "rules/baseline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzers/frontend.h"
#include "core/json_out.h"

static char *key_of(const char *rule, const char *file, const char *fp)
{
    size_t n = strlen(rule) + strlen(file) + strlen(fp) + 3;
    char *k = xmalloc(n);
    snprintf(k, n, "%s\t%s\t%s", rule, file, fp);
    return k;
}

static int cmp_keys(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool baseline_load(const char *path, baseline *b, diag_list *diags)
{
    memset(b, 0, sizeof *b);
    arena *a = arena_new();
    parse_limits lim = parse_limits_default();
    src_file *f = src_load(a, path, &lim, diags);
    doc_node *root = NULL;
    bool ok = f && json_parse(a, f, &lim, &root, diags);
    const doc_node *list = ok ? doc_get(root, "findings") : NULL;
    if (ok && (!list || list->kind != DOC_SEQ)) {
        diag_add(diags, DIAG_ERROR, path, 1, 1,
                 "not a stackaudit baseline: expected {\"version\": 1, \"findings\": [...]}");
        ok = false;
    }
    if (ok) {
        b->keys = xcalloc(list->u.seq.count + 1, sizeof(char *));
        for (size_t i = 0; i < list->u.seq.count; i++) {
            const doc_node *e = list->u.seq.items[i];
            const char *r = doc_str(doc_get(e, "rule_id")), *fl = doc_str(doc_get(e, "file")),
                       *fp = doc_str(doc_get(e, "fingerprint"));
            if (!r || !fl || !fp) {
                diag_add(diags, DIAG_ERROR, path, e->span.start.line, e->span.start.col,
                         "baseline entry needs rule_id, file and fingerprint");
                ok = false;
                break;
            }
            b->keys[b->count++] = key_of(r, fl, fp);
        }
        qsort(b->keys, b->count, sizeof(char *), cmp_keys);
    }
    arena_free(a);
    if (!ok)
        baseline_free(b);
    return ok;
}

/* strcmp(key_of(f's rule, file, fingerprint), key), without building the former. */
static int cmp_finding_key(const void *pf, const void *pkey)
{
    const finding *f = pf;
    const unsigned char *k = *(const unsigned char *const *)pkey;
    char fingerprint[FINGERPRINT_SIZE];
    finding_fingerprint_hex(f->fingerprint, fingerprint);
    const char *parts[3] = {f->rule->id, f->path, fingerprint};
    for (int i = 0; i < 3; i++) {
        const unsigned char *s = (const unsigned char *)parts[i];
        for (; *s; s++, k++)
            if (*s != *k)
                return *s - *k;
        unsigned char end = i < 2 ? '\t' : '\0';
        if (*k != end)
            return end - *k;
        k++;
    }
    return 0;
}

bool baseline_contains(const baseline *b, const finding *f)
{
    return b->count && bsearch(f, b->keys, b->count, sizeof(char *), cmp_finding_key) != NULL;
}

bool baseline_write(const char *path, const finding_refs *l, diag_list *diags)
{
    strbuf sb;
    sb_init(&sb);
    json_out j;
    json_init(&j, &sb, true);
    json_begin_object(&j);
    json_key(&j, "version");
    json_int(&j, 1);
    json_key(&j, "findings");
    json_begin_array(&j);
    for (size_t i = 0; i < l->count; i++) {
        json_begin_object(&j);
        json_key(&j, "rule_id");
        json_string(&j, l->items[i]->rule->id);
        json_key(&j, "file");
        json_string(&j, l->items[i]->path);
        char fingerprint[FINGERPRINT_SIZE];
        finding_fingerprint_hex(l->items[i]->fingerprint, fingerprint);
        json_key(&j, "fingerprint");
        json_string(&j, fingerprint);
        json_key(&j, "line");
        json_int(&j, l->items[i]->span.start.line);
        json_end_object(&j);
    }
    json_end_array(&j);
    json_end_object(&j);
    sb_addc(&sb, '\n');
    size_t n = strlen(path) + 16;
    char *tmp = xmalloc(n);
    snprintf(tmp, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    bool ok = fd >= 0;
    if (ok) {
        fchmod(fd, 0644);
        ssize_t w = write(fd, sb.buf, sb.len);
        ok = w == (ssize_t)sb.len && fsync(fd) == 0;
        ok &= close(fd) == 0;
        ok = ok && rename(tmp, path) == 0;
        if (!ok)
            unlink(tmp);
    }
    if (!ok)
        diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot write baseline: %s", strerror(errno));
    free(tmp);
    sb_free(&sb);
    return ok;
}

void baseline_free(baseline *b)
{
    for (size_t i = 0; i < b->count; i++)
        free(b->keys[i]);
    free(b->keys);
    memset(b, 0, sizeof *b);
}
