/* finding.c - finding lists; see finding.h. */
#include "finding.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"

void finding_list_reserve(finding_list *l, size_t n)
{
    if (l->cap - l->count >= n)
        return;
    size_t cap = l->cap ? l->cap : 16;
    while (cap - l->count < n)
        cap *= 2;
    l->items = xrealloc(l->items, cap * sizeof(finding));
    l->cap = cap;
}

void finding_list_shrink(finding_list *l)
{
    if (l->cap == l->count)
        return;
    if (l->count) {
        l->items = xrealloc(l->items, l->count * sizeof(finding));
    } else {
        free(l->items);
        l->items = NULL;
    }
    l->cap = l->count;
}

finding *finding_list_add(finding_list *l)
{
    if (l->count == l->cap)
        finding_list_reserve(l, 1);
    finding *f = &l->items[l->count++];
    memset(f, 0, sizeof *f);
    return f;
}

/* Texts are packed in blocks of TEXT_BLOCK bytes (a longer text gets a block
 * of its own size), newest first. The blocks stay small: the newest block of
 * each list is only partly used, and a list may be kept until the report is
 * written (lint moves its messages to a text pool and frees the blocks
 * first: finding_list_intern). */
struct finding_text_block {
    finding_text_block *next; /* older */
    size_t used;
    size_t size;
    char data[];
};

#define TEXT_BLOCK 1024

static finding_text_block *text_block_new(finding_text_block *next, size_t need)
{
    size_t size = need > TEXT_BLOCK ? need : TEXT_BLOCK;
    finding_text_block *b = xmalloc(sizeof *b + size);
    b->next = next;
    b->used = 0;
    b->size = size;
    return b;
}

const char *finding_list_text(finding_list *l, const char *s, size_t n)
{
    finding_text_block *b = l->texts;
    if (!b || b->size - b->used <= n)
        b = l->texts = text_block_new(b, n + 1);
    char *t = b->data + b->used;
    memcpy(t, s, n);
    t[n] = '\0';
    b->used += n + 1;
    return t;
}

static void text_blocks_free(finding_text_block *b)
{
    for (finding_text_block *older; b; b = older) {
        older = b->next;
        free(b);
    }
}

void finding_list_intern(finding_list *l, text_pool *pool)
{
    const char *local[64];
    const char **texts = l->count <= 64 ? local : xmalloc(l->count * sizeof *texts);
    for (size_t i = 0; i < l->count; i++)
        texts[i] = l->items[i].message;
    text_pool_intern_all(pool, texts, l->count);
    for (size_t i = 0; i < l->count; i++)
        l->items[i].message = texts[i];
    if (texts != local)
        free(texts);
    text_blocks_free(l->texts);
    l->texts = NULL;
}

void finding_list_adopt(finding_list *dst, finding_list *src)
{
    finding_text_block *b = src->texts;
    if (b && !dst->texts) {
        dst->texts = b;
    } else if (b) { /* after dst's newest block, which stays the one filled next */
        finding_text_block *last = b;
        while (last->next)
            last = last->next;
        last->next = dst->texts->next;
        dst->texts->next = b;
    }
    free(src->items);
    memset(src, 0, sizeof *src);
}

void finding_list_move(finding_list *dst, finding_list *src)
{
    if (src->count) {
        finding_list_reserve(dst, src->count);
        memcpy(dst->items + dst->count, src->items, src->count * sizeof(finding));
        dst->count += src->count;
    }
    finding_list_adopt(dst, src);
}

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static const char *rule_id_of(const finding *f)
{
    return f->rule ? f->rule->id : NULL;
}

int finding_cmp(const finding *a, const finding *b)
{
    int c; /* the findings of one input share its path and those of one rule
            * its finding_rule: equal pointers, equal texts */
    if (a->path != b->path && (c = cmp_str(a->path, b->path)))
        return c;
    if (a->span.start.line != b->span.start.line)
        return a->span.start.line < b->span.start.line ? -1 : 1;
    if (a->span.start.col != b->span.start.col)
        return a->span.start.col < b->span.start.col ? -1 : 1;
    if (a->rule != b->rule && (c = cmp_str(rule_id_of(a), rule_id_of(b))))
        return c;
    if ((c = cmp_str(a->message, b->message)))
        return c;
    /* ties left: the same finding reported twice, or at spans that start
     * alike; ordered on so that the order never depends on the sort */
    if (a->span.end.offset != b->span.end.offset)
        return a->span.end.offset < b->span.end.offset ? -1 : 1;
    if (a->mask_start != b->mask_start)
        return a->mask_start < b->mask_start ? -1 : 1;
    if (a->mask_end != b->mask_end)
        return a->mask_end < b->mask_end ? -1 : 1;
    if (a->fingerprint != b->fingerprint) /* as its hex text would compare */
        return a->fingerprint < b->fingerprint ? -1 : 1;
    return 0;
}

static int cmp_finding(const void *a, const void *b)
{
    return finding_cmp(a, b);
}

void finding_list_sort(finding_list *l)
{
    if (l->count > 1)
        qsort(l->items, l->count, sizeof(finding), cmp_finding);
}

void finding_list_free(finding_list *l)
{
    text_blocks_free(l->texts);
    free(l->items);
    memset(l, 0, sizeof *l);
}

void finding_fingerprint_hex(uint64_t fingerprint, char out[FINGERPRINT_SIZE])
{
    static const char hex[] = "0123456789abcdef";
#pragma GCC unroll 16
    for (int i = FINGERPRINT_SIZE - 2; i >= 0; i--, fingerprint >>= 4)
        out[i] = hex[fingerprint & 15];
    out[FINGERPRINT_SIZE - 1] = '\0';
}

const char *severity_name(severity s)
{
    static const char *names[] = {"info", "low", "medium", "high", "critical"};
    return names[s];
}

bool severity_parse(const char *s, severity *out)
{
    for (int i = SEV_INFO; i <= SEV_CRITICAL; i++)
        if (strcasecmp(s, severity_name((severity)i)) == 0) {
            *out = (severity)i;
            return true;
        }
    return false;
}
