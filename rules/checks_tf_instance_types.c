/* checks_tf_instance_types.c - the built-in C check TF-INSTANCE-TYPE-UNKNOWN:
 * instance types that cannot exist, under keys that hold them
 * (instance_type(s), *_instance_type(s); instance_class: RDS classes db.*;
 * node_type: ElastiCache cache.*) anywhere in variable values, locals,
 * variable defaults and the bodies of resources, modules and data sources.
 * What exists is rules/tf_instance_types.h's knowledge; the rule record is
 * in rules/builtin/terraform.yaml.
 *
 * Guarantees: only literal strings are judged (expressions and values that
 * are not shaped like an instance type never are); an instance_class that
 * is not db.* and a node_type that is not cache.* are not instance types;
 * each value is reported at most once, with a close existing type when
 * there is one. */
#include <stdbool.h>
#include <string.h>

#include "rules/checks_tf.h"
#include "rules/engine.h"
#include "rules/tf_instance_types.h"
#include "rules/tf_model.h"

/* Keys holding instance types (lower-cased); *db_only: RDS classes (db.*),
 * *cache_only: node types (only cache.* is an instance class). */
static bool itype_key(const char *lk, bool *db_only, bool *cache_only)
{
    *db_only = *cache_only = false;
    if (!strcmp(lk, "instance_type") || !strcmp(lk, "instance_types") ||
        tf_ends_with(lk, "_instance_type") || tf_ends_with(lk, "_instance_types"))
        return true;
    if (!strcmp(lk, "instance_class") || tf_ends_with(lk, "_instance_class")) {
        *db_only = true;
        return true;
    }
    if (!strcmp(lk, "node_type") || tf_ends_with(lk, "_node_type")) {
        *cache_only = true;
        return true;
    }
    return false;
}

typedef struct itype_walk {
    lint_context *ctx;
    const rule *r;
    tf_seen_set seen;
} itype_walk;

static void itype_value(itype_walk *w, const doc_node *n, bool db_only, bool cache_only)
{
    if (!tf_is_string(n))
        return;
    const char *v = n->u.scalar.text;
    if ((db_only && strncmp(v, "db.", 3) != 0) || (cache_only && strncmp(v, "cache.", 6) != 0))
        return;
    itype_result res;
    itype_check(v, &res);
    if ((res.verdict != ITYPE_UNKNOWN_FAMILY && res.verdict != ITYPE_BAD_SIZE) ||
        !tf_seen_add(&w->seen, n))
        return;
    if (res.suggestion[0])
        lint_report(w->ctx, w->r, n, "instance type '%s' does not exist: %s (did you mean %s?)", v,
                    res.reason, res.suggestion);
    else
        lint_report(w->ctx, w->r, n, "instance type '%s' does not exist: %s", v, res.reason);
}

/* key: the nearest map key (or block type) above n. */
static void itype_walk_node(itype_walk *w, const doc_node *n, const char *key, int depth)
{
    if (!n || depth > 64)
        return;
    if (n->kind == DOC_BLOCK) {
        itype_walk_node(w, n->u.block.body, n->u.block.type, depth + 1);
    } else if (n->kind == DOC_MAP) {
        for (size_t i = 0; i < n->u.map.count; i++)
            itype_walk_node(w, n->u.map.pairs[i].value, doc_str(n->u.map.pairs[i].key),
                            depth + 1);
    } else if (n->kind == DOC_SEQ) {
        for (size_t i = 0; i < n->u.seq.count; i++)
            itype_walk_node(w, n->u.seq.items[i], key, depth + 1);
    } else if (key) {
        char lk[96];
        bool db_only, cache_only;
        tf_lower_copy(lk, sizeof lk, key);
        if (itype_key(lk, &db_only, &cache_only))
            itype_value(w, n, db_only, cache_only);
    }
}

void check_tf_instance_type(const rule *r, lint_context *ctx)
{
    itype_walk w = {.ctx = ctx, .r = r};
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const input_file *in = ctx->inputs[i];
        if (!tf_input(in))
            continue;
        for (size_t k = 0; k < in->entities.count; k++) {
            const entity *e = in->entities.items[k];
            if (!strcmp(e->kind, "tf_variable_value") || !strcmp(e->kind, "tf_local"))
                itype_walk_node(&w, doc_get(e->attrs, "value"), e->name, 0);
            else if (!strcmp(e->kind, "tf_variable"))
                itype_walk_node(&w, doc_get(e->attrs, "default"), e->name, 0);
            else if (!strcmp(e->kind, "tf_resource") || !strcmp(e->kind, "tf_module") ||
                     !strcmp(e->kind, "tf_data"))
                itype_walk_node(&w, doc_get(e->attrs, "body"), NULL, 0);
        }
    }
    tf_seen_free(&w.seen);
}
