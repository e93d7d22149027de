/* update.c - refresh the catalog from offer files into a new file, then
 * rename it over the old one; see update.h. */
#include "update.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/strbuf.h"
#include "pricing/catalog.h"
#include "pricing/catalog_db.h"
#include "pricing/offer_csv.h"

#define READ_CHUNK (1u << 20)

typedef struct region_pair {
    char service[64];
    char region[64];
} region_pair;

/* One source being read into the new catalog. */
typedef struct ingest_ctx {
    catalog_inserter ins;
    region_pair *pairs; /* (service, region) pairs delivered */
    size_t npairs, cap;
} ingest_ctx;

typedef struct updater {
    const pricing_update_options *o;
    const char *path; /* the catalog */
    const char *temp; /* the new file */
    sqlite3 *db;
    diag_list *diags;
    pricing_update_result *res;
    unsigned seed;
} updater;

typedef enum source_status { SOURCE_READ, SOURCE_UNCHANGED, SOURCE_FAILED } source_status;

char *pricing_offer_url(const char *endpoint, const char *service, const char *region)
{
    strbuf sb;
    sb_init(&sb);
    size_t n = strlen(endpoint);
    while (n > 0 && endpoint[n - 1] == '/')
        n--;
    sb_addf(&sb, "%.*s/offers/v1.0/aws/%s/current/%s/index.csv", (int)n, endpoint, service, region);
    return sb_detach(&sb);
}

static void say(const updater *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(const updater *u, const char *fmt, ...)
{
    if (!u->o->log)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(u->o->log, fmt, ap);
    va_end(ap);
    fputc('\n', u->o->log);
    fflush(u->o->log);
}

static bool exec(updater *u, const char *sql, const char *what)
{
    return catalog_db_exec(u->db, sql, u->path, what, u->diags);
}

static int on_row(void *ud, const price_row *row, uint64_t line)
{
    (void)line;
    ingest_ctx *c = ud;
    if (!catalog_inserter_add(&c->ins, row))
        return 1;
    if (c->npairs && strcmp(c->pairs[c->npairs - 1].region, row->region) == 0 &&
        strcmp(c->pairs[c->npairs - 1].service, row->service) == 0)
        return 0;
    for (size_t i = 0; i < c->npairs; i++)
        if (strcmp(c->pairs[i].region, row->region) == 0 &&
            strcmp(c->pairs[i].service, row->service) == 0)
            return 0;
    if (c->npairs == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 8;
        c->pairs = xrealloc(c->pairs, c->cap * sizeof *c->pairs);
    }
    snprintf(c->pairs[c->npairs].service, sizeof c->pairs[0].service, "%s", row->service);
    snprintf(c->pairs[c->npairs].region, sizeof c->pairs[0].region, "%s", row->region);
    c->npairs++;
    return 0;
}

static int feed_reader(void *ud, const char *data, size_t len)
{
    return offer_reader_feed(ud, data, len) ? 0 : 1;
}

static bool has_region(const ingest_ctx *c, const char *region)
{
    for (size_t i = 0; i < c->npairs; i++)
        if (strcmp(c->pairs[i].region, region) == 0)
            return true;
    return false;
}

/* The ETag / Last-Modified of the rows currently held from url. */
static void stored_validators(updater *u, const char *url, char *etag, size_t esz, char *lm,
                              size_t lsz)
{
    etag[0] = lm[0] = '\0';
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(u->db,
                           "SELECT etag, last_modified FROM ingests i WHERE location = ?1"
                           " AND kind = 'url' AND EXISTS (SELECT 1 FROM prices p"
                           " WHERE p.ingest_id = i.id) ORDER BY id DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(etag, esz, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(lm, lsz, "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
}

static bool read_file(updater *u, const pricing_source *src, offer_reader *r)
{
    FILE *f = fopen(src->location, "rb");
    if (!f) {
        diag_add(u->diags, DIAG_ERROR, src->location, 0, 0, "cannot open the offer file: %s",
                 strerror(errno));
        return false;
    }
#ifdef POSIX_FADV_SEQUENTIAL
    posix_fadvise(fileno(f), 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    char *buf = xmalloc(READ_CHUNK);
    bool ok = true;
    size_t n;
    while (ok && (n = fread(buf, 1, READ_CHUNK, f)) > 0)
        ok = offer_reader_feed(r, buf, n);
    if (ok && ferror(f)) {
        diag_add(u->diags, DIAG_ERROR, src->location, 0, 0, "reading the offer file failed: %s",
                 strerror(errno));
        ok = false;
    }
    free(buf);
    fclose(f);
    return ok && offer_reader_finish(r);
}

static void backoff(updater *u, int attempt)
{
    unsigned base = u->o->retry_base_ms;
    uint64_t ms = (uint64_t)base << (attempt < 16 ? attempt : 16);
    if (ms > 60000)
        ms = 60000;
    ms += base ? (uint64_t)(rand_r(&u->seed) % (ms / 4 + 1)) : 0;
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static bool record_source(updater *u, int64_t id, const offer_meta *m, const download_result *dr,
                          const ingest_ctx *c)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(u->db,
                           "UPDATE ingests SET offer_code = ?2, offer_version = ?3,"
                           " publication_date = ?4, etag = ?5, last_modified = ?6 WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, m->offer_code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, m->version, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, m->publication_date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, dr ? dr->etag : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, dr ? dr->last_modified : "", -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        goto fail;
    if (sqlite3_prepare_v2(u->db, "INSERT OR IGNORE INTO delivered(service, region) VALUES(?1, ?2)",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    for (size_t i = 0; i < c->npairs; i++) {
        sqlite3_bind_text(st, 1, c->pairs[i].service, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, c->pairs[i].region, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            sqlite3_finalize(st);
            goto fail;
        }
    }
    sqlite3_finalize(st);
    return true;
fail:
    diag_add(u->diags, DIAG_ERROR, u->path, 0, 0, "writing the new catalog failed: %s",
             sqlite3_errmsg(u->db));
    return false;
}

/* After a successful read: the checks of update.h, then bookkeeping. */
static bool accept_source(updater *u, const pricing_source *src, offer_reader *r, int64_t id,
                          const download_result *dr, const ingest_ctx *c)
{
    const offer_meta *m = offer_reader_meta(r);
    const offer_stats *s = offer_reader_stats(r);
    if (s->kept_rows == 0) {
        strbuf regions;
        sb_init(&regions);
        for (size_t i = 0; i < u->o->nregions; i++)
            sb_addf(&regions, "%s%s", i ? ", " : " in ", u->o->regions[i]);
        if (src->region)
            sb_addf(&regions, " in %s", src->region);
        diag_add(u->diags, DIAG_ERROR, src->location, 0, 0,
                 "no usable prices: none of the %llu rows of this %s offer file is an on-demand "
                 "USD price stackaudit keeps%s",
                 (unsigned long long)s->data_rows, m->offer_code, regions.buf);
        sb_free(&regions);
        return false;
    }
    if (src->region && !has_region(c, src->region)) {
        diag_add(u->diags, DIAG_ERROR, src->location, 0, 0,
                 "expected %s prices for %s, but the file has none", m->offer_code, src->region);
        return false;
    }
    for (size_t i = 0; !src->region && i < u->o->nregions; i++)
        if (!has_region(c, u->o->regions[i])) {
            diag_add(u->diags, DIAG_ERROR, src->location, 0, 0,
                     "--region %s asked, but this %s offer file has no usable price for it",
                     u->o->regions[i], m->offer_code);
            return false;
        }
    if (!record_source(u, id, m, dr, c))
        return false;
    u->res->sources_read++;
    u->res->rows_added += s->kept_rows;
    strbuf regions;
    sb_init(&regions);
    for (size_t i = 0; i < c->npairs && i < 8; i++)
        sb_addf(&regions, "%s%s", i ? ", " : "", c->pairs[i].region);
    if (c->npairs > 8)
        sb_addf(&regions, " and %zu more regions", c->npairs - 8);
    say(u, "%s: %s (%s): kept %llu of %llu rows (%.1f MB)", src->location, m->offer_code,
        regions.buf, (unsigned long long)s->kept_rows, (unsigned long long)s->data_rows,
        (double)s->bytes / 1e6);
    sb_free(&regions);
    return true;
}

static source_status read_source(updater *u, const pricing_source *src)
{
    const pricing_update_options *o = u->o;
    const char *service_filter[1] = {src->service};
    const char *region_filter[1] = {src->region};
    for (int attempt = 0;; attempt++) {
        if (!exec(u, "SAVEPOINT source", "cannot start reading a source"))
            return SOURCE_FAILED;
        bool is_url = src->kind == PRICING_SOURCE_URL;
        char etag[256] = "", lm[128] = "";
        if (is_url)
            stored_validators(u, src->location, etag, sizeof etag, lm, sizeof lm);
        /* a file is recorded by its absolute path, so `status` can point to it */
        char *absolute = is_url ? NULL : realpath(src->location, NULL);
        int64_t id = catalog_db_add_ingest(u->db, "main", is_url ? "url" : "file",
                                           absolute ? absolute : src->location, src->service, "",
                                           "", "", "", u->path, u->diags);
        free(absolute);
        ingest_ctx ctx = {0};
        offer_reader *r = NULL;
        source_status status = SOURCE_FAILED;
        bool retry = false;
        download_result dr;
        memset(&dr, 0, sizeof dr);
        if (id < 0 || !catalog_inserter_open(&ctx.ins, u->db, "main", id, u->path, u->diags))
            goto done;
        offer_options oo = {
            .origin = src->location,
            .services = src->service ? service_filter : o->services,
            .nservices = src->service ? 1 : o->nservices,
            .regions = src->region ? region_filter : o->regions,
            .nregions = src->region ? 1 : o->nregions,
            .on_row = on_row,
            .ud = &ctx,
            .diags = u->diags,
        };
        r = offer_reader_new(&oo);
        bool read_ok;
        if (is_url) {
            download_options d = o->download;
            d.etag = etag;
            d.last_modified = lm;
            download_status ds = download_url(src->location, &d, feed_reader, r, &dr);
            if (ds == DOWNLOAD_NOT_MODIFIED) {
                say(u, "%s: not modified since the last download; keeping its prices",
                    src->location);
                status = SOURCE_UNCHANGED;
                goto done;
            }
            if (ds == DOWNLOAD_FAILED) {
                if (dr.transient && attempt < o->retries) {
                    say(u, "%s: %s; retrying (attempt %d of %d)", src->location, dr.error,
                        attempt + 2, o->retries + 1);
                    retry = true;
                } else {
                    diag_add(u->diags, DIAG_ERROR, src->location, 0, 0, "%s%s", dr.error,
                             attempt ? " (after retries)" : "");
                }
                goto done;
            }
            read_ok = ds == DOWNLOAD_OK && offer_reader_finish(r);
        } else {
            read_ok = read_file(u, src, r);
        }
        if (read_ok && accept_source(u, src, r, id, is_url ? &dr : NULL, &ctx))
            status = SOURCE_READ;
    done:
        offer_reader_free(r);
        catalog_inserter_close(&ctx.ins);
        free(ctx.pairs);
        if (status == SOURCE_READ) {
            if (!exec(u, "RELEASE source", "writing the new catalog failed"))
                return SOURCE_FAILED;
            return status;
        }
        exec(u, "ROLLBACK TO source; RELEASE source", "cannot undo a failed source");
        if (!retry) {
            if (status == SOURCE_UNCHANGED)
                u->res->sources_unchanged++;
            return status;
        }
        backoff(u, attempt);
    }
}

/* Drops the carried rows that the new sources supersede (see update.h). */
static bool drop_superseded(updater *u, int64_t first_new)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(
            u->db,
            "DELETE FROM prices WHERE ingest_id < ?1"
            " AND EXISTS (SELECT 1 FROM delivered d"
            "  WHERE d.service = prices.service AND d.region = prices.region)"
            " AND (ingest_id NOT IN (SELECT id FROM ingests WHERE kind = 'builtin')"
            "  OR EXISTS (SELECT 1 FROM prices n WHERE n.ingest_id >= ?1"
            "   AND n.service = prices.service AND n.region = prices.region"
            "   AND n.resource = prices.resource AND n.component = prices.component))",
            -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, first_new);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        goto fail;
    return exec(u,
                "DELETE FROM ingests WHERE NOT EXISTS"
                " (SELECT 1 FROM prices p WHERE p.ingest_id = ingests.id)",
                "writing the new catalog failed");
fail:
    diag_add(u->diags, DIAG_ERROR, u->path, 0, 0, "writing the new catalog failed: %s",
             sqlite3_errmsg(u->db));
    return false;
}

static int64_t query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Copies the current catalog's rows (or the built-in default when the
 * current catalog is only in memory) into the new file. */
static bool carry_current(updater *u, bool current_in_memory)
{
    if (current_in_memory)
        return catalog_db_insert_default(u->db, "main", u->path, u->diags);
    return exec(u,
                "INSERT INTO main.meta SELECT key, value FROM old.meta;"
                "INSERT INTO main.ingests(id, kind, location, offer_code, offer_version,"
                " publication_date, fetched_at, etag, last_modified)"
                " SELECT id, kind, location, offer_code, offer_version, publication_date,"
                " fetched_at, etag, last_modified FROM old.ingests;"
                "INSERT INTO main.prices(id, service, region, resource, component, os, tenancy,"
                " arch, term, engine, deployment, variant, unit, usd, usd_text, begin_range,"
                " end_range, effective_date, description, sku, citation, ingest_id)"
                " SELECT id, service, region, resource, component, os, tenancy, arch, term,"
                " engine, deployment, variant, unit, usd, usd_text, begin_range, end_range,"
                " effective_date, description, sku, citation, ingest_id FROM old.prices",
                "cannot copy the current catalog");
}

static bool attach_current(updater *u)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(u->db, "ATTACH DATABASE ?1 AS old", -1, &st, NULL) != SQLITE_OK) {
        diag_add(u->diags, DIAG_ERROR, u->path, 0, 0, "cannot read the current catalog: %s",
                 sqlite3_errmsg(u->db));
        return false;
    }
    sqlite3_bind_text(st, 1, u->path, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        diag_add(u->diags, DIAG_ERROR, u->path, 0, 0, "cannot read the current catalog: %s",
                 sqlite3_errmsg(u->db));
        return false;
    }
    return true;
}

/* Creates the new file next to the catalog; the system error names the
 * problem (read-only directory, parent is a file, disk full...). */
static bool create_temp(updater *u)
{
    if (!catalog_db_make_parent_dirs(u->path, u->diags))
        return false;
    int fd = open(u->temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        diag_add(u->diags, DIAG_ERROR, u->path, 0, 0,
                 "cannot write a new catalog next to this one (%s): %s", u->temp,
                 strerror(errno));
        return false;
    }
    close(fd);
    int rc = sqlite3_open_v2(u->temp, &u->db, SQLITE_OPEN_READWRITE, NULL);
    if (rc != SQLITE_OK) {
        diag_add(u->diags, DIAG_ERROR, u->temp, 0, 0, "cannot open the new catalog: %s",
                 u->db ? sqlite3_errmsg(u->db) : sqlite3_errstr(rc));
        return false;
    }
    return catalog_db_prepare_build(u->db, u->temp, u->diags) &&
           catalog_db_migrate(u->db, u->path, u->diags);
}

bool pricing_update(const pricing_update_options *o, pricing_update_result *res,
                    diag_list *diags)
{
    memset(res, 0, sizeof *res);
    char *owned = NULL;
    const char *path = o->db_path;
    if (!path) {
        owned = pricing_default_db_path(diags);
        if (!owned)
            return false;
        path = owned;
    }
    updater u = {.o = o, .path = path, .diags = diags, .res = res,
                 .seed = (unsigned)time(NULL) ^ (unsigned)getpid()};
    bool ok = false, began = false, attached = false;
    char *temp = NULL;

    /* the current catalog, created or rebuilt if needed */
    pricing_catalog *current = pricing_catalog_open(path, diags);
    if (!current)
        goto out;
    bool current_in_memory = pricing_catalog_in_memory(current);
    pricing_catalog_close(current);

    temp = catalog_db_temp_path(path);
    u.temp = temp;
    if (!create_temp(&u))
        goto out;
    if (!current_in_memory) {
        if (!attach_current(&u))
            goto out;
        attached = true;
    }
    if (!exec(&u, "BEGIN", "cannot start writing the new catalog"))
        goto out;
    began = true;
    if (!carry_current(&u, current_in_memory) ||
        !exec(&u, "CREATE TEMP TABLE delivered(service TEXT, region TEXT,"
                  " PRIMARY KEY(service, region))",
              "cannot start writing the new catalog"))
        goto out;
    int64_t first_new = query_int(u.db, "SELECT coalesce(max(id), 0) + 1 FROM ingests");

    /* the first failure ends the update: the new file will be discarded,
     * so reading (downloading) the other sources would be wasted */
    for (size_t i = 0; i < o->nsources; i++)
        if (read_source(&u, &o->sources[i]) == SOURCE_FAILED)
            goto out;
    if (res->sources_read == 0) {
        say(&u, "%s: unchanged (every source was not modified)", path);
        ok = true;
        goto out;
    }
    if (!drop_superseded(&u, first_new))
        goto out;
    int64_t total = query_int(u.db, "SELECT count(*) FROM prices");
    if (total <= 0) {
        diag_add(diags, DIAG_ERROR, path, 0, 0, "the new catalog would be empty; keeping the old one");
        goto out;
    }
    res->rows_total = (uint64_t)total;
    char now[32];
    snprintf(now, sizeof now, "%lld", (long long)time(NULL));
    if (!catalog_db_set_meta(u.db, "main", "updated_at", now, path, diags) ||
        !exec(&u, "INSERT OR IGNORE INTO meta(key, value) VALUES('created_at', strftime('%s','now'))",
              "writing the new catalog failed") ||
        !exec(&u, "COMMIT", "writing the new catalog failed"))
        goto out;
    began = false;
    if (attached) {
        exec(&u, "DETACH DATABASE old", "closing the current catalog");
        attached = false;
    }
    sqlite3 *db = u.db;
    u.db = NULL;
    if (!catalog_db_commit_file(db, temp, path, diags))
        goto out;
    res->replaced = true;
    say(&u, "%s: updated: %lld prices, %llu new from %zu source(s)", path, (long long)total,
        (unsigned long long)res->rows_added, res->sources_read);
    ok = true;
out:
    if (u.db) {
        if (began)
            sqlite3_exec(u.db, "ROLLBACK", NULL, NULL, NULL);
        catalog_db_discard_file(u.db, temp);
    } else if (temp && !res->replaced) {
        catalog_db_discard_file(NULL, temp);
    }
    free(temp);
    free(owned);
    return ok;
}
