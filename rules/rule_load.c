/* rule_load.c - reads rule packs in the YAML rule format (docs/rules.md)
 * into rule records. Every problem is an error naming the pack file, line
 * and column; a pack with errors contributes no rules. Each pack's
 * conditions are then laid out for evaluation, and the set's index of what
 * runs where (rule.h) is rebuilt whenever the set changes. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyzers/frontend.h"
#include "core/embedded.h"
#include "rules/checks.h"
#include "rules/eval.h"
#include "rules/rule.h"
#include "rules/values.h"

typedef struct loader {
    rule_set *rs;
    const src_file *file;
    diag_list *diags;
    int errors;
} loader;

static void err_at(loader *L, const doc_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void err_at(loader *L, const doc_node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(L->diags, DIAG_ERROR, L->file->path, n ? n->span.start.line : 0,
              n ? n->span.start.col : 0, fmt, ap);
    va_end(ap);
    L->errors++;
}

static const char *req_str(loader *L, const doc_node *map, const char *key)
{
    const doc_node *v = doc_get(map, key);
    if (!v) {
        err_at(L, map, "rule is missing required key '%s'", key);
        return NULL;
    }
    if (v->kind != DOC_SCALAR || v->u.scalar.type == SCALAR_NULL) {
        err_at(L, v, "'%s' must be a string", key);
        return NULL;
    }
    return v->u.scalar.text;
}

static const char *opt_str(loader *L, const doc_node *map, const char *key)
{
    const doc_node *v = doc_get(map, key);
    if (!v)
        return NULL;
    if (v->kind != DOC_SCALAR) {
        err_at(L, v, "'%s' must be a string", key);
        return NULL;
    }
    return v->u.scalar.text;
}

static const struct {
    const char *key;
    cond_op op;
} leaf_ops[] = {
    {"exists", COND_EXISTS},         {"is", COND_IS},
    {"equals", COND_EQUALS},         {"not_equals", COND_NOT_EQUALS},
    {"in", COND_IN},                 {"not_in", COND_NOT_IN},
    {"regex", COND_REGEX},           {"not_regex", COND_NOT_REGEX},
    {"lt", COND_LT},                 {"le", COND_LE},
    {"gt", COND_GT},                 {"ge", COND_GE},
    {"cidr", COND_CIDR_ANY},         {"cidr_contains", COND_CIDR_CONTAINS},
    {"cidr_within", COND_CIDR_WITHIN}, {"cidr_overlaps", COND_CIDR_OVERLAPS},
    {"port_in", COND_PORT_IN},       {"contains_any", COND_CONTAINS_ANY},
    {"empty", COND_EMPTY},           {"any_item", COND_LIST_ANY},
    {"all_items", COND_LIST_ALL},    {"no_item", COND_LIST_NONE},
};

static cond *parse_cond(loader *L, const doc_node *n, int depth);

static bool parse_cond_list(loader *L, cond *c, const doc_node *seq, int depth)
{
    if (!seq || seq->kind != DOC_SEQ || seq->u.seq.count == 0) {
        err_at(L, seq, "%s needs a non-empty list of conditions", "all/any/none");
        return false;
    }
    c->kids = arena_alloc(L->rs->arena, seq->u.seq.count * sizeof(cond *));
    for (size_t i = 0; i < seq->u.seq.count; i++) {
        c->kids[i] = parse_cond(L, seq->u.seq.items[i], depth + 1);
        if (!c->kids[i])
            return false;
    }
    c->nkids = seq->u.seq.count;
    return true;
}

static bool compile_regex(loader *L, cond *c, const doc_node *arg)
{
    if (!doc_str(arg)) {
        err_at(L, arg, "%s needs a pattern string", "regex");
        return false;
    }
    int errcode;
    PCRE2_SIZE erroff;
    uint32_t opts = PCRE2_UTF | (c->flag ? PCRE2_CASELESS : 0);
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)arg->u.scalar.text, PCRE2_ZERO_TERMINATED, opts,
                                   &errcode, &erroff, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errcode, msg, sizeof msg);
        diag_add(L->diags, DIAG_ERROR, L->file->path, arg->span.start.line, arg->span.start.col,
                 "invalid regex at offset %zu: %s", (size_t)erroff, (const char *)msg);
        L->errors++;
        return false;
    }
    c->regex = arena_alloc(L->rs->arena, sizeof *c->regex);
    c->regex->code = re;
    return true;
}

static bool parse_ports(loader *L, cond *c, const doc_node *list)
{
    c->ports = arena_alloc(L->rs->arena, (list->u.seq.count + 1) * sizeof *c->ports);
    for (size_t i = 0; i < list->u.seq.count; i++) {
        if (!port_range_parse(doc_str(list->u.seq.items[i]), &c->ports[i])) {
            err_at(L, list->u.seq.items[i], "%s: not a port or port range", "port_in");
            return false;
        }
    }
    /* a port's sibling "<attr>_end" (cut as a 160-byte "%s_end" buffer would) */
    char end[160];
    snprintf(end, sizeof end, "%s_end", c->attr);
    eval_path_compile(L->rs->arena, arena_strdup(L->rs->arena, end), &c->end_path);
    return true;
}

static bool check_leaf_arg(loader *L, cond *c, const doc_node *arg)
{
    switch (c->op) {
    case COND_EXISTS:
    case COND_IS:
    case COND_EMPTY:
        if (!arg || arg->kind != DOC_SCALAR || arg->u.scalar.type != SCALAR_BOOL) {
            err_at(L, arg, "%s needs true or false", "exists/is/empty");
            return false;
        }
        c->flag = arg->u.scalar.b;
        return true;
    case COND_IN:
    case COND_NOT_IN:
    case COND_CONTAINS_ANY:
    case COND_PORT_IN:
        if (!arg || arg->kind != DOC_SEQ) {
            err_at(L, arg, "%s needs a list", "in/not_in/contains_any/port_in");
            return false;
        }
        return c->op != COND_PORT_IN || parse_ports(L, c, arg);
    case COND_REGEX:
    case COND_NOT_REGEX:
        return compile_regex(L, c, arg);
    case COND_LT:
    case COND_LE:
    case COND_GT:
    case COND_GE:
        if (!doc_str(arg) || !quantity_parse(doc_str(arg), (quantity_kind)c->unit, &c->number)) {
            err_at(L, arg, "%s needs a number or quantity (500m, 512Mi, 1G)", "lt/le/gt/ge");
            return false;
        }
        return true;
    case COND_CIDR_ANY:
        if (!doc_str_eq(arg, "any")) {
            err_at(L, arg, "%s: the only form is 'cidr: any'", "cidr");
            return false;
        }
        return true;
    case COND_CIDR_CONTAINS:
    case COND_CIDR_WITHIN:
    case COND_CIDR_OVERLAPS:
        c->block = arena_alloc(L->rs->arena, sizeof *c->block);
        if (!cidr_parse(doc_str(arg), c->block)) {
            err_at(L, arg, "%s needs a CIDR block such as 10.0.0.0/8", "cidr_*");
            return false;
        }
        return true;
    default:
        return true;
    }
}

static cond *parse_cond(loader *L, const doc_node *n, int depth)
{
    if (depth > 32) {
        err_at(L, n, "%s", "conditions nested deeper than 32 levels");
        return NULL;
    }
    if (!n || n->kind != DOC_MAP || n->u.map.count == 0) {
        err_at(L, n, "%s", "a condition must be a mapping such as {attr: privileged, is: true}");
        return NULL;
    }
    cond *c = arena_alloc(L->rs->arena, sizeof *c);
    c->where = n;
    const doc_node *v;
    if ((v = doc_get(n, "all")) || (v = doc_get(n, "any")) || (v = doc_get(n, "none"))) {
        if (n->u.map.count != 1) {
            err_at(L, n, "%s", "all/any/none must be the only key of their condition");
            return NULL;
        }
        c->op = doc_get(n, "all") ? COND_ALL : doc_get(n, "any") ? COND_ANY : COND_NONE;
        return parse_cond_list(L, c, v, depth) ? c : NULL;
    }
    if ((v = doc_get(n, "not"))) {
        if (n->u.map.count != 1) {
            err_at(L, n, "%s", "'not' must be the only key of its condition");
            return NULL;
        }
        c->op = COND_NOT;
        c->kids = arena_alloc(L->rs->arena, sizeof(cond *));
        c->kids[0] = parse_cond(L, v, depth + 1);
        c->nkids = 1;
        return c->kids[0] ? c : NULL;
    }
    c->attr = doc_str(doc_get(n, "attr"));
    if (!c->attr) {
        err_at(L, n, "%s", "a condition needs 'attr: PATH' (or all/any/none/not)");
        return NULL;
    }
    eval_path_compile(L->rs->arena, c->attr, &c->path);
    c->flag = doc_is_true(doc_get(n, "ignore_case"));
    const char *unit = doc_str(doc_get(n, "unit"));
    if (unit && strcmp(unit, "bytes") == 0)
        c->unit = QTY_BYTES_DOCKER;
    else if (unit && strcmp(unit, "number") != 0) {
        err_at(L, doc_get(n, "unit"), "unknown unit '%s' (number or bytes)", unit);
        return NULL;
    }
    int found = 0;
    for (size_t i = 0; i < n->u.map.count; i++) {
        const char *k = doc_str(n->u.map.pairs[i].key);
        if (!k || !strcmp(k, "attr") || !strcmp(k, "ignore_case") || !strcmp(k, "unit"))
            continue;
        size_t j;
        for (j = 0; j < sizeof leaf_ops / sizeof *leaf_ops; j++)
            if (!strcmp(k, leaf_ops[j].key))
                break;
        if (j == sizeof leaf_ops / sizeof *leaf_ops) {
            err_at(L, n->u.map.pairs[i].key, "unknown condition operator '%s'", k);
            return NULL;
        }
        if (found++) {
            err_at(L, n->u.map.pairs[i].key, "condition has a second operator '%s'; use all: [...]", k);
            return NULL;
        }
        c->op = leaf_ops[j].op;
        c->arg = n->u.map.pairs[i].value;
    }
    if (!found) {
        err_at(L, n, "condition on '%s' has no operator (exists, is, equals, in, regex, ...)", c->attr);
        return NULL;
    }
    if (c->op == COND_LIST_ANY || c->op == COND_LIST_ALL || c->op == COND_LIST_NONE) {
        c->kids = arena_alloc(L->rs->arena, sizeof(cond *));
        c->kids[0] = parse_cond(L, c->arg, depth + 1);
        c->nkids = 1;
        return c->kids[0] ? c : NULL;
    }
    return check_leaf_arg(L, c, c->arg) ? c : NULL;
}

static const char *rule_keys[] = {"id", "title", "severity", "category", "target", "platforms",
                                  "each", "when", "at", "message", "rationale", "remediation",
                                  "references", "examples", "fix", "check", "mask", NULL};

static bool known_key(const char *k)
{
    for (size_t i = 0; rule_keys[i]; i++)
        if (!strcmp(rule_keys[i], k))
            return true;
    return false;
}

static void parse_examples(loader *L, rule *r, const doc_node *ex)
{
    if (!ex)
        return;
    if (ex->kind != DOC_SEQ) {
        err_at(L, ex, "%s must be a list of {platform, fail, fail_line, pass}", "examples");
        return;
    }
    r->examples = arena_alloc(L->rs->arena, (ex->u.seq.count + 1) * sizeof(rule_example));
    for (size_t i = 0; i < ex->u.seq.count; i++) {
        const doc_node *e = ex->u.seq.items[i];
        rule_example *x = &r->examples[r->nexamples];
        x->platform = opt_str(L, e, "platform");
        x->fail = opt_str(L, e, "fail");
        x->pass = opt_str(L, e, "pass");
        int64_t line = 0;
        if (x->fail && !doc_int(doc_get(e, "fail_line"), &line)) {
            err_at(L, e, "%s: an example with 'fail' needs 'fail_line: N'", "examples");
            continue;
        }
        x->fail_line = (int)line;
        if (!x->platform) {
            err_at(L, e, "%s: each example needs 'platform'", "examples");
            continue;
        }
        r->nexamples++;
    }
}

static unsigned parse_platforms(loader *L, const doc_node *n)
{
    if (!n)
        return 0;
    if (n->kind != DOC_SEQ) {
        err_at(L, n, "%s must be a list (compose, kubernetes, terraform)", "platforms");
        return 0;
    }
    unsigned mask = 0;
    for (size_t i = 0; i < n->u.seq.count; i++) {
        const char *p = doc_str(n->u.seq.items[i]);
        int bit = -1;
        for (int k = PLATFORM_COMPOSE; k <= PLATFORM_TERRAFORM; k++)
            if (p && !strcmp(p, platform_name((platform)k)))
                bit = k;
        if (bit < 0)
            err_at(L, n->u.seq.items[i], "unknown platform '%s' (compose, kubernetes, terraform)",
                   p ? p : "?");
        else
            mask |= 1u << bit;
    }
    return mask;
}

/* each, compiled; the same for every rule with that each. */
static const rule_each *shared_each(loader *L, const char *each)
{
    for (size_t i = 0; i < L->rs->count; i++) {
        const rule_each *x = L->rs->items[i]->each_sel;
        if (x && !strcmp(x->text, each))
            return x;
    }
    return eval_each_compile(L->rs->arena, each);
}

static rule *parse_rule(loader *L, const doc_node *n, bool builtin)
{
    if (n->kind != DOC_MAP) {
        err_at(L, n, "%s", "each rule must be a mapping");
        return NULL;
    }
    int before = L->errors;
    for (size_t i = 0; i < n->u.map.count; i++) {
        const char *k = doc_str(n->u.map.pairs[i].key);
        if (k && !known_key(k))
            err_at(L, n->u.map.pairs[i].key, "unknown rule key '%s'", k);
    }
    rule *r = arena_alloc(L->rs->arena, sizeof *r);
    r->source = L->file->path;
    r->line = n->span.start.line;
    r->builtin = builtin;
    r->id = req_str(L, n, "id");
    r->title = req_str(L, n, "title");
    r->category = req_str(L, n, "category");
    r->message = req_str(L, n, "message");
    const char *sev = req_str(L, n, "severity");
    if (sev && !severity_parse(sev, &r->sev))
        err_at(L, doc_get(n, "severity"), "unknown severity '%s' (critical, high, medium, low, info)", sev);
    if (r->category && strcmp(r->category, "security") && strcmp(r->category, "isolation") &&
        strcmp(r->category, "reliability") && strcmp(r->category, "cost-hygiene"))
        err_at(L, doc_get(n, "category"),
               "unknown category '%s' (security, isolation, reliability, cost-hygiene)", r->category);
    r->rationale = opt_str(L, n, "rationale");
    r->remediation = opt_str(L, n, "remediation");
    r->each = opt_str(L, n, "each");
    r->each_sel = r->each ? shared_each(L, r->each) : NULL;
    r->at = opt_str(L, n, "at");
    eval_path_compile(L->rs->arena, r->at, &r->at_path);
    r->mask = opt_str(L, n, "mask");
    eval_path_compile(L->rs->arena, r->mask, &r->mask_path);
    if (r->message)
        eval_template_compile(L->rs->arena, r->message, &r->message_tmpl);
    r->platforms = parse_platforms(L, doc_get(n, "platforms"));
    r->fix = doc_get(n, "fix");
    r->check_name = opt_str(L, n, "check");
    if (r->check_name) {
        const check_entry *ce = checks_find(r->check_name);
        if (ce) {
            r->check = ce->fn;
            r->check_scope = ce->scope;
            r->collect = ce->collect;
            r->check_formats = ce->formats;
        } else {
            err_at(L, doc_get(n, "check"), "no built-in check named '%s'", r->check_name);
        }
        r->target = opt_str(L, n, "target");
    } else {
        r->target = req_str(L, n, "target");
        const doc_node *when = doc_get(n, "when");
        if (!when)
            err_at(L, n, "rule is missing required key '%s' (or 'check')", "when");
        else
            r->when = parse_cond(L, when, 0);
    }
    const doc_node *refs = doc_get(n, "references");
    if (refs && refs->kind == DOC_SEQ) {
        r->references = arena_alloc(L->rs->arena, (refs->u.seq.count + 1) * sizeof(char *));
        for (size_t i = 0; i < refs->u.seq.count; i++)
            if (doc_str(refs->u.seq.items[i]))
                r->references[r->nreferences++] = doc_str(refs->u.seq.items[i]);
    } else if (refs) {
        err_at(L, refs, "%s must be a list of strings", "references");
    }
    parse_examples(L, r, doc_get(n, "examples"));
    r->found_as = (finding_rule){r->id, r->category, r->sev, r->fix != NULL};
    return L->errors == before ? r : NULL;
}

void rule_set_init(rule_set *rs)
{
    memset(rs, 0, sizeof *rs);
    rs->arena = arena_new();
}

static void free_regexes(cond *c)
{
    if (!c)
        return;
    if (c->regex) {
        void *jit = atomic_load(&c->regex->jit);
        if (jit && jit != c->regex->code)
            pcre2_code_free(jit);
        pcre2_code_free(c->regex->code);
    }
    for (size_t i = 0; i < c->nkids; i++)
        free_regexes(c->kids[i]);
}

static void free_index(rule_set *rs)
{
    free(rs->groups);
    free(rs->grouped);
    free(rs->checks);
    rs->groups = NULL;
    rs->grouped = rs->checks = NULL;
    rs->ngroups = rs->nchecks = 0;
}

/* The number of r's target among the distinct targets of data rules seen
 * so far (targets[0, *n)), added when new. */
static size_t target_number(const rule *r, const char **targets, size_t *n)
{
    for (size_t t = 0; t < *n; t++)
        if (targets[t] == r->target || !strcmp(targets[t], r->target))
            return t;
    targets[*n] = r->target;
    return (*n)++;
}

/* Rebuilds rs's groups and check list (rule.h) from its rules. */
static void index_rules(rule_set *rs)
{
    free_index(rs);
    size_t nplat = PLATFORM_TERRAFORM + 1;
    const char **targets = xmalloc((rs->count + 1) * sizeof *targets);
    size_t *target_of = xmalloc((rs->count + 1) * sizeof *target_of);
    size_t ntargets = 0;
    rs->checks = xmalloc((rs->count + 1) * sizeof *rs->checks);
    for (size_t ri = 0; ri < rs->count; ri++) {
        const rule *r = rs->items[ri];
        if (r->check)
            rs->checks[rs->nchecks++] = ri;
        target_of[ri] = r->when && r->target ? target_number(r, targets, &ntargets) : SIZE_MAX;
    }
    rs->groups = xmalloc((ntargets * nplat + 1) * sizeof *rs->groups);
    rs->grouped = xmalloc((rs->count * nplat + 1) * sizeof *rs->grouped);
    size_t used = 0;
    for (size_t t = 0; t < ntargets; t++) {
        for (size_t p = 0; p < nplat; p++) {
            rule_group g = {.kind = targets[t], .plat = (platform)p, .first = used};
            for (size_t ri = 0; ri < rs->count; ri++)
                if (target_of[ri] == t &&
                    (!rs->items[ri]->platforms || (rs->items[ri]->platforms & (1u << p))))
                    rs->grouped[used++] = ri;
            g.count = used - g.first;
            if (g.count)
                rs->groups[rs->ngroups++] = g;
        }
    }
    free(target_of);
    free(targets);
}

void rule_set_free(rule_set *rs)
{
    free_index(rs);
    for (size_t i = 0; i < rs->count; i++)
        free_regexes(rs->items[i]->when);
    free(rs->items);
    arena_free(rs->arena);
    memset(rs, 0, sizeof *rs);
}

rule *rule_set_find(const rule_set *rs, const char *id)
{
    for (size_t i = 0; i < rs->count; i++)
        if (!strcmp(rs->items[i]->id, id))
            return rs->items[i];
    return NULL;
}

static void add_rule(rule_set *rs, rule *r)
{
    if (rs->count == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 64;
        rs->items = xrealloc(rs->items, rs->cap * sizeof(rule *));
    }
    rs->items[rs->count++] = r;
}

/* ---- laying the conditions out for evaluation ------------------------- */

static void copy_path(arena *a, rule_path *p)
{
    if (!p->nsegs)
        return;
    p->segs = arena_memdup(a, p->segs, p->nsegs * sizeof *p->segs);
    for (size_t i = 0; i < p->nsegs; i++)
        p->segs[i].key = arena_strndup(a, p->segs[i].key, p->segs[i].len);
}

/* A copy of a condition's argument (a scalar, or a list of them) at the
 * arena's end; other nodes stay where they are. */
static const doc_node *copy_arg(arena *a, const doc_node *n)
{
    if (!n || (n->kind != DOC_SCALAR && n->kind != DOC_SEQ))
        return n;
    doc_node *c = arena_memdup(a, n, sizeof *n);
    if (n->kind == DOC_SCALAR) {
        c->u.scalar.text = arena_strndup(a, n->u.scalar.text, n->u.scalar.len);
        return c;
    }
    c->u.seq.items = arena_alloc(a, (n->u.seq.count + 1) * sizeof *c->u.seq.items);
    c->u.seq.cap = n->u.seq.count + 1;
    for (size_t i = 0; i < n->u.seq.count; i++)
        c->u.seq.items[i] = (doc_node *)copy_arg(a, n->u.seq.items[i]);
    return c;
}

/* A copy of k's tree made at the arena's end: each condition followed by
 * its regex record, its paths and then its sub-conditions, in the order
 * evaluation reads them. Compiled regexes and arguments are shared with k
 * (k is dropped; copy_args moves the arguments). */
static cond *copy_cond(arena *a, const cond *k)
{
    cond *c = arena_memdup(a, k, sizeof *k);
    if (c->regex)
        c->regex = arena_memdup(a, k->regex, sizeof *k->regex);
    copy_path(a, &c->path);
    copy_path(a, &c->end_path);
    if (c->nkids) {
        c->kids = arena_alloc(a, c->nkids * sizeof *c->kids);
        for (size_t i = 0; i < c->nkids; i++)
            c->kids[i] = copy_cond(a, k->kids[i]);
    }
    return c;
}

/* Copies the arguments of k's tree (copy_arg), in evaluation order. */
static void copy_args(arena *a, cond *k)
{
    k->arg = copy_arg(a, k->arg);
    for (size_t i = 0; i < k->nkids; i++)
        copy_args(a, k->kids[i]);
}

/* A copy of t's parts and their paths at the arena's end. */
static void copy_template(arena *a, rule_template *t)
{
    if (!t->nparts)
        return;
    t->parts = arena_memdup(a, t->parts, t->nparts * sizeof *t->parts);
    for (size_t i = 0; i < t->nparts; i++)
        copy_path(a, &t->parts[i].path);
}

/* Lays the conditions of items[first, count) out one rule after another
 * (they were made among the nodes of the pack they came from), so that the
 * rules evaluated on an entity touch few cache lines; then, apart, their
 * arguments, and then what a finding reads (message templates and paths). */
static void pack_rules(rule_set *rs, size_t first)
{
    for (size_t i = first; i < rs->count; i++)
        if (rs->items[i]->when)
            rs->items[i]->when = copy_cond(rs->arena, rs->items[i]->when);
    for (size_t i = first; i < rs->count; i++)
        if (rs->items[i]->when)
            copy_args(rs->arena, rs->items[i]->when);
    for (size_t i = first; i < rs->count; i++) {
        rule *r = rs->items[i];
        copy_template(rs->arena, &r->message_tmpl);
        copy_path(rs->arena, &r->at_path);
        copy_path(rs->arena, &r->mask_path);
    }
}

/* rule_set_load_text without indexing the set again. */
static bool load_text(rule_set *rs, const char *name, const char *text, size_t len, bool builtin,
                      diag_list *diags)
{
    src_file *f = src_from_memory(rs->arena, name, text, len);
    parse_limits lim = parse_limits_default();
    doc_stream docs = {0};
    if (!yaml_parse(rs->arena, f, &lim, &docs, diags))
        return false;
    loader L = {.rs = rs, .file = f, .diags = diags};
    const doc_node *root = docs.count ? docs.docs[0] : NULL;
    const doc_node *list = doc_get(root, "rules");
    if (!list || list->kind != DOC_SEQ) {
        diag_add(diags, DIAG_ERROR, name, root ? root->span.start.line : 1,
                 root ? root->span.start.col : 1,
                 "a rule file must be a mapping with 'rules:' holding a list of rules");
        return false;
    }
    size_t first = rs->count;
    for (size_t i = 0; i < list->u.seq.count; i++) {
        rule *r = parse_rule(&L, list->u.seq.items[i], builtin);
        if (!r)
            continue;
        rule *dup = rule_set_find(rs, r->id);
        if (dup) {
            diag_add(diags, DIAG_ERROR, name, r->line, list->u.seq.items[i]->span.start.col,
                     "rule id '%s' is already defined at %s:%u", r->id, dup->source, dup->line);
            L.errors++;
            free_regexes(r->when);
            continue;
        }
        add_rule(rs, r);
    }
    if (L.errors) {
        for (size_t i = first; i < rs->count; i++)
            free_regexes(rs->items[i]->when);
        rs->count = first; /* a broken pack contributes nothing */
        return false;
    }
    pack_rules(rs, first);
    return true;
}

bool rule_set_load_text(rule_set *rs, const char *name, const char *text, size_t len,
                        bool builtin, diag_list *diags)
{
    bool ok = load_text(rs, name, text, len, builtin, diags);
    index_rules(rs);
    return ok;
}

bool rule_set_load_builtin(rule_set *rs, diag_list *diags)
{
    bool ok = true;
    for (size_t i = 0; i < embedded_count; i++) {
        const embedded_file *e = &embedded_files[i];
        if (strncmp(e->name, "rules/builtin/", 14) != 0)
            continue;
        ok &= load_text(rs, e->name, e->data, e->len, true, diags);
    }
    index_rules(rs);
    return ok;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool load_file(rule_set *rs, const char *path, diag_list *diags)
{
    parse_limits lim = parse_limits_default();
    src_file *f = src_load(rs->arena, path, &lim, diags);
    if (!f)
        return false;
    return load_text(rs, path, f->data, f->len, false, diags);
}

/* The rules of path, a rule file or a directory of them (not indexed). */
static bool load_path(rule_set *rs, const char *path, diag_list *diags)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return load_file(rs, path, diags);
    DIR *d = opendir(path);
    if (!d) {
        diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot read rules directory");
        return false;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if ((l > 5 && !strcmp(de->d_name + l - 5, ".yaml")) || (l > 4 && !strcmp(de->d_name + l - 4, ".yml"))) {
            names = xrealloc(names, (n + 1) * sizeof(char *));
            names[n++] = xstrdup(de->d_name);
        }
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof(char *), cmp_names);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        char *p = arena_printf(rs->arena, "%s/%s", path, names[i]);
        ok &= load_file(rs, p, diags);
        free(names[i]);
    }
    free(names);
    return ok;
}

bool rule_set_load_path(rule_set *rs, const char *path, diag_list *diags)
{
    bool ok = load_path(rs, path, diags);
    index_rules(rs); /* once, after all of path's files */
    return ok;
}

static int cmp_rules(const void *a, const void *b)
{
    return strcmp((*(rule *const *)a)->id, (*(rule *const *)b)->id);
}

void rule_set_sort(rule_set *rs)
{
    if (rs->count > 1)
        qsort(rs->items, rs->count, sizeof(rule *), cmp_rules);
    index_rules(rs);
}

const char *rule_platforms_text(const rule *r, char *buf, size_t size)
{
    if (!r->platforms) {
        snprintf(buf, size, "%s", "all");
        return buf;
    }
    buf[0] = '\0';
    size_t used = 0;
    for (int k = PLATFORM_COMPOSE; k <= PLATFORM_TERRAFORM; k++)
        if (r->platforms & (1u << k))
            used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%s",
                                     used ? "," : "", platform_name((platform)k));
    return buf;
}
