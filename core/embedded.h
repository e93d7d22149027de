/* embedded.h - data files compiled into the binary at build time (rule
 * packs under rules/builtin/, the default price list under pricing/data/),
 * so the installed binary needs no data directory. The table is generated
 * by tools/embed.py (see Makefile). */
#ifndef SA_EMBEDDED_H
#define SA_EMBEDDED_H

#include <stddef.h>

typedef struct embedded_file {
    const char *name; /* repository-relative path, e.g. "rules/builtin/compose.yaml" */
    const char *data; /* NUL-terminated */
    size_t len;       /* without the NUL */
} embedded_file;

extern const embedded_file embedded_files[]; /* ends with a {NULL} entry */
extern const size_t embedded_count;

/* The embedded file with that name, or NULL. */
const embedded_file *embedded_find(const char *name);

#endif
