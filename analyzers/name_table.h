/* name_table.h - a small string-keyed hash table for the front-ends
 * (YAML anchors, duplicate-key detection in YAML and JSON mappings).
 *
 * Guarantees: keys are compared by length and bytes (they may contain NUL);
 * the table does not copy keys, so they must outlive it (arena strings do);
 * lookups and inserts are O(1) on average; name_table_free() releases
 * everything the table allocated. */
#ifndef SA_NAME_TABLE_H
#define SA_NAME_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct name_slot {
    const char *key; /* NULL: empty slot */
    size_t len;
    uint64_t hash;
    uintptr_t value;
} name_slot;

typedef struct name_table {
    name_slot *slots;
    size_t cap; /* 0 or a power of two */
    size_t count;
} name_table;

void name_table_init(name_table *t);
void name_table_free(name_table *t);
/* Empties the table, keeping its memory. */
void name_table_clear(name_table *t);
/* Value stored under key, or false when absent. */
bool name_table_get(const name_table *t, const char *key, size_t len, uintptr_t *value);
/* Stores value under key unless the key is present; returns true (and its
 * value in *existing) when it was. One probe sequence for find-or-add. */
bool name_table_add(name_table *t, const char *key, size_t len, uintptr_t value,
                    uintptr_t *existing);
/* Stores value under key, replacing an earlier value. */
void name_table_put(name_table *t, const char *key, size_t len, uintptr_t value);

#endif
