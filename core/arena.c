/* arena.c - bump allocator; see arena.h for the guarantees. */
#include "arena.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Standard blocks come from a shared pool carved out of large regions that
 * ask the kernel for transparent huge pages: parse trees of a big run touch
 * hundreds of MB, and faulting them in 4 KiB pages costs more than parsing.
 * Memory never handed out before is known to be zero, so allocations in a
 * fresh block skip the memset. Freed standard blocks go back to the pool,
 * through a small cache per thread (see block_cache).
 * Aligned allocations grow up from a block's start and strings grow down
 * from its end, so strings cost no alignment padding; a block is full when
 * the two meet. The current block's two ends live in the arena's cursor
 * (next, limit), where the inline allocators in arena.h move them; its used
 * and top are brought up to date (cursor_save) only when something else
 * looks at them. */
#define ARENA_BLOCK_SIZE (64 * 1024)
#define POOL_REGION_SIZE (64u << 20)
#define HUGE_PAGE_SIZE (2u << 20)

typedef struct arena_block {
    struct arena_block *next;
    size_t size;  /* usable bytes in data[] */
    size_t used;  /* aligned allocations: data[0 .. used) */
    size_t top;   /* strings: data[top .. size); free space is data[used .. top) */
    bool pooled;  /* a standard block from the pool (else malloc'd) */
    bool fresh;   /* never used before: data[] is still zero */
    _Alignas(16) unsigned char data[];
} arena_block;

#define ARENA_BLOCK_MIN (ARENA_BLOCK_SIZE - sizeof(arena_block))

static struct {
    pthread_mutex_t lock;
    arena_block *free_list;     /* returned standard blocks */
    unsigned char *region_next; /* next never-used block in the current region */
    unsigned char *region_end;
} pool = {PTHREAD_MUTEX_INITIALIZER, NULL, NULL, NULL};

static void oom(size_t size);

/* Each thread keeps the blocks it gave back last (up to CACHED_BLOCKS) and
 * takes from them first: a worker then reuses blocks that are still in its
 * own core's cache, where the shared list would often hand it those the
 * other worker just left. A thread's blocks go back to the shared list when
 * it ends. */
#define CACHED_BLOCKS 32

typedef struct block_cache {
    arena_block *head;
    unsigned count;
} block_cache;

static _Thread_local block_cache cache;
static pthread_key_t cache_key; /* its destructor empties a thread's cache */
static pthread_once_t cache_key_once = PTHREAD_ONCE_INIT;

static void pool_give_back_shared(arena_block *b)
{
    pthread_mutex_lock(&pool.lock);
    b->next = pool.free_list;
    pool.free_list = b;
    pthread_mutex_unlock(&pool.lock);
}

static void cache_empty(void *c)
{
    block_cache *bc = c;
    while (bc->head) {
        arena_block *b = bc->head;
        bc->head = b->next;
        pool_give_back_shared(b);
    }
    bc->count = 0;
}

static void cache_key_make(void)
{
    pthread_key_create(&cache_key, cache_empty);
}

/* A block from the shared list, or a never-used one (zero) from the
 * current region. */
static arena_block *pool_take_shared(void)
{
    pthread_mutex_lock(&pool.lock);
    arena_block *b = pool.free_list;
    if (b) {
        pool.free_list = b->next;
        b->fresh = false;
    } else {
        if (pool.region_next == pool.region_end) {
            size_t len = POOL_REGION_SIZE + HUGE_PAGE_SIZE;
            unsigned char *r = mmap(NULL, len, PROT_READ | PROT_WRITE,
                                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
            if (r == MAP_FAILED) {
                pthread_mutex_unlock(&pool.lock);
                oom(POOL_REGION_SIZE);
            }
            /* align to a huge page so whole 2 MiB pages can back it */
            unsigned char *aligned =
                (unsigned char *)(((uintptr_t)r + HUGE_PAGE_SIZE - 1) & ~(uintptr_t)(HUGE_PAGE_SIZE - 1));
            madvise(aligned, POOL_REGION_SIZE, MADV_HUGEPAGE); /* best effort */
            pool.region_next = aligned;
            pool.region_end = aligned + POOL_REGION_SIZE;
        }
        b = (arena_block *)pool.region_next;
        pool.region_next += ARENA_BLOCK_SIZE;
        b->fresh = true; /* anonymous memory starts zeroed */
    }
    pthread_mutex_unlock(&pool.lock);
    return b;
}

static arena_block *pool_take(void)
{
    arena_block *b = cache.head;
    if (b) {
        cache.head = b->next;
        cache.count--;
        b->fresh = false;
    } else {
        b = pool_take_shared();
    }
    b->size = b->top = ARENA_BLOCK_MIN;
    b->used = 0;
    b->pooled = true;
    return b;
}

static void pool_give_back(arena_block *b)
{
    if (cache.count == CACHED_BLOCKS) {
        pool_give_back_shared(b);
        return;
    }
    if (!cache.head) { /* so that the cache is emptied when the thread ends */
        pthread_once(&cache_key_once, cache_key_make);
        pthread_setspecific(cache_key, &cache);
    }
    b->next = cache.head;
    cache.head = b;
    cache.count++;
}

static void oom(size_t size)
{
    fprintf(stderr, "stackaudit: out of memory (allocating %zu bytes)\n", size);
    abort();
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        oom(size);
    return p;
}

void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q)
        oom(size);
    return q;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *xzalloc(size_t n, size_t size)
{
    return memset(xmalloc(n * size), 0, n * size);
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s);
    char *p = xmalloc(n + 1);
    memcpy(p, s, n + 1);
    return p;
}

arena *arena_new(void)
{
    return xcalloc(1, sizeof(arena));
}

void arena_free(arena *a)
{
    if (!a)
        return;
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        if (b->pooled)
            pool_give_back(b);
        else
            free(b);
        b = next;
    }
    free(a);
}

/* Writes the cursor back into the current block's used and top. */
static void cursor_save(arena *a)
{
    arena_block *b = a->head;
    if (b) {
        b->used = (size_t)(a->next - b->data);
        b->top = (size_t)(a->limit - b->data);
    }
}

/* Points the cursor at the current block's free space. */
static void cursor_load(arena *a)
{
    arena_block *b = a->head;
    a->next = b ? b->data + b->used : NULL;
    a->limit = b ? b->data + b->top : NULL;
    a->zeroed = b && b->fresh;
}

void arena_reset(arena *a)
{
    cursor_save(a);
    arena_block *keep = NULL, *b = a->head;
    while (b) {
        arena_block *next = b->next;
        if (b->pooled && !keep)
            keep = b;
        else if (b->pooled)
            pool_give_back(b);
        else
            free(b);
        b = next;
    }
    if (keep) {
        keep->next = NULL;
        if (keep->used || keep->top != keep->size)
            keep->fresh = false; /* handed-out bytes are no longer zero */
        keep->used = 0;
        keep->top = keep->size;
    }
    a->head = keep;
    cursor_load(a);
}

/* Makes a new block with at least size free bytes the one allocations come
 * from; the current block's free space is kept for later small requests
 * only when the new block is a large one of its own. */
static arena_block *add_block(arena *a, size_t size)
{
    arena_block *b = a->head;
    arena_block *nb;
    if (size <= ARENA_BLOCK_MIN) {
        nb = pool_take();
    } else {
        /* Large requests get their own block behind the current one so
         * the current block's free space is not wasted. */
        nb = xmalloc(sizeof(arena_block) + size);
        nb->size = nb->top = size;
        nb->used = 0;
        nb->pooled = false;
        nb->fresh = false;
    }
    if (b && size > ARENA_BLOCK_MIN) {
        nb->next = b->next;
        b->next = nb;
    } else {
        cursor_save(a);
        nb->next = b;
        a->head = nb;
        cursor_load(a);
    }
    return nb;
}

/* The block to take size bytes from: the current one if they fit, else a
 * new one (which may lie behind the current block, see add_block). */
static arena_block *block_with_room(arena *a, size_t size)
{
    if (a->head && (size_t)(a->limit - a->next) >= size)
        return a->head;
    return add_block(a, size);
}

void *arena_alloc_slow(arena *a, size_t size, bool zero)
{
    arena_block *b = block_with_room(a, size);
    void *p;
    if (b == a->head) {
        p = a->next;
        a->next += size;
    } else {
        p = b->data + b->used;
        b->used += size;
    }
    if (zero && !b->fresh)
        memset(p, 0, size);
    return p;
}

/* size bytes for a string, byte-aligned and not zeroed: the caller writes
 * them all. */
static char *string_space(arena *a, size_t size)
{
    arena_block *b = block_with_room(a, size);
    if (b == a->head) {
        a->limit -= size;
        return (char *)a->limit;
    }
    b->top -= size;
    return (char *)b->data + b->top;
}

void *arena_grow(arena *a, void *old, size_t old_size, size_t new_size)
{
    if (new_size <= old_size)
        return old;
    void *p = arena_alloc(a, new_size);
    if (old && old_size)
        memcpy(p, old, old_size);
    return p;
}

void *arena_memdup(arena *a, const void *src, size_t size)
{
    void *p = arena_alloc(a, size);
    if (size)
        memcpy(p, src, size);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t len)
{
    char *p = string_space(a, len + 1);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = string_space(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

size_t arena_used(const arena *a)
{
    size_t n = 0;
    for (const arena_block *b = a->head; b; b = b->next) {
        bool current = b == a->head;
        size_t used = current ? (size_t)(a->next - b->data) : b->used;
        size_t top = current ? (size_t)(a->limit - b->data) : b->top;
        n += used + (b->size - top);
    }
    return n;
}
