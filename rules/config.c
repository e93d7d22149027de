/* config.c - .stackaudit.yaml discovery and parsing; see config.h. */
#include "rules/config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzers/frontend.h"

static bool str_list(const doc_node *n, const char *key, const char ***out, size_t *count,
                     arena *a, const char *path, diag_list *diags)
{
    if (!n)
        return true;
    if (n->kind != DOC_SEQ) {
        diag_add(diags, DIAG_ERROR, path, n->span.start.line, n->span.start.col,
                 "'%s' must be a list of strings", key);
        return false;
    }
    *out = arena_alloc(a, (n->u.seq.count + 1) * sizeof(char *));
    for (size_t i = 0; i < n->u.seq.count; i++) {
        const char *s = doc_str(n->u.seq.items[i]);
        if (!s) {
            diag_add(diags, DIAG_ERROR, path, n->u.seq.items[i]->span.start.line,
                     n->u.seq.items[i]->span.start.col, "'%s' items must be strings", key);
            return false;
        }
        (*out)[(*count)++] = s;
    }
    return true;
}

bool config_load(const char *path, config *cfg, diag_list *diags)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->arena = arena_new();
    cfg->path = arena_strdup(cfg->arena, path);
    parse_limits lim = parse_limits_default();
    src_file *f = src_load(cfg->arena, path, &lim, diags);
    if (!f)
        return false;
    doc_stream docs = {0};
    if (!yaml_parse(cfg->arena, f, &lim, &docs, diags))
        return false;
    const doc_node *root = docs.count ? docs.docs[0] : NULL;
    if (!root || (root->kind == DOC_SCALAR && root->u.scalar.type == SCALAR_NULL))
        return true; /* empty config */
    if (root->kind != DOC_MAP) {
        diag_add(diags, DIAG_ERROR, path, root->span.start.line, root->span.start.col,
                 "the configuration must be a mapping (disable, severity, exclude, rules, fail_on)");
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < root->u.map.count; i++) {
        const doc_node *k = root->u.map.pairs[i].key, *v = root->u.map.pairs[i].value;
        const char *key = doc_str(k);
        if (!key)
            continue;
        if (!strcmp(key, "disable")) {
            ok &= str_list(v, key, &cfg->disable, &cfg->ndisable, cfg->arena, path, diags);
        } else if (!strcmp(key, "exclude")) {
            ok &= str_list(v, key, &cfg->exclude, &cfg->nexclude, cfg->arena, path, diags);
        } else if (!strcmp(key, "rules")) {
            const char **dirs = NULL;
            size_t n = 0;
            ok &= str_list(v, key, &dirs, &n, cfg->arena, path, diags);
            char *dir = arena_strdup(cfg->arena, path);
            char *slash = strrchr(dir, '/');
            if (slash)
                *slash = '\0';
            else
                dir = ".";
            cfg->rule_dirs = arena_alloc(cfg->arena, (n + 1) * sizeof(char *));
            for (size_t d = 0; d < n; d++)
                cfg->rule_dirs[cfg->nrule_dirs++] =
                    dirs[d][0] == '/' ? dirs[d] : arena_printf(cfg->arena, "%s/%s", dir, dirs[d]);
        } else if (!strcmp(key, "severity")) {
            if (v->kind != DOC_MAP) {
                diag_add(diags, DIAG_ERROR, path, v->span.start.line, v->span.start.col,
                         "'severity' must map rule ids to severities");
                ok = false;
                continue;
            }
            cfg->severity = arena_alloc(cfg->arena, (v->u.map.count + 1) * sizeof(rule_override));
            for (size_t s = 0; s < v->u.map.count; s++) {
                const doc_pair *p = &v->u.map.pairs[s];
                rule_override *o = &cfg->severity[cfg->nseverity];
                o->id = doc_str(p->key);
                o->line = p->key->span.start.line;
                o->col = p->key->span.start.col;
                if (!o->id || !doc_str(p->value) || !severity_parse(doc_str(p->value), &o->sev)) {
                    diag_add(diags, DIAG_ERROR, path, p->value->span.start.line,
                             p->value->span.start.col,
                             "severity must be one of critical, high, medium, low, info");
                    ok = false;
                    continue;
                }
                cfg->nseverity++;
            }
        } else if (!strcmp(key, "settings")) {
            if (v->kind != DOC_MAP) {
                diag_add(diags, DIAG_ERROR, path, v->span.start.line, v->span.start.col,
                         "'settings' must be a mapping of check parameters");
                ok = false;
            } else {
                cfg->settings = v;
            }
        } else if (!strcmp(key, "fail_on")) {
            if (!doc_str(v) || !severity_parse(doc_str(v), &cfg->fail_on)) {
                diag_add(diags, DIAG_ERROR, path, v->span.start.line, v->span.start.col,
                         "fail_on must be one of critical, high, medium, low, info");
                ok = false;
            } else {
                cfg->has_fail_on = true;
            }
        } else {
            diag_add(diags, DIAG_ERROR, path, k->span.start.line, k->span.start.col,
                     "unknown configuration key '%s' (disable, severity, exclude, rules, fail_on, settings)",
                     key);
            ok = false;
        }
    }
    return ok;
}

bool config_find_and_load(const char *start, config *cfg, diag_list *diags)
{
    memset(cfg, 0, sizeof *cfg);
    char *dir = realpath(start, NULL);
    if (!dir)
        return true;
    struct stat st;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir)
            *slash = '\0';
        else if (slash)
            slash[1] = '\0';
    }
    for (;;) {
        char candidate[PATH_MAX];
        snprintf(candidate, sizeof candidate, "%s/.stackaudit.yaml",
                 strcmp(dir, "/") == 0 ? "" : dir);
        if (access(candidate, F_OK) == 0) {
            free(dir);
            return config_load(candidate, cfg, diags);
        }
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir) {
            if (strcmp(dir, "/") == 0)
                break;
            dir[1] = '\0';
            continue;
        }
        *slash = '\0';
    }
    free(dir);
    return true;
}

void config_free(config *cfg)
{
    arena_free(cfg->arena);
    memset(cfg, 0, sizeof *cfg);
}
