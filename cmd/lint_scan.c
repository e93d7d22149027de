/* lint_scan.c - lint's walk-and-lint pass; see lint_scan.h.
 *
 * The calling thread walks the paths and appends each file it finds to a
 * list guarded by a mutex; the workers take the files in that order as
 * they appear, so loading starts with the first file found. */
#include "cmd/lint_scan.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/parallel.h"
#include "core/thread_heap.h"
#include "rules/suppress.h"

void lint_filter_findings(finding_list *all, source_lookup_fn source, const void *ud,
                          const baseline *base, severity min_sev)
{
    size_t keep = 0;
    const char *path = NULL; /* findings come file after file: one look-up per run */
    suppression_list sup = {0};
    for (size_t i = 0; i < all->count; i++) {
        finding *f = &all->items[i];
        if (f->path != path) {
            path = f->path;
            suppression_list_free(&sup);
            suppression_list_build(&sup, source(ud, path));
        }
        bool drop = f->rule->sev < min_sev || suppression_list_applies(&sup, f) ||
                    (base && baseline_contains(base, f));
        if (!drop) /* a dropped finding's message stays in the list's texts */
            all->items[keep++] = *f;
    }
    suppression_list_free(&sup);
    all->count = keep;
}

static const src_file *source_of_input(const void *ud, const char *path)
{
    (void)path;
    return ((const input_file *)ud)->src;
}

/* One file the walk found and what linting it gave. */
typedef struct lint_item {
    bool no_dotenv_beside; /* its directory was listed without a .env */
    input_file *in;
    finding_list found;
    char path[]; /* one allocation with the item */
} lint_item;

typedef struct lint_feed {
    const lint_setup *s;
    text_pool *messages;
    scan_result *res; /* the walk's diagnostics go to res->diags */
    pthread_mutex_t mu;
    pthread_cond_t grew;
    lint_item **items; /* guarded by mu; the items themselves do not move */
    size_t count, cap; /* guarded by mu */
    bool walked;       /* guarded by mu: the walk has ended */
} lint_feed;

/* walk_options.found: one more file for the workers. */
static void feed_file(const char *path, const walk_listing *dir, void *ud)
{
    lint_feed *feed = ud;
    size_t n = strlen(path) + 1;
    lint_item *item = xcalloc(1, sizeof *item + n);
    memcpy(item->path, path, n);
    item->no_dotenv_beside = dir && !walk_listing_has(dir, ".env");
    pthread_mutex_lock(&feed->mu);
    if (feed->count == feed->cap) {
        feed->cap = feed->cap ? 2 * feed->cap : 256;
        feed->items = xrealloc(feed->items, feed->cap * sizeof *feed->items);
    }
    feed->items[feed->count++] = item;
    pthread_cond_signal(&feed->grew);
    pthread_mutex_unlock(&feed->mu);
}

static void walk_all(void *ud)
{
    lint_feed *feed = ud;
    walk_options walk = feed->s->args.scan.walk;
    walk.found = feed_file;
    walk.found_ud = feed;
    for (size_t i = 0; i < feed->s->npaths; i++)
        walk_path(feed->s->paths[i], &walk, NULL, &feed->res->diags);
    pthread_mutex_lock(&feed->mu);
    feed->walked = true;
    pthread_cond_broadcast(&feed->grew);
    pthread_mutex_unlock(&feed->mu);
}

static bool file_exists(size_t i, void *ud)
{
    lint_feed *feed = ud;
    pthread_mutex_lock(&feed->mu);
    while (i >= feed->count && !feed->walked)
        pthread_cond_wait(&feed->grew, &feed->mu);
    bool exists = i < feed->count;
    pthread_mutex_unlock(&feed->mu);
    return exists;
}

/* Loads file i and runs its per-file rules at once, while its tree is
 * still in the cache; filters and sorts their findings. The tree and the
 * source text are released unless something later reads them (see
 * lint_scan.h). */
static void lint_file(size_t i, void *ud)
{
    lint_feed *feed = ud;
    const lint_setup *s = feed->s;
    pthread_mutex_lock(&feed->mu);
    lint_item *item = feed->items[i];
    pthread_mutex_unlock(&feed->mu);
    load_options load = s->args.scan.load;
    load.no_dotenv_beside = item->no_dotenv_beside;
    input_file *in = input_load(item->path, &load);
    lint_run_file(&s->rules, &s->lopts, s->cfg.settings, in, &item->found);
    lint_filter_findings(&item->found, source_of_input, in, s->has_baseline ? &s->base : NULL,
                         s->min_sev);
    finding_list_sort(&item->found);
    finding_list_intern(&item->found, feed->messages); /* most repeat across files */
    finding_list_shrink(&item->found);                 /* kept until the report */
    if (!lint_keeps_model(&s->rules, &s->lopts, in->format))
        input_release_model(in, !s->json); /* text reports show source lines */
    item->in = in;
    thread_heap_want_huge_pages(item->found.items); /* where what stays until the report goes */
}

finding_list *lint_scan(const lint_setup *s, text_pool *messages, scan_result *res)
{
    memset(res, 0, sizeof *res);
    diag_list_init(&res->diags);
    lint_feed feed = {.s = s, .messages = messages, .res = res};
    pthread_mutex_init(&feed.mu, NULL);
    pthread_cond_init(&feed.grew, NULL);
    parallel_producer producer = {.produce = walk_all, .exists = file_exists, .fn = lint_file};
    parallel_for_produced(scan_thread_count(&s->args.scan), &producer, &feed);
    pthread_cond_destroy(&feed.grew);
    pthread_mutex_destroy(&feed.mu);

    res->count = feed.count;
    res->inputs = xcalloc(feed.count ? feed.count : 1, sizeof *res->inputs);
    finding_list *found = xcalloc(feed.count ? feed.count : 1, sizeof *found);
    for (size_t i = 0; i < feed.count; i++) {
        res->inputs[i] = feed.items[i]->in;
        found[i] = feed.items[i]->found;
        free(feed.items[i]);
    }
    free(feed.items);
    return found;
}
