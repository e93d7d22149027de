/* catalog_db.c - schema, migrations, integrity, atomic files; see
 * catalog_db.h. */
#include "catalog_db.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/strbuf.h"
#include "pricing/default_catalog.h"

/* migrations[i] takes a database from user_version i to i + 1. Never edit
 * a released step: add a new one and bump CATALOG_SCHEMA_VERSION. */
static const char *const migrations[CATALOG_SCHEMA_VERSION] = {
    /* 0 -> 1: prices keyed by service, region, resource, component and the
     * attributes that select a price */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE prices("
    " id INTEGER PRIMARY KEY,"
    " service TEXT NOT NULL, region TEXT NOT NULL, resource TEXT NOT NULL,"
    " component TEXT NOT NULL,"
    " os TEXT NOT NULL DEFAULT '', tenancy TEXT NOT NULL DEFAULT '',"
    " arch TEXT NOT NULL DEFAULT '', term TEXT NOT NULL DEFAULT 'OnDemand',"
    " engine TEXT NOT NULL DEFAULT '', deployment TEXT NOT NULL DEFAULT '',"
    " variant TEXT NOT NULL DEFAULT '',"
    " unit TEXT NOT NULL, usd REAL NOT NULL CHECK (usd >= 0), usd_text TEXT NOT NULL,"
    " begin_range REAL NOT NULL DEFAULT 0, end_range REAL,"
    " effective_date TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',"
    " sku TEXT NOT NULL DEFAULT '', citation TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX prices_by_key ON prices(service, region, resource, component);",

    /* 1 -> 2: where each row came from (ingests: the built-in default, an
     * offer file or URL with its version and HTTP validators) */
    "CREATE TABLE ingests("
    " id INTEGER PRIMARY KEY, kind TEXT NOT NULL, location TEXT NOT NULL,"
    " offer_code TEXT NOT NULL DEFAULT '', offer_version TEXT NOT NULL DEFAULT '',"
    " publication_date TEXT NOT NULL DEFAULT '', fetched_at INTEGER NOT NULL,"
    " etag TEXT NOT NULL DEFAULT '', last_modified TEXT NOT NULL DEFAULT '');"
    "INSERT INTO ingests(id, kind, location, fetched_at)"
    " SELECT 1, 'migrated', 'rows of a schema-1 catalog', CAST(strftime('%s','now') AS INTEGER)"
    " WHERE EXISTS (SELECT 1 FROM prices);"
    "ALTER TABLE prices ADD COLUMN ingest_id INTEGER NOT NULL DEFAULT 1;"
    "CREATE INDEX ingests_by_location ON ingests(location);",
};

const char *catalog_db_migration_sql(int from)
{
    return from >= 0 && from < CATALOG_SCHEMA_VERSION ? migrations[from] : NULL;
}

/* The OS error behind an I/O-type SQLite error, else 0. */
static int io_errno(sqlite3 *db)
{
    if (!db)
        return 0;
    switch (sqlite3_errcode(db) & 0xff) {
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
        return sqlite3_system_errno(db);
    default:
        return 0;
    }
}

/* " (No space left on device)", or a hint when SQLite kept no errno. */
static const char *io_detail(sqlite3 *db, char *buf, size_t n)
{
    int code = db ? sqlite3_errcode(db) & 0xff : 0;
    int err = io_errno(db);
    if (err)
        snprintf(buf, n, " (%s)", strerror(err));
    else if (code == SQLITE_IOERR || code == SQLITE_FULL)
        snprintf(buf, n, " (is the disk full, or a file size limit reached?)");
    else
        buf[0] = '\0';
    return buf;
}

static void sql_error(diag_list *diags, sqlite3 *db, const char *path, const char *what)
{
    char detail[128];
    diag_add(diags, DIAG_ERROR, path, 0, 0, "%s: %s%s", what,
             db ? sqlite3_errmsg(db) : "no database", io_detail(db, detail, sizeof detail));
}

bool catalog_db_exec(sqlite3 *db, const char *sql, const char *path, const char *what,
                     diag_list *diags)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK)
        return true;
    char detail[128];
    diag_add(diags, DIAG_ERROR, path, 0, 0, "%s: %s%s", what, err ? err : sqlite3_errmsg(db),
             io_detail(db, detail, sizeof detail));
    sqlite3_free(err);
    return false;
}

static bool pragma_int(sqlite3 *db, const char *sql, int *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return false;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW;
}

static bool has_table(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?1", -1,
                           &st, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

catalog_health catalog_db_health(sqlite3 *db, char *why, size_t whysz)
{
    int version = 0, app = 0, objects = 0;
    if (!pragma_int(db, "PRAGMA user_version", &version) ||
        !pragma_int(db, "PRAGMA application_id", &app) ||
        !pragma_int(db, "SELECT count(*) FROM sqlite_master", &objects)) {
        snprintf(why, whysz, "%s", sqlite3_errmsg(db));
        return CATALOG_CORRUPT;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK) {
        snprintf(why, whysz, "%s", sqlite3_errmsg(db));
        return CATALOG_CORRUPT;
    }
    int rc = sqlite3_step(st);
    const char *first = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    if (!first || strcmp(first, "ok") != 0) {
        snprintf(why, whysz, "quick_check: %s", first ? first : sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return CATALOG_CORRUPT;
    }
    sqlite3_finalize(st);
    if (app != CATALOG_APPLICATION_ID) {
        if (version == 0 && objects == 0)
            return CATALOG_OK; /* an empty database: the schema will be created */
        snprintf(why, whysz, "an SQLite database that is not a stackaudit price catalog");
        return CATALOG_FOREIGN;
    }
    if (version > CATALOG_SCHEMA_VERSION) {
        snprintf(why, whysz, "catalog schema %d is newer than this stackaudit's (%d)", version,
                 CATALOG_SCHEMA_VERSION);
        return CATALOG_TOO_NEW;
    }
    if ((version >= 1 && !has_table(db, "prices")) || (version >= 2 && !has_table(db, "ingests"))) {
        snprintf(why, whysz, "tables of schema %d are missing", version);
        return CATALOG_CORRUPT;
    }
    return CATALOG_OK;
}

bool catalog_db_migrate(sqlite3 *db, const char *path, diag_list *diags)
{
    int version = 0;
    if (!pragma_int(db, "PRAGMA user_version", &version)) {
        sql_error(diags, db, path, "cannot read the catalog schema version");
        return false;
    }
    if (version == CATALOG_SCHEMA_VERSION)
        return true;
    if (!catalog_db_exec(db, "BEGIN IMMEDIATE", path, "cannot start the schema migration", diags))
        return false;
    bool ok = pragma_int(db, "PRAGMA user_version", &version);
    char sql[128];
    for (int v = version; ok && v < CATALOG_SCHEMA_VERSION; v++) {
        char what[96];
        snprintf(what, sizeof what, "migrating the catalog schema from version %d to %d", v, v + 1);
        ok = catalog_db_exec(db, migrations[v], path, what, diags);
    }
    if (ok) {
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d; PRAGMA application_id = %d",
                 CATALOG_SCHEMA_VERSION, CATALOG_APPLICATION_ID);
        ok = catalog_db_exec(db, sql, path, "setting the catalog schema version", diags);
    }
    if (ok)
        ok = catalog_db_exec(db, "COMMIT", path, "committing the schema migration", diags);
    if (!ok)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return ok;
}

bool catalog_db_prepare_build(sqlite3 *db, const char *path, diag_list *diags)
{
    /* the file is private until renamed: no durability per statement, one
     * fsync before the rename (catalog_db_commit_file) */
    return catalog_db_exec(db,
                           "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF;"
                           "PRAGMA temp_store = MEMORY",
                           path, "cannot configure the new catalog", diags);
}

int64_t catalog_db_add_ingest(sqlite3 *db, const char *schema, const char *kind,
                              const char *location, const char *offer_code,
                              const char *offer_version, const char *publication_date,
                              const char *etag, const char *last_modified, const char *path,
                              diag_list *diags)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO %s.ingests(kind, location, offer_code, offer_version,"
             " publication_date, fetched_at, etag, last_modified)"
             " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
             schema);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        sql_error(diags, db, path, "cannot record the price source");
        return -1;
    }
    const char *texts[] = {kind, location, offer_code, offer_version, publication_date};
    for (int i = 0; i < 5; i++)
        sqlite3_bind_text(st, i + 1, texts[i] ? texts[i] : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)time(NULL));
    sqlite3_bind_text(st, 7, etag ? etag : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 8, last_modified ? last_modified : "", -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        sql_error(diags, db, path, "cannot record the price source");
        return -1;
    }
    return (int64_t)sqlite3_last_insert_rowid(db);
}

bool catalog_inserter_open(catalog_inserter *ins, sqlite3 *db, const char *schema,
                           int64_t ingest_id, const char *path, diag_list *diags)
{
    memset(ins, 0, sizeof *ins);
    ins->db = db;
    ins->ingest_id = ingest_id;
    ins->path = path;
    ins->diags = diags;
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO %s.prices(service, region, resource, component, os, tenancy, arch,"
             " term, engine, deployment, variant, unit, usd, usd_text, begin_range, end_range,"
             " effective_date, description, sku, citation, ingest_id)"
             " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
             " ?17, ?18, ?19, ?20, ?21)",
             schema);
    if (sqlite3_prepare_v2(db, sql, -1, &ins->stmt, NULL) != SQLITE_OK) {
        sql_error(diags, db, path, "cannot prepare the price insert");
        return false;
    }
    return true;
}

bool catalog_inserter_add(catalog_inserter *ins, const price_row *r)
{
    sqlite3_stmt *st = ins->stmt;
    const char *texts[] = {r->service, r->region,  r->resource, r->component, r->os,
                           r->tenancy, r->arch,    r->term,     r->engine,    r->deployment,
                           r->variant, r->unit};
    for (int i = 0; i < 12; i++)
        sqlite3_bind_text(st, i + 1, texts[i] ? texts[i] : "", -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 13, r->usd);
    sqlite3_bind_text(st, 14, r->usd_text, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 15, r->begin_range);
    if (r->has_end)
        sqlite3_bind_double(st, 16, r->end_range);
    else
        sqlite3_bind_null(st, 16);
    sqlite3_bind_text(st, 17, r->effective_date ? r->effective_date : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 18, r->description ? r->description : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 19, r->sku ? r->sku : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 20, r->citation ? r->citation : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 21, (sqlite3_int64)ins->ingest_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        sql_error(ins->diags, ins->db, ins->path, "writing a price to the catalog failed");
        return false;
    }
    ins->rows++;
    return true;
}

void catalog_inserter_close(catalog_inserter *ins)
{
    sqlite3_finalize(ins->stmt);
    ins->stmt = NULL;
}

static int insert_default_row(void *ud, const price_row *row, uint64_t line)
{
    (void)line;
    return catalog_inserter_add(ud, row) ? 0 : 1;
}

bool catalog_db_insert_default(sqlite3 *db, const char *schema, const char *path,
                               diag_list *diags)
{
    size_t len;
    const char *text = default_catalog_text(&len);
    if (!text) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0,
                 "this stackaudit was built without its default price list (%s)",
                 DEFAULT_CATALOG_NAME);
        return false;
    }
    int64_t id = catalog_db_add_ingest(db, schema, "builtin",
                                       DEFAULT_CATALOG_NAME " (built into stackaudit)", "", "",
                                       "", "", "", path, diags);
    if (id < 0)
        return false;
    catalog_inserter ins;
    if (!catalog_inserter_open(&ins, db, schema, id, path, diags))
        return false;
    bool ok = default_catalog_parse(DEFAULT_CATALOG_NAME, text, len, insert_default_row, &ins,
                                    NULL, diags);
    catalog_inserter_close(&ins);
    return ok;
}

bool catalog_db_set_meta(sqlite3 *db, const char *schema, const char *key, const char *value,
                         const char *path, diag_list *diags)
{
    char sql[128];
    snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO %s.meta(key, value) VALUES(?1, ?2)",
             schema);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        sql_error(diags, db, path, "cannot write catalog metadata");
        return false;
    }
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        sql_error(diags, db, path, "cannot write catalog metadata");
        return false;
    }
    return true;
}

char *catalog_db_temp_path(const char *final_path)
{
    static unsigned counter;
    unsigned n = __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
    strbuf sb;
    sb_init(&sb);
    sb_addf(&sb, "%s.new-%ld-%u", final_path, (long)getpid(), n);
    return sb_detach(&sb);
}

static void fsync_parent_dir(const char *path)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

void catalog_db_discard_file(sqlite3 *db, const char *temp_path)
{
    if (db)
        sqlite3_close_v2(db);
    if (!temp_path)
        return;
    unlink(temp_path);
    char journal[4096];
    snprintf(journal, sizeof journal, "%s-journal", temp_path);
    unlink(journal);
}

bool catalog_db_commit_file(sqlite3 *db, const char *temp_path, const char *final_path,
                            diag_list *diags)
{
    if (sqlite3_close(db) != SQLITE_OK) {
        diag_add(diags, DIAG_ERROR, temp_path, 0, 0, "cannot close the new catalog: %s",
                 sqlite3_errmsg(db));
        catalog_db_discard_file(db, temp_path);
        return false;
    }
    int fd = open(temp_path, O_RDONLY);
    if (fd < 0 || fsync(fd) != 0) {
        diag_add(diags, DIAG_ERROR, temp_path, 0, 0, "cannot flush the new catalog to disk: %s",
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        catalog_db_discard_file(NULL, temp_path);
        return false;
    }
    close(fd);
    if (rename(temp_path, final_path) != 0) {
        diag_add(diags, DIAG_ERROR, final_path, 0, 0, "cannot replace the catalog: %s",
                 strerror(errno));
        catalog_db_discard_file(NULL, temp_path);
        return false;
    }
    fsync_parent_dir(final_path);
    return true;
}

bool catalog_db_make_parent_dirs(const char *path, diag_list *diags)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) {
        free(dir);
        return true;
    }
    *slash = '\0';
    for (char *p = dir + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char saved = *p;
            *p = '\0';
            struct stat stt;
            if (stat(dir, &stt) != 0) {
                if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
                    diag_add(diags, DIAG_ERROR, dir, 0, 0, "cannot create directory: %s",
                             strerror(errno));
                    free(dir);
                    return false;
                }
            } else if (!S_ISDIR(stt.st_mode)) {
                diag_add(diags, DIAG_ERROR, dir, 0, 0,
                         "cannot create the catalog directory: a file of that name exists");
                free(dir);
                return false;
            }
            *p = saved;
            if (!saved)
                break;
        }
    }
    free(dir);
    return true;
}

bool catalog_db_create_default_file(const char *final_path, diag_list *diags)
{
    if (!catalog_db_make_parent_dirs(final_path, diags))
        return false;
    char *temp = catalog_db_temp_path(final_path);
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(temp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    bool ok = rc == SQLITE_OK;
    if (!ok)
        diag_add(diags, DIAG_ERROR, final_path, 0, 0, "cannot create the catalog file %s: %s",
                 temp, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    ok = ok && catalog_db_prepare_build(db, temp, diags) && catalog_db_migrate(db, temp, diags) &&
         catalog_db_exec(db, "BEGIN", temp, "cannot start writing the catalog", diags) &&
         catalog_db_insert_default(db, "main", temp, diags);
    if (ok) {
        char now[32];
        snprintf(now, sizeof now, "%lld", (long long)time(NULL));
        ok = catalog_db_set_meta(db, "main", "created_at", now, temp, diags) &&
             catalog_db_set_meta(db, "main", "updated_at", now, temp, diags) &&
             catalog_db_exec(db, "COMMIT", temp, "writing the catalog failed", diags);
    }
    if (!ok) {
        catalog_db_discard_file(db, temp);
        free(temp);
        return false;
    }
    ok = catalog_db_commit_file(db, temp, final_path, diags);
    free(temp);
    return ok;
}
