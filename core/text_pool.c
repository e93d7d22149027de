/* text_pool.c - see text_pool.h. Each thread interns into a table of its
 * own: open addressing over 32-bit tags (from the hash) beside the texts,
 * so that a probe reads 4 bytes per slot and only a matching tag leads to
 * a text; the texts are packed in blocks, each after its length. A thread
 * finds its table through a thread-local cache keyed by the pool's id (ids
 * are never reused, so a freed pool's cache entry never matches a new pool
 * at the same address); the pool's lock is taken only when a thread
 * interns into a pool for the first time. */
#include "text_pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

typedef struct text_block {
    struct text_block *next; /* older */
    size_t used, size;
    char data[];
} text_block;

#define TEXT_BLOCK (64 * 1024)

typedef struct thread_table {
    struct thread_table *next; /* the tables of the pool's other threads */
    uint32_t *tags;     /* per slot: 0 when empty, else tag_of(hash) */
    const char **texts; /* per slot: the text, its length before it */
    size_t mask;        /* capacity - 1 (a power of two) */
    size_t count;
    text_block *blocks; /* newest first */
} thread_table;

struct text_pool {
    uint64_t id;
    pthread_mutex_t mu; /* guards tables */
    thread_table *tables;
};

static atomic_uint_fast64_t next_pool_id = 1;

static _Thread_local struct {
    uint64_t pool_id;
    thread_table *table;
} local;

text_pool *text_pool_new(void)
{
    text_pool *p = xcalloc(1, sizeof *p);
    p->id = atomic_fetch_add(&next_pool_id, 1);
    pthread_mutex_init(&p->mu, NULL);
    return p;
}

static thread_table *table_of_this_thread(text_pool *p)
{
    if (local.pool_id == p->id)
        return local.table;
    thread_table *t = xcalloc(1, sizeof *t);
    t->mask = 1023;
    t->tags = xcalloc(t->mask + 1, sizeof *t->tags);
    t->texts = xcalloc(t->mask + 1, sizeof *t->texts);
    pthread_mutex_lock(&p->mu);
    t->next = p->tables;
    p->tables = t;
    pthread_mutex_unlock(&p->mu);
    local.pool_id = p->id;
    local.table = t;
    return t;
}

/* 8 bytes at a time, multiply and fold. */
static uint64_t text_hash(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
    return h ^ (h >> 29);
}

static uint32_t tag_of(uint64_t hash)
{
    return (uint32_t)(hash >> 32) | 1;
}

static size_t text_len(const char *text)
{
    size_t n;
    memcpy(&n, text - sizeof n, sizeof n);
    return n;
}

static void table_grow(thread_table *t)
{
    size_t mask = 2 * t->mask + 1;
    uint32_t *tags = xcalloc(mask + 1, sizeof *tags);
    const char **texts = xcalloc(mask + 1, sizeof *texts);
    for (size_t i = 0; i <= t->mask; i++) {
        if (!t->tags[i])
            continue;
        const char *text = t->texts[i];
        size_t h = text_hash(text, text_len(text)) & mask;
        while (tags[h])
            h = (h + 1) & mask;
        tags[h] = t->tags[i];
        texts[h] = text;
    }
    free(t->tags);
    free(t->texts);
    t->tags = tags;
    t->texts = texts;
    t->mask = mask;
}

/* A copy of s[0, n) and a NUL, after n, in t's blocks. */
static const char *table_copy(thread_table *t, const char *s, size_t n)
{
    size_t need = sizeof n + n + 1;
    text_block *b = t->blocks;
    if (!b || b->size - b->used < need) {
        size_t size = need > TEXT_BLOCK ? need : TEXT_BLOCK;
        b = xmalloc(sizeof *b + size);
        b->next = t->blocks;
        b->used = 0;
        b->size = size;
        t->blocks = b;
    }
    char *copy = b->data + b->used + sizeof n;
    memcpy(copy - sizeof n, &n, sizeof n);
    memcpy(copy, s, n);
    copy[n] = '\0';
    b->used += need;
    return copy;
}

const char *text_pool_intern(text_pool *pool, const char *s, size_t n)
{
    thread_table *t = table_of_this_thread(pool);
    uint64_t hash = text_hash(s, n);
    uint32_t tag = tag_of(hash);
    size_t h = hash & t->mask;
    for (; t->tags[h]; h = (h + 1) & t->mask) {
        const char *text = t->texts[h];
        if (t->tags[h] == tag && text_len(text) == n && !memcmp(text, s, n))
            return text;
    }
    if (2 * (t->count + 1) > t->mask + 1) {
        table_grow(t);
        for (h = hash & t->mask; t->tags[h]; h = (h + 1) & t->mask) {
        }
    }
    t->tags[h] = tag;
    t->texts[h] = table_copy(t, s, n);
    t->count++;
    return t->texts[h];
}

void text_pool_free(text_pool *pool)
{
    if (!pool)
        return;
    for (thread_table *t = pool->tables, *next; t; t = next) {
        next = t->next;
        for (text_block *b = t->blocks, *older; b; b = older) {
            older = b->next;
            free(b);
        }
        free(t->tags);
        free(t->texts);
        free(t);
    }
    pthread_mutex_destroy(&pool->mu);
    free(pool);
}
