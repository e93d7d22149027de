/* yaml_merge.c - finishing a YAML mapping: duplicate keys, then merge keys.
 *
 * Guarantees:
 * - Duplicate explicit keys: a warning at the later key, the later value
 *   wins, the earlier pair is dropped (map_keys.h). Keys that arrive through
 *   merges are never reported.
 * - Merge keys (a plain "<<", untagged or !!merge) whose value is a mapping
 *   (alias or inline) or a sequence of mappings: the "<<" pair is replaced,
 *   at its place, by the source pairs whose keys are not written explicitly
 *   anywhere in this mapping and not already supplied by an earlier source
 *   (earlier sources, and earlier "<<" entries, win over later ones). Merged
 *   pairs are the source's own key/value nodes, so they keep the spans of the
 *   anchored text. Sources were finished first, so their own merges are
 *   already applied.
 * - Any other merge value is an error at the "<<" key. */
#include <stdint.h>
#include <string.h>

#include "analyzers/map_keys.h"
#include "analyzers/yaml_internal.h"

#define TAG_MERGE "tag:yaml.org,2002:merge"

bool yaml_is_merge_key(const doc_node *key)
{
    return key && key->kind == DOC_SCALAR && key->u.scalar.style == STYLE_PLAIN &&
           key->u.scalar.len == 2 && memcmp(key->u.scalar.text, "<<", 2) == 0 &&
           (!key->tag || strcmp(key->tag, TAG_MERGE) == 0);
}

/* yaml_is_merge_key(p->key), told from the key signature for most pairs
 * (every "<<" key has this one) without reading the key node. */
static inline bool is_merge_pair(const doc_pair *p)
{
    return p->key_sig == doc_text_sig("<<", 2) && yaml_is_merge_key(p->key);
}

/* Up to this many pairs (the mapping's and its sources' together), keys are
 * found by scanning the pairs; above it through hash tables. */
#define MERGE_SCAN_MAX 64

typedef struct merge_state {
    arena *a;
    const doc_node *map;      /* the mapping being finished */
    bool tables;              /* large: the tables below are used */
    name_table explicit_keys; /* keys written in the mapping itself */
    name_table merged_keys;   /* keys already taken from a merge source */
    doc_pair *out;
    size_t count;
    size_t cap;
} merge_state;

static void push_pair(merge_state *st, doc_pair p)
{
    if (st->count == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 8;
        st->out = arena_grow(st->a, st->out, st->cap * sizeof *st->out, cap * sizeof *st->out);
        st->cap = cap;
    }
    st->out[st->count++] = p;
}

static bool same_key(const doc_node *k, const char *text, size_t len)
{
    return k && k->kind == DOC_SCALAR && k->u.scalar.len == len &&
           memcmp(k->u.scalar.text, text, len) == 0;
}

/* Whether a source key (len bytes of text) is written explicitly in the
 * mapping or was already taken from a source; if not, it counts as taken
 * from now on (the caller pushes its pair). Small mappings are scanned: the
 * pairs pushed so far hold every key taken. */
static bool key_taken(merge_state *st, const char *text, size_t len)
{
    if (st->tables) {
        uintptr_t unused;
        if (name_table_get(&st->explicit_keys, text, len, &unused) ||
            name_table_get(&st->merged_keys, text, len, &unused))
            return true;
        name_table_put(&st->merged_keys, text, len, 1);
        return false;
    }
    const doc_node *map = st->map;
    for (size_t i = 0; i < map->u.map.count; i++) {
        const doc_node *k = map->u.map.pairs[i].key;
        if (same_key(k, text, len) && !yaml_is_merge_key(k))
            return true;
    }
    for (size_t i = 0; i < st->count; i++)
        if (same_key(st->out[i].key, text, len))
            return true;
    return false;
}

static void merge_from(merge_state *st, const doc_node *src)
{
    for (size_t i = 0; i < src->u.map.count; i++) {
        doc_pair p = src->u.map.pairs[i];
        if (p.key && p.key->kind == DOC_SCALAR &&
            key_taken(st, p.key->u.scalar.text, p.key->u.scalar.len))
            continue;
        push_pair(st, p);
    }
}

/* The number of pairs the merges of map bring in (before any is dropped). */
static size_t merged_pair_count(const doc_node *map)
{
    size_t n = 0;
    for (size_t i = 0; i < map->u.map.count; i++) {
        const doc_pair *p = &map->u.map.pairs[i];
        if (!is_merge_pair(p))
            continue;
        if (p->value->kind == DOC_MAP)
            n += p->value->u.map.count;
        else
            for (size_t j = 0; j < p->value->u.seq.count; j++)
                n += p->value->u.seq.items[j]->u.map.count;
    }
    return n;
}

/* Sets up st for map: decides between scanning and tables, and fills the
 * table of explicit keys when it uses tables. */
static void merge_begin(merge_state *st, arena *a, const doc_node *map)
{
    *st = (merge_state){.a = a, .map = map};
    st->tables = map->u.map.count + merged_pair_count(map) > MERGE_SCAN_MAX;
    if (!st->tables)
        return;
    name_table_init(&st->explicit_keys);
    name_table_init(&st->merged_keys);
    for (size_t i = 0; i < map->u.map.count; i++) {
        const doc_node *k = map->u.map.pairs[i].key;
        if (k->kind == DOC_SCALAR && !yaml_is_merge_key(k))
            name_table_put(&st->explicit_keys, k->u.scalar.text, k->u.scalar.len, 1);
    }
}

static bool valid_merge_value(const doc_node *v)
{
    if (v->kind == DOC_MAP)
        return true;
    if (v->kind != DOC_SEQ)
        return false;
    for (size_t i = 0; i < v->u.seq.count; i++)
        if (v->u.seq.items[i]->kind != DOC_MAP)
            return false;
    return true;
}

/* A hash of the len bytes at t, read eight at a time. */
static uint64_t key_hash(const char *t, size_t len)
{
    const uint64_t mul = 0x9E3779B97F4A7C15ULL;
    uint64_t h = len * mul, w;
    size_t j = 0;
    for (; j + 8 <= len; j += 8) {
        memcpy(&w, t + j, 8);
        h = (h ^ w) * mul;
        h ^= h >> 29;
    }
    if (j < len) {
        if (len >= 8) {
            memcpy(&w, t + len - 8, 8); /* the last eight bytes, overlapping */
        } else {
            w = 0;
            for (; j < len; j++)
                w = w << 8 | (unsigned char)t[j];
        }
        h = (h ^ w) * mul;
        h ^= h >> 29;
    }
    return h * mul;
}

/* The most 64-bit words of the bit sets below (larger mappings share the
 * bits, with more collisions). */
#define DUP_BITS_MAX_WORDS 256

/* Words of a bit set for n keys: about 64 bits per key. */
static size_t dup_bit_words(size_t n)
{
    size_t words = 1;
    while (words < n && words < DUP_BITS_MAX_WORDS)
        words *= 2;
    return words;
}

/* Sets bit h (of words * 64) in seen; true when it was set already. */
static inline bool test_and_set(uint64_t *seen, size_t words, uint64_t h)
{
    size_t bit = (size_t)(h >> 40) & (words * 64 - 1);
    uint64_t mask = (uint64_t)1 << (bit & 63);
    bool was = seen[bit >> 6] & mask;
    seen[bit >> 6] |= mask;
    return was;
}

/* False when no two pairs of the mapping have equal key signatures, told
 * from a bit set of them: equal keys have equal signatures (keys that are
 * not scalars, or hold a NUL, all share DOC_SIG_NODE). Reads no key node. */
static bool may_have_equal_sigs(const doc_node *map)
{
    size_t n = map->u.map.count, words = dup_bit_words(n);
    uint64_t seen[DUP_BITS_MAX_WORDS];
    memset(seen, 0, words * sizeof *seen);
    for (size_t i = 0; i < n; i++)
        if (test_and_set(seen, words, map->u.map.pairs[i].key_sig * 0x9E3779B97F4A7C15ULL))
            return true;
    return false;
}

/* False when no two scalar keys of the mapping are equal, told from a bit
 * set of key hashes (sized for few collisions): the usual mapping then skips
 * map_dedupe_keys(), which compares every pair or hashes every key into a
 * table. True means there may be a duplicate. The key signatures rule out
 * most mappings before a key's text is hashed. */
static bool may_have_duplicate_keys(const doc_node *map)
{
    size_t n = map->u.map.count;
    if (n < 2 || !may_have_equal_sigs(map))
        return false;
    size_t words = dup_bit_words(n);
    uint64_t seen[DUP_BITS_MAX_WORDS];
    memset(seen, 0, words * sizeof *seen);
    for (size_t i = 0; i < n; i++) {
        const doc_node *k = map->u.map.pairs[i].key;
        if (k && k->kind == DOC_SCALAR &&
            test_and_set(seen, words, key_hash(k->u.scalar.text, k->u.scalar.len)))
            return true;
    }
    return false;
}

bool yaml_finish_mapping(yaml_ctx *ctx, doc_node *map)
{
    if (may_have_duplicate_keys(map))
        map_dedupe_keys(map, yaml_is_merge_key, ctx->diags);
    size_t merges = 0;
    for (size_t i = 0; i < map->u.map.count; i++) {
        const doc_pair *p = &map->u.map.pairs[i];
        if (!is_merge_pair(p))
            continue;
        if (!valid_merge_value(p->value)) {
            yaml_error_at(ctx, p->key->span.start,
                          "the value of merge key '<<' must be a mapping or a list of mappings "
                          "(such as *base or [*a, *b]), not a %s",
                          p->value->kind == DOC_SEQ ? "list with other items"
                                                    : doc_kind_name(p->value->kind));
            return false;
        }
        merges++;
    }
    if (!merges)
        return true;

    merge_state st;
    merge_begin(&st, ctx->a, map);
    for (size_t i = 0; i < map->u.map.count; i++) {
        doc_pair p = map->u.map.pairs[i];
        if (!is_merge_pair(&p)) {
            push_pair(&st, p);
        } else if (p.value->kind == DOC_MAP) {
            merge_from(&st, p.value);
        } else {
            for (size_t j = 0; j < p.value->u.seq.count; j++)
                merge_from(&st, p.value->u.seq.items[j]);
        }
    }
    if (st.tables) {
        name_table_free(&st.explicit_keys);
        name_table_free(&st.merged_keys);
    }
    map->u.map.pairs = st.out;
    map->u.map.count = st.count;
    map->u.map.cap = st.cap;
    return true;
}
