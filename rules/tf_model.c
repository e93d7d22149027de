/* tf_model.c - the helpers the Terraform C checks share: Terraform inputs,
 * lower-case key matching, the direction vocabulary of CIDR keys and the
 * reported-node set. See tf_model.h for the guarantees. */
#include "rules/tf_model.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

/* ---- inputs ------------------------------------------------------------ */

bool tf_input(const input_file *in)
{
    return in && !in->failed && in->src &&
           (in->format == FMT_TERRAFORM || in->format == FMT_TFVARS ||
            in->format == FMT_TFVARS_JSON);
}

bool tf_vars_input(const input_file *in)
{
    if (!tf_input(in))
        return false;
    return in->format == FMT_TFVARS ||
           (in->format == FMT_TFVARS_JSON && !tf_ends_with(in->path, ".tf.json"));
}

/* ---- text -------------------------------------------------------------- */

bool tf_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

void tf_lower_copy(char *dst, size_t cap, const char *src)
{
    size_t i = 0;
    for (; src && src[i] && i + 1 < cap; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    dst[i] = '\0';
}

bool tf_has_token(const char *lk, const char *word)
{
    size_t wl = strlen(word);
    for (const char *p = lk; (p = strstr(p, word)) != NULL; p++) {
        bool start = p == lk || !isalnum((unsigned char)p[-1]);
        bool end = !isalnum((unsigned char)p[wl]);
        if (start && end)
            return true;
    }
    return false;
}

bool tf_any_substr(const char *lk, const char *const *words)
{
    for (size_t i = 0; words[i]; i++)
        if (strstr(lk, words[i]))
            return true;
    return false;
}

bool tf_any_token(const char *lk, const char *const *words)
{
    for (size_t i = 0; words[i]; i++)
        if (tf_has_token(lk, words[i]))
            return true;
    return false;
}

const char *const tf_ingress_words[] = {"ingress",   "allow",     "source", "access",
                                        "trusted",   "whitelist", "allowlist", "permit",
                                        "inbound",   "admin",     "management", "mgmt",
                                        NULL};

bool tf_outbound_key(const char *lk)
{
    static const char *const words[] = {"egress", "outbound", NULL};
    static const char *const tokens[] = {"destination", "dest", "route", "routes", "nat", NULL};
    return tf_any_substr(lk, words) || tf_any_token(lk, tokens);
}

/* ---- nodes ------------------------------------------------------------- */

bool tf_seq_has(const doc_node *seq, const char *s)
{
    for (size_t i = 0; seq && i < seq->u.seq.count; i++)
        if (doc_str_eq(seq->u.seq.items[i], s))
            return true;
    return false;
}

/* ---- reported nodes ---------------------------------------------------- */

static size_t seen_hash(const void *p, size_t cap)
{
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 17;
    x *= (uintptr_t)0x9E3779B97F4A7C15ULL;
    return (size_t)(x ^ (x >> 29)) & (cap - 1);
}

bool tf_seen_add(tf_seen_set *s, const void *p)
{
    if (2 * (s->count + 1) > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        const void **slots = xcalloc(cap, sizeof *slots);
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slots[i])
                continue;
            size_t h = seen_hash(s->slots[i], cap);
            while (slots[h])
                h = (h + 1) & (cap - 1);
            slots[h] = s->slots[i];
        }
        free(s->slots);
        s->slots = slots;
        s->cap = cap;
    }
    size_t h = seen_hash(p, s->cap);
    while (s->slots[h]) {
        if (s->slots[h] == p)
            return false;
        h = (h + 1) & (s->cap - 1);
    }
    s->slots[h] = p;
    s->count++;
    return true;
}

void tf_seen_free(tf_seen_set *s)
{
    free(s->slots);
    memset(s, 0, sizeof *s);
}
