/* csv_stream.h - a push CSV tokenizer: bytes go in as they arrive (from a
 * file read or a download callback), complete records come out through a
 * callback. Nothing but the record being assembled is held in memory.
 *
 * Accepted syntax (the AWS price-list CSV, RFC 4180, and the sloppiness
 * seen in the wild):
 *   - fields separated by ',', records by "\n", "\r\n" or a lone "\r";
 *   - a field starting with '"' is quoted: '""' inside it is one '"', and it
 *     may contain ',' and line breaks;
 *   - lazy quotes: a '"' inside an unquoted field is kept as is, and a '"'
 *     inside a quoted field that is not followed by '"', ',' or a line break
 *     is kept as a literal '"' (descriptions with stray quotes);
 *   - a UTF-8 byte-order mark at the very start is skipped.
 *
 * Guarantees: memory stays bounded by max_record_bytes and max_fields (a
 * longer record is an error, not an allocation); every record reports the
 * 1-based line on which it starts; an input that ends inside a quoted field
 * is an error naming the line where that field began. */
#ifndef SA_PRICING_CSV_STREAM_H
#define SA_PRICING_CSV_STREAM_H

#include <stddef.h>
#include <stdint.h>

typedef struct csv_record {
    uint64_t line;             /* 1-based line where the record starts */
    size_t nfields;
    const char *const *fields; /* each NUL-terminated, valid during the callback */
    const size_t *lens;
    /* The prefilter skipped this record: nfields is its full field count,
     * but only the fields the prefilter saw are in fields/lens. */
    size_t nstored;
    int skipped;
} csv_record;

/* Returns 0 to continue, anything else stops the tokenizer (csv_feed and
 * csv_finish then return CSV_STOPPED). */
typedef int (*csv_record_fn)(void *ud, const csv_record *rec);

typedef enum csv_status {
    CSV_OK = 0,
    CSV_STOPPED, /* the callback asked to stop */
    CSV_ERROR    /* malformed input; see csv_error_message / csv_error_line */
} csv_status;

typedef struct csv_stream csv_stream;

#define CSV_DEFAULT_MAX_RECORD_BYTES (1u << 20)
#define CSV_DEFAULT_MAX_FIELDS 4096u

/* A prefilter sees a record once its first n fields are complete
 * (rec->nfields == n) and answers: < 0 skip the rest of the record (it is
 * then scanned for its end and field count only, nothing is copied, and the
 * record callback gets it with skipped set), 0 parse it in full, > 0 ask
 * again when that many fields are complete. This is what makes reading an
 * offer file fast: most of its rows are rejected by an early column. */
typedef int (*csv_prefilter_fn)(void *ud, const csv_record *partial);

/* max_record_bytes / max_fields of 0 select the defaults above. */
csv_stream *csv_stream_new(csv_record_fn fn, void *ud, size_t max_record_bytes,
                           size_t max_fields);
void csv_stream_free(csv_stream *s);
/* Calls fn for every record from now on, first after `after` fields
 * (0 disables the prefilter). */
void csv_stream_set_prefilter(csv_stream *s, csv_prefilter_fn fn, size_t after);

csv_status csv_feed(csv_stream *s, const char *data, size_t len);
/* Ends the input: emits a last record without a trailing line break, and
 * reports an unterminated quoted field. */
csv_status csv_finish(csv_stream *s);

/* After CSV_ERROR: what went wrong and on which line (1-based). */
const char *csv_error_message(const csv_stream *s);
uint64_t csv_error_line(const csv_stream *s);
/* Bytes consumed so far. */
uint64_t csv_bytes(const csv_stream *s);

#endif
