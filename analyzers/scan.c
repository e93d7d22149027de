/* scan.c - walk the paths, then load every file on a pool of threads; see scan.h. */
#include "scan.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzers/detect.h"
#include "core/parallel.h"

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
    return opts->threads > 0 ? opts->threads : parallel_cpu_count();
}

typedef struct scan_job {
    const path_list *paths;
    const load_options *load;
    input_file **slots;
} scan_job;

static void load_one(size_t i, void *ud)
{
    scan_job *job = ud;
    job->slots[i] = input_load(job->paths->items[i], job->load);
}

void scan_each(const char **paths, size_t npaths, const scan_options *opts, scan_visit_fn fn,
               void *ud, diag_list *walk_diags)
{
    path_list files = {0};
    for (size_t i = 0; i < npaths; i++)
        walk_path(paths[i], &opts->walk, &files, walk_diags);
    int threads = scan_thread_count(opts);
    size_t batch = (size_t)threads * 16;
    input_file **slots = xcalloc(batch, sizeof(input_file *));
    for (size_t first = 0; first < files.count; first += batch) {
        size_t n = files.count - first < batch ? files.count - first : batch;
        path_list part = {.items = files.items + first, .count = n};
        scan_job job = {.paths = &part, .load = &opts->load, .slots = slots};
        parallel_for(n, threads, load_one, &job);
        for (size_t i = 0; i < n; i++) {
            fn(slots[i], ud);
            input_free(slots[i]);
        }
    }
    free(slots);
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
