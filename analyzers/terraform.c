/* terraform.c - Terraform files -> entities (docs/entities.md):
 *   .tfvars / .tfvars.json: one "tf_variable_value" per top-level attribute;
 *   .tf (and .tf.json, JSON configuration syntax): "tf_resource", "tf_data",
 *   "tf_module", "tf_variable", "tf_local" (one per attribute of every locals
 *   block), "tf_output", "tf_provider".
 *
 * Guarantees: values are the parsed nodes as written (expressions stay
 * unevaluated DOC_EXPR nodes with their spans); a block with the wrong
 * number of labels, or a block inside a variable definitions file, is a
 * warning and is skipped; entities are appended in source order. */
#include <string.h>

#include "analyzers/container.h"
#include "analyzers/input.h"

typedef struct tf_build {
    arena *a;
    input_file *in;
} tf_build;

static doc_node *present(const doc_node *n)
{
    return attr_present(n) ? (doc_node *)n : NULL;
}

/* A literal string value (NULL for expressions). */
static doc_node *literal_str(arena *a, const doc_node *n)
{
    return n && n->kind == DOC_SCALAR ? attr_as_str(a, n) : NULL;
}

static doc_node *literal_bool(arena *a, const doc_node *n)
{
    return n && n->kind == DOC_SCALAR ? attr_as_bool(a, n) : NULL;
}

/* The type constraint as written: "string", "map(object({...}))". */
static doc_node *raw_text(arena *a, const doc_node *n)
{
    if (!n)
        return NULL;
    if (n->kind == DOC_SCALAR) /* JSON syntax: "type": "list(string)" */
        return attr_as_str(a, n);
    size_t len;
    const char *raw = doc_raw(n, &len);
    doc_node *s = doc_new_str(a, n->file, n->span, "");
    s->u.scalar.text = arena_strndup(a, raw, len);
    s->u.scalar.len = len;
    return s;
}

static const char *label_text(const doc_node *n)
{
    const char *t = doc_str(n);
    return t ? t : "";
}

/* One configuration block: kind = block type, labels, body (a DOC_MAP),
 * source = the node the block was read from. */
static void config_block(tf_build *b, const char *type, doc_node **labels, size_t nlabels,
                         const doc_node *body, const doc_node *source)
{
    arena *a = b->a;
    entity_list *list = &b->in->entities;
    static const struct {
        const char *type;
        size_t labels;
    } expected[] = {{"resource", 2}, {"data", 2},   {"module", 1}, {"variable", 1},
                    {"output", 1},   {"provider", 1}, {"locals", 0}};
    size_t want = (size_t)-1;
    for (size_t i = 0; i < sizeof expected / sizeof *expected; i++)
        if (strcmp(type, expected[i].type) == 0)
            want = expected[i].labels;
    if (want == (size_t)-1)
        return; /* terraform, moved, import, check ...: not modeled */
    if (nlabels != want) {
        attr_warn(&b->in->diags, source, "a %s block takes %zu label%s, not %zu; skipped", type,
                  want, want == 1 ? "" : "s", nlabels);
        return;
    }
    if (!body || body->kind != DOC_MAP) {
        attr_warn(&b->in->diags, source, "the body of this %s block is not an object; skipped",
                  type);
        return;
    }
    if (strcmp(type, "locals") == 0) {
        for (size_t i = 0; i < body->u.map.count; i++) {
            const doc_pair *p = &body->u.map.pairs[i];
            if (!p->value || p->value->kind == DOC_BLOCK || !doc_str(p->key))
                continue;
            entity *e = entity_add(a, list, "tf_local", PLATFORM_TERRAFORM, doc_str(p->key),
                                   p->value);
            ATTR_SET(a, e->attrs, "value", p->value);
        }
        return;
    }
    if (strcmp(type, "resource") == 0 || strcmp(type, "data") == 0) {
        bool data = type[0] == 'd';
        const char *name = arena_printf(a, "%s%s.%s", data ? "data." : "", label_text(labels[0]),
                                        label_text(labels[1]));
        entity *e = entity_add(a, list, data ? "tf_data" : "tf_resource", PLATFORM_TERRAFORM,
                               name, source);
        ATTR_SET(a, e->attrs, "type", labels[0]);
        ATTR_SET(a, e->attrs, "name", labels[1]);
        ATTR_SET(a, e->attrs, "count", present(doc_get(body, "count")));
        ATTR_SET(a, e->attrs, "for_each", present(doc_get(body, "for_each")));
        ATTR_SET(a, e->attrs, "provider", present(doc_get(body, "provider")));
        ATTR_SET(a, e->attrs, "body", (doc_node *)body);
        return;
    }
    const char *name = label_text(labels[0]);
    if (strcmp(type, "module") == 0) {
        entity *e = entity_add(a, list, "tf_module", PLATFORM_TERRAFORM, name, source);
        ATTR_SET(a, e->attrs, "name", labels[0]);
        ATTR_SET(a, e->attrs, "source", present(doc_get(body, "source")));
        ATTR_SET(a, e->attrs, "version", present(doc_get(body, "version")));
        ATTR_SET(a, e->attrs, "count", present(doc_get(body, "count")));
        ATTR_SET(a, e->attrs, "for_each", present(doc_get(body, "for_each")));
        ATTR_SET(a, e->attrs, "body", (doc_node *)body);
    } else if (strcmp(type, "variable") == 0) {
        entity *e = entity_add(a, list, "tf_variable", PLATFORM_TERRAFORM, name, source);
        ATTR_SET(a, e->attrs, "name", labels[0]);
        ATTR_SET(a, e->attrs, "type", raw_text(a, doc_get(body, "type")));
        const doc_pair *def = doc_get_pair(body, "default");
        ATTR_SET(a, e->attrs, "default", def ? def->value : NULL);
        ATTR_SET(a, e->attrs, "description", literal_str(a, doc_get(body, "description")));
        ATTR_SET(a, e->attrs, "sensitive", literal_bool(a, doc_get(body, "sensitive")));
        ATTR_SET(a, e->attrs, "nullable", literal_bool(a, doc_get(body, "nullable")));
    } else if (strcmp(type, "output") == 0) {
        entity *e = entity_add(a, list, "tf_output", PLATFORM_TERRAFORM, name, source);
        ATTR_SET(a, e->attrs, "name", labels[0]);
        ATTR_SET(a, e->attrs, "value", present(doc_get(body, "value")));
        ATTR_SET(a, e->attrs, "description", literal_str(a, doc_get(body, "description")));
        ATTR_SET(a, e->attrs, "sensitive", literal_bool(a, doc_get(body, "sensitive")));
    } else { /* provider */
        entity *e = entity_add(a, list, "tf_provider", PLATFORM_TERRAFORM, name, source);
        ATTR_SET(a, e->attrs, "name", labels[0]);
        ATTR_SET(a, e->attrs, "alias", literal_str(a, doc_get(body, "alias")));
        ATTR_SET(a, e->attrs, "region", literal_str(a, doc_get(body, "region")));
        ATTR_SET(a, e->attrs, "body", (doc_node *)body);
    }
}

/* ---- native syntax ------------------------------------------------------ */

static void native_config(tf_build *b, const doc_node *root)
{
    for (size_t i = 0; i < root->u.map.count; i++) {
        const doc_node *v = root->u.map.pairs[i].value;
        if (!v || v->kind != DOC_BLOCK)
            continue;
        config_block(b, v->u.block.type, v->u.block.labels, v->u.block.nlabels, v->u.block.body,
                     v);
    }
}

/* ---- JSON configuration syntax (.tf.json) ------------------------------- */

/* Walks `depth` levels of object keys as labels, then emits each body
 * (an object, or every object of an array). */
static void json_blocks(tf_build *b, const char *type, const doc_node *n, doc_node **labels,
                        size_t depth, size_t want)
{
    if (!n)
        return;
    if (depth == want) {
        if (n->kind == DOC_SEQ) {
            for (size_t i = 0; i < n->u.seq.count; i++)
                config_block(b, type, labels, want, n->u.seq.items[i], n->u.seq.items[i]);
        } else {
            config_block(b, type, labels, want, n, n);
        }
        return;
    }
    if (n->kind != DOC_MAP) {
        attr_warn(&b->in->diags, n, "expected an object of %s blocks; skipped", type);
        return;
    }
    for (size_t i = 0; i < n->u.map.count; i++) {
        labels[depth] = n->u.map.pairs[i].key;
        json_blocks(b, type, n->u.map.pairs[i].value, labels, depth + 1, want);
    }
}

static void json_config(tf_build *b, const doc_node *root)
{
    static const struct {
        const char *type;
        size_t labels;
    } kinds[] = {{"resource", 2}, {"data", 2},     {"module", 1}, {"variable", 1},
                 {"output", 1},   {"provider", 1}, {"locals", 0}};
    for (size_t i = 0; i < root->u.map.count; i++) {
        const doc_pair *p = &root->u.map.pairs[i];
        for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
            if (!doc_str_eq(p->key, kinds[k].type))
                continue;
            doc_node *labels[2] = {NULL, NULL};
            json_blocks(b, kinds[k].type, p->value, labels, 0, kinds[k].labels);
        }
    }
}

/* ---- variable definitions files ----------------------------------------- */

static void variable_values(tf_build *b, const doc_node *root)
{
    for (size_t i = 0; i < root->u.map.count; i++) {
        const doc_pair *p = &root->u.map.pairs[i];
        if (!p->value || !doc_str(p->key))
            continue;
        if (p->value->kind == DOC_BLOCK) {
            attr_warn(&b->in->diags, p->value,
                      "blocks are not allowed in a variable definitions file (%s); ignored",
                      p->value->u.block.type);
            continue;
        }
        entity *e = entity_add(b->a, &b->in->entities, "tf_variable_value", PLATFORM_TERRAFORM,
                               doc_str(p->key), p->value);
        e->name_node = p->key;
        ATTR_SET(b->a, e->attrs, "value", p->value);
    }
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

void terraform_build_entities(input_file *in)
{
    tf_build b = {.a = in->arena, .in = in};
    const char *path = in->src ? in->src->path : in->path;
    for (size_t i = 0; i < in->docs.count; i++) {
        const doc_node *root = in->docs.docs[i];
        if (!root || root->kind != DOC_MAP)
            continue;
        switch (in->format) {
        case FMT_TERRAFORM:
            native_config(&b, root);
            break;
        case FMT_TFVARS_JSON:
            if (path && ends_with(path, ".tf.json"))
                json_config(&b, root);
            else
                variable_values(&b, root);
            break;
        case FMT_TFVARS:
            variable_values(&b, root);
            break;
        default:
            break;
        }
    }
}
