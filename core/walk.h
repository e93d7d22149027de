/* walk.h - expands the user's paths into the list of files to read.
 *
 * Guarantees: directories are walked recursively in sorted (byte) order so the
 * result is deterministic; .git, .terraform and node_modules are skipped;
 * --exclude globs are matched against the path relative to the root and
 * against each file/directory name; a symlink is followed only when its
 * target stays inside the root it was found under, and a directory is never
 * entered twice (symlink loops end with an error); files named explicitly
 * are always returned. Problems become diagnostics; the walk goes on. A file
 * found in a directory comes with that directory's listing, so a caller can
 * tell which names exist beside it without a system call. */
#ifndef SA_WALK_H
#define SA_WALK_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* The names a directory walk read in one directory. */
typedef struct walk_listing walk_listing;

/* True when the listing holds an entry (of any type) whose name is name
 * letter for letter or, as a case-insensitive file system would also find
 * it, ignoring ASCII case. */
bool walk_listing_has(const walk_listing *dir, const char *name);

typedef struct walk_options {
    const char **excludes; /* fnmatch globs */
    size_t nexcludes;
    /* Which files a directory walk keeps (explicit files are always kept). */
    bool (*want)(const char *path);
    /* When set, each file goes to found(path, dir, found_ud) as soon as it
     * is found, instead of into the output list. dir is the listing of the
     * directory the file was found in, valid during the call only; NULL for
     * a file named explicitly (its directory was not read). */
    void (*found)(const char *path, const walk_listing *dir, void *found_ud);
    void *found_ud;
} walk_options;

typedef struct path_list {
    char **items;
    size_t count;
    size_t cap;
} path_list;

void path_list_add(path_list *l, const char *path);
void path_list_free(path_list *l);

/* Appends the files under root (or root itself) to out (or hands them to
 * opts->found). Returns false when root itself cannot be read (error
 * diagnostic added). */
bool walk_path(const char *root, const walk_options *opts, path_list *out, diag_list *diags);

#endif
