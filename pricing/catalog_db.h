/* catalog_db.h - the SQLite side of the price catalog, shared by the
 * reader (catalog.c) and the updater (update.c): schema and its migrations
 * (PRAGMA user_version), integrity check, row insertion, building the
 * built-in default, and writing a new catalog file atomically.
 *
 * Internal to pricing/: cmd/ and the estimator use catalog.h.
 *
 * Guarantees: a catalog file at its final path is only ever produced by
 * rename(2) of a complete, closed and fsync'ed temporary file in the same
 * directory, so readers see the old catalog or the new one, never a mix;
 * every failure returns false with a diagnostic naming the file and the
 * SQLite or system error. */
#ifndef SA_PRICING_CATALOG_DB_H
#define SA_PRICING_CATALOG_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/diag.h"
#include "pricing/price_row.h"

#define CATALOG_SCHEMA_VERSION 2
/* PRAGMA application_id of a stackaudit catalog ("SAPC"). */
#define CATALOG_APPLICATION_ID 0x53415043

typedef enum catalog_health {
    CATALOG_OK,
    CATALOG_CORRUPT,  /* unreadable, not a database, or quick_check failed */
    CATALOG_FOREIGN,  /* a healthy SQLite database that is not a catalog */
    CATALOG_TOO_NEW   /* written by a newer stackaudit (schema above ours) */
} catalog_health;

/* Checks an open database: readable, PRAGMA quick_check "ok", ours, and
 * not newer than this build. why receives a one-line reason. */
catalog_health catalog_db_health(sqlite3 *db, char *why, size_t whysz);

/* Brings the schema of an open database up to CATALOG_SCHEMA_VERSION in
 * one transaction (a new, empty database gets the whole schema). */
bool catalog_db_migrate(sqlite3 *db, const char *path, diag_list *diags);

/* The SQL of the migration step from user_version `from` to from + 1, or
 * NULL when there is no such step (tests build old catalogs with it). */
const char *catalog_db_migration_sql(int from);

/* Sets the pragmas for building a new file that nobody reads yet. */
bool catalog_db_prepare_build(sqlite3 *db, const char *path, diag_list *diags);

/* Adds an ingest (a source of rows) in schema `schema` ("main", "old"...);
 * returns its id, or -1. Empty strings for unknown fields. */
int64_t catalog_db_add_ingest(sqlite3 *db, const char *schema, const char *kind,
                              const char *location, const char *offer_code,
                              const char *offer_version, const char *publication_date,
                              const char *etag, const char *last_modified, const char *path,
                              diag_list *diags);

typedef struct catalog_inserter {
    sqlite3 *db;
    sqlite3_stmt *stmt;
    int64_t ingest_id;
    const char *path;
    diag_list *diags;
    uint64_t rows;
} catalog_inserter;

bool catalog_inserter_open(catalog_inserter *ins, sqlite3 *db, const char *schema,
                           int64_t ingest_id, const char *path, diag_list *diags);
bool catalog_inserter_add(catalog_inserter *ins, const price_row *row);
void catalog_inserter_close(catalog_inserter *ins);

/* Inserts the built-in default catalog (one ingest, every row) into
 * `schema` of db, inside the caller's transaction. */
bool catalog_db_insert_default(sqlite3 *db, const char *schema, const char *path,
                               diag_list *diags);

/* Writes meta key/value in `schema`. */
bool catalog_db_set_meta(sqlite3 *db, const char *schema, const char *key, const char *value,
                         const char *path, diag_list *diags);

/* Runs SQL without results; on error adds "path: what: sqlite message". */
bool catalog_db_exec(sqlite3 *db, const char *sql, const char *path, const char *what,
                     diag_list *diags);

/* A temporary path next to final_path (same directory, unique per call). */
char *catalog_db_temp_path(const char *final_path);

/* Closes db (which must have been opened on temp_path), fsyncs the file,
 * renames it over final_path and fsyncs the directory. On failure the
 * temporary file is removed and final_path is untouched. */
bool catalog_db_commit_file(sqlite3 *db, const char *temp_path, const char *final_path,
                            diag_list *diags);

/* Closes db if non-NULL and removes temp_path (and its journal). */
void catalog_db_discard_file(sqlite3 *db, const char *temp_path);

/* Creates final_path holding only the built-in default catalog. */
bool catalog_db_create_default_file(const char *final_path, diag_list *diags);

/* Creates every missing directory of the parent of path (mode 0755). */
bool catalog_db_make_parent_dirs(const char *path, diag_list *diags);

#endif
