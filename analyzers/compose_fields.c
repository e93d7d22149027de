/* compose_fields.c - compose service fields -> normalized attributes; see
 * compose_fields.h for the guarantees. */
#include "compose_fields.h"

#include <ctype.h>
#include <string.h>

#include "analyzers/container.h"
#include "core/strbuf.h"

static src_span pair_span(const doc_node *key, const doc_node *value)
{
    src_span s = key->span;
    if (value && value->span.end.offset > s.end.offset)
        s.end = value->span.end;
    return s;
}

static bool scalar_text(const doc_node *n)
{
    return n && n->kind == DOC_SCALAR && n->u.scalar.type != SCALAR_NULL;
}

/* ---- environment -------------------------------------------------------- */

doc_node *compose_environment(arena *a, const doc_node *env, diag_list *diags)
{
    if (!attr_present(env))
        return NULL;
    doc_node *seq = attr_seq_new(a, env);
    if (env->kind == DOC_MAP) {
        for (size_t i = 0; i < env->u.map.count; i++) {
            const doc_pair *p = &env->u.map.pairs[i];
            doc_node *m = doc_new(a, DOC_MAP, env->file, pair_span(p->key, p->value));
            ATTR_SET(a, m, "name", attr_as_str(a, p->key));
            if (p->value && p->value->kind != DOC_SCALAR)
                attr_warn(diags, p->value,
                          "environment variable %s must be a string, number or boolean",
                          doc_str(p->key) ? doc_str(p->key) : "");
            else
                ATTR_SET(a, m, "value", attr_as_str(a, p->value));
            doc_seq_add(a, seq, m);
        }
        return seq;
    }
    if (env->kind != DOC_SEQ) {
        attr_warn(diags, env, "environment must be a list or a mapping; ignored");
        return NULL;
    }
    for (size_t i = 0; i < env->u.seq.count; i++) {
        const doc_node *e = env->u.seq.items[i];
        if (!scalar_text(e)) {
            if (attr_present(e))
                attr_warn(diags, e, "environment entry must be KEY=value or KEY; ignored");
            continue;
        }
        const char *t = e->u.scalar.text;
        size_t len = e->u.scalar.len;
        doc_node *m = attr_map_sized(a, e, 2);
        const char *eq = memchr(t, '=', len);
        if (!eq) {
            ATTR_SET(a, m, "name", attr_as_str(a, e));
        } else {
            size_t k = (size_t)(eq - t);
            ATTR_SET(a, m, "name", attr_sub_str(a, e, t, len, 0, k));
            ATTR_SET(a, m, "value", attr_sub_str(a, e, t, len, k + 1, len));
        }
        doc_seq_add(a, seq, m);
    }
    return seq;
}

doc_node *compose_env_files(arena *a, const doc_node *env_file)
{
    if (!attr_present(env_file))
        return NULL;
    if (env_file->kind != DOC_SEQ)
        return attr_str_seq(a, env_file);
    doc_node *seq = attr_seq_new(a, env_file);
    for (size_t i = 0; i < env_file->u.seq.count; i++) {
        const doc_node *e = env_file->u.seq.items[i];
        attr_push(a, seq, attr_as_str(a, e->kind == DOC_MAP ? doc_get(e, "path") : e));
    }
    return seq;
}

/* ---- volumes ------------------------------------------------------------ */

static bool is_host_path(const char *s, size_t len)
{
    if (!len)
        return false;
    if (s[0] == '.' || s[0] == '/' || s[0] == '~' || s[0] == '\\')
        return true;
    return len >= 2 && isalpha((unsigned char)s[0]) && s[1] == ':';
}

static bool mode_has(const char *mode, size_t len, const char *opt)
{
    size_t ol = strlen(opt);
    size_t i = 0;
    while (i <= len) {
        size_t j = i;
        while (j < len && mode[j] != ',')
            j++;
        if (j - i == ol && strncmp(mode + i, opt, ol) == 0)
            return true;
        i = j + 1;
    }
    return false;
}

/* Short syntax "SOURCE:TARGET[:MODE]", "TARGET" (anonymous volume), with
 * Windows drive letters kept in the source ("C:\data:/data"). */
static doc_node *short_volume(arena *a, const doc_node *e, diag_list *diags)
{
    const char *t = e->u.scalar.text;
    size_t len = e->u.scalar.len;
    size_t start[3], end[3], nf = 0;
    size_t s = 0;
    for (size_t i = 0;; i++) { /* i: the next ':' or the end */
        const char *colon = i < len ? memchr(t + i, ':', len - i) : NULL;
        i = colon ? (size_t)(colon - t) : len;
        if (colon && i - s == 1 && isalpha((unsigned char)t[s]))
            continue; /* drive letter */
        if (i == s || nf == 3) {
            attr_warn_at(diags, e->file, attr_sub_pos(e, t, len, i == s ? s : s - 1),
                         "invalid volume \"%s\": %s; entry ignored", t,
                         i == s ? "empty section" : "too many colons");
            return NULL;
        }
        start[nf] = s;
        end[nf] = i;
        nf++;
        if (i == len)
            break;
        s = i + 1;
    }
    if (nf == 0) {
        attr_warn(diags, e, "invalid volume: empty specification; entry ignored");
        return NULL;
    }
    doc_node *m = attr_map_sized(a, e, nf == 1 ? 3 : nf == 2 ? 4 : 5);
    if (nf == 1) {
        ATTR_SET(a, m, "type", doc_new_str(a, e->file, e->span, "volume"));
        ATTR_SET(a, m, "target", attr_sub_str(a, e, t, len, start[0], end[0]));
        ATTR_SET(a, m, "read_only", doc_new_bool(a, e->file, e->span, false));
        return m;
    }
    bool bind = is_host_path(t + start[0], end[0] - start[0]);
    ATTR_SET(a, m, "type", doc_new_str(a, e->file, e->span, bind ? "bind" : "volume"));
    ATTR_SET(a, m, "source", attr_sub_str(a, e, t, len, start[0], end[0]));
    ATTR_SET(a, m, "target", attr_sub_str(a, e, t, len, start[1], end[1]));
    bool ro = false;
    src_span ro_span = e->span;
    if (nf == 3) {
        ro = mode_has(t + start[2], end[2] - start[2], "ro");
        ro_span = attr_sub_span(e, t, len, start[2], end[2]);
    }
    ATTR_SET(a, m, "read_only", doc_new_bool(a, e->file, ro_span, ro));
    if (nf == 3)
        ATTR_SET(a, m, "mode", attr_sub_str(a, e, t, len, start[2], end[2]));
    return m;
}

static doc_node *long_volume(arena *a, const doc_node *e, diag_list *diags)
{
    enum { TYPE, TARGET, SOURCE, READ_ONLY, BIND, NFIELDS };
    static const attr_field fields[NFIELDS] = {ATTR_FIELD("type"), ATTR_FIELD("target"),
                                               ATTR_FIELD("source"), ATTR_FIELD("read_only"),
                                               ATTR_FIELD("bind")};
    const doc_node *f[NFIELDS];
    attr_fields(e, fields, NFIELDS, f);
    doc_node *m = attr_map_sized(a, e, 5);
    doc_node *type = attr_as_str(a, f[TYPE]);
    doc_node *target = attr_as_str(a, f[TARGET]);
    if (!target) {
        attr_warn(diags, e, "volume entry needs a target; entry ignored");
        return NULL;
    }
    doc_node *source = attr_as_str(a, f[SOURCE]);
    if (!type)
        type = doc_new_str(a, e->file, e->span, "volume");
    ATTR_SET(a, m, "type", type);
    ATTR_SET(a, m, "source", source);
    ATTR_SET(a, m, "target", target);
    doc_node *ro = attr_as_bool(a, f[READ_ONLY]);
    ATTR_SET(a, m, "read_only", ro ? ro : doc_new_bool(a, e->file, e->span, false));
    ATTR_SET(a, m, "propagation", attr_as_str(a, doc_get(f[BIND], "propagation")));
    return m;
}

doc_node *compose_volume_mounts(arena *a, const doc_node *volumes, const doc_node *tmpfs,
                                diag_list *diags)
{
    if (!attr_present(volumes) && !attr_present(tmpfs))
        return NULL;
    doc_node *seq = attr_seq_new(a, attr_present(volumes) ? volumes : tmpfs);
    if (attr_present(volumes)) {
        if (volumes->kind != DOC_SEQ) {
            attr_warn(diags, volumes, "volumes must be a list; ignored");
        } else {
            for (size_t i = 0; i < volumes->u.seq.count; i++) {
                const doc_node *e = volumes->u.seq.items[i];
                if (e->kind == DOC_MAP)
                    attr_push(a, seq, long_volume(a, e, diags));
                else if (scalar_text(e))
                    attr_push(a, seq, short_volume(a, e, diags));
                else
                    attr_warn(diags, e, "a volume is a string or a mapping; entry ignored");
            }
        }
    }
    if (attr_present(tmpfs)) {
        doc_node *targets = attr_str_seq(a, tmpfs);
        for (size_t i = 0; targets && i < targets->u.seq.count; i++) {
            doc_node *tn = targets->u.seq.items[i];
            doc_node *m = attr_map_sized(a, tn, 3);
            /* "/run:size=64m" style options follow the first ':' */
            const char *colon = strchr(tn->u.scalar.text, ':');
            size_t tl = colon ? (size_t)(colon - tn->u.scalar.text) : tn->u.scalar.len;
            ATTR_SET(a, m, "type", doc_new_str(a, tn->file, tn->span, "tmpfs"));
            ATTR_SET(a, m, "target",
                     colon ? attr_sub_str(a, tn, tn->u.scalar.text, tn->u.scalar.len, 0, tl) : tn);
            ATTR_SET(a, m, "read_only", doc_new_bool(a, tn->file, tn->span, false));
            doc_seq_add(a, seq, m);
        }
    }
    return seq;
}

/* ---- labels, healthcheck, names ----------------------------------------- */

doc_node *compose_labels(arena *a, const doc_node *labels, diag_list *diags)
{
    if (!attr_present(labels))
        return NULL;
    doc_node *m = attr_map_new(a, labels);
    if (labels->kind == DOC_MAP) {
        for (size_t i = 0; i < labels->u.map.count; i++) {
            const doc_pair *p = &labels->u.map.pairs[i];
            doc_node *v = attr_as_str(a, p->value);
            doc_map_add(a, m, p->key, v ? v : doc_new_str(a, p->key->file, p->key->span, ""));
        }
        return m;
    }
    if (labels->kind != DOC_SEQ) {
        attr_warn(diags, labels, "labels must be a list or a mapping; ignored");
        return NULL;
    }
    for (size_t i = 0; i < labels->u.seq.count; i++) {
        const doc_node *e = labels->u.seq.items[i];
        if (!scalar_text(e))
            continue;
        const char *t = e->u.scalar.text;
        size_t len = e->u.scalar.len;
        const char *eq = memchr(t, '=', len);
        size_t k = eq ? (size_t)(eq - t) : len;
        doc_node *key = attr_sub_str(a, e, t, len, 0, k);
        doc_node *val = eq ? attr_sub_str(a, e, t, len, k + 1, len)
                           : doc_new_str(a, e->file, e->span, "");
        doc_map_add(a, m, key, val);
    }
    return m;
}

doc_node *compose_healthcheck(arena *a, const doc_node *hc)
{
    if (!attr_present(hc) || hc->kind != DOC_MAP)
        return NULL;
    enum { TEST, INTERVAL, TIMEOUT, START_PERIOD, START_INTERVAL, RETRIES, DISABLE, NFIELDS };
    static const attr_field fields[NFIELDS] = {
        ATTR_FIELD("test"),           ATTR_FIELD("interval"), ATTR_FIELD("timeout"),
        ATTR_FIELD("start_period"),   ATTR_FIELD("start_interval"), ATTR_FIELD("retries"),
        ATTR_FIELD("disable")};
    const doc_node *f[NFIELDS];
    attr_fields(hc, fields, NFIELDS, f);
    doc_node *m = attr_map_sized(a, hc, 7);
    const doc_node *test = f[TEST];
    ATTR_SET(a, m, "test", attr_present(test) ? (doc_node *)test : NULL);
    ATTR_SET(a, m, "interval", attr_as_str(a, f[INTERVAL]));
    ATTR_SET(a, m, "timeout", attr_as_str(a, f[TIMEOUT]));
    ATTR_SET(a, m, "start_period", attr_as_str(a, f[START_PERIOD]));
    ATTR_SET(a, m, "start_interval", attr_as_str(a, f[START_INTERVAL]));
    ATTR_SET(a, m, "retries", attr_as_int(a, f[RETRIES]));
    doc_node *disabled = attr_as_bool(a, f[DISABLE]);
    const doc_node *first = test && test->kind == DOC_SEQ && test->u.seq.count
                                ? test->u.seq.items[0]
                                : test;
    if ((!disabled || !disabled->u.scalar.b) && doc_str_eq(first, "NONE"))
        disabled = doc_new_bool(a, first->file, first->span, true);
    ATTR_SET(a, m, "disabled", disabled ? disabled : doc_new_bool(a, hc->file, hc->span, false));
    return m;
}

doc_node *compose_name_list(arena *a, const doc_node *n)
{
    if (!attr_present(n))
        return NULL;
    if (n->kind == DOC_MAP) {
        doc_node *seq = attr_seq_new(a, n);
        for (size_t i = 0; i < n->u.map.count; i++)
            attr_push(a, seq, attr_as_str(a, n->u.map.pairs[i].key));
        return seq;
    }
    return attr_str_seq(a, n);
}

doc_node *compose_secrets(arena *a, const doc_node *secrets)
{
    if (!attr_present(secrets) || secrets->kind != DOC_SEQ)
        return attr_present(secrets) ? attr_str_seq(a, secrets) : NULL;
    doc_node *seq = attr_seq_new(a, secrets);
    for (size_t i = 0; i < secrets->u.seq.count; i++) {
        const doc_node *e = secrets->u.seq.items[i];
        attr_push(a, seq, attr_as_str(a, e->kind == DOC_MAP ? doc_get(e, "source") : e));
    }
    return seq;
}

/* ---- command ------------------------------------------------------------ */

/* Splits like a POSIX shell: blanks separate words, '...' is literal,
 * "..." allows \" \\ \$ \`, a backslash outside quotes escapes the next
 * character. Each word's span is its raw text in the source. */
static doc_node *split_words(arena *a, const doc_node *n, diag_list *diags)
{
    const char *t = n->u.scalar.text;
    size_t len = n->u.scalar.len;
    doc_node *seq = attr_seq_new(a, n);
    strbuf w;
    sb_init(&w);
    size_t i = 0;
    while (i < len) {
        while (i < len && isspace((unsigned char)t[i]))
            i++;
        if (i >= len)
            break;
        size_t ws = i;
        sb_reset(&w);
        char quote = 0;
        while (i < len && (quote || !isspace((unsigned char)t[i]))) {
            char c = t[i];
            if (quote == '\'') {
                if (c == '\'')
                    quote = 0;
                else
                    sb_addc(&w, c);
                i++;
            } else if (c == '\\' && i + 1 < len &&
                       (!quote || strchr("\"\\$`", t[i + 1]))) {
                sb_addc(&w, t[i + 1]);
                i += 2;
            } else if (quote == '"') {
                if (c == '"')
                    quote = 0;
                else
                    sb_addc(&w, c);
                i++;
            } else if (c == '\'' || c == '"') {
                quote = c;
                i++;
            } else {
                sb_addc(&w, c);
                i++;
            }
        }
        if (quote) {
            attr_warn_at(diags, n->file, attr_sub_pos(n, t, len, ws),
                         "unterminated quote in command; the rest is taken as one word");
        }
        src_span sp = attr_sub_span(n, t, len, ws, i);
        doc_seq_add(a, seq, doc_new_scalar(a, n->file, sp, SCALAR_STR, STYLE_DOUBLE_QUOTED,
                                           w.buf, w.len));
    }
    sb_free(&w);
    return seq;
}

doc_node *compose_command(arena *a, const doc_node *cmd, diag_list *diags)
{
    if (!attr_present(cmd))
        return NULL;
    if (cmd->kind == DOC_SEQ)
        return attr_str_seq(a, cmd);
    if (cmd->kind != DOC_SCALAR) {
        attr_warn(diags, cmd, "a command is a string or a list; ignored");
        return NULL;
    }
    return split_words(a, cmd, diags);
}

/* ---- security_opt ------------------------------------------------------- */

void compose_security_opts(arena *a, doc_node *attrs, const doc_node *opts, diag_list *diags)
{
    if (!attr_present(opts))
        return;
    doc_node *seq = attr_str_seq(a, opts);
    ATTR_SET(a, attrs, "security_opt", seq);
    doc_node *nnp = NULL, *seccomp = NULL, *apparmor = NULL;
    for (size_t i = 0; seq && i < seq->u.seq.count; i++) {
        doc_node *e = seq->u.seq.items[i];
        const char *t = e->u.scalar.text;
        size_t len = e->u.scalar.len;
        size_t k = strcspn(t, ":=");
        bool has_value = k < len;
        if (k == 17 && strncmp(t, "no-new-privileges", 17) == 0) {
            if (!has_value) {
                nnp = doc_new_bool(a, e->file, e->span, true);
                continue;
            }
            doc_node *v = attr_sub_str(a, e, t, len, k + 1, len);
            doc_node *b = attr_as_bool(a, v);
            if (!b)
                attr_warn(diags, e, "no-new-privileges takes true or false, not \"%s\"",
                          v->u.scalar.text);
            else
                nnp = b;
        } else if (has_value && k == 7 && strncmp(t, "seccomp", 7) == 0) {
            seccomp = attr_sub_str(a, e, t, len, k + 1, len);
        } else if (has_value && k == 8 && strncmp(t, "apparmor", 8) == 0) {
            apparmor = attr_sub_str(a, e, t, len, k + 1, len);
        }
    }
    ATTR_SET(a, attrs, "no_new_privileges", nnp);
    ATTR_SET(a, attrs, "seccomp", seccomp);
    ATTR_SET(a, attrs, "apparmor", apparmor);
}

/* ---- resources ---------------------------------------------------------- */

static doc_node *first_present(const doc_node *x, const doc_node *y)
{
    return (doc_node *)(attr_present(x) ? x : attr_present(y) ? y : NULL);
}

static doc_node *resource_map(arena *a, const doc_node *deploy_part, const doc_node *cpu,
                              const doc_node *mem, const doc_node *pids)
{
    doc_node *c = attr_as_str(a, cpu), *m = attr_as_str(a, mem), *p = attr_as_str(a, pids);
    if (!c && !m && !p)
        return NULL;
    const doc_node *span_from = attr_present(deploy_part) ? deploy_part : c ? c : m ? m : p;
    doc_node *map = attr_map_sized(a, span_from, 3);
    ATTR_SET(a, map, "cpu", c);
    ATTR_SET(a, map, "memory", m);
    ATTR_SET(a, map, "pids", p);
    return map;
}

void compose_resources(arena *a, doc_node *attrs, const compose_resource_fields *svc)
{
    static const attr_field parts[] = {ATTR_FIELD("limits"), ATTR_FIELD("reservations")};
    static const attr_field amounts[] = {ATTR_FIELD("cpus"), ATTR_FIELD("memory"),
                                         ATTR_FIELD("pids")};
    const doc_node *part[2], *lim[3], *res[2];
    attr_fields(doc_get(svc->deploy, "resources"), parts, 2, part);
    attr_fields(part[0], amounts, 3, lim);
    attr_fields(part[1], amounts, 2, res);
    ATTR_SET(a, attrs, "limits",
             resource_map(a, part[0], first_present(lim[0], svc->cpus),
                          first_present(lim[1], svc->mem_limit),
                          first_present(lim[2], svc->pids_limit)));
    ATTR_SET(a, attrs, "requests",
             resource_map(a, part[1], res[0], first_present(res[1], svc->mem_reservation),
                          NULL));
}
