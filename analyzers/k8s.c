/* k8s.c - Kubernetes manifests -> entities: every document with apiVersion
 * and kind, and every item of a List / <Kind>List, becomes one entity (plus
 * one "container" entity per container for workloads); docs/entities.md.
 *
 * Guarantees: documents without apiVersion and kind are skipped silently
 * (they are not Kubernetes objects); entities are appended in source order;
 * problems are warnings only. */
#include <string.h>

#include "analyzers/container.h"
#include "analyzers/k8s_build.h"

entity *k8s_entity_add(k8s_build *b, const k8s_object *o, const char *entity_kind)
{
    entity *e = entity_add(b->a, &b->in->entities, entity_kind, PLATFORM_KUBERNETES, o->name,
                           o->obj);
    e->ns = o->ns;
    e->name_node = doc_get(o->meta, "name");
    return e;
}

void k8s_common_attrs(k8s_build *b, const k8s_object *o, doc_node *m)
{
    const doc_node *meta = o->meta;
    ATTR_SET(b->a, m, "api_version", (doc_node *)o->api_version_node);
    ATTR_SET(b->a, m, "kind", (doc_node *)o->kind_node);
    ATTR_SET(b->a, m, "namespace", attr_as_str(b->a, doc_get(meta, "namespace")));
    const doc_node *labels = doc_get(meta, "labels");
    ATTR_SET(b->a, m, "labels", attr_present(labels) ? (doc_node *)labels : NULL);
    if (strcmp(o->kind, "Secret") != 0) {
        const doc_node *ann = doc_get(meta, "annotations");
        ATTR_SET(b->a, m, "annotations", attr_present(ann) ? (doc_node *)ann : NULL);
    }
}

entity *k8s_entity_new(k8s_build *b, const k8s_object *o, const char *entity_kind)
{
    entity *e = k8s_entity_add(b, o, entity_kind);
    k8s_common_attrs(b, o, e->attrs);
    return e;
}

doc_node *k8s_name_seq(arena *a, const doc_node *list)
{
    if (!attr_present(list) || list->kind != DOC_SEQ)
        return NULL;
    doc_node *seq = attr_seq_new(a, list);
    for (size_t i = 0; i < list->u.seq.count; i++) {
        const doc_node *item = list->u.seq.items[i];
        attr_push(a, seq, attr_as_str(a, item->kind == DOC_MAP ? doc_get(item, "name") : item));
    }
    return seq;
}

doc_node *k8s_int_or_str(arena *a, const doc_node *n)
{
    doc_node *i = attr_as_int(a, n);
    return i ? i : attr_as_str(a, n);
}

static void build_object(k8s_build *b, const k8s_object *o)
{
    if (!k8s_build_workload(b, o))
        k8s_build_other(b, o);
}

/* Fills o from obj; kind/apiVersion fall back to the enclosing list's. */
static bool read_object(k8s_build *b, const doc_node *obj, const k8s_object *list,
                        k8s_object *o)
{
    memset(o, 0, sizeof *o);
    if (!obj || obj->kind != DOC_MAP)
        return false;
    o->obj = obj;
    o->kind_node = attr_as_str(b->a, doc_get(obj, "kind"));
    o->api_version_node = attr_as_str(b->a, doc_get(obj, "apiVersion"));
    if (list && !o->kind_node) {
        size_t n = strlen(list->kind);
        if (n > 4 && strcmp(list->kind + n - 4, "List") == 0) {
            char *k = arena_strndup(b->a, list->kind, n - 4);
            o->kind_node = doc_new_str(b->a, list->kind_node->file, list->kind_node->span, k);
        }
    }
    if (list && !o->api_version_node)
        o->api_version_node = list->api_version_node;
    if (!o->kind_node || !o->api_version_node)
        return false;
    o->kind = o->kind_node->u.scalar.text;
    const doc_node *meta = o->meta = doc_get(obj, "metadata");
    const char *name = doc_str(doc_get(meta, "name"));
    if (!name)
        name = doc_str(doc_get(meta, "generateName"));
    o->name = name ? name : "";
    o->ns = doc_str(doc_get(meta, "namespace"));
    if (o->ns && !*o->ns)
        o->ns = NULL;
    return true;
}

static bool is_list_kind(const char *kind)
{
    size_t n = strlen(kind);
    return n >= 4 && strcmp(kind + n - 4, "List") == 0;
}

void k8s_build_entities(input_file *in)
{
    k8s_build b = {.a = in->arena, .in = in};
    for (size_t i = 0; i < in->docs.count; i++) {
        k8s_object o;
        if (!read_object(&b, in->docs.docs[i], NULL, &o))
            continue;
        const doc_node *items = doc_get(o.obj, "items");
        if (is_list_kind(o.kind) && (!attr_present(items) || items->kind == DOC_SEQ)) {
            for (size_t j = 0; items && j < items->u.seq.count; j++) {
                k8s_object item;
                if (read_object(&b, items->u.seq.items[j], &o, &item))
                    build_object(&b, &item);
                else
                    attr_warn(&in->diags, items->u.seq.items[j],
                              "item %zu of %s has no apiVersion/kind; skipped", j, o.kind);
            }
            continue;
        }
        build_object(&b, &o);
    }
}
