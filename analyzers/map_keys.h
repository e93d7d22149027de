/* map_keys.h - duplicate keys in one mapping (YAML, JSON): warn, keep the later.
 *
 * Guarantees: every scalar key that repeats an earlier key of the same mapping
 * (same decoded text) gets a DIAG_WARNING at the repeated key:
 *   "duplicate key 'x' (first defined at line N); the later value is used"
 * and the earlier pairs are removed, so each key appears once, at the place of
 * its last definition, holding the later value. Pairs with non-scalar keys and
 * pairs for which `ignore` returns true (YAML merge keys "<<") are kept as they
 * are and never compared. Runs in O(n) average time for large mappings. */
#ifndef SA_MAP_KEYS_H
#define SA_MAP_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"
#include "core/doc.h"

/* Returns the number of duplicate keys found (0: the mapping is unchanged). */
size_t map_dedupe_keys(doc_node *map, bool (*ignore)(const doc_node *key), diag_list *diags);

#endif
