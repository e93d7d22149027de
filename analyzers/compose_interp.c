/* compose_interp.c - docker compose interpolation (${VAR...}) and .env files;
 * see compose_interp.h for the syntax and the guarantees. */
#include "compose_interp.h"

#include <stdlib.h>
#include <string.h>

#include "analyzers/container.h"
#include "core/strbuf.h"

/* ---- variables ---------------------------------------------------------- */

void interp_vars_init(interp_vars *v, bool use_environment)
{
    memset(v, 0, sizeof *v);
    v->use_environment = use_environment;
}

void interp_vars_set(arena *a, interp_vars *v, const char *name, const char *value)
{
    for (size_t i = 0; i < v->count; i++) {
        if (strcmp(v->names[i], name) == 0) {
            v->values[i] = arena_strdup(a, value);
            return;
        }
    }
    if (v->count == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        v->names = arena_grow(a, v->names, v->cap * sizeof(char *), cap * sizeof(char *));
        v->values = arena_grow(a, v->values, v->cap * sizeof(char *), cap * sizeof(char *));
        v->cap = cap;
    }
    v->names[v->count] = arena_strdup(a, name);
    v->values[v->count] = arena_strdup(a, value);
    v->count++;
}

const char *interp_vars_get(const interp_vars *v, const char *name)
{
    if (v->use_environment) {
        const char *e = getenv(name);
        if (e)
            return e;
    }
    for (size_t i = 0; i < v->count; i++)
        if (strcmp(v->names[i], name) == 0)
            return v->values[i];
    return NULL;
}

/* ---- one string --------------------------------------------------------- */

typedef struct interp_run {
    arena *a;
    const interp_vars *vars;
    strbuf out;
    interp_problem *problems;
    size_t nproblems;
    size_t cap;
} interp_run;

static void add_problem(interp_run *r, interp_problem_kind kind, size_t offset, const char *name,
                        const char *msg)
{
    if (r->nproblems == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 4;
        r->problems = arena_grow(r->a, r->problems, r->cap * sizeof *r->problems,
                                 cap * sizeof *r->problems);
        r->cap = cap;
    }
    r->problems[r->nproblems].kind = kind;
    r->problems[r->nproblems].offset = offset;
    r->problems[r->nproblems].name = name;
    r->problems[r->nproblems].message = msg;
    r->nproblems++;
}

static bool name_start(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool name_char(char c)
{
    return name_start(c) || (c >= '0' && c <= '9');
}

/* Index of the '}' closing the "${" at s[0], counting nested "${", or len.
 * Most expressions hold no '$': then it is the first '}'. */
static size_t closing_brace(const char *s, size_t len)
{
    const char *first = len > 2 ? memchr(s + 2, '}', len - 2) : NULL;
    if (first && !memchr(s + 2, '$', (size_t)(first - s) - 2))
        return (size_t)(first - s);
    int open = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '}') {
            if (--open == 0)
                return i;
        } else if (s[i] == '$' && i + 1 < len && s[i + 1] == '{') {
            open++;
            i++;
        }
    }
    return len;
}

static void interp_into(interp_run *r, const char *s, size_t len, size_t base);

/* Interpolates s into a fresh string (for error texts). */
static char *interp_sub(interp_run *r, const char *s, size_t len, size_t base)
{
    strbuf saved = r->out;
    sb_init(&r->out);
    interp_into(r, s, len, base);
    char *t = arena_strndup(r->a, r->out.buf, r->out.len);
    sb_free(&r->out);
    r->out = saved;
    return t;
}

static void invalid(interp_run *r, const char *s, size_t len, size_t i, size_t base)
{
    size_t show = len - i > 24 ? 24 : len - i;
    add_problem(r, INTERP_INVALID, base + i, NULL,
                arena_printf(r->a,
                             "invalid interpolation format \"%.*s\"%s; it is kept as written "
                             "(write $$ for a literal $)",
                             (int)show, s + i, show < len - i ? "..." : ""));
}

/* s[i] == '$' and s[i+1] == '{'; returns the index after the expression. */
static size_t interp_braced(interp_run *r, const char *s, size_t len, size_t i, size_t base)
{
    size_t close = i + closing_brace(s + i, len - i);
    if (close >= len) {
        invalid(r, s, len, i, base);
        sb_addc(&r->out, '$');
        return i + 1;
    }
    size_t p = i + 2;
    if (p >= close || !name_start(s[p])) {
        invalid(r, s, len, i, base);
        sb_addc(&r->out, '$');
        return i + 1;
    }
    size_t ns = p;
    while (p < close && name_char(s[p]))
        p++;
    char *name = arena_strndup(r->a, s + ns, p - ns);
    const char *val = interp_vars_get(r->vars, name);
    bool colon = p < close && s[p] == ':';
    size_t op = colon ? p + 1 : p;
    char opc = op < close ? s[op] : 0;
    if (p == close) {
        if (val)
            sb_adds(&r->out, val);
        else
            add_problem(r, INTERP_UNSET, base + i, name,
                        arena_printf(r->a, "variable %s is not set; substituting an empty string",
                                     name));
        return close + 1;
    }
    if (opc != '-' && opc != '?' && opc != '+') {
        invalid(r, s, len, i, base);
        sb_addc(&r->out, '$');
        return i + 1;
    }
    const char *arg = s + op + 1;
    size_t arglen = close - (op + 1);
    size_t argbase = base + op + 1;
    bool set = val != NULL;
    bool nonempty = val && *val;
    bool satisfied = colon ? nonempty : set;
    switch (opc) {
    case '-':
        if (satisfied)
            sb_adds(&r->out, val);
        else
            interp_into(r, arg, arglen, argbase);
        break;
    case '+':
        if (satisfied)
            interp_into(r, arg, arglen, argbase);
        break;
    default: /* '?' */
        if (satisfied) {
            sb_adds(&r->out, val);
        } else {
            char *err = interp_sub(r, arg, arglen, argbase);
            add_problem(r, INTERP_REQUIRED, base + i, name,
                        *err ? arena_printf(r->a, "required variable %s is missing a value: %s",
                                            name, err)
                             : arena_printf(r->a, "required variable %s is missing a value",
                                            name));
            if (val)
                sb_adds(&r->out, val);
        }
        break;
    }
    return close + 1;
}

static void interp_into(interp_run *r, const char *s, size_t len, size_t base)
{
    size_t i = 0;
    while (i < len) {
        const char *dollar = memchr(s + i, '$', len - i);
        if (!dollar) {
            sb_addn(&r->out, s + i, len - i);
            return;
        }
        size_t d = (size_t)(dollar - s);
        sb_addn(&r->out, s + i, d - i);
        i = d;
        char next = i + 1 < len ? s[i + 1] : 0;
        if (next == '$') {
            sb_addc(&r->out, '$');
            i += 2;
        } else if (name_start(next)) {
            size_t j = i + 1;
            while (j < len && name_char(s[j]))
                j++;
            char *name = arena_strndup(r->a, s + i + 1, j - i - 1);
            const char *val = interp_vars_get(r->vars, name);
            if (val)
                sb_adds(&r->out, val);
            else
                add_problem(r, INTERP_UNSET, base + i, name,
                            arena_printf(r->a,
                                         "variable %s is not set; substituting an empty string",
                                         name));
            i = j;
        } else if (next == '{') {
            i = interp_braced(r, s, len, i, base);
        } else {
            invalid(r, s, len, i, base);
            sb_addc(&r->out, '$');
            i++;
        }
    }
}

/* interp_string for an s that holds a '$'. The text is built in scratch,
 * whose buffer the caller keeps for the next call. */
static void interp_dollar(arena *a, const interp_vars *v, const char *s, size_t len,
                          strbuf *scratch, interp_result *out)
{
    memset(out, 0, sizeof *out);
    interp_run r = {.a = a, .vars = v, .out = *scratch};
    sb_reset(&r.out);
    interp_into(&r, s, len, 0);
    out->text = arena_strndup(a, r.out.buf, r.out.len);
    out->len = r.out.len;
    out->changed = r.out.len != len || memcmp(r.out.buf, s, len) != 0;
    out->problems = r.problems;
    out->nproblems = r.nproblems;
    *scratch = r.out;
}

void interp_string(arena *a, const interp_vars *v, const char *s, size_t len,
                   interp_result *out)
{
    if (memchr(s, '$', len)) {
        strbuf scratch;
        sb_init(&scratch);
        interp_dollar(a, v, s, len, &scratch, out);
        sb_free(&scratch);
        return;
    }
    memset(out, 0, sizeof *out);
    out->text = arena_strndup(a, s, len);
    out->len = len;
}

/* ---- .env files --------------------------------------------------------- */

static bool dotenv_key_char(char c)
{
    return name_char(c) || c == '.' || c == '-';
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Value text starting at p (after '='); returns the position after the line
 * (or after the closing quote's line). */
static const char *dotenv_value(arena *a, const interp_vars *v, const char *p, const char *end,
                                strbuf *val, bool *bad_quote)
{
    while (p < end && is_blank(*p))
        p++;
    if (p < end && (*p == '\'' || *p == '"')) {
        char q = *p++;
        const char *start = p;
        strbuf raw;
        sb_init(&raw);
        while (p < end && *p != q) {
            if (q == '"' && *p == '\\' && p + 1 < end) {
                char e = p[1];
                switch (e) {
                case 'n': sb_addc(&raw, '\n'); break;
                case 'r': sb_addc(&raw, '\r'); break;
                case 't': sb_addc(&raw, '\t'); break;
                case '"': sb_addc(&raw, '"'); break;
                case '\\': sb_addc(&raw, '\\'); break;
                case '$': sb_adds(&raw, "$$"); break;
                default: sb_addc(&raw, '\\'); sb_addc(&raw, e); break;
                }
                p += 2;
                continue;
            }
            sb_addc(&raw, *p++);
        }
        if (p >= end) {
            *bad_quote = true;
            sb_free(&raw);
            p = start;
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            return nl ? nl + 1 : end;
        }
        if (q == '\'') {
            sb_addn(val, raw.buf, raw.len);
        } else {
            interp_result ir;
            interp_string(a, v, raw.buf, raw.len, &ir);
            sb_addn(val, ir.text, ir.len);
        }
        sb_free(&raw);
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        return nl ? nl + 1 : end;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *eol = nl ? nl : end;
    const char *stop = eol;
    for (const char *c = p; c < eol; c++) {
        if (*c == '#' && (c == p || is_blank(c[-1]))) {
            stop = c;
            break;
        }
    }
    while (stop > p && (is_blank(stop[-1]) || stop[-1] == '\r'))
        stop--;
    interp_result ir;
    interp_string(a, v, p, (size_t)(stop - p), &ir);
    sb_addn(val, ir.text, ir.len);
    return nl ? nl + 1 : end;
}

void interp_dotenv_parse(arena *a, interp_vars *v, const src_file *f, diag_list *diags)
{
    const char *p = f->data, *end = f->data + f->len;
    strbuf val;
    sb_init(&val);
    while (p < end) {
        const char *line = p;
        while (p < end && is_blank(*p))
            p++;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        if (p == eol || *p == '#' || (*p == '\r' && p + 1 == eol)) {
            p = nl ? nl + 1 : end;
            continue;
        }
        if ((size_t)(eol - p) > 7 && strncmp(p, "export", 6) == 0 && is_blank(p[6])) {
            p += 7;
            while (p < eol && is_blank(*p))
                p++;
        }
        const char *ks = p;
        while (p < eol && dotenv_key_char(*p))
            p++;
        const char *ke = p;
        while (p < eol && is_blank(*p))
            p++;
        bool has_eq = p < eol && *p == '=';
        bool only_key = p == eol || (*p == '\r' && p + 1 == eol);
        if (ke == ks || (!has_eq && !only_key) || !name_start(*ks) ) {
            src_pos pos = src_pos_at(f, (size_t)(ks - f->data));
            diag_add(diags, DIAG_WARNING, f->path, pos.line, pos.col,
                     "line is not KEY=VALUE; ignored");
            p = nl ? nl + 1 : end;
            continue;
        }
        char *key = arena_strndup(a, ks, (size_t)(ke - ks));
        if (only_key) {
            const char *e = v->use_environment ? getenv(key) : NULL;
            if (e)
                interp_vars_set(a, v, key, e);
            p = nl ? nl + 1 : end;
            continue;
        }
        sb_reset(&val);
        bool bad_quote = false;
        const char *next = dotenv_value(a, v, p + 1, end, &val, &bad_quote);
        if (bad_quote) {
            src_pos pos = src_pos_at(f, (size_t)(line - f->data));
            diag_add(diags, DIAG_WARNING, f->path, pos.line, pos.col,
                     "unterminated quoted value for %s; line ignored", key);
        } else {
            interp_vars_set(a, v, key, val.buf);
        }
        p = next;
    }
    sb_free(&val);
}

bool interp_dotenv_load(arena *a, interp_vars *v, const char *compose_path,
                        const parse_limits *lim, diag_list *diags)
{
    const char *slash = strrchr(compose_path, '/');
    char *path = slash ? arena_printf(a, "%.*s/.env", (int)(slash - compose_path), compose_path)
                       : arena_strdup(a, ".env");
    diag_list tmp;
    diag_list_init(&tmp);
    src_status status;
    src_file *f = src_load_optional(a, path, lim, &tmp, &status);
    if (!f && status != SRC_MISSING)
        diag_add(diags, DIAG_WARNING, path, 0, 0,
                 "cannot read %s; variables are interpolated without it (%s)", path,
                 status == SRC_NOT_REGULAR ? "not a regular file" : tmp.items[0].message);
    diag_list_free(&tmp);
    if (!f)
        return false;
    interp_dotenv_parse(a, v, f, diags);
    return true;
}

/* ---- whole trees -------------------------------------------------------- */

typedef struct interp_record {
    const doc_node *original;
    doc_node *value;
} interp_record;

struct interp_tree_ctx {
    arena *a;
    const interp_vars *vars;
    diag_list *diags;
    /* memo: node -> its interpolated version (open addressing) */
    const doc_node **memo_keys;
    doc_node **memo_vals;
    size_t memo_cap;
    size_t memo_count;
    interp_record *records;
    size_t nrecords;
    size_t rec_cap;
    bool sorted;
    /* lines[l] != 0: line l holds part of a record's original (nlines
     * entries); built at the first lookup after the records changed */
    unsigned char *lines;
    size_t nlines;
    /* unset variables already reported (once per name, as compose does) */
    const char **unset_names;
    size_t nunset;
    strbuf scratch; /* interp_dollar's text buffer, kept between scalars */
};

interp_tree_ctx *interp_tree_new(arena *a, const interp_vars *v, diag_list *diags)
{
    interp_tree_ctx *c = xcalloc(1, sizeof *c);
    c->a = a;
    c->vars = v;
    c->diags = diags;
    c->sorted = true;
    sb_init(&c->scratch);
    return c;
}

void interp_tree_free(interp_tree_ctx *ctx)
{
    if (!ctx)
        return;
    free(ctx->memo_keys);
    free(ctx->memo_vals);
    free(ctx->records);
    free(ctx->lines);
    free(ctx->unset_names);
    sb_free(&ctx->scratch);
    free(ctx);
}

static size_t ptr_hash(const void *p, size_t cap)
{
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 17;
    x *= (uintptr_t)0x9E3779B97F4A7C15ull;
    x ^= x >> 29;
    return (size_t)x & (cap - 1);
}

/* The remembered result for key, or NULL. */
static doc_node *memo_find(const interp_tree_ctx *c, const doc_node *key)
{
    if (!c->memo_count)
        return NULL;
    for (size_t h = ptr_hash(key, c->memo_cap); c->memo_keys[h]; h = (h + 1) & (c->memo_cap - 1))
        if (c->memo_keys[h] == key)
            return c->memo_vals[h];
    return NULL;
}

static void memo_insert(const doc_node **keys, doc_node **vals, size_t cap, const doc_node *key,
                        doc_node *val)
{
    size_t h = ptr_hash(key, cap);
    while (keys[h])
        h = (h + 1) & (cap - 1);
    keys[h] = key;
    vals[h] = val;
}

/* Remembers key -> val (key is not in the table yet). */
static void memo_put(interp_tree_ctx *c, const doc_node *key, doc_node *val)
{
    if ((c->memo_count + 1) * 2 > c->memo_cap) {
        size_t ncap = c->memo_cap ? c->memo_cap * 2 : 64;
        const doc_node **nk = xcalloc(ncap, sizeof *nk);
        doc_node **nv = xcalloc(ncap, sizeof *nv);
        for (size_t i = 0; i < c->memo_cap; i++)
            if (c->memo_keys[i])
                memo_insert(nk, nv, ncap, c->memo_keys[i], c->memo_vals[i]);
        free(c->memo_keys);
        free(c->memo_vals);
        c->memo_keys = nk;
        c->memo_vals = nv;
        c->memo_cap = ncap;
    }
    memo_insert(c->memo_keys, c->memo_vals, c->memo_cap, key, val);
    c->memo_count++;
}

/* True the first time an unset variable name is seen. */
static bool first_report(interp_tree_ctx *c, const char *name)
{
    for (size_t i = 0; i < c->nunset; i++)
        if (strcmp(c->unset_names[i], name) == 0)
            return false;
    c->unset_names = xrealloc(c->unset_names, (c->nunset + 1) * sizeof *c->unset_names);
    c->unset_names[c->nunset++] = name;
    return true;
}

/* n is a string scalar holding a '$'. */
static doc_node *interp_scalar(interp_tree_ctx *c, doc_node *n)
{
    interp_result r;
    interp_dollar(c->a, c->vars, n->u.scalar.text, n->u.scalar.len, &c->scratch, &r);
    for (size_t i = 0; i < r.nproblems; i++) {
        if (r.problems[i].kind == INTERP_UNSET && !first_report(c, r.problems[i].name))
            continue;
        src_pos pos = attr_sub_pos(n, n->u.scalar.text, n->u.scalar.len, r.problems[i].offset);
        attr_warn_at(c->diags, n->file, pos, "%s", r.problems[i].message);
    }
    if (!r.changed)
        return n;
    doc_node *out = doc_new_scalar(c->a, n->file, n->span, SCALAR_STR, n->u.scalar.style, r.text,
                                   r.len);
    out->tag = n->tag;
    if (c->nrecords == c->rec_cap) {
        c->rec_cap = c->rec_cap ? c->rec_cap * 2 : 16;
        c->records = xrealloc(c->records, c->rec_cap * sizeof *c->records);
    }
    if (c->nrecords && c->records[c->nrecords - 1].original->span.start.offset >
                           n->span.start.offset)
        c->sorted = false;
    c->records[c->nrecords].original = n;
    c->records[c->nrecords].value = out;
    c->nrecords++;
    free(c->lines);
    c->lines = NULL;
    return out;
}

/* A copy of map n (same file, span and tag) holding its first `upto` pairs,
 * with room for all of them. */
static doc_node *map_copy_prefix(interp_tree_ctx *c, const doc_node *n, size_t upto)
{
    doc_node *copy = doc_new(c->a, DOC_MAP, n->file, n->span);
    copy->tag = n->tag;
    copy->u.map.pairs = arena_alloc(c->a, n->u.map.count * sizeof(doc_pair));
    copy->u.map.cap = n->u.map.count;
    memcpy(copy->u.map.pairs, n->u.map.pairs, upto * sizeof(doc_pair));
    copy->u.map.count = upto;
    return copy;
}

static doc_node *seq_copy_prefix(interp_tree_ctx *c, const doc_node *n, size_t upto)
{
    doc_node *copy = doc_new(c->a, DOC_SEQ, n->file, n->span);
    copy->tag = n->tag;
    copy->u.seq.items = arena_alloc(c->a, n->u.seq.count * sizeof(doc_node *));
    copy->u.seq.cap = n->u.seq.count;
    memcpy(copy->u.seq.items, n->u.seq.items, upto * sizeof(doc_node *));
    copy->u.seq.count = upto;
    return copy;
}

static doc_node *interp_node(interp_tree_ctx *c, doc_node *n, bool *dollar);

/* True when interpolation leaves n as it is without a look at its parts:
 * absent, dollar_free (a subtree the front-end saw no '$' in), an HCL block
 * or expression, or a scalar that is not a string holding a '$'. Tested
 * before the call to interp_node, as most nodes are such. */
static inline bool interp_inert(const doc_node *n)
{
    if (!n || n->dollar_free || n->kind == DOC_BLOCK || n->kind == DOC_EXPR)
        return true;
    return n->kind == DOC_SCALAR &&
           (n->u.scalar.type != SCALAR_STR || !memchr(n->u.scalar.text, '$', n->u.scalar.len));
}

/* A map whose values are interpolated; *dollar as for interp_node. */
static doc_node *interp_map(interp_tree_ctx *c, doc_node *n, bool *dollar)
{
    doc_node *copy = NULL;
    for (size_t i = 0; i < n->u.map.count; i++) {
        doc_node *v = n->u.map.pairs[i].value;
        doc_node *nv = interp_inert(v) ? v : interp_node(c, v, dollar);
        if (nv != v && !copy)
            copy = map_copy_prefix(c, n, i);
        if (copy) {
            copy->u.map.pairs[i] = n->u.map.pairs[i];
            copy->u.map.pairs[i].value = nv;
            copy->u.map.count = i + 1;
        }
    }
    return copy ? copy : n;
}

static doc_node *interp_seq(interp_tree_ctx *c, doc_node *n, bool *dollar)
{
    doc_node *copy = NULL;
    for (size_t i = 0; i < n->u.seq.count; i++) {
        doc_node *v = n->u.seq.items[i];
        doc_node *nv = interp_inert(v) ? v : interp_node(c, v, dollar);
        if (nv != v && !copy)
            copy = seq_copy_prefix(c, n, i);
        if (copy) {
            copy->u.seq.items[i] = nv;
            copy->u.seq.count = i + 1;
        }
    }
    return copy ? copy : n;
}

/* The interpolated version of n (not interp_inert); sets *dollar when n's
 * subtree holds a string with a '$'. Only such nodes are remembered: they
 * are the ones with effects (copies, warnings, records) that a second visit
 * through an alias must not repeat; any other node is its own result, and
 * visiting it again does nothing new. Trees are acyclic (the front-ends
 * reject recursive aliases), so the recursion ends. */
static doc_node *interp_node(interp_tree_ctx *c, doc_node *n, bool *dollar)
{
    bool scalar = n->kind == DOC_SCALAR;
    doc_node *out = memo_find(c, n);
    if (out) {
        *dollar = true;
        return out;
    }
    bool inner = false;
    out = scalar ? interp_scalar(c, n)
          : n->kind == DOC_MAP ? interp_map(c, n, &inner)
                               : interp_seq(c, n, &inner);
    if (scalar || inner) {
        memo_put(c, n, out);
        *dollar = true;
    }
    return out;
}

doc_node *interp_tree(interp_tree_ctx *c, doc_node *n)
{
    bool dollar = false;
    return interp_inert(n) ? n : interp_node(c, n, &dollar);
}

size_t interp_tree_count(const interp_tree_ctx *ctx)
{
    return ctx->nrecords;
}

static int record_cmp(const void *x, const void *y)
{
    const interp_record *a = x, *b = y;
    uint32_t sa = a->original->span.start.offset, sb = b->original->span.start.offset;
    return sa < sb ? -1 : sa > sb;
}

/* Sorts the records by position and marks the lines they cover. */
static void index_records(interp_tree_ctx *ctx)
{
    if (!ctx->sorted) {
        qsort(ctx->records, ctx->nrecords, sizeof *ctx->records, record_cmp);
        ctx->sorted = true;
    }
    size_t last = 0;
    for (size_t i = 0; i < ctx->nrecords; i++)
        if (ctx->records[i].original->span.end.line > last)
            last = ctx->records[i].original->span.end.line;
    ctx->nlines = last + 1;
    ctx->lines = xcalloc(ctx->nlines, 1);
    for (size_t i = 0; i < ctx->nrecords; i++) {
        const src_span *sp = &ctx->records[i].original->span;
        memset(ctx->lines + sp->start.line, 1, sp->end.line - sp->start.line + 1);
    }
}

const unsigned char *interp_tree_lines(interp_tree_ctx *ctx, size_t *nlines)
{
    if (!ctx->nrecords) {
        *nlines = 0;
        return NULL;
    }
    if (!ctx->lines)
        index_records(ctx);
    *nlines = ctx->nlines;
    return ctx->lines;
}

const doc_node *interp_tree_original(interp_tree_ctx *ctx, src_span span)
{
    if (!ctx->nrecords)
        return NULL;
    if (!ctx->lines)
        index_records(ctx);
    if (span.start.line >= ctx->nlines || !ctx->lines[span.start.line])
        return NULL;
    size_t lo = 0, hi = ctx->nrecords;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (ctx->records[mid].original->span.start.offset <= span.start.offset)
            lo = mid;
        else
            hi = mid;
    }
    const doc_node *o = ctx->records[lo].original;
    if (o->span.start.offset <= span.start.offset && span.end.offset <= o->span.end.offset)
        return o;
    return NULL;
}
