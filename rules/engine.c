/* engine.c - runs data rules per file and C checks over the model; see engine.h. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parallel.h"
#include "core/strbuf.h"
#include "rules/engine.h"
#include "rules/checks_memo.h"
#include "rules/eval.h"

size_t lint_rule_index(const rule_set *rs, const rule *r)
{
    for (size_t i = 0; i < rs->count; i++)
        if (rs->items[i] == r)
            return i;
    return 0;
}

static bool enabled_at(const lint_options *o, size_t idx)
{
    return !o || !o->enabled || o->enabled[idx];
}

bool lint_rule_enabled(const lint_context *ctx, const rule *r)
{
    return enabled_at(ctx->opts, lint_rule_index(ctx->rules, r));
}

static const finding_rule *found_as(const lint_options *o, size_t idx, const rule *r)
{
    return o && o->found_as ? &o->found_as[idx] : &r->found_as;
}

#define FNV_PRIME 1099511628211ULL

/* FNV-1a over s's bytes. */
static uint64_t fnv1a_bytes(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * FNV_PRIME;
    return h;
}

/* FNV-1a over s's bytes, then over end (a separator, or s's NUL). */
static uint64_t fnv1a_str(uint64_t h, const char *s, char end)
{
    return (fnv1a_bytes(h, s) ^ (unsigned char)end) * FNV_PRIME;
}

/* Fingerprint: rule, file, for data rules what the finding is about
 * ("entity/item path/at", the rule's view of it), and the text at the span
 * with whitespace removed: stable when lines shift. The hash starts with
 * the rule and the file, which the findings of a rule in one file share. */
static uint64_t fingerprint_seed(const char *rule_id, const char *path)
{
    return fnv1a_str(fnv1a_str(1469598103934665603ULL, rule_id, '\0'), path, '\0');
}

typedef struct finding_about {
    const char *entity;
    const char *item_path;   /* eval_item.path */
    const char *item_suffix; /* eval_item_path_suffix: the rest of the item's path */
    const char *at;
} finding_about;

/* Of the text at a span, the fingerprint reads the first FINGERPRINT_TEXT
 * bytes, whitespace left out. */
#define FINGERPRINT_TEXT 4096

/* The whitespace the fingerprint leaves out. */
#define FINGERPRINT_SKIPS(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r')

/* Per byte value, what one FNV-1a step over it xors in and multiplies by:
 * a skipped byte xors in 0 and multiplies by 1 (the hash stays as it is), so
 * hashing needs no branch per byte (whitespace comes and goes unpredictably). */
#define FP_XOR(c) (FINGERPRINT_SKIPS(c) ? 0 : (c))
#define FP_MUL(c) (FINGERPRINT_SKIPS(c) ? 1 : FNV_PRIME)
#define FP_4(F, c) F(c), F((c) + 1), F((c) + 2), F((c) + 3)
#define FP_16(F, c) FP_4(F, c), FP_4(F, (c) + 4), FP_4(F, (c) + 8), FP_4(F, (c) + 12)
#define FP_64(F, c) FP_16(F, c), FP_16(F, (c) + 16), FP_16(F, (c) + 32), FP_16(F, (c) + 48)
#define FP_256(F) FP_64(F, 0), FP_64(F, 64), FP_64(F, 128), FP_64(F, 192)
static const unsigned char fp_xor[256] = {FP_256(FP_XOR)};
static const uint64_t fp_mul[256] = {FP_256(FP_MUL)};

static bool fingerprint_keeps(unsigned char c)
{
    return fp_mul[c] != 1;
}

static uint64_t fnv1a_text(uint64_t h, const char *text, size_t len)
{
    const unsigned char *u = (const unsigned char *)text;
#pragma GCC unroll 8
    for (size_t i = 0; i < len; i++)
        h = (h ^ fp_xor[u[i]]) * fp_mul[u[i]];
    return h;
}

/* The bytes of at's text that the fingerprint reads. */
static const char *fingerprint_raw(const doc_node *at, size_t *len)
{
    const char *raw = doc_raw(at, len);
    if (*len > FINGERPRINT_TEXT)
        *len = FINGERPRINT_TEXT;
    return raw;
}

static uint64_t fingerprint(uint64_t h, const finding_about *about, const doc_node *at)
{
    if (about) {
        h = fnv1a_str(h, about->entity, '/');
        h = fnv1a_str(fnv1a_bytes(h, about->item_path), about->item_suffix, '/');
        h = fnv1a_str(h, about->at, '\0');
    }
    size_t len;
    const char *raw = fingerprint_raw(at, &len);
    return fnv1a_text(h, raw, len);
}

/* A finding of r at at, with a copy of msg[0, len) as its message; the
 * caller sets its fingerprint. */
static finding *new_finding(finding_list *out, const finding_rule *r, const doc_node *at,
                            const char *path, const char *msg, size_t len)
{
    finding *f = finding_list_add(out);
    f->rule = r;
    f->path = path;
    f->span = at->span;
    f->message = finding_list_text(out, msg, len);
    return f;
}

/* One file's data rules at work: the evaluation context, the buffer that
 * messages are rendered in, and where the findings go. */
typedef struct data_run {
    eval_ctx c;
    strbuf msg;
    finding_list *out;
} data_run;

/* seed: the fingerprint seed of r in this file, 0 until its first finding. */
static void run_rule_on_entity(data_run *d, const rule *r, const finding_rule *as,
                               uint64_t *seed)
{
    eval_ctx *c = &d->c;
    eval_item *items;
    size_t n;
    eval_each(c, r->each_sel, &items, &n);
    for (size_t i = 0; i < n; i++) {
        c->item = items[i];
        if (!c->item.node || !eval_cond(c, r->when))
            continue;
        const doc_node *at = r->at ? eval_resolve(c, &r->at_path) : NULL;
        if ((!at || at->file != c->in->src) && c->item.node == c->e->attrs && c->e->name_node)
            at = c->e->name_node; /* about the entity as a whole, or a setting it lacks */
        if (!at || !at->file || at->file != c->in->src)
            at = c->item.node;
        if (!at->file || at->file != c->in->src)
            at = c->e->source;
        sb_reset(&d->msg);
        eval_message(c, &r->message_tmpl, &d->msg);
        finding *f = new_finding(d->out, as, at, c->in->path, d->msg.buf, d->msg.len);
        if (!*seed)
            *seed = fingerprint_seed(r->id, c->in->path);
        char suffix[32];
        suffix[c->item.path ? eval_item_path_suffix(&c->item, suffix) : 0] = '\0';
        finding_about about = {c->e->name ? c->e->name : "", c->item.path ? c->item.path : "",
                               suffix, r->at ? r->at : ""};
        f->fingerprint = fingerprint(*seed, &about, at);
        if (r->mask) {
            const doc_node *secret = eval_resolve(c, &r->mask_path);
            if (secret && secret->file == c->in->src) {
                f->mask_start = secret->span.start.offset;
                f->mask_end = secret->span.end.offset;
            }
        }
    }
}

/* The group of rules that run on e (rule_set.groups), or NULL. */
static const rule_group *group_of(const rule_set *rs, const entity *e)
{
    for (size_t i = 0; i < rs->ngroups; i++) {
        const rule_group *g = &rs->groups[i];
        if (g->plat == e->platform && g->kind[0] == e->kind[0] && !strcmp(g->kind, e->kind))
            return g;
    }
    return NULL;
}

static void run_data_rules(const rule_set *rs, const lint_options *opts, input_file *in,
                           finding_list *out)
{
    arena *scratch = arena_new();
    pcre2_match_data *md = pcre2_match_data_create(16, NULL);
    /* item lists are shared by the rules of an entity; what the rules of one
     * entity synthesize is dropped before the next (findings own copies) */
    eval_memo *memo = eval_memo_new();
    data_run d = {.c = {.in = in, .scratch = scratch, .match_data = md, .memo = memo}, .out = out};
    sb_init(&d.msg);
    uint64_t *seeds = xcalloc(rs->count + 1, sizeof *seeds); /* per rule, in this file */
    const rule_group *g = NULL;
    const entity *prev = NULL; /* of the kind and platform g was found for */
    for (size_t ei = 0; ei < in->entities.count; ei++) {
        if (ei) {
            eval_memo_next_entity(memo);
            arena_reset(scratch);
        }
        d.c.e = in->entities.items[ei];
        if (!prev || prev->kind != d.c.e->kind || prev->platform != d.c.e->platform)
            g = group_of(rs, d.c.e);
        prev = d.c.e;
        for (size_t i = 0; g && i < g->count; i++) {
            size_t ri = rs->grouped[g->first + i];
            const rule *r = rs->items[ri];
            if (enabled_at(opts, ri))
                run_rule_on_entity(&d, r, found_as(opts, ri, r), &seeds[ri]);
        }
    }
    free(seeds);
    sb_free(&d.msg);
    eval_memo_free(memo);
    pcre2_match_data_free(md);
    arena_free(scratch);
}

/* The per-file C checks on in alone, in rule order, into out; then what
 * the whole-platform checks collect of in. Checks of other input formats
 * are left out: they give nothing on in. */
static void run_file_checks(const rule_set *rs, const lint_options *opts, const doc_node *settings,
                            input_file *in, finding_list *out)
{
    input_file *one[1] = {in};
    lint_context sub = {.rules = rs, .opts = opts, .inputs = one, .ninputs = 1,
                        .settings = settings};
    sub.findings = *out;
    checks_memo_begin();
    for (size_t i = 0; i < rs->nchecks; i++) {
        size_t ri = rs->checks[i];
        const rule *r = rs->items[ri];
        if (!enabled_at(opts, ri) ||
            (r->check_formats && !(r->check_formats & CHECK_FORMAT(in->format))))
            continue;
        if (r->check_scope == CHECK_PER_FILE)
            r->check(r, &sub);
        else if (r->collect)
            r->collect(r, &sub);
    }
    checks_memo_end();
    *out = sub.findings;
}

void lint_run_file(const rule_set *rs, const lint_options *opts, const doc_node *settings,
                   input_file *in, finding_list *out)
{
    if (in->failed || !in->src)
        return;
    run_data_rules(rs, opts, in, out);
    run_file_checks(rs, opts, settings, in, out);
}

/* An enabled whole-platform check of fmt's platform without a collect
 * function reads the trees; those with one keep what they need in digests. */
bool lint_keeps_model(const rule_set *rs, const lint_options *opts, input_format fmt)
{
    check_scope wanted;
    switch (fmt) {
    case FMT_KUBERNETES:
        wanted = CHECK_ALL_KUBERNETES;
        break;
    case FMT_TERRAFORM:
    case FMT_TFVARS:
    case FMT_TFVARS_JSON:
        wanted = CHECK_ALL_TERRAFORM;
        break;
    default:
        return false;
    }
    for (size_t i = 0; i < rs->nchecks; i++) {
        size_t ri = rs->checks[i];
        const rule *r = rs->items[ri];
        if (r->check_scope == wanted && !r->collect && enabled_at(opts, ri))
            return true;
    }
    return false;
}

typedef struct checks_job {
    const lint_context *ctx;
    const rule **checks;
    size_t nchecks;
    size_t nslots;
    finding_list *found; /* one list per check */
} checks_job;

/* Slot k runs checks k, k + nslots, ...: one memo of per-file work
 * (rules/checks_memo.h) per slot, and each check reports into its own list. */
static void run_check_slot(size_t slot, void *ud)
{
    checks_job *j = ud;
    checks_memo_begin();
    for (size_t i = slot; i < j->nchecks; i += j->nslots) {
        lint_context sub = *j->ctx;
        memset(&sub.findings, 0, sizeof sub.findings);
        j->checks[i]->check(j->checks[i], &sub);
        j->found[i] = sub.findings;
    }
    checks_memo_end();
}

void lint_run_checks_parallel(lint_context *ctx, int threads)
{
    /* the inputs do not change while the checks run: checks only read them,
     * so they run side by side; their findings are appended in rule order,
     * which keeps the output the same whatever the thread count */
    const rule **checks = xcalloc(ctx->rules->count + 1, sizeof *checks);
    size_t n = 0;
    const rule_set *rs = ctx->rules;
    for (size_t i = 0; i < rs->nchecks; i++) {
        const rule *r = rs->items[rs->checks[i]];
        if (r->check_scope != CHECK_PER_FILE && enabled_at(ctx->opts, rs->checks[i]))
            checks[n++] = r;
    }
    size_t slots = threads > 1 ? (size_t)threads : 1;
    if (slots > n)
        slots = n ? n : 1;
    checks_job job = {.ctx = ctx, .checks = checks, .nchecks = n, .nslots = slots,
                      .found = xcalloc(n + 1, sizeof(finding_list))};
    parallel_for(slots, (int)slots, run_check_slot, &job);
    for (size_t i = 0; i < n; i++)
        finding_list_move(&ctx->findings, &job.found[i]);
    free(job.found);
    free(checks);
}

void lint_run_checks(lint_context *ctx)
{
    lint_run_checks_parallel(ctx, 1);
}

/* The input whose source at points into. Checks report file after file, so
 * the search starts at the input of the previous report (inputs have
 * sources of their own: the one found is the only one). */
static const input_file *input_of(const lint_context *ctx, const doc_node *at)
{
    static _Thread_local size_t last;
    size_t n = ctx->ninputs;
    if (!at->file) {
        for (size_t i = 0; i < n; i++)
            if (!ctx->inputs[i]->src)
                return ctx->inputs[i];
        return NULL;
    }
    if (last >= n)
        last = 0;
    for (size_t k = 0, i = last; k < n; k++, i = i + 1 < n ? i + 1 : 0) {
        if (ctx->inputs[i]->src == at->file) {
            last = i;
            return ctx->inputs[i];
        }
    }
    return NULL;
}

/* A finding of C check r at at, in ctx's findings, as the options make it
 * (severity), with its message copied and the given fingerprint. */
static finding *check_finding(lint_context *ctx, const rule *r, const doc_node *at,
                              const char *path, const char *msg, uint64_t fp)
{
    const finding_rule *as = found_as(ctx->opts, lint_rule_index(ctx->rules, r), r);
    finding *f = new_finding(&ctx->findings, as, at, path, msg, strlen(msg));
    f->fingerprint = fp;
    return f;
}

static void vreport(lint_context *ctx, const rule *r, const doc_node *at, size_t mstart,
                    size_t mend, const char *fmt, va_list ap)
{
    const input_file *in = input_of(ctx, at);
    if (!in)
        return; /* not a node of a scanned file: nothing to point at */
    strbuf sb;
    sb_init(&sb);
    const char *msg;
    if (!strcmp(fmt, "%s")) { /* a message formatted already (env_report) */
        msg = va_arg(ap, const char *);
        if (!msg)
            msg = "(null)";
    } else {
        sb_vaddf(&sb, fmt, ap);
        msg = sb.buf;
    }
    finding *f = check_finding(ctx, r, at, in->path, msg,
                               fingerprint(fingerprint_seed(r->id, in->path), NULL, at));
    sb_free(&sb);
    f->mask_start = mstart;
    f->mask_end = mend;
}

void lint_report(lint_context *ctx, const rule *r, const doc_node *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(ctx, r, at, 0, 0, fmt, ap);
    va_end(ap);
}

/* fingerprint_raw of span in in's source. */
static const char *span_raw(const input_file *in, src_span span, size_t *len)
{
    doc_node at = {.kind = DOC_SCALAR, .file = in->src, .span = span};
    return fingerprint_raw(&at, len);
}

uint64_t lint_fingerprint_span(const rule *r, const input_file *in, src_span span)
{
    size_t n;
    const char *raw = span_raw(in, span, &n);
    return lint_fingerprint_text(r, in->path, raw, n); /* whitespace is skipped either way */
}

char *lint_fingerprint_text_of(const input_file *in, src_span span, size_t *len)
{
    size_t n;
    const char *raw = span_raw(in, span, &n);
    char *text = xmalloc(n + 1);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) { /* each byte is stored, kept ones advance */
        text[kept] = raw[i];
        kept += fingerprint_keeps((unsigned char)raw[i]);
    }
    text[kept] = '\0';
    *len = kept;
    return text;
}

uint64_t lint_fingerprint_text(const rule *r, const char *path, const char *text, size_t len)
{
    return fnv1a_text(fingerprint_seed(r->id, path), text, len);
}

void lint_report_fingerprinted(lint_context *ctx, const rule *r, const input_file *in,
                               src_span span, uint64_t fingerprint_value, const char *message)
{
    doc_node at = {.kind = DOC_SCALAR, .span = span};
    check_finding(ctx, r, &at, in->path, message, fingerprint_value);
}

void lint_report_masked(lint_context *ctx, const rule *r, const doc_node *at, size_t mask_start,
                        size_t mask_end, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(ctx, r, at, mask_start, mask_end, fmt, ap);
    va_end(ap);
}
