/* arena.h - per-run bump allocator for parse trees and entities.
 *
 * Guarantees: every allocation is 16-byte aligned and zero-filled, except
 * strings (arena_strndup, arena_strdup, arena_printf), which are packed with
 * no alignment and hold just their bytes and the NUL, and arena_alloc_uninit
 * (aligned, not zeroed); nothing is
 * freed individually; arena_free() releases every block at once (arena_reset()
 * too, keeping one block for the arena's next allocations). Allocation
 * failure aborts the process with a message (out-of-memory is an internal
 * failure, exit code 3), so callers never see NULL.
 * arena_alloc and arena_alloc_uninit are inline: their common case is a bump
 * of the current block's cursor (and, for arena_alloc, a memset whose size
 * the compiler usually knows); the rest happens out of line in arena.c. */
#ifndef SA_ARENA_H
#define SA_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct arena arena;

/* Only the cursor and the current block's address are public, for the
 * inline fast paths; the blocks behind them are arena.c's. */
struct arena {
    unsigned char *next;  /* the current block's free space is [next, limit): */
    unsigned char *limit; /* aligned allocations take its bottom, strings its top */
    bool zeroed;          /* that free space is known to be zero */
    struct arena_block *head; /* the current block, then older ones */
};

arena *arena_new(void);
void arena_free(arena *a);

/* Out of line part of arena_alloc and arena_alloc_uninit: size (a multiple
 * of 16) bytes when the current block may not have them; zeroed if zero. */
void *arena_alloc_slow(arena *a, size_t size, bool zero);

/* size bytes (a multiple of 16) from the current block, or NULL when it has
 * no more than that ("<=", so that a request of 0 bytes before the first
 * block goes to arena_alloc_slow too, never returning NULL). */
static inline void *arena_bump(arena *a, size_t size)
{
    if ((uintptr_t)a->limit - (uintptr_t)a->next <= size)
        return NULL;
    void *p = a->next;
    a->next += size;
    return p;
}

/* arena_alloc without the zero-fill, for callers that set every byte. */
static inline void *arena_alloc_uninit(arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    void *p = arena_bump(a, size);
    return __builtin_expect(p != NULL, 1) ? p : arena_alloc_slow(a, size, false);
}

static inline void *arena_alloc(arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    void *p = arena_bump(a, size);
    if (__builtin_expect(p == NULL, 0))
        return arena_alloc_slow(a, size, true);
    if (!a->zeroed)
        memset(p, 0, size);
    return p;
}

/* Grows an earlier allocation of old_size bytes to new_size (copying). */
void *arena_grow(arena *a, void *old, size_t old_size, size_t new_size);
void *arena_memdup(arena *a, const void *src, size_t size);
/* Copies len bytes and appends a NUL. */
char *arena_strndup(arena *a, const char *s, size_t len);
char *arena_strdup(arena *a, const char *s);
char *arena_printf(arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Forgets every allocation at once (as if the arena were new) but keeps one
 * standard block for reuse; the others go back to the shared pool. Pointers
 * into the arena are invalid afterwards. For scratch arenas reused in a loop. */
void arena_reset(arena *a);
/* Bytes handed out so far (for limits and benchmarks). */
size_t arena_used(const arena *a);

/* Allocation failure outside arenas (malloc/realloc wrappers). */
void *xmalloc(size_t size);
void *xrealloc(void *p, size_t size);
void *xcalloc(size_t n, size_t size);
/* n zeroed items of size bytes, zeroed by a write rather than calloc'd: for
 * a table whose probes read it before writing, a large calloc's fresh pages
 * would be faulted in twice (once read, once written). */
void *xzalloc(size_t n, size_t size);
char *xstrdup(const char *s);

#endif
