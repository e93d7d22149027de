/* catalog.c - opening the catalog (create, check, rebuild, migrate) and
 * the lookups; see catalog.h. */
#include "catalog.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/strbuf.h"
#include "pricing/catalog_db.h"

typedef struct ingest_info {
    int64_t id;
    const char *kind, *location, *offer_code, *offer_version, *publication_date;
    bool offer;         /* rows from an offer file or URL */
    const char *prefix; /* offer: "AWS price list ... , LOCATION" (then ", SKU x") */
} ingest_info;

/* A row that matched a query; strings are interned, so two rows have the
 * same attribute combination exactly when the pointers are equal. */
typedef struct candidate {
    const char *attr[8]; /* component os tenancy arch term engine deployment variant */
    const char *unit, *usd_text, *effective_date, *sku;
    double usd, begin, end;
    bool has_end;
    int64_t id; /* row id: its source text is composed once (source_of_row) */
    int64_t ingest_id;
} candidate;

/* Memo of composed source texts by row id (open addressing). */
typedef struct source_memo {
    int64_t *ids; /* 0 = empty slot */
    const char **texts;
    size_t cap, count;
} source_memo;

/* The stored rows of one (service, region, resource), kept after the
 * first lookup. */
typedef struct key_rows {
    const char *service, *region, *resource; /* interned */
    uint64_t hash;
    candidate *rows; /* tier order */
    size_t nrows;
} key_rows;

typedef struct key_memo {
    key_rows **slots; /* open addressing */
    size_t cap, count;
} key_memo;

/* Per-service facts used to explain unpriced answers, read once. */
typedef struct service_regions {
    const char *service;  /* interned */
    const char **regions; /* interned, sorted */
    size_t count;
} service_regions;

static const char *const attr_names[8] = {"component", "os",     "tenancy",    "arch",
                                          "term",      "engine", "deployment", "variant"};

struct pricing_catalog {
    sqlite3 *db;
    char *path;
    bool in_memory;
    sqlite3_stmt *lookup;
    sqlite3_stmt *row_source; /* citation, sku, ingest of one row */
    sqlite3_stmt *probe;      /* does (service, region, resource) exist */
    source_memo sources;
    key_memo keys;
    struct {
        const char *service, *region; /* interned */
    } *pairs;                         /* (service, region) already read */
    size_t npairs, pairs_cap;
    service_regions *services;
    size_t nservices;
    const char *services_text; /* "AWSELB, AWSLambda, ..." */
    arena *strings;
    const char **slots; /* intern table, open addressing */
    size_t nslots, nstrings;
    ingest_info *ingests;
    size_t ningests;
    candidate *cands;
    size_t ncands, cands_cap;
};

/* --- paths -------------------------------------------------------------- */

char *pricing_default_db_path(diag_list *diags)
{
    strbuf sb;
    sb_init(&sb);
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/') {
        sb_addf(&sb, "%s/stackaudit/pricing.db", xdg);
    } else if (home && home[0]) {
        sb_addf(&sb, "%s/.cache/stackaudit/pricing.db", home);
    } else {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0,
                 "cannot place the price catalog: neither XDG_CACHE_HOME (absolute) nor HOME "
                 "is set; give --pricing-db PATH");
        sb_free(&sb);
        return NULL;
    }
    return sb_detach(&sb);
}

/* --- interning ---------------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static const char *intern(pricing_catalog *cat, const char *s)
{
    if (!s)
        s = "";
    if ((cat->nstrings + 1) * 2 > cat->nslots) {
        size_t n = cat->nslots ? cat->nslots * 2 : 1024;
        const char **slots = xcalloc(n, sizeof *slots);
        for (size_t i = 0; i < cat->nslots; i++)
            if (cat->slots[i]) {
                size_t j = hash_str(cat->slots[i]) & (n - 1);
                while (slots[j])
                    j = (j + 1) & (n - 1);
                slots[j] = cat->slots[i];
            }
        free(cat->slots);
        cat->slots = slots;
        cat->nslots = n;
    }
    size_t j = hash_str(s) & (cat->nslots - 1);
    while (cat->slots[j]) {
        if (strcmp(cat->slots[j], s) == 0)
            return cat->slots[j];
        j = (j + 1) & (cat->nslots - 1);
    }
    cat->slots[j] = arena_strdup(cat->strings, s);
    cat->nstrings++;
    return cat->slots[j];
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

/* items (count used of *cap) with room for one more: full arrays double,
 * an empty one starts at first elements of size bytes. */
static void *grow_for_one(void *items, size_t count, size_t *cap, size_t first, size_t size)
{
    if (count < *cap)
        return items;
    *cap = *cap ? *cap * 2 : first;
    return xrealloc(items, *cap * size);
}

/* --- opening ------------------------------------------------------------ */

static bool load_ingests(pricing_catalog *cat, diag_list *diags)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(cat->db,
                           "SELECT id, kind, location, offer_code, offer_version,"
                           " publication_date FROM ingests ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK) {
        diag_add(diags, DIAG_ERROR, cat->path, 0, 0, "cannot read the catalog sources: %s",
                 sqlite3_errmsg(cat->db));
        return false;
    }
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cat->ingests = grow_for_one(cat->ingests, cat->ningests, &cap, 8, sizeof *cat->ingests);
        ingest_info *in = &cat->ingests[cat->ningests++];
        in->id = sqlite3_column_int64(st, 0);
        in->kind = intern(cat, col_text(st, 1));
        in->location = intern(cat, col_text(st, 2));
        in->offer_code = intern(cat, col_text(st, 3));
        in->offer_version = intern(cat, col_text(st, 4));
        in->publication_date = intern(cat, col_text(st, 5));
        in->offer = strcmp(in->kind, "file") == 0 || strcmp(in->kind, "url") == 0;
        in->prefix = "";
        if (in->offer) {
            strbuf sb;
            sb_init(&sb);
            sb_addf(&sb, "AWS price list %s", in->offer_code);
            if (*in->offer_version)
                sb_addf(&sb, " version %s", in->offer_version);
            if (*in->publication_date)
                sb_addf(&sb, " (published %s)", in->publication_date);
            sb_addf(&sb, ", %s", in->location);
            in->prefix = intern(cat, sb.buf);
            sb_free(&sb);
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        diag_add(diags, DIAG_ERROR, cat->path, 0, 0, "cannot read the catalog sources: %s",
                 sqlite3_errmsg(cat->db));
        return false;
    }
    return true;
}

static bool finish_open(pricing_catalog *cat, diag_list *diags)
{
    /* the index (service, region, resource, component) gives the rows of a
     * (service, region) grouped by resource without a sort; tiers are put
     * in order in C */
    if (sqlite3_prepare_v3(cat->db,
                           "SELECT resource, component, os, tenancy, arch, term, engine,"
                           " deployment, variant, unit, usd, usd_text, begin_range, end_range,"
                           " effective_date, sku, id, ingest_id"
                           " FROM prices WHERE service = ?1 AND region = ?2 ORDER BY resource",
                           -1, SQLITE_PREPARE_PERSISTENT, &cat->lookup, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(cat->db,
                           "SELECT citation, sku, ingest_id FROM prices WHERE id = ?1", -1,
                           SQLITE_PREPARE_PERSISTENT, &cat->row_source, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(cat->db,
                           "SELECT 1 FROM prices WHERE service = ?1 AND region = ?2"
                           " AND resource = ?3 LIMIT 1",
                           -1, SQLITE_PREPARE_PERSISTENT, &cat->probe, NULL) != SQLITE_OK) {
        diag_add(diags, DIAG_ERROR, cat->path, 0, 0, "cannot prepare price lookups: %s",
                 sqlite3_errmsg(cat->db));
        return false;
    }
    /* One read transaction for the catalog's lifetime: lookups then take no
     * file lock each. Nothing writes this file in place (updates write a
     * new file and rename it), so the snapshot is the catalog as opened. */
    if (!catalog_db_exec(cat->db, "BEGIN; SELECT count(*) FROM ingests", cat->path,
                         "cannot start reading the catalog", diags))
        return false;
    return load_ingests(cat, diags);
}

static pricing_catalog *new_catalog(sqlite3 *db, const char *path, bool in_memory)
{
    pricing_catalog *cat = xcalloc(1, sizeof *cat);
    cat->db = db;
    cat->path = xstrdup(path);
    cat->in_memory = in_memory;
    cat->strings = arena_new();
    return cat;
}

/* The built-in default, from memory (when the cache file is unusable). */
static pricing_catalog *open_in_memory(diag_list *diags)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "cannot open an in-memory catalog: %s",
                 db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    bool ok = catalog_db_migrate(db, ":memory:", diags) &&
              catalog_db_exec(db, "BEGIN", ":memory:", "building the catalog", diags) &&
              catalog_db_insert_default(db, "main", ":memory:", diags) &&
              catalog_db_exec(db, "COMMIT", ":memory:", "building the catalog", diags);
    if (!ok) {
        sqlite3_close(db);
        return NULL;
    }
    pricing_catalog *cat = new_catalog(db, "", true);
    if (!finish_open(cat, diags)) {
        pricing_catalog_close(cat);
        return NULL;
    }
    return cat;
}

static pricing_catalog *fallback(const char *path, diag_list *diags, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static pricing_catalog *fallback(const char *path, diag_list *diags, const char *fmt, ...)
{
    strbuf sb;
    sb_init(&sb);
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    diag_add(diags, DIAG_WARNING, path, 0, 0,
             "%s; using the built-in price list from memory for this run", sb.buf);
    sb_free(&sb);
    return open_in_memory(diags);
}

static const char *first_error(const diag_list *d, char *buf, size_t bufsz)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].level == DIAG_ERROR) {
            snprintf(buf, bufsz, "%s%s%s", d->items[i].path ? d->items[i].path : "",
                     d->items[i].path ? ": " : "", d->items[i].message);
            return buf;
        }
    snprintf(buf, bufsz, "unknown error");
    return buf;
}

/* Creates the file from the built-in default; false with *why filled. */
static bool create_default(const char *path, char *why, size_t whysz)
{
    diag_list tmp;
    diag_list_init(&tmp);
    bool ok = catalog_db_create_default_file(path, &tmp);
    if (!ok)
        first_error(&tmp, why, whysz);
    diag_list_free(&tmp);
    return ok;
}

static sqlite3 *open_file(const char *path, char *why, size_t whysz)
{
    sqlite3 *db = NULL;
    /* one connection per catalog, used by one thread: no SQLite mutexes */
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_close(db);
        db = NULL;
        rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    }
    if (rc != SQLITE_OK) {
        snprintf(why, whysz, "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 5000);
    return db;
}

pricing_catalog *pricing_catalog_open(const char *path, diag_list *diags)
{
    char *owned = NULL;
    if (!path) {
        owned = pricing_default_db_path(diags);
        if (!owned)
            return NULL;
        path = owned;
    }
    pricing_catalog *cat = NULL;
    char why[600];
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT) {
            cat = fallback(path, diags, "cannot use the price catalog: %s", strerror(errno));
            goto out;
        }
        if (!create_default(path, why, sizeof why)) {
            cat = fallback(path, diags, "cannot create the price catalog (%s)", why);
            goto out;
        }
        diag_add(diags, DIAG_NOTE, path, 0, 0, "created the price catalog from the built-in price list");
    } else if (S_ISDIR(st.st_mode)) {
        diag_add(diags, DIAG_ERROR, path, 0, 0,
                 "is a directory, not a price catalog; give --pricing-db a file path");
        goto out;
    }

    sqlite3 *db = open_file(path, why, sizeof why);
    catalog_health health = db ? catalog_db_health(db, why, sizeof why) : CATALOG_CORRUPT;
    if (health == CATALOG_FOREIGN || health == CATALOG_TOO_NEW) {
        diag_add(diags, DIAG_ERROR, path, 0, 0, "%s; not touching it (give --pricing-db another path)",
                 why);
        sqlite3_close(db);
        goto out;
    }
    if (health == CATALOG_CORRUPT) {
        sqlite3_close(db);
        db = NULL;
        char aside[4096];
        snprintf(aside, sizeof aside, "%s.corrupt", path);
        char cause[600];
        snprintf(cause, sizeof cause, "%s", why);
        if (rename(path, aside) != 0) {
            cat = fallback(path, diags,
                           "the price catalog is corrupted (%s) and cannot be set aside: %s",
                           cause, strerror(errno));
            goto out;
        }
        if (!create_default(path, why, sizeof why)) {
            cat = fallback(path, diags,
                           "the price catalog was corrupted (%s), moved to %s, and cannot be "
                           "rebuilt (%s)",
                           cause, aside, why);
            goto out;
        }
        diag_add(diags, DIAG_WARNING, path, 0, 0,
                 "the price catalog was corrupted (%s); moved it to %s and rebuilt it from the "
                 "built-in price list (run 'stackaudit pricing update' to refresh it again)",
                 cause, aside);
        db = open_file(path, why, sizeof why);
        if (!db || catalog_db_health(db, why, sizeof why) != CATALOG_OK) {
            sqlite3_close(db);
            cat = fallback(path, diags, "the rebuilt price catalog cannot be read (%s)", why);
            goto out;
        }
    }
    diag_list mig;
    diag_list_init(&mig);
    if (!catalog_db_migrate(db, path, &mig)) {
        first_error(&mig, why, sizeof why);
        diag_list_free(&mig);
        sqlite3_close(db);
        cat = fallback(path, diags, "cannot upgrade the price catalog (%s)", why);
        goto out;
    }
    diag_list_free(&mig);
    cat = new_catalog(db, path, false);
    if (!finish_open(cat, diags)) {
        pricing_catalog_close(cat);
        cat = NULL;
    }
out:
    free(owned);
    return cat;
}

void pricing_catalog_close(pricing_catalog *cat)
{
    if (!cat)
        return;
    sqlite3_finalize(cat->lookup);
    sqlite3_finalize(cat->row_source);
    sqlite3_finalize(cat->probe);
    if (cat->db && !sqlite3_get_autocommit(cat->db))
        sqlite3_exec(cat->db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(cat->db);
    free(cat->keys.slots);
    free(cat->pairs);
    free(cat->sources.ids);
    free(cat->sources.texts);
    for (size_t i = 0; i < cat->nservices; i++)
        free(cat->services[i].regions);
    free(cat->services);
    arena_free(cat->strings);
    free(cat->slots);
    free(cat->ingests);
    free(cat->cands);
    free(cat->path);
    free(cat);
}

const char *pricing_catalog_path(const pricing_catalog *cat)
{
    return cat->path;
}

bool pricing_catalog_in_memory(const pricing_catalog *cat)
{
    return cat->in_memory;
}

/* --- sources ------------------------------------------------------------ */

static const ingest_info *find_ingest(const pricing_catalog *cat, int64_t id)
{
    size_t lo = 0, hi = cat->ningests;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cat->ingests[mid].id == id)
            return &cat->ingests[mid];
        if (cat->ingests[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static void describe_source(const pricing_catalog *cat, int64_t ingest_id, const char *sku,
                            const char *citation, strbuf *sb)
{
    const ingest_info *in = find_ingest(cat, ingest_id);
    if (!in) {
        sb_addf(sb, "%s", *citation ? citation : "unknown source");
        return;
    }
    if (strcmp(in->kind, "builtin") == 0) {
        sb_addf(sb, "built-in price list: %s", *citation ? citation : in->location);
        return;
    }
    if (in->offer) {
        sb_adds(sb, in->prefix);
        if (*sku) {
            sb_adds(sb, ", SKU ");
            sb_adds(sb, sku);
        }
        return;
    }
    sb_addf(sb, "%s: %s", in->location, *citation ? citation : "-");
}

static uint64_t hash_id(int64_t id)
{
    uint64_t x = (uint64_t)id * 0x9E3779B97F4A7C15ULL;
    return x ^ (x >> 29);
}

/* The source text of a stored row, composed once and kept: an offer row's
 * from its ingest and SKU, a built-in row's from its citation. */
static const char *source_of_row(pricing_catalog *cat, int64_t id, int64_t ingest_id,
                                 const char *sku)
{
    source_memo *m = &cat->sources;
    if ((m->count + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        int64_t *ids = xcalloc(cap, sizeof *ids);
        const char **texts = xcalloc(cap, sizeof *texts);
        for (size_t i = 0; i < m->cap; i++)
            if (m->ids[i]) {
                size_t j = hash_id(m->ids[i]) & (cap - 1);
                while (ids[j])
                    j = (j + 1) & (cap - 1);
                ids[j] = m->ids[i];
                texts[j] = m->texts[i];
            }
        free(m->ids);
        free(m->texts);
        m->ids = ids;
        m->texts = texts;
        m->cap = cap;
    }
    size_t j = hash_id(id) & (m->cap - 1);
    while (m->ids[j]) {
        if (m->ids[j] == id)
            return m->texts[j];
        j = (j + 1) & (m->cap - 1);
    }
    strbuf sb;
    sb_init(&sb);
    const ingest_info *in = find_ingest(cat, ingest_id);
    if (in && in->offer) {
        describe_source(cat, ingest_id, sku, "", &sb);
    } else {
        sqlite3_stmt *st = cat->row_source;
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW)
            describe_source(cat, sqlite3_column_int64(st, 2), col_text(st, 1), col_text(st, 0),
                            &sb);
        else
            sb_adds(&sb, "unknown source");
        sqlite3_reset(st);
    }
    m->ids[j] = id;
    m->texts[j] = arena_strndup(cat->strings, sb.buf, sb.len);
    m->count++;
    sb_free(&sb);
    return m->texts[j];
}

/* --- lookups ------------------------------------------------------------ */

static const char *query_attr(const pricing_query *q, int i)
{
    switch (i) {
    case 0: return q->component;
    case 1: return q->os;
    case 2: return q->tenancy;
    case 3: return q->arch;
    case 4: return q->term;
    case 5: return q->engine;
    case 6: return q->deployment;
    default: return q->variant;
    }
}

static void unpriced(pricing_price *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void unpriced(pricing_price *out, const char *fmt, ...)
{
    memset(out, 0, sizeof *out);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->reason, sizeof out->reason, fmt, ap);
    va_end(ap);
}

/* The regions priced for service (NULL when the catalog has none), read
 * once per catalog. */
static const service_regions *regions_of(pricing_catalog *cat, const char *service)
{
    if (!cat->services) {
        sqlite3_stmt *st;
        size_t cap = 0;
        cat->services = xcalloc(1, sizeof *cat->services);
        if (sqlite3_prepare_v2(cat->db,
                               "SELECT DISTINCT service, region FROM prices ORDER BY service, region",
                               -1, &st, NULL) != SQLITE_OK)
            return NULL;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *svc = intern(cat, col_text(st, 0));
            if (!cat->nservices || cat->services[cat->nservices - 1].service != svc) {
                cat->services =
                    grow_for_one(cat->services, cat->nservices, &cap, 16, sizeof *cat->services);
                cat->services[cat->nservices++] = (service_regions){svc, NULL, 0};
            }
            service_regions *sr = &cat->services[cat->nservices - 1];
            sr->regions = xrealloc(sr->regions, (sr->count + 1) * sizeof *sr->regions);
            sr->regions[sr->count++] = intern(cat, col_text(st, 1));
        }
        sqlite3_finalize(st);
        strbuf sb;
        sb_init(&sb);
        for (size_t i = 0; i < cat->nservices; i++)
            sb_addf(&sb, "%s%s", i ? ", " : "", cat->services[i].service);
        cat->services_text = intern(cat, sb.buf);
        sb_free(&sb);
    }
    for (size_t i = 0; i < cat->nservices; i++)
        if (strcmp(cat->services[i].service, service) == 0)
            return &cat->services[i];
    return NULL;
}

static bool stored(pricing_catalog *cat, const char *service, const char *region,
                   const char *resource)
{
    sqlite3_stmt *st = cat->probe;
    sqlite3_bind_text(st, 1, service, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, resource, -1, SQLITE_STATIC);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

/* Why nothing is stored for (service, region, resource). */
static void explain_missing(pricing_catalog *cat, const pricing_query *q, pricing_price *out)
{
    const service_regions *sr = regions_of(cat, q->service);
    if (!sr) {
        unpriced(out, "no %s prices in the catalog (services priced: %s)", q->service,
                 cat->services_text ? cat->services_text : "none");
        return;
    }
    strbuf sb;
    sb_init(&sb);
    bool region_known = false;
    for (size_t i = 0; i < sr->count; i++)
        region_known |= strcmp(sr->regions[i], q->region) == 0;
    if (!region_known) {
        for (size_t i = 0; i < sr->count && i < 12; i++)
            sb_addf(&sb, "%s%s", i ? ", " : "", sr->regions[i]);
        if (sr->count > 12)
            sb_adds(&sb, ", ...");
        unpriced(out,
                 "no %s prices for region %s in the catalog (it has %s); run 'stackaudit "
                 "pricing update --service %s --region %s'",
                 q->service, q->region, sb.buf, q->service, q->region);
        sb_free(&sb);
        return;
    }
    size_t shown = 0;
    for (size_t i = 0; i < sr->count; i++)
        if (strcmp(sr->regions[i], q->region) != 0 &&
            stored(cat, q->service, sr->regions[i], q->resource)) {
            sb_addf(&sb, "%s%s", shown ? ", " : "", sr->regions[i]);
            shown++;
        }
    if (shown)
        unpriced(out,
                 "no %s price for %s in %s (the catalog has it in %s); run 'stackaudit "
                 "pricing update --service %s --region %s'",
                 q->service, q->resource, q->region, sb.buf, q->service, q->region);
    else
        unpriced(out,
                 "unknown %s resource '%s': not in the catalog for %s (check the name, or "
                 "run 'stackaudit pricing update --service %s --region %s')",
                 q->service, q->resource, q->region, q->service, q->region);
    sb_free(&sb);
}

static void describe_attrs(const candidate *c, strbuf *sb)
{
    sb_adds(sb, c->attr[0]);
    bool open = false;
    for (int i = 1; i < 8; i++)
        if (*c->attr[i] && !(i == 4 && strcmp(c->attr[i], "OnDemand") == 0)) {
            sb_addf(sb, "%s%s=%s", open ? " " : " [", attr_names[i], c->attr[i]);
            open = true;
        }
    if (open)
        sb_adds(sb, "]");
}

static bool same_attrs(const candidate *a, const candidate *b)
{
    for (int i = 0; i < 8; i++)
        if (a->attr[i] != b->attr[i])
            return false;
    return true;
}

/* Several attribute combinations match: name what tells them apart. */
static void explain_ambiguous(const pricing_query *q, const candidate *c, size_t n,
                              pricing_price *out)
{
    strbuf sb;
    sb_init(&sb);
    bool first_attr = true;
    for (int i = 0; i < 8; i++) {
        bool differs = false;
        for (size_t k = 1; k < n && !differs; k++)
            differs = c[k].attr[i] != c[0].attr[i];
        if (!differs)
            continue;
        sb_addf(&sb, "%s%s (", first_attr ? "" : " and ", attr_names[i]);
        first_attr = false;
        size_t shown = 0;
        for (size_t k = 0; k < n; k++) {
            bool seen = false;
            for (size_t j = 0; j < k && !seen; j++)
                seen = c[j].attr[i] == c[k].attr[i];
            if (seen)
                continue;
            if (shown == 8) {
                sb_adds(&sb, ", ...");
                break;
            }
            sb_addf(&sb, "%s%s", shown ? ", " : "", *c[k].attr[i] ? c[k].attr[i] : "(none)");
            shown++;
        }
        sb_adds(&sb, ")");
    }
    unpriced(out, "ambiguous: several %s prices match %s in %s; choose with %s", q->service,
             q->resource, q->region, sb.buf);
    sb_free(&sb);
}

static void fill_price(pricing_catalog *cat, const candidate *c, size_t tiers, pricing_price *out)
{
    memset(out, 0, sizeof *out);
    out->priced = true;
    out->usd_per_unit = c->usd;
    out->usd_text = c->usd_text;
    out->unit = c->unit;
    out->effective_date = c->effective_date;
    out->sku = c->sku;
    out->component = c->attr[0];
    out->os = c->attr[1];
    out->tenancy = c->attr[2];
    out->arch = c->attr[3];
    out->term = c->attr[4];
    out->engine = c->attr[5];
    out->deployment = c->attr[6];
    out->variant = c->attr[7];
    out->begin_range = c->begin;
    out->end_range = c->end;
    out->has_end = c->has_end;
    out->tiers = tiers;
    out->source = source_of_row(cat, c->id, c->ingest_id, c->sku);
}

static bool candidate_matches(const candidate *c, const pricing_query *q)
{
    for (int i = 0; i < 8; i++) {
        const char *want = query_attr(q, i);
        if (want && strcmp(want, c->attr[i]) != 0)
            return false;
    }
    return true;
}

static uint64_t hash_key(const char *service, const char *region, const char *resource)
{
    uint64_t h = hash_str(service);
    h = (h ^ hash_str(region)) * 0x100000001B3ULL;
    return (h ^ hash_str(resource)) * 0x9E3779B97F4A7C15ULL;
}

static void memo_grow(key_memo *m)
{
    if ((m->count + 1) * 2 <= m->cap)
        return;
    size_t cap = m->cap ? m->cap * 2 : 256;
    key_rows **slots = xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i]) {
            size_t j = m->slots[i]->hash & (cap - 1);
            while (slots[j])
                j = (j + 1) & (cap - 1);
            slots[j] = m->slots[i];
        }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
}

static key_rows *memo_find(const key_memo *m, const char *service, const char *region,
                           const char *resource, uint64_t h)
{
    if (!m->cap)
        return NULL;
    for (size_t j = h & (m->cap - 1); m->slots[j]; j = (j + 1) & (m->cap - 1)) {
        key_rows *k = m->slots[j];
        if (k->hash == h && strcmp(k->resource, resource) == 0 &&
            strcmp(k->region, region) == 0 && strcmp(k->service, service) == 0)
            return k;
    }
    return NULL;
}

/* Adds the rows of one key (copied, put in tier order). */
static void memo_add(pricing_catalog *cat, const char *service, const char *region,
                     const char *resource, candidate *rows, size_t n)
{
    /* tier order: by range start, then row id (stable insertion sort) */
    for (size_t i = 1; i < n; i++) {
        candidate tmp = rows[i];
        size_t k = i;
        while (k > 0 && (rows[k - 1].begin > tmp.begin ||
                         (rows[k - 1].begin == tmp.begin && rows[k - 1].id > tmp.id))) {
            rows[k] = rows[k - 1];
            k--;
        }
        rows[k] = tmp;
    }
    key_memo *m = &cat->keys;
    memo_grow(m);
    key_rows *k = arena_alloc(cat->strings, sizeof *k);
    k->service = intern(cat, service);
    k->region = intern(cat, region);
    k->resource = intern(cat, resource);
    k->hash = hash_key(service, region, resource);
    k->rows = n ? arena_memdup(cat->strings, rows, n * sizeof *rows) : NULL;
    k->nrows = n;
    size_t j = k->hash & (m->cap - 1);
    while (m->slots[j])
        j = (j + 1) & (m->cap - 1);
    m->slots[j] = k;
    m->count++;
}

static bool pair_loaded(const pricing_catalog *cat, const char *service, const char *region)
{
    for (size_t i = 0; i < cat->npairs; i++)
        if (strcmp(cat->pairs[i].region, region) == 0 &&
            strcmp(cat->pairs[i].service, service) == 0)
            return true;
    return false;
}

/* Reads every row of (service, region) with one index range scan and
 * keeps them by resource: an estimate asks for many resources of the same
 * service and region, and one scan is far cheaper than a seek per key. */
static bool load_pair(pricing_catalog *cat, const char *service, const char *region,
                      const char **error)
{
    sqlite3_stmt *st = cat->lookup;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, service, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
    candidate *rows = NULL;
    size_t n = 0, cap = 0;
    const char *resource = NULL; /* interned: the group being read */
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *r = intern(cat, col_text(st, 0));
        if (r != resource) {
            if (resource && !memo_find(&cat->keys, service, region, resource,
                                       hash_key(service, region, resource)))
                memo_add(cat, service, region, resource, rows, n);
            resource = r;
            n = 0;
        }
        rows = grow_for_one(rows, n, &cap, 8, sizeof *rows);
        candidate *c = &rows[n++];
        for (int i = 0; i < 8; i++)
            c->attr[i] = intern(cat, col_text(st, i + 1));
        c->unit = intern(cat, col_text(st, 9));
        c->usd = sqlite3_column_double(st, 10);
        c->usd_text = intern(cat, col_text(st, 11));
        c->begin = sqlite3_column_double(st, 12);
        c->has_end = sqlite3_column_type(st, 13) != SQLITE_NULL;
        c->end = c->has_end ? sqlite3_column_double(st, 13) : 0;
        c->effective_date = intern(cat, col_text(st, 14));
        c->sku = intern(cat, col_text(st, 15));
        c->id = sqlite3_column_int64(st, 16);
        c->ingest_id = sqlite3_column_int64(st, 17);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        *error = sqlite3_errmsg(cat->db);
        free(rows);
        return false;
    }
    if (resource &&
        !memo_find(&cat->keys, service, region, resource, hash_key(service, region, resource)))
        memo_add(cat, service, region, resource, rows, n);
    free(rows);
    cat->pairs = grow_for_one(cat->pairs, cat->npairs, &cat->pairs_cap, 16, sizeof *cat->pairs);
    cat->pairs[cat->npairs].service = intern(cat, service);
    cat->pairs[cat->npairs].region = intern(cat, region);
    cat->npairs++;
    return true;
}

/* Every stored row of (service, region, resource), in tier order. */
static const key_rows *rows_of(pricing_catalog *cat, const pricing_query *q, const char **error)
{
    uint64_t h = hash_key(q->service, q->region, q->resource);
    key_rows *k = memo_find(&cat->keys, q->service, q->region, q->resource, h);
    if (k)
        return k;
    if (!pair_loaded(cat, q->service, q->region)) {
        if (!load_pair(cat, q->service, q->region, error))
            return NULL;
        k = memo_find(&cat->keys, q->service, q->region, q->resource, h);
        if (k)
            return k;
    }
    /* not stored: remember that too */
    memo_add(cat, q->service, q->region, q->resource, NULL, 0);
    return memo_find(&cat->keys, q->service, q->region, q->resource, h);
}

static size_t lookup_impl(pricing_catalog *cat, const pricing_query *q, pricing_price *out,
                          size_t max)
{
    pricing_price scratch;
    pricing_price *answer = max ? out : &scratch;
    if (!q->service || !q->region || !q->resource) {
        unpriced(answer, "a price lookup needs a service, a region and a resource");
        return 0;
    }
    const char *error = NULL;
    const key_rows *k = rows_of(cat, q, &error);
    if (!k) {
        unpriced(answer, "reading the price catalog failed: %s", error);
        return 0;
    }
    if (k->nrows == 0) {
        explain_missing(cat, q, answer);
        return 0;
    }
    cat->ncands = 0;
    for (size_t i = 0; i < k->nrows; i++) {
        if (!candidate_matches(&k->rows[i], q))
            continue;
        cat->cands = grow_for_one(cat->cands, cat->ncands, &cat->cands_cap, 16, sizeof *cat->cands);
        cat->cands[cat->ncands++] = k->rows[i];
    }
    if (cat->ncands == 0) {
        /* rows exist but none has the asked attributes: show what there is */
        strbuf have, want;
        sb_init(&have);
        sb_init(&want);
        for (int i = 0; i < 8; i++)
            if (query_attr(q, i))
                sb_addf(&want, "%s%s=%s", want.len ? " " : "", attr_names[i], query_attr(q, i));
        size_t shown = 0;
        for (size_t i = 0; i < k->nrows && shown < 6; i++) {
            bool seen = false;
            for (size_t j = 0; j < i && !seen; j++)
                seen = same_attrs(&k->rows[j], &k->rows[i]);
            if (seen)
                continue;
            sb_adds(&have, shown ? "; " : "");
            describe_attrs(&k->rows[i], &have);
            shown++;
        }
        unpriced(answer, "no %s price for %s in %s with %s (the catalog has: %s)", q->service,
                 q->resource, q->region, want.buf, have.buf);
        sb_free(&have);
        sb_free(&want);
        return 0;
    }
    /* one attribute combination only; its rows are tiers (ordered by start) */
    candidate *c = cat->cands;
    for (size_t i = 1; i < cat->ncands; i++)
        if (!same_attrs(&c[i], &c[0])) {
            explain_ambiguous(q, c, cat->ncands, answer);
            return 0;
        }
    size_t tiers = 0;
    for (size_t i = 0; i < cat->ncands; i++) {
        if (i > 0 && c[i].begin == c[tiers - 1].begin) {
            if (c[i].usd != c[tiers - 1].usd) {
                unpriced(answer,
                         "conflicting prices for %s %s in %s: %s and %s per %s for the same "
                         "attributes and range; run 'stackaudit pricing update' to rebuild it",
                         q->service, q->resource, q->region, c[tiers - 1].usd_text, c[i].usd_text,
                         c[i].unit);
                return 0;
            }
            continue; /* the same price twice */
        }
        c[tiers++] = c[i];
    }
    for (size_t i = 0; i < tiers && i < (max ? max : 1); i++)
        fill_price(cat, &c[i], tiers, max ? &out[i] : answer);
    return tiers;
}

bool pricing_lookup(pricing_catalog *cat, const pricing_query *q, pricing_price *out)
{
    lookup_impl(cat, q, out, 1);
    return out->priced;
}

size_t pricing_lookup_tiers(pricing_catalog *cat, const pricing_query *q, pricing_price *out,
                            size_t max)
{
    return lookup_impl(cat, q, out, max);
}

/* --- listing ------------------------------------------------------------ */

bool pricing_catalog_each(pricing_catalog *cat, const pricing_filter *f, pricing_each_fn fn,
                          void *ud, diag_list *diags)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(cat->db,
                           "SELECT service, region, resource, component, os, tenancy, arch, term,"
                           " engine, deployment, variant, unit, usd, usd_text, begin_range,"
                           " end_range, effective_date, description, sku, citation, ingest_id"
                           " FROM prices"
                           " WHERE (?1 IS NULL OR service = ?1) AND (?2 IS NULL OR region = ?2)"
                           " AND (?3 IS NULL OR resource = ?3) AND (?4 IS NULL OR component = ?4)"
                           " ORDER BY service, region, resource, component, os, tenancy, arch,"
                           " term, engine, deployment, variant, begin_range, id",
                           -1, &st, NULL) != SQLITE_OK) {
        diag_add(diags, DIAG_ERROR, cat->path, 0, 0, "cannot list prices: %s",
                 sqlite3_errmsg(cat->db));
        return false;
    }
    const char *args[] = {f ? f->service : NULL, f ? f->region : NULL, f ? f->resource : NULL,
                          f ? f->component : NULL};
    for (int i = 0; i < 4; i++)
        if (args[i])
            sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_STATIC);
    strbuf source;
    sb_init(&source);
    int rc;
    bool ok = true;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        price_row row = {
            .service = col_text(st, 0),
            .region = col_text(st, 1),
            .resource = col_text(st, 2),
            .component = col_text(st, 3),
            .os = col_text(st, 4),
            .tenancy = col_text(st, 5),
            .arch = col_text(st, 6),
            .term = col_text(st, 7),
            .engine = col_text(st, 8),
            .deployment = col_text(st, 9),
            .variant = col_text(st, 10),
            .unit = col_text(st, 11),
            .usd = sqlite3_column_double(st, 12),
            .usd_text = col_text(st, 13),
            .begin_range = sqlite3_column_double(st, 14),
            .has_end = sqlite3_column_type(st, 15) != SQLITE_NULL,
            .end_range = sqlite3_column_double(st, 15),
            .effective_date = col_text(st, 16),
            .description = col_text(st, 17),
            .sku = col_text(st, 18),
            .citation = col_text(st, 19),
        };
        sb_reset(&source);
        describe_source(cat, sqlite3_column_int64(st, 20), row.sku, row.citation, &source);
        if (fn(ud, &row, source.buf) != 0)
            break;
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        diag_add(diags, DIAG_ERROR, cat->path, 0, 0, "reading the catalog failed: %s",
                 sqlite3_errmsg(cat->db));
        ok = false;
    }
    sb_free(&source);
    sqlite3_finalize(st);
    return ok;
}

/* --- status ------------------------------------------------------------- */

static int64_t meta_int(pricing_catalog *cat, const char *key)
{
    sqlite3_stmt *st;
    int64_t v = 0;
    if (sqlite3_prepare_v2(cat->db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL) !=
        SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = strtoll(col_text(st, 0), NULL, 10);
    sqlite3_finalize(st);
    return v;
}

bool pricing_catalog_status(pricing_catalog *cat, pricing_status *s, diag_list *diags)
{
    memset(s, 0, sizeof *s);
    sqlite3_stmt *st;
    int version = 0;
    if (sqlite3_prepare_v2(cat->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            version = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    s->schema_version = version;
    s->created_at = meta_int(cat, "created_at");
    s->updated_at = meta_int(cat, "updated_at");
    if (sqlite3_prepare_v2(cat->db,
                           "SELECT i.kind, i.location, i.offer_code, i.offer_version,"
                           " i.publication_date, i.etag, i.last_modified, i.fetched_at,"
                           " (SELECT count(*) FROM prices p WHERE p.ingest_id = i.id)"
                           " FROM ingests i ORDER BY i.id",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    size_t cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        s->sources = grow_for_one(s->sources, s->nsources, &cap, 8, sizeof *s->sources);
        pricing_source_info *in = &s->sources[s->nsources++];
        in->kind = xstrdup(col_text(st, 0));
        in->location = xstrdup(col_text(st, 1));
        in->offer_code = xstrdup(col_text(st, 2));
        in->offer_version = xstrdup(col_text(st, 3));
        in->publication_date = xstrdup(col_text(st, 4));
        in->etag = xstrdup(col_text(st, 5));
        in->last_modified = xstrdup(col_text(st, 6));
        in->fetched_at = sqlite3_column_int64(st, 7);
        in->rows = sqlite3_column_int64(st, 8);
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(cat->db,
                           "SELECT service, region, count(*) FROM prices"
                           " GROUP BY service, region ORDER BY service, region",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        s->counts = grow_for_one(s->counts, s->ncounts, &cap, 16, sizeof *s->counts);
        pricing_count *c = &s->counts[s->ncounts++];
        c->service = xstrdup(col_text(st, 0));
        c->region = xstrdup(col_text(st, 1));
        c->rows = sqlite3_column_int64(st, 2);
        s->total_rows += c->rows;
    }
    sqlite3_finalize(st);
    return true;
fail:
    diag_add(diags, DIAG_ERROR, cat->path, 0, 0, "cannot read the catalog status: %s",
             sqlite3_errmsg(cat->db));
    return false;
}

void pricing_status_free(pricing_status *s)
{
    for (size_t i = 0; i < s->nsources; i++) {
        pricing_source_info *in = &s->sources[i];
        free(in->kind);
        free(in->location);
        free(in->offer_code);
        free(in->offer_version);
        free(in->publication_date);
        free(in->etag);
        free(in->last_modified);
    }
    for (size_t i = 0; i < s->ncounts; i++) {
        free(s->counts[i].service);
        free(s->counts[i].region);
    }
    free(s->sources);
    free(s->counts);
    memset(s, 0, sizeof *s);
}
