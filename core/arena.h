/* arena.h - per-run bump allocator for parse trees and entities.
 *
 * Guarantees: every allocation is 16-byte aligned and zero-filled, except
 * strings (arena_strndup, arena_strdup, arena_printf), which are packed with
 * no alignment and hold just their bytes and the NUL, and arena_alloc_uninit
 * (aligned, not zeroed); nothing is
 * freed individually; arena_free() releases every block at once (arena_reset()
 * too, keeping one block for the arena's next allocations). Allocation
 * failure aborts the process with a message (out-of-memory is an internal
 * failure, exit code 3), so callers never see NULL. */
#ifndef SA_ARENA_H
#define SA_ARENA_H

#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena *a);
void *arena_alloc(arena *a, size_t size);
/* arena_alloc without the zero-fill, for callers that set every byte. */
void *arena_alloc_uninit(arena *a, size_t size);
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
char *xstrdup(const char *s);

#endif
