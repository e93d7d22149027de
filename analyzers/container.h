/* container.h - building entity attributes with exact spans, and the pieces of
 * the "container" shape that compose services and Kubernetes containers share
 * (docs/entities.md).
 *
 * Guarantees: every node these helpers return carries a span inside the
 * source node it was derived from: the source node itself when the value is
 * unchanged, the exact substring when a derived value is a verbatim piece of
 * a single-line scalar whose bytes are its text, else the whole source node.
 * Helpers return NULL (and attr_set ignores NULL) for absent or null values,
 * so "omit keys that are absent" needs no special cases at call sites. */
#ifndef SA_CONTAINER_H
#define SA_CONTAINER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/doc.h"

/* Span of text[start, end) where text (len bytes) is derived from scalar n:
 * exact when text and the source bytes of n agree on the prefix up to end or
 * on the suffix from start (so an interpolated scalar still gets exact spans
 * for its unchanged parts), else n's whole span. */
src_span attr_sub_span(const doc_node *n, const char *text, size_t len, size_t start,
                       size_t end);
/* A new string node holding text[start, end) with attr_sub_span's span. */
doc_node *attr_sub_str(arena *a, const doc_node *n, const char *text, size_t len, size_t start,
                       size_t end);
/* Position of text[offset] (for warnings), on the same terms as attr_sub_span. */
src_pos attr_sub_pos(const doc_node *n, const char *text, size_t len, size_t offset);

/* n when it is a string scalar; a new string node with n's text (as written)
 * for ints, floats and bools; NULL for null, absent or non-scalar nodes. */
doc_node *attr_as_str(arena *a, const doc_node *n);
/* n when it is a bool scalar; a new bool node for the strings true/false/yes/
 * no/on/off (any case); NULL otherwise. */
doc_node *attr_as_bool(arena *a, const doc_node *n);
/* n when it is an int scalar; a new int node for a string holding a whole
 * decimal number; NULL otherwise. */
doc_node *attr_as_int(arena *a, const doc_node *n);
/* True when n is present and not a null scalar. Inline: every field read
 * asks it. */
static inline bool attr_present(const doc_node *n)
{
    return n && !(n->kind == DOC_SCALAR && n->u.scalar.type == SCALAR_NULL);
}

doc_node *attr_map_new(arena *a, const doc_node *span_from);
/* attr_map_new with room for n pairs (for maps whose size is known). */
doc_node *attr_map_sized(arena *a, const doc_node *span_from, size_t n);

/* An attribute map filled on the stack, for maps that get many attributes:
 * attr_draft_finish stores its pairs in the target map once, exactly sized
 * plus room for `spare` more, instead of reallocating as it grows. */
#define ATTR_DRAFT_CAP 48
typedef struct attr_draft {
    doc_node map;
    doc_pair pairs[ATTR_DRAFT_CAP];
} attr_draft;

/* Starts a draft of the (empty) map target; attr_set etc. go to the result. */
doc_node *attr_draft_begin(attr_draft *d, const doc_node *target);
void attr_draft_finish(arena *a, attr_draft *d, doc_node *target, size_t spare);
doc_node *attr_seq_new(arena *a, const doc_node *span_from);
/* map[key] = value; does nothing when value is NULL. The key node is shared
 * by every map that has an attribute of that name (across files and threads):
 * an immutable string scalar whose file is the name itself, not source text. */
void attr_set(arena *a, doc_node *map, const char *key, doc_node *value);
/* A call site's shared key node, NULL until its first use. */
typedef _Atomic(const doc_node *) attr_key_slot;
/* attr_set for a name written as a string literal: each call site finds the
 * shared key node once (in its own slot) and reuses it afterwards. */
#define ATTR_SET(a, map, name, value)                                          \
    do {                                                                       \
        static attr_key_slot attr_set_slot_;                                   \
        attr_set_slotted((a), (map), "" name, &attr_set_slot_, (value));       \
    } while (0)
/* attr_set(a, map, name, value) with name's key node cached in *slot; name
 * must be the same text at every call with that slot. */
void attr_set_slotted(arena *a, doc_node *map, const char *name, attr_key_slot *slot,
                      doc_node *value);
/* Appends item to seq; does nothing when item is NULL. */
void attr_push(arena *a, doc_node *seq, doc_node *item);
/* A sequence of attr_as_str() of each item of a sequence node, or of the
 * single scalar n; NULL when n is absent/null. */
doc_node *attr_str_seq(arena *a, const doc_node *n);

/* A key that attr_fields looks up: its text and length. */
typedef struct attr_field {
    const char *name;
    size_t len;
} attr_field;
#define ATTR_FIELD(lit) {"" lit, sizeof lit - 1}
/* out[i] = doc_get(map, fields[i].name) for each of the n fields, in one
 * pass over map's pairs (all NULL when map is not a mapping). */
void attr_fields(const doc_node *map, const attr_field *fields, size_t n, const doc_node **out);

/* A Linux capability name normalized to upper case without the CAP_ prefix
 * ("cap_net_admin" -> "NET_ADMIN"); NULL for non-scalars. */
doc_node *container_cap_name(arena *a, const doc_node *n);
/* Sequence of container_cap_name() over a sequence (or single scalar). */
doc_node *container_cap_seq(arena *a, const doc_node *n);
/* Kubernetes profile type (seccompProfile/appArmorProfile) in the form the
 * annotations use: Unconfined -> "unconfined", RuntimeDefault ->
 * "runtime/default", Localhost -> "localhost/<profile>". NULL when absent. */
doc_node *container_profile_from_k8s(arena *a, const doc_node *profile);

/* The shared port shape; NULL members are omitted. */
typedef struct port_fields {
    doc_node *host_ip;
    doc_node *host_port;
    doc_node *host_port_end;
    doc_node *container_port;
    doc_node *container_port_end;
    doc_node *protocol;  /* lower case; the caller supplies "tcp" when absent */
    doc_node *published; /* bool */
    doc_node *mode;
    doc_node *name;
} port_fields;

doc_node *container_port_map(arena *a, const doc_node *span_from, const port_fields *pf);

/* A protocol node in lower case ("TCP" -> "tcp"); n itself when already so. */
doc_node *container_protocol(arena *a, const doc_node *n);

/* Adds a warning at n's start position (or at pos when given). */
void attr_warn(diag_list *diags, const doc_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void attr_warn_at(diag_list *diags, const src_file *f, src_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
