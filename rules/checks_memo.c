/* checks_memo.c - per-thread tables of the C checks by input and kind; see
 * checks_memo.h. */
#include "rules/checks_memo.h"

#include <stdint.h>
#include <stdlib.h>

#include "core/arena.h"

typedef struct memo_key {
    const input_file *in; /* NULL: an empty slot */
    const checks_memo_kind *kind;
} memo_key;

typedef struct checks_memo {
    int depth;       /* > 0: on */
    memo_key *keys;  /* open addressing */
    void **values;
    size_t cap;      /* power of two, or 0 */
    size_t count;
} checks_memo;

static _Thread_local checks_memo memo;

static size_t memo_hash(memo_key k, size_t cap)
{
    uintptr_t x = (uintptr_t)k.in ^ ((uintptr_t)k.kind << 7);
    x ^= x >> 17;
    x *= (uintptr_t)0x9E3779B97F4A7C15ull;
    x ^= x >> 29;
    return (size_t)x & (cap - 1);
}

static void memo_clear(void)
{
    for (size_t i = 0; i < memo.cap; i++)
        if (memo.keys[i].in)
            memo.keys[i].kind->free(memo.values[i]);
    free(memo.keys);
    free(memo.values);
    memo.keys = NULL;
    memo.values = NULL;
    memo.cap = memo.count = 0;
}

void checks_memo_begin(void)
{
    if (memo.depth++ == 0)
        memo_clear();
}

void checks_memo_end(void)
{
    if (memo.depth > 0 && --memo.depth == 0)
        memo_clear();
}

static void memo_grow(void)
{
    size_t ncap = memo.cap ? memo.cap * 2 : 64;
    memo_key *nk = xcalloc(ncap, sizeof *nk);
    void **nv = xcalloc(ncap, sizeof *nv);
    for (size_t i = 0; i < memo.cap; i++) {
        if (!memo.keys[i].in)
            continue;
        size_t h = memo_hash(memo.keys[i], ncap);
        while (nk[h].in)
            h = (h + 1) & (ncap - 1);
        nk[h] = memo.keys[i];
        nv[h] = memo.values[i];
    }
    free(memo.keys);
    free(memo.values);
    memo.keys = nk;
    memo.values = nv;
    memo.cap = ncap;
}

const void *checks_memo_take(const input_file *in, const checks_memo_kind *kind)
{
    if (memo.depth <= 0)
        return kind->make(in);
    if (2 * (memo.count + 1) > memo.cap)
        memo_grow();
    memo_key k = {in, kind};
    size_t h = memo_hash(k, memo.cap);
    while (memo.keys[h].in && (memo.keys[h].in != in || memo.keys[h].kind != kind))
        h = (h + 1) & (memo.cap - 1);
    if (!memo.keys[h].in) {
        memo.values[h] = kind->make(in);
        memo.keys[h] = k;
        memo.count++;
    }
    return memo.values[h];
}

void checks_memo_drop(const void *table, const checks_memo_kind *kind)
{
    if (memo.depth <= 0 && table)
        kind->free((void *)table);
}
