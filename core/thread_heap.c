/* thread_heap.c - see thread_heap.h.
 *
 * Why: glibc gives each thread that allocates an arena of its own, made of
 * heaps: anonymous mappings of HEAP_MAX_SIZE (64 MiB on 64-bit) aligned to
 * that size, read-write only as far as the heap has grown and PROT_NONE
 * beyond (glibc finds a chunk's heap by masking its address). The switch
 * lint re-executes itself to get (glibc.malloc.hugetlb=1, cmd/huge_pages.c)
 * covers the main heap and large chunks only, and a heap that grows a page
 * at a time could not use huge pages anyway: a 2 MiB page must lie wholly
 * inside the read-write part. So what workers keep until the report
 * (findings, messages, digests, source text) was faulted in 4 KiB pages:
 * about 30,000 faults on the bench corpus at -j2, ~12 us each on this VM.
 *
 * What: the heap holding the block is checked against /proc/self/maps (one
 * anonymous mapping set of exactly 64 MiB, aligned, read-write then
 * PROT_NONE), then advised MADV_HUGEPAGE and made read-write up to its end
 * at once. glibc only ever raises the protection of a heap as it grows, and
 * a later shrink re-protects or discards what it gives up, so neither
 * contents nor glibc's view of the heap change: only how it is backed.
 * Anything that does not look exactly like a thread heap is left alone. */
#include "thread_heap.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(__GLIBC__) && defined(__linux__) && UINTPTR_MAX > 0xffffffffu
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define THREAD_HEAP_SIZE ((uintptr_t)64 << 20) /* glibc's HEAP_MAX_SIZE */
#define REMEMBERED 8

/* True when [heap, heap + THREAD_HEAP_SIZE) is exactly a set of adjacent
 * anonymous private mappings, read-write ones first, then PROT_NONE. */
static bool looks_like_thread_heap(uintptr_t heap)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    if (!maps)
        return false;
    uintptr_t end = heap + THREAD_HEAP_SIZE, covered = heap;
    bool ok = true, reserved = false;
    char line[512];
    while (ok && covered < end && fgets(line, sizeof line, maps)) {
        unsigned long from, to, inode;
        char perms[5];
        int path_at = 0;
        if (sscanf(line, "%lx-%lx %4s %*s %*s %lu %n", &from, &to, perms, &inode, &path_at) < 4)
            continue;
        if (to <= covered || from >= end)
            continue;
        bool anonymous = inode == 0 && (line[path_at] == '\n' || line[path_at] == '\0');
        bool rw = !strcmp(perms, "rw-p"), none = !strcmp(perms, "---p");
        ok = from == covered && to <= end && anonymous && (rw ? !reserved : none);
        reserved |= none;
        covered = to;
    }
    fclose(maps);
    return ok && covered == end;
}

void thread_heap_want_huge_pages(const void *block)
{
    static _Thread_local uintptr_t seen[REMEMBERED]; /* heaps looked at */
    static _Thread_local unsigned nseen;
    static _Thread_local int wanted = -1; /* per thread: no shared state */
    if (wanted < 0)
        wanted = getenv("STACKAUDIT_NO_HUGE_PAGES") == NULL;
    uintptr_t p = (uintptr_t)block;
    if (!wanted || !block || p < (uintptr_t)sbrk(0)) /* the main heap is below the break */
        return;
    uintptr_t heap = p & ~(THREAD_HEAP_SIZE - 1);
    for (unsigned i = 0; i < REMEMBERED; i++)
        if (seen[i] == heap)
            return;
    seen[nseen++ % REMEMBERED] = heap;
    if (!looks_like_thread_heap(heap))
        return;
    madvise((void *)heap, THREAD_HEAP_SIZE, MADV_HUGEPAGE); /* best effort, both */
    mprotect((void *)heap, THREAD_HEAP_SIZE, PROT_READ | PROT_WRITE);
}
#else
void thread_heap_want_huge_pages(const void *block)
{
    (void)block;
}
#endif
