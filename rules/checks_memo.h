/* checks_memo.h - what the C checks work out about one input and share
 * (the table of its container environments, the facts of its compose
 * services), so that each input's tree is walked for them once.
 *
 * Guarantees: while the memo is on (lint turns it on around the C checks,
 * when no input changes), a table of one kind is made once per input and
 * every take of it returns the same; with the memo off, each take makes a
 * table of its own. The memo is per thread; begin/end calls nest. A table
 * taken while the memo is on must be dropped before the memo ends. */
#ifndef SA_CHECKS_MEMO_H
#define SA_CHECKS_MEMO_H

#include "analyzers/input.h"

/* A kind of table: how one is made for an input, and freed. */
typedef struct checks_memo_kind {
    void *(*make)(const input_file *in);
    void (*free)(void *table);
} checks_memo_kind;

const void *checks_memo_take(const input_file *in, const checks_memo_kind *kind);
void checks_memo_drop(const void *table, const checks_memo_kind *kind);
void checks_memo_begin(void);
void checks_memo_end(void);

#endif
