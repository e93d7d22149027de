/* pricing_lookup_bench.c - times N price lookups (default 10,000) against a
 * catalog, the way the cost estimator will call pricing_lookup(): keys are
 * every stored price (cycled), one in ten asks for a region the catalog
 * lacks (an "unpriced" answer with its reason).
 *
 * Built and run by bench/pricing_bench.sh:
 *   pricing_lookup_bench CATALOG.db [N]
 * Prints: lookups=N priced=P unpriced=U total_ms=T (cpu_ms=C) per_lookup_us=L
 * (wall-clock and this process's CPU time: on a busy machine the second
 * is the cost of the lookups themselves). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "pricing/catalog.h"

typedef struct keys {
    pricing_query *q;
    size_t n, cap;
    arena *a;
} keys;

static int collect(void *ud, const price_row *r, const char *source)
{
    (void)source;
    keys *k = ud;
    if (r->begin_range > 0)
        return 0;
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 1024;
        k->q = xrealloc(k->q, k->cap * sizeof *k->q);
    }
    arena *a = k->a;
    k->q[k->n++] = (pricing_query){arena_strdup(a, r->service), arena_strdup(a, r->region),
                                   arena_strdup(a, r->resource), arena_strdup(a, r->component),
                                   arena_strdup(a, r->os),        arena_strdup(a, r->tenancy),
                                   arena_strdup(a, r->arch),      arena_strdup(a, r->term),
                                   arena_strdup(a, r->engine),    arena_strdup(a, r->deployment),
                                   arena_strdup(a, r->variant)};
    return 0;
}

static double now_ms(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CATALOG.db [N]\n", argv[0]);
        return 2;
    }
    size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000;
    diag_list d;
    diag_list_init(&d);
    double t0 = now_ms(CLOCK_MONOTONIC);
    pricing_catalog *cat = pricing_catalog_open(argv[1], &d);
    double t_open = now_ms(CLOCK_MONOTONIC) - t0;
    if (!cat) {
        for (size_t i = 0; i < d.count; i++)
            diag_print(stderr, &d.items[i]);
        return 2;
    }
    keys k = {.a = arena_new()};
    pricing_catalog_each(cat, NULL, collect, &k, &d);
    if (k.n == 0) {
        fprintf(stderr, "empty catalog\n");
        return 2;
    }
    size_t priced = 0, unpriced = 0;
    t0 = now_ms(CLOCK_MONOTONIC);
    double c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
    for (size_t i = 0; i < n; i++) {
        pricing_query q = k.q[i % k.n];
        if (i % 10 == 9)
            q.region = "ap-south-2";
        pricing_price p;
        if (pricing_lookup(cat, &q, &p))
            priced++;
        else
            unpriced++;
    }
    double total = now_ms(CLOCK_MONOTONIC) - t0;
    double cpu = now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
    printf("catalog_rows=%zu open_ms=%.2f lookups=%zu priced=%zu unpriced=%zu total_ms=%.2f "
           "(cpu_ms=%.2f) per_lookup_us=%.2f\n",
           k.n, t_open, n, priced, unpriced, total, cpu, total * 1e3 / (double)n);
    free(k.q);
    arena_free(k.a);
    pricing_catalog_close(cat);
    diag_list_free(&d);
    return 0;
}
