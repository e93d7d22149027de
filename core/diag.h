/* diag.h - diagnostics: problems with the user's input or environment,
 * each tied to a file and an exact position where there is one.
 *
 * Guarantees: a diag_list owns copies of every string it holds; printing
 * uses the "path:line:col: level: message" shape editors understand. */
#ifndef SA_DIAG_H
#define SA_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum diag_level {
    DIAG_ERROR,   /* the file (or item) could not be processed */
    DIAG_WARNING, /* processed, but something is off (duplicate key...) */
    DIAG_NOTE     /* shown with --verbose (skipped files and why) */
} diag_level;

typedef struct diag {
    diag_level level;
    char *path;    /* may be NULL for run-level problems */
    uint32_t line; /* 0 when the problem has no position */
    uint32_t col;
    char *message;
} diag;

typedef struct diag_list {
    diag *items;
    size_t count;
    size_t cap;
} diag_list;

void diag_list_init(diag_list *d);
void diag_list_free(diag_list *d);
void diag_add(diag_list *d, diag_level level, const char *path, uint32_t line,
              uint32_t col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void diag_vadd(diag_list *d, diag_level level, const char *path, uint32_t line,
               uint32_t col, const char *fmt, va_list ap);
/* Moves every item of src to the end of dst (src becomes empty). */
void diag_list_move(diag_list *dst, diag_list *src);
size_t diag_count(const diag_list *d, diag_level level);
void diag_print(FILE *out, const diag *item);
const char *diag_level_name(diag_level level);

#endif
