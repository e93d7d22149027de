/* walk.c - recursive, deterministic, symlink-safe file discovery; see walk.h.
 * System calls: a directory costs open, fstat, getdents64 until it returns 0,
 * close; a file whose type getdents64 reports costs none. A sub-directory is
 * opened relative to its parent's descriptor (the kernel then looks up one
 * name, not the whole path) while the walk holds that descriptor: at most
 * HELD_DIRS levels deep. Only symlinks, unknown entry types and failures take
 * the lstat/stat path, by the entry's whole path. */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "strbuf.h"

void path_list_add(path_list *l, const char *path)
{
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->items = xrealloc(l->items, l->cap * sizeof(char *));
    }
    l->items[l->count++] = xstrdup(path);
}

void path_list_free(path_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* As much as glibc's readdir asks for at a time. */
#define DIRENTS_SIZE 32768
/* The deepest directory level whose descriptor stays open while its entries
 * are walked: a deep tree holds no more descriptors than this. */
#define HELD_DIRS 32

typedef struct dir_id {
    dev_t dev;
    ino_t ino;
} dir_id;

typedef struct walker {
    const walk_options *opts;
    path_list *out;
    diag_list *diags;
    char *root_real; /* realpath of the root directory */
    size_t root_real_len;
    const char *root; /* as given */
    dir_id *visited; /* open addressing; {0, 0} = empty (no directory has inode 0) */
    size_t nvisited;
    size_t capvisited; /* 0 or a power of two */
    char *dirents;     /* DIRENTS_SIZE bytes for getdents64 */
    size_t depth;      /* directories entered and not yet left */
} walker;

static bool is_skipped_dir(const char *name)
{
    return !strcmp(name, ".git") || !strcmp(name, ".terraform") || !strcmp(name, "node_modules");
}

static bool excluded(const walker *w, const char *path, const char *name)
{
    const char *rel = path;
    size_t rl = strlen(w->root);
    if (!strncmp(path, w->root, rl) && path[rl] == '/')
        rel = path + rl + 1;
    for (size_t i = 0; i < w->opts->nexcludes; i++) {
        const char *g = w->opts->excludes[i];
        if (fnmatch(g, rel, FNM_PATHNAME) == 0 || fnmatch(g, name, 0) == 0 ||
            fnmatch(g, path, FNM_PATHNAME) == 0)
            return true;
    }
    return false;
}

static bool inside_root(const walker *w, const char *real)
{
    return !strncmp(real, w->root_real, w->root_real_len) &&
           (real[w->root_real_len] == '/' || real[w->root_real_len] == '\0' ||
            w->root_real_len == 1);
}

static size_t dir_slot(const dir_id *table, size_t cap, dev_t dev, ino_t ino)
{
    size_t h = (size_t)(((unsigned long long)ino * 0x9E3779B97F4A7C15ull) ^ (unsigned long long)dev);
    h &= cap - 1;
    while ((table[h].dev || table[h].ino) && (table[h].dev != dev || table[h].ino != ino))
        h = (h + 1) & (cap - 1);
    return h;
}

/* Marks the directory visited; false if it already was (a loop). */
static bool visit_dir(walker *w, const struct stat *st)
{
    if (2 * (w->nvisited + 1) > w->capvisited) {
        size_t ncap = w->capvisited ? w->capvisited * 2 : 64;
        dir_id *bigger = xzalloc(ncap, sizeof *bigger);
        for (size_t i = 0; i < w->capvisited; i++)
            if (w->visited[i].dev || w->visited[i].ino)
                bigger[dir_slot(bigger, ncap, w->visited[i].dev, w->visited[i].ino)] = w->visited[i];
        free(w->visited);
        w->visited = bigger;
        w->capvisited = ncap;
    }
    dir_id *slot = &w->visited[dir_slot(w->visited, w->capvisited, st->st_dev, st->st_ino)];
    if (slot->dev == st->st_dev && slot->ino == st->st_ino)
        return false;
    slot->dev = st->st_dev;
    slot->ino = st->st_ino;
    w->nvisited++;
    return true;
}

/* A directory entry: its name and the type readdir reported (DT_UNKNOWN
 * when the file system does not say). */
typedef struct dir_entry {
    char *name;
    unsigned char type;
} dir_entry;

static int cmp_names(const void *a, const void *b)
{
    return strcmp(((const dir_entry *)a)->name, ((const dir_entry *)b)->name);
}

/* One directory's entries, sorted by name (strcmp); fd is the directory's
 * descriptor while the walk holds it, else -1. */
struct walk_listing {
    dir_entry *entries;
    size_t count;
    int fd;
};

/* The index of the first entry whose name is not below name. */
static size_t lower_bound(const walk_listing *dir, const char *name)
{
    size_t lo = 0, hi = dir->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(dir->entries[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* True when each byte of name is that of upper or that of lower, two
 * spellings of one name as long as it. */
static bool spelled_as(const char *name, const char *upper, const char *lower)
{
    size_t i = 0;
    for (; upper[i]; i++)
        if (name[i] != upper[i] && name[i] != lower[i])
            return false;
    return !name[i];
}

/* In byte order, every ASCII-case variant of name lies between its all
 * upper-case and its all lower-case spelling: only that range is compared. */
bool walk_listing_has(const walk_listing *dir, const char *name)
{
    char upper[NAME_MAX + 1], lower[NAME_MAX + 1];
    size_t n = strlen(name);
    if (n > NAME_MAX)
        return false; /* no entry has so long a name */
    for (size_t i = 0; i <= n; i++) {
        char c = name[i];
        upper[i] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
        lower[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    for (size_t i = lower_bound(dir, upper);
         i < dir->count && strcmp(dir->entries[i].name, lower) <= 0; i++)
        if (spelled_as(dir->entries[i].name, upper, lower))
            return true;
    return false;
}

static void enter_dir(walker *w, const char *path, const struct stat *st, int fd);

static void found(const walk_options *opts, path_list *out, const char *path,
                  const walk_listing *dir)
{
    if (opts->found)
        opts->found(path, dir, opts->found_ud);
    else
        path_list_add(out, path);
}

static void add_file(walker *w, const char *path, const walk_listing *dir)
{
    if (!w->opts->want || w->opts->want(path))
        found(w->opts, w->out, path, dir);
}

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC)

/* Opens the entry name of dir, a directory, not following a symlink; path
 * (path_len bytes) is the entry's whole path. Relative to dir's descriptor
 * when the walk holds it and path is short enough to be opened itself, so
 * the same directories are reached as by opening path. */
static int open_subdir(const walk_listing *dir, const char *name, const char *path,
                       size_t path_len)
{
    if (dir->fd >= 0 && path_len < PATH_MAX)
        return openat(dir->fd, name, DIR_FLAGS | O_NOFOLLOW);
    return open(path, DIR_FLAGS | O_NOFOLLOW);
}

/* An entry getdents reported as a directory (not a symlink): opened at once,
 * its fstat giving the identity the visited set needs, which spares the
 * lstat of the general case. False when it cannot be opened so (the entry
 * changed, or the directory is unreadable): the general case then says why. */
static bool enter_listed_dir(walker *w, const walk_listing *dir, const char *name,
                             const char *path, size_t path_len)
{
    int fd = open_subdir(dir, name, path, path_len);
    if (fd < 0)
        return false;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode)) {
        close(fd);
        return false;
    }
    enter_dir(w, path, &st, fd);
    return true;
}

/* The entry e of dir, whose whole path is path (path_len bytes). */
static void walk_entry(walker *w, const walk_listing *dir, const dir_entry *e, const char *path,
                       size_t path_len)
{
    const char *name = e->name;
    if (e->type == DT_REG) { /* the common case, known without a stat */
        add_file(w, path, dir);
        return;
    }
    if (e->type == DT_DIR &&
        (is_skipped_dir(name) || enter_listed_dir(w, dir, name, path, path_len)))
        return;
    struct stat lst, st;
    if (lstat(path, &lst) != 0) {
        diag_add(w->diags, DIAG_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
        return;
    }
    if (S_ISLNK(lst.st_mode)) {
        if (stat(path, &st) != 0) {
            if (errno == ELOOP)
                diag_add(w->diags, DIAG_ERROR, path, 0, 0,
                         "symlink loop: the link resolves to itself through other links");
            else
                diag_add(w->diags, DIAG_WARNING, path, 0, 0,
                         "skipped dangling symlink (%s)", strerror(errno));
            return;
        }
        char *real = realpath(path, NULL);
        if (!real || !inside_root(w, real)) {
            diag_add(w->diags, DIAG_NOTE, path, 0, 0,
                     "skipped symlink pointing outside the scanned root (%s)",
                     real ? real : "unresolvable");
            free(real);
            return;
        }
        free(real);
    } else {
        st = lst;
    }
    if (S_ISDIR(st.st_mode)) {
        if (!is_skipped_dir(name))
            enter_dir(w, path, &st, -1);
    } else if (S_ISREG(st.st_mode)) {
        add_file(w, path, dir);
    }
}

/* The entries of the open directory fd other than "." and "..", read with
 * getdents64 into the walker's buffer (a DIR stream would cost a malloc and
 * another fstat per directory). */
static dir_entry *read_entries(walker *w, int fd, size_t *count)
{
    dir_entry *entries = NULL;
    size_t n = 0, cap = 0;
    ssize_t got;
    while ((got = getdents64(fd, w->dirents, DIRENTS_SIZE)) > 0) {
        for (ssize_t off = 0; off < got;) {
            const struct dirent64 *de = (const struct dirent64 *)(w->dirents + off);
            off += de->d_reclen;
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 32;
                entries = xrealloc(entries, cap * sizeof *entries);
            }
            entries[n].name = xstrdup(de->d_name);
            entries[n++].type = de->d_type;
        }
    }
    *count = n;
    return entries;
}

/* Walks the entries of the open directory fd (closed here), whose path is
 * dir_path, in name order. */
static void walk_dir(walker *w, const char *dir_path, int fd)
{
    walk_listing dir = {.fd = fd};
    dir.entries = read_entries(w, fd, &dir.count);
    if (w->depth > HELD_DIRS) {
        close(fd);
        dir.fd = -1;
    }
    if (dir.count > 1)
        qsort(dir.entries, dir.count, sizeof *dir.entries, cmp_names);
    strbuf path;
    sb_init(&path);
    sb_adds(&path, dir_path);
    if (path.len && path.buf[path.len - 1] != '/')
        sb_addc(&path, '/');
    size_t prefix = path.len;
    for (size_t i = 0; i < dir.count; i++) {
        path.len = prefix;
        sb_adds(&path, dir.entries[i].name);
        if (!excluded(w, path.buf, dir.entries[i].name))
            walk_entry(w, &dir, &dir.entries[i], path.buf, path.len);
    }
    if (dir.fd >= 0)
        close(dir.fd);
    for (size_t i = 0; i < dir.count; i++)
        free(dir.entries[i].name);
    sb_free(&path);
    free(dir.entries);
}

/* Walks the directory at path (st describes it) unless it was visited
 * before (a loop: an error). fd is the directory already opened, or -1. */
static void enter_dir(walker *w, const char *path, const struct stat *st, int fd)
{
    if (!visit_dir(w, st)) {
        diag_add(w->diags, DIAG_ERROR, path, 0, 0,
                 "symlink loop: directory was already visited through another path");
        if (fd >= 0)
            close(fd);
        return;
    }
    if (fd < 0 && (fd = open(path, DIR_FLAGS)) < 0) {
        diag_add(w->diags, DIAG_ERROR, path, 0, 0, "cannot read directory: %s", strerror(errno));
        return;
    }
    w->depth++;
    walk_dir(w, path, fd);
    w->depth--;
}

bool walk_path(const char *root, const walk_options *opts, path_list *out, diag_list *diags)
{
    struct stat st;
    if (stat(root, &st) != 0) {
        if (errno == ELOOP)
            diag_add(diags, DIAG_ERROR, root, 0, 0, "symlink loop: the link resolves to itself");
        else
            diag_add(diags, DIAG_ERROR, root, 0, 0, "cannot read: %s", strerror(errno));
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        found(opts, out, root, NULL);
        return true;
    }
    walker w = {.opts = opts, .out = out, .diags = diags, .root = root};
    w.root_real = realpath(root, NULL);
    if (!w.root_real) {
        diag_add(diags, DIAG_ERROR, root, 0, 0, "cannot read directory: %s", strerror(errno));
        return false;
    }
    w.root_real_len = strlen(w.root_real);
    w.dirents = xmalloc(DIRENTS_SIZE);
    enter_dir(&w, root, &st, -1);
    free(w.dirents);
    free(w.root_real);
    free(w.visited);
    return true;
}
