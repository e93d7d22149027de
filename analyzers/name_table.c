/* name_table.c - open-addressing string hash table; see name_table.h. */
#include "name_table.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    /* FNV's low bits barely differ for keys like "k1", "k2": mix them in
     * (the murmur3 finalizer) before masking. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

void name_table_init(name_table *t)
{
    t->slots = NULL;
    t->cap = 0;
    t->count = 0;
}

void name_table_free(name_table *t)
{
    free(t->slots);
    name_table_init(t);
}

void name_table_clear(name_table *t)
{
    if (t->slots)
        memset(t->slots, 0, t->cap * sizeof *t->slots);
    t->count = 0;
}

static name_slot *find_slot(name_slot *slots, size_t cap, const char *key, size_t len,
                            uint64_t h)
{
    size_t mask = cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        name_slot *s = &slots[i];
        if (!s->key)
            return s;
        if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
            return s;
    }
}

bool name_table_get(const name_table *t, const char *key, size_t len, uintptr_t *value)
{
    if (!t->count)
        return false;
    name_slot *s = find_slot(t->slots, t->cap, key, len, hash_bytes(key, len));
    if (!s->key)
        return false;
    *value = s->value;
    return true;
}

static void grow(name_table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 16;
    name_slot *slots = xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < t->cap; i++) {
        name_slot *old = &t->slots[i];
        if (old->key)
            *find_slot(slots, cap, old->key, old->len, old->hash) = *old;
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
}

void name_table_put(name_table *t, const char *key, size_t len, uintptr_t value)
{
    if ((t->count + 1) * 4 > t->cap * 3) /* keep the load under 3/4 */
        grow(t);
    uint64_t h = hash_bytes(key, len);
    name_slot *s = find_slot(t->slots, t->cap, key, len, h);
    if (!s->key) {
        s->key = key;
        s->len = len;
        s->hash = h;
        t->count++;
    }
    s->value = value;
}

bool name_table_add(name_table *t, const char *key, size_t len, uintptr_t value,
                    uintptr_t *existing)
{
    if ((t->count + 1) * 4 > t->cap * 3)
        grow(t);
    uint64_t h = hash_bytes(key, len);
    name_slot *s = find_slot(t->slots, t->cap, key, len, h);
    if (s->key) {
        *existing = s->value;
        return true;
    }
    s->key = key;
    s->len = len;
    s->hash = h;
    s->value = value;
    t->count++;
    return false;
}
