/* text_pool.h - one copy of each distinct text, for texts that repeat a lot
 * and live long (lint's finding messages: 272k messages, 13k distinct, on
 * the bench corpus).
 *
 * Guarantees: text_pool_intern returns a NUL-terminated copy of s[0, n)
 * that stays valid and unchanged until text_pool_free; equal texts interned
 * on one thread share one copy as long as that thread interns into no other
 * pool in between (callers must not compare texts by pointer). Any number of
 * threads may intern into one pool at once: each thread fills a table of
 * its own (no lock per call), so a text interned on two threads may be
 * held twice. text_pool_free must not race with text_pool_intern. */
#ifndef SA_TEXT_POOL_H
#define SA_TEXT_POOL_H

#include <stddef.h>

typedef struct text_pool text_pool;

text_pool *text_pool_new(void);
const char *text_pool_intern(text_pool *pool, const char *s, size_t n);
/* Replaces each of texts[0, n) (NUL-terminated) with its interned copy, as
 * text_pool_intern would, a batch at a time so that the cache misses of
 * the look-ups overlap. */
void text_pool_intern_all(text_pool *pool, const char **texts, size_t n);
void text_pool_free(text_pool *pool);

#endif
