/* test_parallel.c - parallel_for, parallel_for_ordered and
 * parallel_for_produced: every index runs exactly once, whatever the thread
 * count; ordered items are emitted in index order; produced items may
 * appear while the workers already run. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "core/parallel.h"

#define N 2000

typedef struct counts {
    atomic_int runs[N];
} counts;

static void count_run(size_t i, void *ud)
{
    atomic_fetch_add(&((counts *)ud)->runs[i], 1);
}

static void assert_each_once(counts *c, size_t n)
{
    for (size_t i = 0; i < N; i++)
        assert_int_equal(atomic_load(&c->runs[i]), i < n ? 1 : 0);
}

static void test_parallel_for(void **state)
{
    (void)state;
    static const int threads[] = {0, 1, 2, 7};
    static const size_t sizes[] = {0, 1, 3, N};
    for (size_t t = 0; t < 4; t++) {
        for (size_t k = 0; k < 4; k++) {
            static counts c;
            for (size_t i = 0; i < N; i++)
                atomic_init(&c.runs[i], 0);
            parallel_for(sizes[k], threads[t], count_run, &c);
            assert_each_once(&c, sizes[k]);
        }
    }
}

typedef struct ordered {
    counts made;
    size_t emitted[N]; /* in emission order */
    size_t nemitted;
} ordered;

static void make(size_t i, void *ud)
{
    count_run(i, &((ordered *)ud)->made);
}

static void emit(size_t i, void *ud)
{
    ordered *o = ud;
    assert_int_equal(atomic_load(&o->made.runs[i]), 1); /* made before emitted */
    o->emitted[o->nemitted++] = i; /* one emit at a time: no lock needed */
}

static void test_parallel_for_ordered(void **state)
{
    (void)state;
    static const int threads[] = {1, 2, 6};
    static const size_t sizes[] = {0, 1, N};
    for (size_t t = 0; t < 3; t++) {
        for (size_t k = 0; k < 3; k++) {
            static ordered o;
            for (size_t i = 0; i < N; i++)
                atomic_init(&o.made.runs[i], 0);
            o.nemitted = 0;
            parallel_for_ordered(sizes[k], threads[t], make, emit, &o);
            assert_each_once(&o.made, sizes[k]);
            assert_int_equal(o.nemitted, sizes[k]);
            for (size_t i = 0; i < o.nemitted; i++)
                assert_int_equal(o.emitted[i], i);
        }
    }
}

/* A producer that publishes `total` items one by one, pausing now and then
 * so that workers catch up and wait. */
typedef struct feed {
    counts c;
    size_t total;
    size_t published; /* guarded by mu */
    bool done;        /* guarded by mu */
    pthread_mutex_t mu;
    pthread_cond_t grew;
} feed;

static void produce(void *ud)
{
    feed *f = ud;
    for (size_t i = 0; i < f->total; i++) {
        if (i % 256 == 0)
            nanosleep(&(struct timespec){0, 200000}, NULL);
        pthread_mutex_lock(&f->mu);
        f->published++;
        pthread_cond_signal(&f->grew);
        pthread_mutex_unlock(&f->mu);
    }
    pthread_mutex_lock(&f->mu);
    f->done = true;
    pthread_cond_broadcast(&f->grew);
    pthread_mutex_unlock(&f->mu);
}

static bool exists(size_t i, void *ud)
{
    feed *f = ud;
    pthread_mutex_lock(&f->mu);
    while (i >= f->published && !f->done)
        pthread_cond_wait(&f->grew, &f->mu);
    bool ok = i < f->published;
    pthread_mutex_unlock(&f->mu);
    return ok;
}

static void run_item(size_t i, void *ud)
{
    feed *f = ud;
    assert_true(i < f->total);
    count_run(i, &f->c);
}

static void test_parallel_for_produced(void **state)
{
    (void)state;
    static const int threads[] = {1, 2, 5};
    static const size_t sizes[] = {0, 1, N};
    parallel_producer p = {.produce = produce, .exists = exists, .fn = run_item};
    for (size_t t = 0; t < 3; t++) {
        for (size_t k = 0; k < 3; k++) {
            static feed f;
            for (size_t i = 0; i < N; i++)
                atomic_init(&f.c.runs[i], 0);
            f.total = sizes[k];
            f.published = 0;
            f.done = false;
            pthread_mutex_init(&f.mu, NULL);
            pthread_cond_init(&f.grew, NULL);
            parallel_for_produced(threads[t], &p, &f);
            assert_true(f.done);
            assert_each_once(&f.c, sizes[k]);
            pthread_cond_destroy(&f.grew);
            pthread_mutex_destroy(&f.mu);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parallel_for),
        cmocka_unit_test(test_parallel_for_ordered),
        cmocka_unit_test(test_parallel_for_produced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
