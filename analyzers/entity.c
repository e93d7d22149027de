/* entity.c - entity list helpers; see entity.h. */
#include "entity.h"

entity *entity_add(arena *a, entity_list *list, const char *kind, platform p, const char *name,
                   const doc_node *source)
{
    entity *e = arena_alloc(a, sizeof *e);
    e->kind = kind;
    e->platform = p;
    e->name = name;
    e->source = source;
    e->file = source ? source->file : NULL;
    src_span span = source ? source->span : (src_span){{0, 0, 0}, {0, 0, 0}};
    e->attrs = doc_new(a, DOC_MAP, e->file, span);
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 8;
        list->items = arena_grow(a, list->items, list->cap * sizeof(entity *), cap * sizeof(entity *));
        list->cap = cap;
    }
    list->items[list->count++] = e;
    return e;
}

const char *platform_name(platform p)
{
    static const char *names[] = {"compose", "kubernetes", "terraform"};
    return names[p];
}
