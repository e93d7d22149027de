/* scan.c - walk the paths, then load every file on a pool of threads; see scan.h. */
#include "scan.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzers/detect.h"

scan_options scan_options_default(void)
{
    scan_options o;
    memset(&o, 0, sizeof o);
    o.load = load_options_default();
    o.walk.want = detect_is_candidate;
    o.threads = 0;
    return o;
}

int scan_thread_count(const scan_options *opts)
{
    if (opts->threads > 0)
        return opts->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

typedef struct scan_job {
    const path_list *paths;
    const load_options *load;
    input_file **slots;
    atomic_size_t next;
} scan_job;

static void *scan_worker(void *arg)
{
    scan_job *job = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&job->next, 1);
        if (i >= job->paths->count)
            break;
        job->slots[i] = input_load(job->paths->items[i], job->load);
    }
    return NULL;
}

void scan_run(const char **paths, size_t npaths, const scan_options *opts, scan_result *out)
{
    memset(out, 0, sizeof *out);
    diag_list_init(&out->diags);
    path_list files = {0};
    for (size_t i = 0; i < npaths; i++)
        walk_path(paths[i], &opts->walk, &files, &out->diags);

    out->inputs = xcalloc(files.count ? files.count : 1, sizeof(input_file *));
    out->count = files.count;
    scan_job job = {.paths = &files, .load = &opts->load, .slots = out->inputs};
    atomic_init(&job.next, 0);
    int nthreads = scan_thread_count(opts);
    if ((size_t)nthreads > files.count)
        nthreads = files.count ? (int)files.count : 1;
    if (nthreads <= 1) {
        scan_worker(&job);
    } else {
        pthread_t *tids = xcalloc((size_t)nthreads, sizeof(pthread_t));
        int started = 0;
        for (int t = 0; t < nthreads; t++)
            if (pthread_create(&tids[t], NULL, scan_worker, &job) == 0)
                started++;
            else
                break;
        if (started == 0)
            scan_worker(&job);
        for (int t = 0; t < started; t++)
            pthread_join(tids[t], NULL);
        free(tids);
    }
    path_list_free(&files);
}

void scan_result_free(scan_result *r)
{
    for (size_t i = 0; i < r->count; i++)
        input_free(r->inputs[i]);
    free(r->inputs);
    diag_list_free(&r->diags);
    memset(r, 0, sizeof *r);
}
