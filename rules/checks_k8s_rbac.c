/* checks_k8s_rbac.c - built-in C checks on the rules of Roles and
 * ClusterRoles: '*' in apiGroups, resources or verbs; reading Secrets;
 * exec/attach into pods; the bind, escalate and impersonate verbs. Rule
 * records and examples are in rules/builtin/kubernetes.yaml.
 *
 * Guarantees: at most one finding per RBAC rule item and check, at the
 * first offending sequence item in source order (the first '*', the
 * "secrets" or pods/ subresource entry, the first escalation verb); the
 * message names the role and quotes what it grants. Read-only over the
 * model. */
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "rules/checks_k8s.h"
#include "rules/engine.h"
#include "rules/k8s_model.h"

/* ---- reading RBAC rules ------------------------------------------------ */

typedef void (*rbac_rule_fn)(const rule *r, lint_context *ctx, const entity *role,
                             const doc_node *item);

/* Calls fn for every rule of every Role and ClusterRole. */
static void each_rbac_rule(const rule *r, lint_context *ctx, rbac_rule_fn fn)
{
    const k8s_model *m = k8s_model_take(ctx);
    for (size_t i = 0; i < m->roles.count; i++) {
        const entity *e = m->roles.items[i];
        const doc_node *rules = doc_get(e->attrs, "rules");
        for (size_t j = 0; rules && rules->kind == DOC_SEQ && j < rules->u.seq.count; j++)
            if (rules->u.seq.items[j]->kind == DOC_MAP)
                fn(r, ctx, e, rules->u.seq.items[j]);
    }
    k8s_model_drop(ctx, m);
}

/* True when an RBAC rule covers the core API group ("" or "*"), where
 * Secrets and pods live. */
static bool covers_core_api_group(const doc_node *item)
{
    const doc_node *groups = doc_get(item, "api_groups");
    return k8s_seq_find(groups, "") || k8s_seq_find(groups, "*");
}

/* "a, b, c" of a sequence of scalars. */
static void join_seq(strbuf *sb, const doc_node *seq)
{
    for (size_t i = 0; seq && seq->kind == DOC_SEQ && i < seq->u.seq.count; i++) {
        const char *s = doc_str(seq->u.seq.items[i]);
        sb_addf(sb, "%s\"%s\"", i ? ", " : "", s ? s : "?");
    }
}

/* "apiGroups [...], resources [...], verbs [...]" of an RBAC rule. */
static char *rbac_rule_text(const doc_node *item)
{
    strbuf sb;
    sb_init(&sb);
    sb_adds(&sb, "apiGroups [");
    join_seq(&sb, doc_get(item, "api_groups"));
    sb_adds(&sb, "], resources [");
    join_seq(&sb, doc_get(item, "resources"));
    sb_adds(&sb, "], verbs [");
    join_seq(&sb, doc_get(item, "verbs"));
    sb_adds(&sb, "]");
    return sb_detach(&sb);
}

/* ---- the checks, one call per RBAC rule item ------------------------- */

static void rbac_wildcard(const rule *r, lint_context *ctx, const entity *role,
                          const doc_node *item)
{
    static const struct {
        const char *attr, *field;
    } fields[] = {{"api_groups", "apiGroups"}, {"resources", "resources"}, {"verbs", "verbs"}};
    const doc_node *first = NULL;
    const char *field = NULL;
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        const doc_node *star = k8s_seq_find(doc_get(item, fields[i].attr), "*");
        if (star && (!first || star->span.start.offset < first->span.start.offset)) {
            first = star;
            field = fields[i].field;
        }
    }
    if (!first)
        return;
    char *text = rbac_rule_text(item);
    lint_report(ctx, r, first, "%s '%s' grants '*' in %s: %s", k8s_object_kind(role),
                k8s_str_or(role->name, "?"), field, text);
    free(text);
}

/* Verbs of item among want (joined into sb); the first one found, or NULL. */
static const doc_node *verbs_among(const doc_node *item, const char *const *want, size_t n,
                                   strbuf *sb)
{
    const doc_node *verbs = doc_get(item, "verbs");
    const doc_node *first = NULL;
    for (size_t i = 0; verbs && verbs->kind == DOC_SEQ && i < verbs->u.seq.count; i++) {
        const doc_node *v = verbs->u.seq.items[i];
        for (size_t k = 0; k < n; k++) {
            if (doc_str_eq(v, want[k])) {
                sb_addf(sb, "%s%s", first ? ", " : "", want[k]);
                if (!first)
                    first = v;
                break;
            }
        }
    }
    return first;
}

static void rbac_secrets_read(const rule *r, lint_context *ctx, const entity *role,
                              const doc_node *item)
{
    static const char *const read[] = {"get", "list", "watch", "*"};
    const doc_node *secrets = k8s_seq_find(doc_get(item, "resources"), "secrets");
    if (!secrets || !covers_core_api_group(item) ||
        !k8s_empty_node(doc_get(item, "resource_names")))
        return;
    strbuf verbs;
    sb_init(&verbs);
    if (verbs_among(item, read, sizeof read / sizeof *read, &verbs))
        lint_report(ctx, r, secrets, "%s '%s' allows %s on secrets%s: every Secret in its scope "
                    "is readable",
                    k8s_object_kind(role), k8s_str_or(role->name, "?"), verbs.buf,
                    k8s_is_kind(role, "k8s_cluster_role")
                        ? " (in every namespace when bound by a ClusterRoleBinding)"
                        : "");
    sb_free(&verbs);
}

static void rbac_pods_exec(const rule *r, lint_context *ctx, const entity *role,
                           const doc_node *item)
{
    static const char *const exec[] = {"create", "get", "*"};
    const doc_node *res = doc_get(item, "resources");
    const doc_node *sub = k8s_seq_find(res, "pods/exec");
    if (!sub)
        sub = k8s_seq_find(res, "pods/attach");
    if (!sub)
        sub = k8s_seq_find(res, "pods/*");
    if (!sub || !covers_core_api_group(item))
        return;
    strbuf verbs;
    sb_init(&verbs);
    if (verbs_among(item, exec, sizeof exec / sizeof *exec, &verbs))
        lint_report(ctx, r, sub, "%s '%s' allows %s on %s: its subjects can run commands inside "
                    "pods, with their tokens and Secrets",
                    k8s_object_kind(role), k8s_str_or(role->name, "?"), verbs.buf, doc_str(sub));
    sb_free(&verbs);
}

static void rbac_escalation_verbs(const rule *r, lint_context *ctx, const entity *role,
                                  const doc_node *item)
{
    static const char *const esc[] = {"bind", "escalate", "impersonate"};
    strbuf verbs;
    sb_init(&verbs);
    const doc_node *first = verbs_among(item, esc, sizeof esc / sizeof *esc, &verbs);
    if (first) {
        strbuf res;
        sb_init(&res);
        join_seq(&res, doc_get(item, "resources"));
        lint_report(ctx, r, first, "%s '%s' grants %s on [%s]: a path to permissions its "
                    "subjects do not hold",
                    k8s_object_kind(role), k8s_str_or(role->name, "?"), verbs.buf, res.buf);
        sb_free(&res);
    }
    sb_free(&verbs);
}

void check_k8s_rbac_wildcard(const rule *r, lint_context *ctx)
{
    each_rbac_rule(r, ctx, rbac_wildcard);
}

void check_k8s_rbac_secrets_read(const rule *r, lint_context *ctx)
{
    each_rbac_rule(r, ctx, rbac_secrets_read);
}

void check_k8s_rbac_pods_exec(const rule *r, lint_context *ctx)
{
    each_rbac_rule(r, ctx, rbac_pods_exec);
}

void check_k8s_rbac_escalation_verbs(const rule *r, lint_context *ctx)
{
    each_rbac_rule(r, ctx, rbac_escalation_verbs);
}

