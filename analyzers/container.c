/* container.c - attribute helpers with exact spans and the shared container
 * shape pieces; see container.h for the guarantees. */
#include "container.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Where the decoded text of a scalar lies verbatim in its file. */
typedef struct verbatim {
    size_t start, len; /* the content bytes */
    /* the bytes from the scalar's span start to the content's end are ASCII
     * on one line: offsets there are character columns */
    bool flat;
} verbatim;

/* Whether a byte of the 8 in w is b (exact for ASCII words). */
static uint64_t word_has(uint64_t w, unsigned char b)
{
    uint64_t x = w ^ (0x0101010101010101ULL * b);
    return (x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL;
}

/* True when p[0, n) holds only ASCII bytes and no '\n' or '\r'; eight
 * bytes at a time. */
static bool ascii_one_line(const char *p, size_t n)
{
    uint64_t bits = 0, brk = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        bits |= w;
        brk |= word_has(w, '\n') | word_has(w, '\r');
    }
    for (; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        bits |= c;
        brk |= (c == '\n') | (c == '\r');
    }
    return !(bits & 0x8080808080808080ULL) && !brk;
}

/* The bytes of scalar n between its quotes, when they are exactly its
 * decoded text (no escapes, no line folding); false otherwise. */
static bool verbatim_content(const doc_node *n, verbatim *v)
{
    if (!n || n->kind != DOC_SCALAR || !n->file)
        return false;
    size_t rlen;
    const char *raw = doc_raw(n, &rlen);
    /* a YAML scalar's span starts at its anchor / tag ("&u !!str x"); a
     * plain scalar never starts with '&' or '!', so skipping them is safe */
    while (rlen && (raw[0] == '&' || raw[0] == '!')) {
        size_t k = 0;
        while (k < rlen && !strchr(" \t\r\n", raw[k]))
            k++;
        while (k < rlen && strchr(" \t\r\n", raw[k]))
            k++;
        raw += k;
        rlen -= k;
    }
    size_t cs = 0, cl = rlen;
    char forbidden = 0;
    switch (n->u.scalar.style) {
    case STYLE_PLAIN:
        break;
    case STYLE_SINGLE_QUOTED:
    case STYLE_DOUBLE_QUOTED: {
        char q = n->u.scalar.style == STYLE_SINGLE_QUOTED ? '\'' : '"';
        if (rlen < 2 || raw[0] != q || raw[rlen - 1] != q)
            return false;
        cs = 1;
        cl = rlen - 2;
        forbidden = q == '\'' ? '\'' : '\\';
        break;
    }
    default:
        return false;
    }
    /* one line of a plain-ASCII file: no '\n', so no '\r' either */
    v->flat = n->file->plain_ascii && n->span.start.line == n->span.end.line;
    if (forbidden && memchr(raw + cs, forbidden, cl))
        return false;
    if (!v->flat) {
        const char *from = n->file->data + n->span.start.offset;
        v->flat = ascii_one_line(from, (size_t)(raw + cs + cl - from));
        if (!v->flat && (memchr(raw + cs, '\n', cl) || memchr(raw + cs, '\r', cl)))
            return false;
    }
    v->start = (size_t)(raw - n->file->data) + cs;
    v->len = cl;
    return true;
}

/* The exact position of offset, given the exact position from at or before
 * it: src_pos_at(f, offset), counting only the bytes in between while they
 * stay on from's line. */
static src_pos pos_after(const src_file *f, src_pos from, size_t offset)
{
    src_pos p = from;
    for (size_t i = from.offset; i < offset; i++) {
        unsigned char c = (unsigned char)f->data[i];
        if (c == '\n')
            return src_pos_at(f, offset);
        p.col += (c & 0xC0) != 0x80;
    }
    p.offset = (uint32_t)offset;
    return p;
}

/* src_span_of(n->file, start, end) for offsets inside scalar n; flat as
 * verbatim.flat. */
static src_span span_in(const doc_node *n, bool flat, size_t start, size_t end)
{
    src_span s;
    if (flat) {
        s.start = s.end = n->span.start;
        s.start.offset = (uint32_t)start;
        s.start.col += (uint32_t)(start - n->span.start.offset);
        s.end.offset = (uint32_t)end;
        s.end.col += (uint32_t)(end - n->span.start.offset);
        return s;
    }
    s.start = pos_after(n->file, n->span.start, start);
    s.end = pos_after(n->file, s.start, end);
    return s;
}

src_span attr_sub_span(const doc_node *n, const char *text, size_t len, size_t start,
                       size_t end)
{
    verbatim v;
    if (end < start || end > len || !verbatim_content(n, &v))
        return n->span;
    size_t cs = v.start, cl = v.len;
    const char *content = n->file->data + cs;
    if (end <= cl && memcmp(text, content, end) == 0)
        return span_in(n, v.flat, cs + start, cs + end);
    size_t tail = len - start;
    if (tail <= cl && memcmp(text + start, content + cl - tail, tail) == 0) {
        size_t s = cs + cl - tail;
        return span_in(n, v.flat, s, s + (end - start));
    }
    /* a middle part whose surroundings are verbatim comes from the middle
     * of the source ("NAME=${X}" -> the value is "${X}") */
    size_t after = len - end;
    if (start + after <= cl && memcmp(text, content, start) == 0 &&
        memcmp(text + end, content + cl - after, after) == 0)
        return span_in(n, v.flat, cs + start, cs + cl - after);
    return n->span;
}

doc_node *attr_sub_str(arena *a, const doc_node *n, const char *text, size_t len, size_t start,
                       size_t end)
{
    src_span sp = attr_sub_span(n, text, len, start, end);
    return doc_new_scalar(a, n->file, sp, SCALAR_STR, STYLE_DOUBLE_QUOTED, text + start,
                          end - start);
}

src_pos attr_sub_pos(const doc_node *n, const char *text, size_t len, size_t offset)
{
    return attr_sub_span(n, text, len, offset, offset).start;
}

doc_node *attr_as_str(arena *a, const doc_node *n)
{
    if (!n || n->kind != DOC_SCALAR || n->u.scalar.type == SCALAR_NULL)
        return NULL;
    if (n->u.scalar.type == SCALAR_STR)
        return (doc_node *)n;
    return doc_new_str(a, n->file, n->span, n->u.scalar.text);
}

doc_node *attr_as_bool(arena *a, const doc_node *n)
{
    if (!n || n->kind != DOC_SCALAR)
        return NULL;
    if (n->u.scalar.type == SCALAR_BOOL)
        return (doc_node *)n;
    if (n->u.scalar.type != SCALAR_STR)
        return NULL;
    static const char *yes[] = {"true", "yes", "on"};
    static const char *no[] = {"false", "no", "off"};
    for (size_t i = 0; i < 3; i++) {
        if (strcasecmp(n->u.scalar.text, yes[i]) == 0)
            return doc_new_bool(a, n->file, n->span, true);
        if (strcasecmp(n->u.scalar.text, no[i]) == 0)
            return doc_new_bool(a, n->file, n->span, false);
    }
    return NULL;
}

doc_node *attr_as_int(arena *a, const doc_node *n)
{
    if (!n || n->kind != DOC_SCALAR)
        return NULL;
    if (n->u.scalar.type == SCALAR_INT)
        return (doc_node *)n;
    int64_t v;
    if (!doc_int(n, &v))
        return NULL;
    return doc_new_int(a, n->file, n->span, v);
}

doc_node *attr_map_new(arena *a, const doc_node *span_from)
{
    return doc_new(a, DOC_MAP, span_from->file, span_from->span);
}

doc_node *attr_map_sized(arena *a, const doc_node *span_from, size_t n)
{
    doc_node *m = attr_map_new(a, span_from);
    m->u.map.pairs = arena_alloc(a, n * sizeof(doc_pair));
    m->u.map.cap = n;
    return m;
}

doc_node *attr_draft_begin(attr_draft *d, const doc_node *target)
{
    d->map = *target;
    d->map.u.map.pairs = d->pairs;
    d->map.u.map.count = 0;
    d->map.u.map.cap = ATTR_DRAFT_CAP;
    return &d->map;
}

void attr_draft_finish(arena *a, attr_draft *d, doc_node *target, size_t spare)
{
    size_t n = d->map.u.map.count;
    if (!n && !spare)
        return;
    target->u.map.pairs = arena_alloc(a, (n + spare) * sizeof(doc_pair));
    memcpy(target->u.map.pairs, d->map.u.map.pairs, n * sizeof(doc_pair));
    target->u.map.count = n;
    target->u.map.cap = n + spare;
}

doc_node *attr_seq_new(arena *a, const doc_node *span_from)
{
    return doc_new(a, DOC_SEQ, span_from->file, span_from->span);
}

/* ---- shared attribute names --------------------------------------------- */

/* One immortal key node per attribute name, shared by every entity of every
 * file and thread: its file is the name itself (path "<attribute>"), so the
 * node is a complete scalar whose raw text is its value. */
typedef struct attr_key {
    doc_node node; /* first: a key node is its attr_key */
    uint64_t sig;  /* doc_key_sig(&node), computed once */
    src_file file;
    uint32_t line_start;
    char text[];
} attr_key;

#define ATTR_KEY_SLOTS 1024 /* power of two; filled at most half */

static _Atomic(attr_key *) attr_keys[ATTR_KEY_SLOTS];
static atomic_size_t attr_key_count;

static attr_key *attr_key_new(const char *name, size_t len)
{
    attr_key *k = xcalloc(1, sizeof *k + len + 1);
    memcpy(k->text, name, len);
    k->file.path = "<attribute>";
    k->file.data = k->text;
    k->file.len = len;
    k->file.line_starts = &k->line_start;
    k->file.nlines = 1;
    k->file.plain_ascii = true;
    k->node.kind = DOC_SCALAR;
    k->node.file = &k->file;
    k->node.span.start = (src_pos){.offset = 0, .line = 1, .col = 1};
    k->node.span.end = (src_pos){.offset = (uint32_t)len, .line = 1, .col = (uint32_t)len + 1};
    k->node.u.scalar.type = SCALAR_STR;
    k->node.u.scalar.style = STYLE_PLAIN;
    k->node.u.scalar.text = k->text;
    k->node.u.scalar.len = len;
    k->sig = doc_key_sig(&k->node);
    return k;
}

/* Adds shared key node k -> value to map, with the signature k keeps. */
static void add_shared_key(arena *a, doc_node *map, const doc_node *k, doc_node *value)
{
    const attr_key *ak = (const attr_key *)k;
    doc_map_add_pair(a, map, (doc_pair){.key = (doc_node *)k, .value = value, .key_sig = ak->sig});
}

/* The shared key node of name, or NULL when the table is full. Lock-free: a
 * slot is published once, fully built, and never changes afterwards. */
static doc_node *attr_key_node(const char *name)
{
    size_t len = strlen(name);
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)name[i]) * 1099511628211ULL;
    attr_key *fresh = NULL;
    for (size_t i = (size_t)h;; i++) {
        _Atomic(attr_key *) *slot = &attr_keys[i & (ATTR_KEY_SLOTS - 1)];
        attr_key *k = atomic_load_explicit(slot, memory_order_acquire);
        if (!k) {
            if (atomic_fetch_add(&attr_key_count, 1) >= ATTR_KEY_SLOTS / 2) {
                atomic_fetch_sub(&attr_key_count, 1);
                free(fresh);
                return NULL;
            }
            if (!fresh)
                fresh = attr_key_new(name, len);
            if (atomic_compare_exchange_strong_explicit(slot, &k, fresh, memory_order_acq_rel,
                                                        memory_order_acquire))
                return &fresh->node;
            atomic_fetch_sub(&attr_key_count, 1); /* lost the race: k is the winner */
        }
        if (k->node.u.scalar.len == len && memcmp(k->text, name, len) == 0) {
            free(fresh);
            return &k->node;
        }
    }
}

/* The key node last found for a name pointer, per thread and direct
 * mapped: callers pass the same string literals over and over, and a hit
 * costs a pointer hash and a compare of the text (which keeps a reused
 * buffer with new contents correct) instead of a hash of the text and a
 * table probe. */
#define ATTR_KEY_CACHE_SLOTS 256 /* power of two */

static _Thread_local struct {
    const char *name;
    const doc_node *node;
} attr_key_cache[ATTR_KEY_CACHE_SLOTS];

/* attr_key_node(name), through the cache. */
static doc_node *attr_key_cached(const char *name)
{
    uint64_t h = (uint64_t)(uintptr_t)name * 0x9E3779B97F4A7C15ULL;
    size_t slot = (size_t)(h >> 56) & (ATTR_KEY_CACHE_SLOTS - 1);
    if (attr_key_cache[slot].name == name &&
        strcmp(attr_key_cache[slot].node->u.scalar.text, name) == 0)
        return (doc_node *)attr_key_cache[slot].node;
    doc_node *k = attr_key_node(name);
    if (k) {
        attr_key_cache[slot].name = name;
        attr_key_cache[slot].node = k;
    }
    return k;
}

/* name -> value in map, under name's shared key node k, or under a key of
 * its own when there is none (the shared table is full). */
static void set_under(arena *a, doc_node *map, const doc_node *k, const char *name,
                      doc_node *value)
{
    if (k)
        add_shared_key(a, map, k, value);
    else
        doc_map_set(a, map, name, value);
}

void attr_set(arena *a, doc_node *map, const char *key, doc_node *value)
{
    if (value)
        set_under(a, map, attr_key_cached(key), key, value);
}

void attr_set_slotted(arena *a, doc_node *map, const char *name, attr_key_slot *slot,
                      doc_node *value)
{
    if (!value)
        return;
    const doc_node *k = atomic_load_explicit(slot, memory_order_acquire);
    if (!k && (k = attr_key_node(name)))
        atomic_store_explicit(slot, k, memory_order_release);
    set_under(a, map, k, name, value);
}

void attr_push(arena *a, doc_node *seq, doc_node *item)
{
    if (item)
        doc_seq_add(a, seq, item);
}

doc_node *attr_str_seq(arena *a, const doc_node *n)
{
    if (!attr_present(n))
        return NULL;
    doc_node *seq = attr_seq_new(a, n);
    if (n->kind == DOC_SEQ) {
        for (size_t i = 0; i < n->u.seq.count; i++)
            attr_push(a, seq, attr_as_str(a, n->u.seq.items[i]));
    } else {
        attr_push(a, seq, attr_as_str(a, n));
    }
    return seq;
}

void attr_fields(const doc_node *map, const attr_field *fields, size_t n, const doc_node **out)
{
    memset(out, 0, n * sizeof *out);
    if (!map || map->kind != DOC_MAP)
        return;
    for (size_t i = 0; i < map->u.map.count; i++) { /* the last pair of a key wins */
        const doc_pair *p = &map->u.map.pairs[i];
        if (p->value && p->value->kind == DOC_BLOCK)
            continue;
        for (size_t j = 0; j < n; j++) {
            if (doc_key_is(p->key, fields[j].name, fields[j].len)) {
                out[j] = p->value;
                break;
            }
        }
    }
}

doc_node *container_cap_name(arena *a, const doc_node *n)
{
    if (!n || n->kind != DOC_SCALAR || n->u.scalar.type == SCALAR_NULL)
        return NULL;
    const char *t = n->u.scalar.text;
    size_t len = n->u.scalar.len;
    size_t skip = strncasecmp(t, "CAP_", 4) == 0 ? 4 : 0;
    bool changed = skip > 0 || n->u.scalar.type != SCALAR_STR;
    for (size_t i = skip; i < len && !changed; i++)
        changed = islower((unsigned char)t[i]) != 0;
    if (!changed)
        return (doc_node *)n;
    src_span sp = attr_sub_span(n, t, len, skip, len);
    doc_node *out = doc_new_scalar(a, n->file, sp, SCALAR_STR, STYLE_DOUBLE_QUOTED, t + skip,
                                   len - skip);
    char *w = (char *)out->u.scalar.text;
    for (size_t i = 0; w[i]; i++)
        w[i] = (char)toupper((unsigned char)w[i]);
    return out;
}

doc_node *container_cap_seq(arena *a, const doc_node *n)
{
    if (!attr_present(n))
        return NULL;
    doc_node *seq = attr_seq_new(a, n);
    if (n->kind == DOC_SEQ) {
        for (size_t i = 0; i < n->u.seq.count; i++)
            attr_push(a, seq, container_cap_name(a, n->u.seq.items[i]));
    } else {
        attr_push(a, seq, container_cap_name(a, n));
    }
    return seq;
}

doc_node *container_profile_from_k8s(arena *a, const doc_node *profile)
{
    const doc_node *type = doc_get(profile, "type");
    if (!type || type->kind != DOC_SCALAR || type->u.scalar.type == SCALAR_NULL)
        return NULL;
    const char *t = type->u.scalar.text;
    if (strcmp(t, "Unconfined") == 0)
        return doc_new_str(a, type->file, type->span, "unconfined");
    if (strcmp(t, "RuntimeDefault") == 0)
        return doc_new_str(a, type->file, type->span, "runtime/default");
    if (strcmp(t, "Localhost") == 0) {
        const char *p = doc_str(doc_get(profile, "localhostProfile"));
        return doc_new_str(a, type->file, type->span, arena_printf(a, "localhost/%s", p ? p : ""));
    }
    return attr_as_str(a, type);
}

doc_node *container_protocol(arena *a, const doc_node *n)
{
    doc_node *s = attr_as_str(a, n);
    if (!s)
        return NULL;
    bool upper = false;
    for (size_t i = 0; i < s->u.scalar.len; i++)
        upper |= isupper((unsigned char)s->u.scalar.text[i]) != 0;
    if (!upper)
        return s;
    doc_node *out = doc_new_str(a, s->file, s->span, s->u.scalar.text);
    char *w = (char *)out->u.scalar.text;
    for (size_t i = 0; w[i]; i++)
        w[i] = (char)tolower((unsigned char)w[i]);
    return out;
}

doc_node *container_port_map(arena *a, const doc_node *span_from, const port_fields *pf)
{
    const doc_node *all[] = {pf->name,           pf->host_ip,        pf->host_port,
                             pf->host_port_end,  pf->container_port, pf->container_port_end,
                             pf->protocol,       pf->mode,           pf->published};
    size_t n = 0;
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        n += all[i] != NULL;
    doc_node *m = attr_map_sized(a, span_from, n);
    ATTR_SET(a, m, "name", pf->name);
    ATTR_SET(a, m, "host_ip", pf->host_ip);
    ATTR_SET(a, m, "host_port", pf->host_port);
    ATTR_SET(a, m, "host_port_end", pf->host_port_end);
    ATTR_SET(a, m, "container_port", pf->container_port);
    ATTR_SET(a, m, "container_port_end", pf->container_port_end);
    ATTR_SET(a, m, "protocol", pf->protocol);
    ATTR_SET(a, m, "mode", pf->mode);
    ATTR_SET(a, m, "published", pf->published);
    return m;
}

void attr_warn_at(diag_list *diags, const src_file *f, src_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(diags, DIAG_WARNING, f ? f->path : NULL, pos.line, pos.col, fmt, ap);
    va_end(ap);
}

void attr_warn(diag_list *diags, const doc_node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(diags, DIAG_WARNING, n->file ? n->file->path : NULL, n->span.start.line,
              n->span.start.col, fmt, ap);
    va_end(ap);
}
