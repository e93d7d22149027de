/* text_pool.c - see text_pool.h. Each thread interns into a table of its
 * own: open addressing over 16-byte slots (a 32-bit tag from the hash, the
 * length, the text), so that a probe costs one slot and only a matching
 * tag and length lead to the text; the texts are in the table's arena. A thread
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

typedef struct pool_slot {
    uint32_t tag; /* 0 when empty, else tag_of(hash) */
    uint32_t len;
    const char *text;
} pool_slot;

typedef struct thread_table {
    struct thread_table *next; /* the tables of the pool's other threads */
    pool_slot *slots;
    size_t mask; /* capacity - 1 (a power of two) */
    size_t count;
    arena *texts; /* the interned texts */
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

/* n empty slots. */
static pool_slot *slots_new(size_t n)
{
    return xzalloc(n, sizeof(pool_slot));
}

static thread_table *table_of_this_thread(text_pool *p)
{
    if (local.pool_id == p->id)
        return local.table;
    thread_table *t = xcalloc(1, sizeof *t);
    t->mask = 1023;
    t->slots = slots_new(t->mask + 1);
    t->texts = arena_new();
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

static void table_grow(thread_table *t)
{
    size_t mask = 2 * t->mask + 1;
    pool_slot *slots = slots_new(mask + 1);
    for (size_t i = 0; i <= t->mask; i++) {
        const pool_slot *old = &t->slots[i];
        if (!old->tag)
            continue;
        size_t h = text_hash(old->text, old->len) & mask;
        while (slots[h].tag)
            h = (h + 1) & mask;
        slots[h] = *old;
    }
    free(t->slots);
    t->slots = slots;
    t->mask = mask;
}

/* A copy of s[0, n) and a NUL in t's texts. */
static const char *table_copy(thread_table *t, const char *s, size_t n)
{
    return arena_strndup(t->texts, s, n);
}

/* s[0, n) interned in t, hash being text_hash(s, n). */
static const char *intern_hashed(thread_table *t, const char *s, size_t n, uint64_t hash)
{
    if (n > UINT32_MAX) /* not a message: kept, not shared */
        return table_copy(t, s, n);
    uint32_t tag = tag_of(hash);
    size_t h = hash & t->mask;
    for (; t->slots[h].tag; h = (h + 1) & t->mask) {
        const pool_slot *slot = &t->slots[h];
        if (slot->tag == tag && slot->len == n && !memcmp(slot->text, s, n))
            return slot->text;
    }
    if (2 * (t->count + 1) > t->mask + 1) {
        table_grow(t);
        for (h = hash & t->mask; t->slots[h].tag; h = (h + 1) & t->mask) {
        }
    }
    t->slots[h] = (pool_slot){tag, (uint32_t)n, table_copy(t, s, n)};
    t->count++;
    return t->slots[h].text;
}

const char *text_pool_intern(text_pool *pool, const char *s, size_t n)
{
    return intern_hashed(table_of_this_thread(pool), s, n, text_hash(s, n));
}

void text_pool_intern_all(text_pool *pool, const char **texts, size_t n)
{
    enum { BATCH = 16 };
    thread_table *t = table_of_this_thread(pool);
    for (size_t from = 0; from < n; from += BATCH) {
        size_t m = n - from < BATCH ? n - from : BATCH;
        const char **batch = texts + from;
        uint64_t hash[BATCH];
        size_t len[BATCH];
        for (size_t i = 0; i < m; i++) { /* the slots are fetched meanwhile */
            len[i] = strlen(batch[i]);
            hash[i] = text_hash(batch[i], len[i]);
            __builtin_prefetch(&t->slots[hash[i] & t->mask]);
        }
        for (size_t i = 0; i < m; i++) { /* so are the texts they point to */
            const pool_slot *slot = &t->slots[hash[i] & t->mask];
            if (slot->tag == tag_of(hash[i]))
                __builtin_prefetch(slot->text);
        }
        for (size_t i = 0; i < m; i++)
            batch[i] = intern_hashed(t, batch[i], len[i], hash[i]);
    }
}

void text_pool_free(text_pool *pool)
{
    if (!pool)
        return;
    for (thread_table *t = pool->tables, *next; t; t = next) {
        next = t->next;
        arena_free(t->texts);
        free(t->slots);
        free(t);
    }
    pthread_mutex_destroy(&pool->mu);
    free(pool);
}
