/* test_thread_heap.c - thread_heap_want_huge_pages advises a worker's
 * glibc heap (huge pages, read-write to its end), keeps what the heap
 * holds, and leaves the main heap and non-heap memory alone. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/thread_heap.h"

#define HEAP_SIZE ((uintptr_t)64 << 20)

/* The smaps fields of the mapping holding addr: its permissions and
 * whether VmFlags has "hg" (MADV_HUGEPAGE); false when none holds it. */
static bool mapping_of(uintptr_t addr, char perms[5], bool *advised, uintptr_t *end)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return false;
    char line[512];
    bool in = false, found = false;
    while (fgets(line, sizeof line, f)) {
        unsigned long from, to;
        char p[5];
        if (sscanf(line, "%lx-%lx %4s", &from, &to, p) == 3 && strchr(line, '-') < strchr(line, ' ')) {
            in = addr >= from && addr < to;
            if (in) {
                memcpy(perms, p, 5);
                *end = to;
                found = true;
            }
        } else if (in && !strncmp(line, "VmFlags:", 8)) {
            *advised = strstr(line, " hg") != NULL;
        }
    }
    fclose(f);
    return found;
}

/* What the worker saw of its heap (checked on the main thread: cmocka's
 * assertions must not fail on another thread). */
typedef struct seen {
    bool intact;   /* the block kept its contents */
    char perms[5]; /* of the mapping holding the block, after the call */
    bool advised;
    uintptr_t end, heap_end;
    bool grew; /* a 4 MiB block could still be allocated and written */
} seen;

static void *worker(void *arg)
{
    seen *s = arg;
    char *block = malloc(1000);
    if (!block)
        return NULL;
    memset(block, 'x', 1000);
    thread_heap_want_huge_pages(block);
    thread_heap_want_huge_pages(block); /* twice: nothing more happens */
    s->intact = true;
    for (int i = 0; i < 1000; i++)
        s->intact &= block[i] == 'x';
    s->heap_end = ((uintptr_t)block & ~(HEAP_SIZE - 1)) + HEAP_SIZE;
    mapping_of((uintptr_t)block, s->perms, &s->advised, &s->end);
    char *more = malloc(4u << 20);
    if (more) {
        memset(more, 1, 4u << 20);
        s->grew = true;
    }
    free(more);
    free(block);
    return NULL;
}

static void test_worker_heap(void **state)
{
    (void)state;
    pthread_t t;
    seen s = {0};
    assert_int_equal(pthread_create(&t, NULL, worker, &s), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_true(s.intact);
    assert_true(s.grew);
#ifndef __SANITIZE_ADDRESS__ /* the sanitizer's malloc has no glibc heaps: nothing to do */
    if (!getenv("STACKAUDIT_NO_HUGE_PAGES")) {
        assert_string_equal(s.perms, "rw-p");
        assert_true(s.advised);
        assert_int_equal(s.end, s.heap_end); /* read-write up to the heap's end */
    }
#endif
}

static void test_main_heap_and_other_memory_left_alone(void **state)
{
    (void)state;
    char *block = malloc(100);
    assert_non_null(block);
    char perms[5];
    bool advised = false;
    uintptr_t end = 0;
    assert_true(mapping_of((uintptr_t)block, perms, &advised, &end));
    uintptr_t end_before = end;
    thread_heap_want_huge_pages(block); /* the main heap */
    assert_true(mapping_of((uintptr_t)block, perms, &advised, &end));
    assert_int_equal(end, end_before);
    free(block);

    size_t len = 1u << 20; /* an anonymous mapping that is no heap */
    char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(m != MAP_FAILED);
    thread_heap_want_huge_pages(m);
    advised = false;
    assert_true(mapping_of((uintptr_t)m, perms, &advised, &end));
    assert_false(advised);
    munmap(m, len);
    thread_heap_want_huge_pages(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worker_heap),
        cmocka_unit_test(test_main_heap_and_other_memory_left_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
