/* eval.c - path resolution, item selection, condition evaluation and
 * message rendering for data rules; see eval.h. Paths, `each` selectors and
 * message templates are split once when a rule is loaded (eval_*_compile),
 * so evaluating them only walks the document. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/strbuf.h"
#include "rules/engine.h"
#include "rules/eval.h"
#include "rules/text_scan.h"
#include "rules/values.h"

/* ---- memo --------------------------------------------------------------- */

typedef struct memo_items {
    const rule_each *each; /* a rule's `each` (rules outlive the run); NULL: no `each` */
    eval_item *items; /* in the scratch arena */
    size_t count;
} memo_items;

typedef struct memo_var {
    const char *name; /* a rule's (rules outlive the run) */
    const doc_node *value; /* may be NULL: not set in this file */
} memo_var;

/* The entity's attribute map (the map most paths start from) by key
 * signature (core/doc.h), which pairs carry: building and probing read the
 * pairs alone, not their key nodes (but for keys that lookups must ask the
 * node about). slot -> 1 + index of the pair doc_get finds for that key, 0
 * when empty. */
typedef struct attr_index {
    const doc_node *map; /* indexed, or NULL */
    uint32_t *slots;
    unsigned shift;      /* 64 - log2(slot count) */
    size_t mask;         /* slot count - 1 (a power of two) */
    size_t cap;          /* slots allocated */
    bool has_blocks;     /* a pair's value is an HCL block */
} attr_index;

struct eval_memo {
    attr_index attrs;  /* of the current entity */
    eval_item whole;   /* the one item of a rule without `each` */
    memo_items *lists; /* of the current entity */
    size_t nlists;
    size_t cap_lists;
    memo_var *vars; /* of the current file */
    size_t nvars;
    size_t cap_vars;
};

eval_memo *eval_memo_new(void)
{
    return xcalloc(1, sizeof(eval_memo));
}

void eval_memo_next_entity(eval_memo *m)
{
    if (!m)
        return;
    m->nlists = 0;
    m->attrs.map = NULL;
}

void eval_memo_free(eval_memo *m)
{
    if (!m)
        return;
    free(m->attrs.slots);
    free(m->lists);
    free(m->vars);
    free(m);
}

/* ---- paths ---------------------------------------------------------------- */

/* path + "." + key, as "%s.%s" would print it. */
static const char *path_key(arena *a, const char *path, const char *key)
{
    size_t pl = strlen(path), kl = strlen(key);
    char *s = arena_alloc(a, pl + kl + 2);
    memcpy(s, path, pl);
    s[pl] = '.';
    memcpy(s + pl + 1, key, kl + 1);
    return s;
}

size_t eval_item_path_suffix(const eval_item *it, char buf[32])
{
    if (!it->elem)
        return 0;
    char digits[24];
    size_t n = 0;
    for (size_t index = it->elem - 1; n == 0 || index; index /= 10)
        digits[sizeof digits - 1 - n++] = (char)('0' + index % 10);
    buf[0] = '[';
    memcpy(buf + 1, digits + sizeof digits - n, n);
    buf[n + 1] = ']';
    return n + 2;
}

/* path + "[" + index + "]", as "%s[%zu]" would print it. */
static const char *path_index(arena *a, const char *path, size_t index)
{
    char suffix[32];
    size_t n = eval_item_path_suffix(&(eval_item){.elem = index + 1}, suffix);
    size_t pl = strlen(path);
    char *s = arena_alloc_uninit(a, pl + n + 1);
    memcpy(s, path, pl);
    memcpy(s + pl, suffix, n);
    s[pl + n] = '\0';
    return s;
}

/* The item's attribute path (eval_item.path), spelled out. */
static const char *item_path(const eval_ctx *c)
{
    const eval_item *it = &c->item;
    return it->elem && it->path ? path_index(c->scratch, it->path, it->elem - 1) : it->path;
}

/* A string scalar standing for a pseudo-path value, made in *n; its text is
 * s itself (which outlives the evaluation of the entity), as doc_new_str
 * would make it. */
static const doc_node *pseudo_str(const eval_ctx *c, const char *s, doc_node *n)
{
    if (!s)
        return NULL;
    const doc_node *src = c->item.node ? c->item.node : c->e->attrs;
    *n = (doc_node){.kind = DOC_SCALAR, .file = src->file, .span = src->span};
    n->u.scalar.type = SCALAR_STR;
    n->u.scalar.style = STYLE_DOUBLE_QUOTED;
    n->u.scalar.text = s;
    n->u.scalar.len = strlen(s);
    return n;
}

static const doc_node *tf_var_lookup(const eval_ctx *c, const char *name);

/* tf_var_lookup, remembered per file when there is a memo. */
static const doc_node *tf_var(const eval_ctx *c, const char *name)
{
    eval_memo *m = c->memo;
    if (!m)
        return tf_var_lookup(c, name);
    for (size_t i = 0; i < m->nvars; i++)
        if (m->vars[i].name == name || !strcmp(m->vars[i].name, name))
            return m->vars[i].value;
    const doc_node *v = tf_var_lookup(c, name);
    if (m->nvars == m->cap_vars) {
        m->cap_vars = m->cap_vars ? m->cap_vars * 2 : 16;
        m->vars = xrealloc(m->vars, m->cap_vars * sizeof *m->vars);
    }
    m->vars[m->nvars].name = name;
    m->vars[m->nvars].value = v;
    m->nvars++;
    return v;
}

/* Value of Terraform variable NAME in the same file: set in a tfvars file,
 * else the default of its `variable` block in a .tf file. */
static const doc_node *tf_var_lookup(const eval_ctx *c, const char *name)
{
    const doc_node *def = NULL;
    for (size_t i = 0; c->in && i < c->in->entities.count; i++) {
        const entity *e = c->in->entities.items[i];
        if (!e->name || strcmp(e->name, name) != 0)
            continue;
        if (!strcmp(e->kind, "tf_variable_value"))
            return doc_get(e->attrs, "value");
        if (!strcmp(e->kind, "tf_variable") && !def)
            def = doc_get(e->attrs, "default");
    }
    return def;
}

/* ---- compiling paths -------------------------------------------------- */

/* Segments longer than this never match (nor do $var names this long). */
#define SEG_MAX 256
#define VAR_NAME_MAX 128

/* The segment read as a list index (as strtol reads it), or -1. */
static long seg_index(const char *key)
{
    char *end;
    long idx = strtol(key, &end, 10);
    return *end || end == key || idx < 0 ? -1 : idx;
}

/* Splits text at dots into out's segments: "a..b" has an empty middle
 * segment, a trailing dot ends the path. False when a segment is too long. */
static bool split_segments(arena *a, const char *text, rule_path *out)
{
    size_t n = 0;
    for (const char *s = text; *s;) {
        size_t len = strcspn(s, ".");
        n++;
        s += len;
        if (*s == '.')
            s++;
    }
    out->segs = n ? arena_alloc(a, n * sizeof *out->segs) : NULL;
    out->nsegs = n;
    size_t i = 0;
    for (const char *s = text; *s; i++) {
        size_t len = strcspn(s, ".");
        if (len >= SEG_MAX)
            return false;
        out->segs[i].key = arena_strndup(a, s, len);
        out->segs[i].len = len;
        out->segs[i].sig = doc_text_sig(out->segs[i].key, len);
        out->segs[i].index = seg_index(out->segs[i].key);
        s += len;
        if (*s == '.')
            s++;
    }
    return true;
}

static const struct {
    const char *name;
    path_base base;
} pseudo_paths[] = {
    {"value", PATH_ITEM},         {"name", PATH_NAME}, {"namespace", PATH_NAMESPACE},
    {"owner", PATH_OWNER},        {"kind", PATH_KIND}, {"key", PATH_KEY},
    {"platform", PATH_PLATFORM},  {"path", PATH_PATH}, {"file", PATH_FILE},
};

/* The base of a pseudo-path ("$" already skipped) and where its dotted
 * rest starts, or PATH_NOTHING. */
static path_base pseudo_base(const char *p, const char **rest, char *var)
{
    *rest = "";
    if (!strncmp(p, "var.", 4)) {
        size_t len = strcspn(p + 4, ".");
        if (len >= VAR_NAME_MAX)
            return PATH_NOTHING;
        memcpy(var, p + 4, len);
        var[len] = '\0';
        *rest = p[4 + len] ? p + 4 + len + 1 : "";
        return PATH_VAR;
    }
    if (!strncmp(p, "entity", 6) && (p[6] == '.' || p[6] == '\0')) {
        *rest = p[6] ? p + 7 : "";
        return PATH_ENTITY;
    }
    for (size_t i = 0; i < sizeof pseudo_paths / sizeof *pseudo_paths; i++)
        if (!strcmp(p, pseudo_paths[i].name))
            return pseudo_paths[i].base;
    return PATH_NOTHING;
}

void eval_path_compile(arena *a, const char *text, rule_path *out)
{
    memset(out, 0, sizeof *out);
    if (!text || !*text || (text[0] == '.' && text[1] == '\0'))
        return; /* the item itself */
    const char *rest = text;
    if (text[0] == '$') {
        char var[VAR_NAME_MAX];
        out->base = pseudo_base(text + 1, &rest, var);
        if (out->base == PATH_VAR)
            out->var = arena_strdup(a, var);
    }
    if (out->base != PATH_NOTHING && !split_segments(a, rest, out))
        out->base = PATH_NOTHING;
}

/* ---- resolving paths ---------------------------------------------------- */

/* Whether the maps of c's input may hold HCL blocks: YAML inputs never do,
 * so lookups there need not look at the values beside the keys. */
static bool may_hold_blocks(const eval_ctx *c)
{
    return !c->in || (c->in->format != FMT_COMPOSE && c->in->format != FMT_KUBERNETES);
}

/* The body of the first block of type seg in an HCL body. */
static const doc_node *first_block(const doc_node *map, const rule_path_seg *seg)
{
    for (size_t i = 0; i < map->u.map.count; i++) {
        const doc_node *b = map->u.map.pairs[i].value;
        if (b && b->kind == DOC_BLOCK && !strcmp(b->u.block.type, seg->key))
            return b->u.block.body;
    }
    return NULL;
}

/* The signature of p's key as strcmp reads it (up to its first NUL), or
 * DOC_SIG_NODE for a key that is not a scalar: keys that strcmp equal have
 * equal signatures. */
static uint64_t pair_sig(const doc_pair *p)
{
    if (p->key_sig != DOC_SIG_NODE)
        return p->key_sig;
    const doc_node *k = p->key;
    if (!k || k->kind != DOC_SCALAR)
        return DOC_SIG_NODE;
    return doc_text_sig(k->u.scalar.text, strlen(k->u.scalar.text));
}

/* The first slot to probe for a key of signature sig (Fibonacci hashing:
 * the multiply spreads the signature's bytes into the top bits). */
static size_t index_slot(const attr_index *x, uint64_t sig)
{
    return (size_t)((sig * 0x9E3779B97F4A7C15ull) >> x->shift);
}

/* Whether the keys of pairs a and b, of signature sig both, strcmp equal:
 * a signature holds a text of up to four bytes whole. */
static bool same_key(const doc_pair *a, const doc_pair *b, uint64_t sig)
{
    return (uint32_t)sig <= 4 || !strcmp(a->key->u.scalar.text, b->key->u.scalar.text);
}

/* Indexes map's attribute pairs; of equal keys the last one stays, as
 * doc_get finds it. */
static void index_build(attr_index *x, const doc_node *map, bool blocks)
{
    size_t want = 8;
    unsigned bits = 3;
    while (want < map->u.map.count * 2) {
        want *= 2;
        bits++;
    }
    if (want > x->cap) {
        free(x->slots);
        x->slots = xmalloc(want * sizeof *x->slots);
        x->cap = want;
    }
    memset(x->slots, 0, want * sizeof *x->slots);
    x->mask = want - 1;
    x->shift = 64 - bits;
    x->map = map;
    x->has_blocks = false;
    const doc_pair *pairs = map->u.map.pairs;
    for (size_t i = 0; i < map->u.map.count; i++) {
        if (blocks && pairs[i].value && pairs[i].value->kind == DOC_BLOCK) {
            x->has_blocks = true;
            continue;
        }
        uint64_t sig = pair_sig(&pairs[i]);
        if (sig == DOC_SIG_NODE)
            continue;
        size_t j = index_slot(x, sig);
        while (x->slots[j]) {
            const doc_pair *q = &pairs[x->slots[j] - 1];
            if (pair_sig(q) == sig && same_key(q, &pairs[i], sig))
                break;
            j = (j + 1) & x->mask;
        }
        x->slots[j] = (uint32_t)i + 1;
    }
}

static const doc_pair *index_get(const attr_index *x, const rule_path_seg *seg)
{
    for (size_t j = index_slot(x, seg->sig); x->slots[j]; j = (j + 1) & x->mask) {
        const doc_pair *p = &x->map->u.map.pairs[x->slots[j] - 1];
        if (doc_pair_key_is(p, seg->key, seg->len, seg->sig))
            return p;
    }
    return NULL;
}

/* Attribute seg of map, else the body of its first block of type seg. The
 * entity's attribute map is looked up through the memo's index. */
static const doc_node *map_step(const eval_ctx *c, const doc_node *map, const rule_path_seg *seg)
{
    eval_memo *m = c->memo;
    if (m && map == c->e->attrs && map->u.map.count <= UINT32_MAX) {
        if (m->attrs.map != map)
            index_build(&m->attrs, map, may_hold_blocks(c));
        const doc_pair *p = index_get(&m->attrs, seg);
        if (p && p->value)
            return p->value;
        return m->attrs.has_blocks ? first_block(map, seg) : NULL;
    }
    const doc_pair *p = doc_get_pair_sig(map, seg->key, seg->len, seg->sig);
    if (p && p->value)
        return p->value;
    return may_hold_blocks(c) ? first_block(map, seg) : NULL;
}

/* One path segment: attribute, else first block of that type, else index. */
static const doc_node *step(const eval_ctx *c, const doc_node *n, const rule_path_seg *seg)
{
    if (n->kind == DOC_BLOCK)
        n = n->u.block.body;
    if (n->kind == DOC_MAP)
        return map_step(c, n, seg);
    if (n->kind == DOC_SEQ) {
        if (seg->index < 0 || (size_t)seg->index >= n->u.seq.count)
            return NULL;
        return n->u.seq.items[seg->index];
    }
    return NULL;
}

static const doc_node *walk_path(const eval_ctx *c, const doc_node *n, const rule_path *p)
{
    for (size_t i = 0; n && i < p->nsegs; i++)
        n = step(c, n, &p->segs[i]);
    return n;
}

/* The string a pseudo-path of base stands for (NULL: unset); is_pseudo
 * tells whether base is one. */
static const char *pseudo_text(const eval_ctx *c, path_base base, bool *is_pseudo)
{
    *is_pseudo = true;
    switch (base) {
    case PATH_NAME:
        return c->e->name;
    case PATH_NAMESPACE:
        return c->e->ns;
    case PATH_OWNER:
        return c->e->owner;
    case PATH_KIND:
        return c->e->kind;
    case PATH_KEY:
        return c->item.key;
    case PATH_PLATFORM:
        return platform_name(c->e->platform);
    case PATH_PATH:
        return item_path(c);
    case PATH_FILE:
        return c->in ? c->in->path : NULL;
    default:
        *is_pseudo = false;
        return NULL;
    }
}

/* The value at p; a pseudo-path's string is made in *tmp, so it lasts as
 * long as *tmp does. */
static const doc_node *resolve(const eval_ctx *c, const rule_path *p, doc_node *tmp)
{
    const doc_node *n;
    switch (p->base) {
    case PATH_ITEM:
        n = c->item.node;
        break;
    case PATH_ENTITY:
        n = c->e->attrs;
        break;
    case PATH_VAR:
        n = tf_var(c, p->var);
        break;
    default: {
        bool is_pseudo;
        const char *s = pseudo_text(c, p->base, &is_pseudo);
        return is_pseudo ? pseudo_str(c, s, tmp) : NULL;
    }
    }
    return walk_path(c, n, p);
}

const doc_node *eval_resolve(const eval_ctx *c, const rule_path *p)
{
    doc_node tmp;
    const doc_node *v = resolve(c, p, &tmp);
    return v == &tmp ? arena_memdup(c->scratch, &tmp, sizeof tmp) : v;
}

/* ---- item selection ---------------------------------------------------- */

typedef struct item_vec {
    eval_item *items;
    size_t count;
    size_t cap;
} item_vec;

/* Adds an item: of path, or element elem - 1 of the list at path (elem > 0). */
static void push(const eval_ctx *c, item_vec *v, const doc_node *n, const char *key,
                 const char *path, size_t elem)
{
    if (v->count == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        v->items = arena_grow(c->scratch, v->items, v->cap * sizeof(eval_item), cap * sizeof(eval_item));
        v->cap = cap;
    }
    v->items[v->count].node = n;
    v->items[v->count].key = key;
    v->items[v->count].path = path;
    v->items[v->count].elem = elem;
    v->count++;
}

static void descend(const eval_ctx *c, item_vec *v, const doc_node *n, const char *key,
                    const char *path, int depth)
{
    if (!n || depth > 512)
        return;
    if (n->kind == DOC_BLOCK) {
        descend(c, v, n->u.block.body, n->u.block.type, path, depth + 1);
        return;
    }
    if (n->kind == DOC_MAP) {
        for (size_t i = 0; i < n->u.map.count; i++) {
            const doc_pair *p = &n->u.map.pairs[i];
            const char *k = doc_str(p->key);
            if (!k)
                continue;
            const char *sub = *path ? path_key(c->scratch, path, k) : k;
            const char *childkey = p->value && p->value->kind == DOC_BLOCK ? p->value->u.block.type : k;
            if (p->value && p->value == c->e->source)
                childkey = c->e->name; /* a tfvars variable's value: named by the variable */
            push(c, v, p->value && p->value->kind == DOC_BLOCK ? p->value->u.block.body : p->value,
                 childkey, sub, 0);
            descend(c, v, p->value, childkey, sub, depth + 1);
        }
    } else if (n->kind == DOC_SEQ) {
        for (size_t i = 0; i < n->u.seq.count; i++) {
            const char *sub = path_index(c->scratch, path, i);
            push(c, v, n->u.seq.items[i], key, sub, 0);
            descend(c, v, n->u.seq.items[i], key, sub, depth + 1);
        }
    }
}

const rule_each *eval_each_compile(arena *a, const char *each)
{
    rule_each *x = arena_alloc(a, sizeof *x);
    size_t len = strlen(each);
    x->text = each;
    x->deep = len >= 2 && !strcmp(each + len - 2, "**");
    char *base = arena_strndup(a, each, x->deep ? (len > 3 ? len - 3 : 0) : len);
    const char *lastdot = strrchr(base, '.');
    x->base = base;
    x->lastkey = lastdot ? lastdot + 1 : base;
    eval_path_compile(a, base, &x->base_path);
    x->has_parent = lastdot != NULL;
    if (x->has_parent)
        eval_path_compile(a, arena_strndup(a, base, (size_t)(lastdot - base)), &x->parent_path);
    return x;
}

/* The items of "BASE.**": every node below BASE (c: at the entity's attributes). */
static void select_deep(const eval_ctx *c, const rule_each *x, item_vec *v)
{
    const doc_node *n = *x->base ? eval_resolve(c, &x->base_path) : c->e->attrs;
    /* below an entity's own source (a tfvars variable's value) the nearest
     * key is the entity's name */
    const char *key = n && n == c->e->source ? c->e->name : *x->lastkey ? x->lastkey : NULL;
    descend(c, v, n, key, x->base, 0);
}

/* The items of "BASE": the blocks of that type in an HCL body, else the
 * elements of the list at BASE, else the value at BASE (c: at the entity's
 * attributes). */
static void select_flat(const eval_ctx *c, const rule_each *x, item_vec *v)
{
    const doc_node *parent = x->has_parent ? eval_resolve(c, &x->parent_path) : c->e->attrs;
    if (parent && parent->kind == DOC_BLOCK)
        parent = parent->u.block.body;
    bool blocks = false;
    if (parent && parent->kind == DOC_MAP && may_hold_blocks(c)) {
        for (size_t i = 0; i < parent->u.map.count; i++) {
            const doc_node *b = parent->u.map.pairs[i].value;
            if (b && b->kind == DOC_BLOCK && !strcmp(b->u.block.type, x->lastkey)) {
                push(c, v, b->u.block.body, x->lastkey, x->base, v->count + 1);
                blocks = true;
            }
        }
    }
    const doc_node *n = blocks ? NULL : eval_resolve(c, &x->base_path);
    if (n && n->kind == DOC_SEQ) {
        for (size_t i = 0; i < n->u.seq.count; i++)
            push(c, v, n->u.seq.items[i], x->lastkey, x->base, i + 1);
    } else if (n) {
        push(c, v, n, x->lastkey, x->base, 0);
    }
}

static void select_items(const eval_ctx *c, const rule_each *each, eval_item **items, size_t *count)
{
    item_vec v = {0};
    if (!each) {
        push(c, &v, c->e->attrs, NULL, "", 0);
    } else {
        /* each's paths start at the entity's attributes */
        eval_ctx root = *c;
        root.item.node = c->e->attrs;
        if (each->deep)
            select_deep(&root, each, &v);
        else
            select_flat(&root, each, &v);
    }
    *items = v.items;
    *count = v.count;
}

void eval_each(const eval_ctx *c, const rule_each *each, eval_item **items, size_t *count)
{
    eval_memo *m = c->memo;
    if (!m) {
        select_items(c, each, items, count);
        return;
    }
    if (!each) { /* the entity itself, as select_items would give it */
        m->whole = (eval_item){.node = c->e->attrs, .path = ""};
        *items = &m->whole;
        *count = 1;
        return;
    }
    for (size_t i = 0; i < m->nlists; i++) {
        if (m->lists[i].each == each) {
            *items = m->lists[i].items;
            *count = m->lists[i].count;
            return;
        }
    }
    select_items(c, each, items, count);
    if (m->nlists == m->cap_lists) {
        m->cap_lists = m->cap_lists ? m->cap_lists * 2 : 8;
        m->lists = xrealloc(m->lists, m->cap_lists * sizeof *m->lists);
    }
    m->lists[m->nlists++] = (memo_items){.each = each, .items = *items, .count = *count};
}

/* ---- conditions -------------------------------------------------------- */

static bool is_null(const doc_node *n)
{
    return !n || (n->kind == DOC_SCALAR && n->u.scalar.type == SCALAR_NULL);
}

static bool is_false(const doc_node *n)
{
    if (!n || n->kind != DOC_SCALAR)
        return false;
    if (n->u.scalar.type == SCALAR_BOOL)
        return !n->u.scalar.b;
    const char *t = n->u.scalar.text;
    return !strcasecmp(t, "false") || !strcasecmp(t, "no") || !strcasecmp(t, "off");
}

static char lower_ascii(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* strcmp / strcasecmp equality ("C" locale); most texts differ in their
 * first byte, which is tested without a call. */
static bool text_eq(const char *a, const char *b, bool icase)
{
    if (icase)
        return lower_ascii(*a) == lower_ascii(*b) && strcasecmp(a, b) == 0;
    return *a == *b && strcmp(a, b) == 0;
}

/* Semantic equality of a scalar value with a rule argument. */
static bool scalar_equals(const doc_node *v, const doc_node *arg, bool icase)
{
    if (!v || v->kind != DOC_SCALAR || !arg || arg->kind != DOC_SCALAR)
        return false;
    if (arg->u.scalar.type == SCALAR_BOOL)
        return arg->u.scalar.b ? doc_is_true(v) : is_false(v);
    if (arg->u.scalar.type == SCALAR_INT) {
        int64_t x;
        return doc_int(v, &x) && x == arg->u.scalar.i;
    }
    if (arg->u.scalar.type == SCALAR_NULL)
        return v->u.scalar.type == SCALAR_NULL;
    return text_eq(v->u.scalar.text, arg->u.scalar.text, icase);
}

static bool in_list(const doc_node *v, const doc_node *list, bool icase)
{
    for (size_t i = 0; list && i < list->u.seq.count; i++)
        if (scalar_equals(v, list->u.seq.items[i], icase))
            return true;
    return false;
}

/* The code x matches with, JIT-compiled on the first call (rule.h). Threads
 * that race each compile a copy: the first one published is used, the
 * others are dropped. */
static const pcre2_code *regex_code(rule_regex *x)
{
    void *code = atomic_load_explicit(&x->jit, memory_order_acquire);
    if (code)
        return code;
    pcre2_code *copy = pcre2_code_copy(x->code);
    if (!copy || pcre2_jit_compile(copy, PCRE2_JIT_COMPLETE) != 0) {
        pcre2_code_free(copy); /* the interpreter then */
        copy = x->code;
    }
    if (atomic_compare_exchange_strong_explicit(&x->jit, &code, copy, memory_order_acq_rel,
                                                memory_order_acquire))
        return copy;
    if (copy != x->code)
        pcre2_code_free(copy);
    return code;
}

static bool regex_match(const eval_ctx *c, const cond *k, const doc_node *v)
{
    if (!v || v->kind != DOC_SCALAR)
        return false;
    const pcre2_code *code = regex_code(k->regex);
    PCRE2_SPTR text = (PCRE2_SPTR)v->u.scalar.text;
    pcre2_match_data *md = c->match_data;
    int rc;
    if (!text_is_ascii(v->u.scalar.text, v->u.scalar.len))
        rc = pcre2_match(code, text, v->u.scalar.len, 0, 0, md, NULL);
    else if (code != k->regex->code) /* JIT-compiled, and ASCII is valid UTF-8: no checks */
        rc = pcre2_jit_match(code, text, v->u.scalar.len, 0, 0, md, NULL);
    else
        rc = pcre2_match(code, text, v->u.scalar.len, 0, PCRE2_NO_UTF_CHECK, md, NULL);
    return rc >= 0;
}

static bool quantity_of(const doc_node *v, int unit, double *out)
{
    if (!v || v->kind != DOC_SCALAR)
        return false;
    if (v->u.scalar.type == SCALAR_INT || v->u.scalar.type == SCALAR_FLOAT) {
        *out = v->u.scalar.f;
        if (unit == QTY_BYTES_DOCKER && v->u.scalar.type == SCALAR_INT)
            *out = (double)v->u.scalar.i;
        return true;
    }
    return quantity_parse(v->u.scalar.text, (quantity_kind)unit, out);
}

static bool port_of(const eval_ctx *c, const cond *k, const doc_node *v, port_range *pr)
{
    if (!v || v->kind != DOC_SCALAR || !port_range_parse(v->u.scalar.text, pr))
        return false;
    /* a sibling "<attr>_end" extends the value to a range (host_port_end) */
    int64_t hi;
    doc_node tmp;
    if (pr->lo == pr->hi && doc_int(resolve(c, &k->end_path, &tmp), &hi) && hi >= pr->lo && hi <= 65535)
        pr->hi = (int)hi;
    return true;
}

/* A positive scalar test on one value. */
static bool scalar_test(const eval_ctx *c, const cond *k, const doc_node *v)
{
    double q;
    cidr a;
    port_range pr;
    switch (k->op) {
    case COND_EQUALS:
    case COND_NOT_EQUALS:
        return scalar_equals(v, k->arg, k->flag);
    case COND_IN:
    case COND_NOT_IN:
        return in_list(v, k->arg, k->flag);
    case COND_REGEX:
    case COND_NOT_REGEX:
        return regex_match(c, k, v);
    case COND_LT:
        return quantity_of(v, k->unit, &q) && q < k->number;
    case COND_LE:
        return quantity_of(v, k->unit, &q) && q <= k->number;
    case COND_GT:
        return quantity_of(v, k->unit, &q) && q > k->number;
    case COND_GE:
        return quantity_of(v, k->unit, &q) && q >= k->number;
    case COND_CIDR_ANY:
        return cidr_parse(doc_str(v), &a) && cidr_is_any(&a);
    case COND_CIDR_CONTAINS:
        return cidr_parse(doc_str(v), &a) && cidr_contains(&a, k->block);
    case COND_CIDR_WITHIN:
        return cidr_parse(doc_str(v), &a) && cidr_contains(k->block, &a);
    case COND_CIDR_OVERLAPS:
        return cidr_parse(doc_str(v), &a) && cidr_overlaps(&a, k->block);
    case COND_PORT_IN:
        if (!port_of(c, k, v, &pr))
            return false;
        for (size_t i = 0; i < k->arg->u.seq.count; i++)
            if (port_range_overlaps(pr, k->ports[i]))
                return true;
        return false;
    case COND_CONTAINS_ANY:
        return in_list(v, k->arg, true);
    default:
        return false;
    }
}

static bool negated(cond_op op)
{
    return op == COND_NOT_EQUALS || op == COND_NOT_IN || op == COND_NOT_REGEX;
}

static bool list_quantifier(const eval_ctx *c, const cond *k, const doc_node *v)
{
    size_t n = 0, hits = 0;
    eval_ctx sub = *c;
    sub.item.key = k->attr;
    if (v && v->kind == DOC_SEQ) {
        for (size_t i = 0; i < v->u.seq.count; i++, n++) {
            sub.item.node = v->u.seq.items[i];
            sub.item.path = k->attr ? k->attr : "(null)";
            sub.item.elem = i + 1;
            hits += eval_cond(&sub, k->kids[0]);
        }
    } else if (v && v->kind == DOC_MAP) {
        for (size_t i = 0; i < v->u.map.count; i++, n++) {
            sub.item.node = v->u.map.pairs[i].value;
            sub.item.key = doc_str(v->u.map.pairs[i].key);
            sub.item.path = path_key(c->scratch, k->attr ? k->attr : "(null)",
                                     sub.item.key ? sub.item.key : "?");
            sub.item.elem = 0;
            hits += eval_cond(&sub, k->kids[0]);
        }
    }
    switch (k->op) {
    case COND_LIST_ANY:
        return hits > 0;
    case COND_LIST_ALL:
        return hits == n;
    default:
        return hits == 0;
    }
}

bool eval_cond(const eval_ctx *c, const cond *k)
{
    switch (k->op) {
    case COND_ALL:
        for (size_t i = 0; i < k->nkids; i++)
            if (!eval_cond(c, k->kids[i]))
                return false;
        return true;
    case COND_ANY:
        for (size_t i = 0; i < k->nkids; i++)
            if (eval_cond(c, k->kids[i]))
                return true;
        return false;
    case COND_NONE:
        for (size_t i = 0; i < k->nkids; i++)
            if (eval_cond(c, k->kids[i]))
                return false;
        return true;
    case COND_NOT:
        return !eval_cond(c, k->kids[0]);
    default:
        break;
    }
    doc_node tmp;
    const doc_node *v = resolve(c, &k->path, &tmp);
    switch (k->op) {
    case COND_EXISTS:
        return !is_null(v) == k->flag;
    case COND_IS:
        return k->flag ? doc_is_true(v) : is_false(v);
    case COND_EMPTY: {
        bool empty = is_null(v) || (v->kind == DOC_SCALAR && v->u.scalar.len == 0) ||
                     (v->kind == DOC_SEQ && v->u.seq.count == 0) ||
                     (v->kind == DOC_MAP && v->u.map.count == 0);
        return empty == k->flag;
    }
    case COND_LIST_ANY:
    case COND_LIST_ALL:
    case COND_LIST_NONE:
        return list_quantifier(c, k, v);
    default:
        break;
    }
    if (is_null(v))
        return false;
    if (v->kind == DOC_SEQ && k->op != COND_CONTAINS_ANY) {
        /* scalar tests on a list: any item passes (negated tests: every item) */
        bool neg = negated(k->op);
        for (size_t i = 0; i < v->u.seq.count; i++) {
            bool pass = scalar_test(c, k, v->u.seq.items[i]);
            if (neg && pass)
                return false;
            if (!neg && pass)
                return true;
        }
        return neg && v->u.seq.count > 0;
    }
    if (k->op == COND_CONTAINS_ANY && v->kind == DOC_SEQ) {
        for (size_t i = 0; i < v->u.seq.count; i++)
            if (in_list(v->u.seq.items[i], k->arg, true))
                return true;
        return false;
    }
    bool pass = scalar_test(c, k, v);
    if (negated(k->op))
        return v->kind == DOC_SCALAR && !pass;
    return pass;
}

/* ---- messages ---------------------------------------------------------- */

static void render_value(strbuf *sb, const doc_node *v)
{
    if (!v) {
        sb_adds(sb, "(unset)");
        return;
    }
    switch (v->kind) {
    case DOC_SCALAR:
        sb_addn(sb, v->u.scalar.text, v->u.scalar.len);
        break;
    case DOC_SEQ:
        for (size_t i = 0; i < v->u.seq.count && i < 8; i++) {
            if (i)
                sb_adds(sb, ", ");
            render_value(sb, v->u.seq.items[i]);
        }
        if (v->u.seq.count > 8)
            sb_adds(sb, ", ...");
        break;
    default: {
        size_t len;
        const char *raw = doc_raw(v, &len);
        if (len > 60)
            len = 60;
        sb_addn(sb, raw, strcspn(raw, "\n") < len ? strcspn(raw, "\n") : len);
        break;
    }
    }
}

/* Longest {expression} of a template; a longer one stays text. */
#define EXPR_MAX 200

static void add_part(arena *a, rule_template *t, msg_part part)
{
    t->parts = arena_grow(a, t->parts, t->nparts * sizeof *t->parts, (t->nparts + 1) * sizeof *t->parts);
    t->parts[t->nparts++] = part;
}

/* {expr}: its value, or the mask for {PATH|mask} (any other "|..." is ignored). */
static msg_part expression_part(arena *a, const char *open, const char *close)
{
    char *expr = arena_strndup(a, open + 1, (size_t)(close - open - 1));
    char *bar = strchr(expr, '|');
    msg_part part = {.kind = MSG_VALUE};
    if (bar) {
        if (!strcmp(bar + 1, "mask"))
            part.kind = MSG_MASK;
        *bar = '\0';
    }
    if (part.kind == MSG_VALUE)
        eval_path_compile(a, expr, &part.path);
    return part;
}

void eval_template_compile(arena *a, const char *tmpl, rule_template *out)
{
    memset(out, 0, sizeof *out);
    for (const char *p = tmpl; *p;) {
        const char *open = strchr(p, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!open || !close) {
            add_part(a, out, (msg_part){.kind = MSG_TEXT, .text = p, .len = strlen(p)});
            break;
        }
        if ((size_t)(close - open - 1) >= EXPR_MAX) { /* text up to and with the '}' */
            add_part(a, out, (msg_part){.kind = MSG_TEXT, .text = p, .len = (size_t)(close + 1 - p)});
        } else {
            if (open > p)
                add_part(a, out, (msg_part){.kind = MSG_TEXT, .text = p, .len = (size_t)(open - p)});
            add_part(a, out, expression_part(a, open, close));
        }
        p = close + 1;
    }
}

void eval_message(const eval_ctx *c, const rule_template *t, strbuf *sb)
{
    for (size_t i = 0; i < t->nparts; i++) {
        const msg_part *part = &t->parts[i];
        switch (part->kind) {
        case MSG_TEXT:
            sb_addn(sb, part->text, part->len);
            break;
        case MSG_MASK:
            sb_adds(sb, SECRET_MASK);
            break;
        case MSG_VALUE: {
            bool is_pseudo;
            const char *text = pseudo_text(c, part->path.base, &is_pseudo);
            if (is_pseudo) { /* as render_value renders it, without making the node */
                sb_adds(sb, text ? text : "(unset)");
                break;
            }
            doc_node tmp;
            render_value(sb, resolve(c, &part->path, &tmp));
            break;
        }
        }
    }
}
