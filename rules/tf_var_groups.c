/* tf_var_groups.c - groups the variable files of a lint run the way
 * Terraform loads them, and reads the clients a group declares. See
 * tf_var_groups.h for the guarantees. */
#include "rules/tf_var_groups.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "rules/engine.h"
#include "rules/tf_model.h"

/* Adds the variables a file defines; a name already there takes the new value. */
static void group_add_file(tf_var_group *g, const input_file *in)
{
    for (size_t i = 0; i < in->entities.count; i++) {
        const entity *e = in->entities.items[i];
        if (strcmp(e->kind, "tf_variable_value") != 0 || !e->name)
            continue;
        const doc_node *v = doc_get(e->attrs, "value");
        size_t k;
        for (k = 0; k < g->count; k++)
            if (!strcmp(g->vars[k].name, e->name))
                break;
        if (k == g->count) {
            g->vars = xrealloc(g->vars, (g->count + 1) * sizeof *g->vars);
            g->count++;
        }
        g->vars[k].name = e->name;
        g->vars[k].value = v;
    }
}

const doc_node *tf_var_group_get(const tf_var_group *g, const char *name)
{
    for (size_t i = 0; i < g->count; i++)
        if (!strcmp(g->vars[i].name, name))
            return g->vars[i].value;
    return NULL;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static size_t dir_len(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? (size_t)(s - path) : 0;
}

/* Files Terraform loads without being asked. */
static bool auto_loaded(const char *path)
{
    const char *b = base_name(path);
    return !strcmp(b, "terraform.tfvars") || !strcmp(b, "terraform.tfvars.json") ||
           tf_ends_with(b, ".auto.tfvars") || tf_ends_with(b, ".auto.tfvars.json");
}

/* Load order among auto-loaded files: terraform.tfvars, its .json, then
 * *.auto.tfvars(.json) in lexical order. */
static int auto_rank(const char *base)
{
    return !strcmp(base, "terraform.tfvars") ? 0 : !strcmp(base, "terraform.tfvars.json") ? 1 : 2;
}

static int auto_rank_cmp(const void *a, const void *b)
{
    const input_file *x = *(const input_file *const *)a, *y = *(const input_file *const *)b;
    const char *bx = base_name(x->path), *by = base_name(y->path);
    int rx = auto_rank(bx), ry = auto_rank(by);
    return rx != ry ? rx - ry : strcmp(bx, by);
}

typedef struct var_file {
    const input_file *in;
    size_t order; /* position among the scanned inputs */
} var_file;

/* By directory, then in scan order. */
static int var_file_dir_cmp(const void *a, const void *b)
{
    const var_file *x = a, *y = b;
    size_t lx = dir_len(x->in->path), ly = dir_len(y->in->path);
    int c = strncmp(x->in->path, y->in->path, lx < ly ? lx : ly);
    if (c == 0 && lx != ly)
        c = lx < ly ? -1 : 1;
    if (c == 0)
        c = x->order < y->order ? -1 : x->order > y->order;
    return c;
}

static void run_group(lint_context *ctx, const rule *r, tf_var_group_fn fn, void *state,
                      const input_file *const *autos, size_t nauto, const input_file *other)
{
    tf_var_group g = {0};
    for (size_t k = 0; k < nauto; k++)
        group_add_file(&g, autos[k]);
    if (other)
        group_add_file(&g, other);
    fn(ctx, r, &g, state);
    free(g.vars);
}

void tf_for_each_var_group(lint_context *ctx, const rule *r, tf_var_group_fn fn, void *state)
{
    size_t n = 0;
    var_file *files = xcalloc(ctx->ninputs ? ctx->ninputs : 1, sizeof *files);
    for (size_t i = 0; i < ctx->ninputs; i++)
        if (tf_vars_input(ctx->inputs[i]))
            files[n++] = (var_file){ctx->inputs[i], i};
    qsort(files, n, sizeof *files, var_file_dir_cmp);
    const input_file **autos = xcalloc(n ? n : 1, sizeof *autos);
    for (size_t i = 0; i < n;) {
        size_t j = i, nauto = 0;
        size_t dl = dir_len(files[i].in->path);
        while (j < n && dir_len(files[j].in->path) == dl &&
               strncmp(files[j].in->path, files[i].in->path, dl) == 0)
            j++;
        bool others = false;
        for (size_t k = i; k < j; k++) {
            if (auto_loaded(files[k].in->path))
                autos[nauto++] = files[k].in;
            else
                others = true;
        }
        qsort(autos, nauto, sizeof *autos, auto_rank_cmp);
        if (!others)
            run_group(ctx, r, fn, state, autos, nauto, NULL);
        for (size_t k = i; k < j; k++)
            if (!auto_loaded(files[k].in->path))
                run_group(ctx, r, fn, state, autos, nauto, files[k].in);
        i = j;
    }
    free(autos);
    free(files);
}

/* ---- clients ------------------------------------------------------------- */

const doc_node *tf_enabled_clients(const tf_var_group *g, const char **name)
{
    static const char *const names[] = {"enabled_clients", "active_clients", NULL};
    for (size_t i = 0; names[i]; i++) {
        const doc_node *v = tf_var_group_get(g, names[i]);
        if (v && v->kind == DOC_SEQ) {
            *name = names[i];
            return v;
        }
    }
    return NULL;
}

bool tf_client_keyed(const doc_node *v, const char *name, const doc_node *enabled)
{
    if (!v || v->kind != DOC_MAP)
        return false;
    if (!enabled)
        return strstr(name, "client") != NULL;
    for (size_t i = 0; i < v->u.map.count; i++)
        if (doc_str(v->u.map.pairs[i].key) && tf_seq_has(enabled, doc_str(v->u.map.pairs[i].key)))
            return true;
    return false;
}
