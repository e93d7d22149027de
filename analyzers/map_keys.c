/* map_keys.c - duplicate-key warnings and removal; see map_keys.h. */
#include "map_keys.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

#include "name_table.h"

#define SMALL_MAP 8 /* up to this many pairs, compare pairwise */

static bool comparable(const doc_node *key, bool (*ignore)(const doc_node *key))
{
    return key && key->kind == DOC_SCALAR && !(ignore && ignore(key));
}

static bool same_key(const doc_node *a, const doc_node *b)
{
    return a->u.scalar.len == b->u.scalar.len &&
           memcmp(a->u.scalar.text, b->u.scalar.text, a->u.scalar.len) == 0;
}

static void warn_duplicate(diag_list *diags, const doc_node *key, const doc_node *first)
{
    int shown = key->u.scalar.len > 80 ? 80 : (int)key->u.scalar.len;
    diag_add(diags, DIAG_WARNING, key->file->path, key->span.start.line, key->span.start.col,
             "duplicate key '%.*s%s' (first defined at line %u); the later value is used", shown,
             key->u.scalar.text, key->u.scalar.len > 80 ? "..." : "", first->span.start.line);
}

/* Keeps pair i when keep(i); compacts the pairs in place. */
static void compact(doc_node *map, const bool *keep)
{
    size_t out = 0;
    for (size_t i = 0; i < map->u.map.count; i++)
        if (keep[i])
            map->u.map.pairs[out++] = map->u.map.pairs[i];
    map->u.map.count = out;
}

static size_t dedupe_small(doc_node *map, bool (*ignore)(const doc_node *key), diag_list *diags)
{
    doc_pair *p = map->u.map.pairs;
    size_t n = map->u.map.count;
    bool keep[SMALL_MAP];
    size_t dups = 0;
    for (size_t i = 0; i < n; i++) {
        keep[i] = true;
        if (!comparable(p[i].key, ignore))
            continue;
        for (size_t j = 0; j < i; j++) {
            if (comparable(p[j].key, ignore) && same_key(p[j].key, p[i].key)) {
                /* the lowest matching j is the first definition */
                warn_duplicate(diags, p[i].key, p[j].key);
                dups++;
                for (size_t k = j; k < i; k++)
                    if (keep[k] && comparable(p[k].key, ignore) && same_key(p[k].key, p[i].key))
                        keep[k] = false;
                break;
            }
        }
    }
    if (dups)
        compact(map, keep);
    return dups;
}

static size_t dedupe_large(doc_node *map, bool (*ignore)(const doc_node *key), diag_list *diags)
{
    doc_pair *p = map->u.map.pairs;
    size_t n = map->u.map.count;
    name_table seen; /* key -> index of its first definition */
    name_table_init(&seen);
    /* first[i]: first definition of pair i's key; last[f]: last definition
     * of the key first defined at f */
    size_t *first = xmalloc(2 * n * sizeof *first);
    size_t *last = first + n;
    size_t dups = 0;
    for (size_t i = 0; i < n; i++) {
        const doc_node *k = p[i].key;
        first[i] = last[i] = i;
        if (!comparable(k, ignore))
            continue;
        uintptr_t f;
        if (name_table_add(&seen, k->u.scalar.text, k->u.scalar.len, i, &f)) {
            warn_duplicate(diags, k, p[f].key);
            first[i] = f;
            last[f] = i;
            dups++;
        }
    }
    if (dups) {
        bool *keep = xmalloc(n * sizeof *keep);
        for (size_t i = 0; i < n; i++)
            keep[i] = last[first[i]] == i;
        compact(map, keep);
        free(keep);
    }
    free(first);
    name_table_free(&seen);
    return dups;
}

size_t map_dedupe_keys(doc_node *map, bool (*ignore)(const doc_node *key), diag_list *diags)
{
    if (!map || map->kind != DOC_MAP || map->u.map.count < 2)
        return 0;
    if (map->u.map.count <= SMALL_MAP)
        return dedupe_small(map, ignore, diags);
    return dedupe_large(map, ignore, diags);
}
