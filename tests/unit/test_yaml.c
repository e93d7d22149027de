/* test_yaml.c - the YAML front-end: values, exact spans, multi-document
 * streams, anchors and merge keys, comments, positions with UTF-8/CRLF,
 * diagnostics and limits against hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/frontend.h"
#define PARSE_FRONTEND FRONTEND_YAML /* parse(), parse_with(): support_parse.h */
#include "tests/unit/support_parse.h"

/* Asserts the parse failed with exactly one error at line:col whose message
 * contains `msg`, and that nothing was returned. */
#define assert_error(c, l, col_, msg)                                          \
    do {                                                                       \
        assert_false((c)->ok);                                                 \
        assert_int_equal((c)->docs.count, 0);                                  \
        assert_null((c)->docs.docs);                                           \
        assert_single_error_at(c, "t.yaml", l, col_, msg);                     \
    } while (0)

static void assert_scalar(const doc_node *n, scalar_type type, const char *text)
{
    assert_non_null(n);
    assert_int_equal(n->kind, DOC_SCALAR);
    assert_int_equal(n->u.scalar.type, type);
    assert_string_equal(n->u.scalar.text, text);
    assert_int_equal(n->u.scalar.len, strlen(text));
}

/* ---- structure and spans ---------------------------------------------- */

static void test_block_mapping_values_and_spans(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "name: web\nport: 8080\n");
    assert_true(c.ok);
    assert_int_equal(c.diags.count, 0);
    assert_int_equal(c.docs.count, 1);
    doc_node *root = c.docs.docs[0];
    assert_int_equal(root->kind, DOC_MAP);
    assert_int_equal(root->u.map.count, 2);
    assert_span(root, 1, 1, 0, 2, 11, 20); /* ends after "8080", not at the newline */
    const doc_pair *p = pair_at(root, 0);
    assert_scalar(p->key, SCALAR_STR, "name");
    assert_span(p->key, 1, 1, 0, 1, 5, 4);
    assert_scalar(p->value, SCALAR_STR, "web");
    assert_span(p->value, 1, 7, 6, 1, 10, 9);
    p = pair_at(root, 1);
    assert_span(p->key, 2, 1, 10, 2, 5, 14);
    assert_scalar(p->value, SCALAR_INT, "8080");
    assert_int_equal(p->value->u.scalar.i, 8080);
    assert_span(p->value, 2, 7, 16, 2, 11, 20);
    assert_ptr_equal(p->value->file, c.f);
    parse_case_done(&c);
}

static void test_nested_block_collections_end_at_last_entry(void **state)
{
    (void)state;
    parse_case c;
    const char *text = "services:\n"       /* 0 */
                       "  web:\n"          /* 10 */
                       "    ports:\n"      /* 17 */
                       "    - \"80:80\"\n" /* 28 */
                       "    - 443\n"       /* 42 */
                       "\n"                /* 52 */
                       "# trailing\n"      /* 53 */
                       "volumes: {}\n";    /* 64 */
    parse(&c, text);
    assert_true(c.ok);
    doc_node *root = c.docs.docs[0];
    assert_span(root, 1, 1, 0, 8, 12, 75);
    doc_node *services = doc_get(root, "services");
    assert_span(services, 2, 3, 12, 5, 10, 51);
    doc_node *ports = doc_path(root, "services.web.ports");
    assert_span(ports, 4, 5, 32, 5, 10, 51); /* indentless: from the first '-' */
    assert_scalar(item_at(ports, 0), SCALAR_STR, "80:80");
    assert_int_equal(item_at(ports, 0)->u.scalar.style, STYLE_DOUBLE_QUOTED);
    assert_span(item_at(ports, 0), 4, 7, 34, 4, 14, 41);
    assert_scalar(item_at(ports, 1), SCALAR_INT, "443");
    assert_span(item_at(ports, 1), 5, 7, 48, 5, 10, 51);
    doc_node *volumes = doc_get(root, "volumes");
    assert_int_equal(volumes->kind, DOC_MAP);
    assert_int_equal(volumes->u.map.count, 0);
    assert_span(volumes, 8, 10, 73, 8, 12, 75);
    parse_case_done(&c);
}

static void test_flow_collections_span_their_brackets(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "x: {a: 1, b: [y, 'z'], c: {}}\n");
    assert_true(c.ok);
    doc_node *x = doc_get(c.docs.docs[0], "x");
    assert_span(x, 1, 4, 3, 1, 30, 29);
    assert_int_equal(x->u.map.count, 3);
    doc_node *b = doc_get(x, "b");
    assert_span(b, 1, 14, 13, 1, 22, 21);
    assert_scalar(item_at(b, 0), SCALAR_STR, "y");
    assert_scalar(item_at(b, 1), SCALAR_STR, "z");
    assert_span(item_at(b, 1), 1, 18, 17, 1, 21, 20);
    assert_int_equal(item_at(b, 1)->u.scalar.style, STYLE_SINGLE_QUOTED);
    assert_span(doc_get(x, "c"), 1, 27, 26, 1, 29, 28);
    parse_case_done(&c);
}

static void test_scalar_styles_values_and_spans(void **state)
{
    (void)state;
    parse_case c;
    const char *text = "p: plain text\n"               /* 0 */
                       "s: 'it''s'\n"                  /* 14 */
                       "d: \"tab\\there \\u00e9\"\n"   /* 25 */
                       "l: |\n"                        /* 47 */
                       "  line one\n"                  /* 52 */
                       "  line two\n"                  /* 63 */
                       "\n"                            /* 74 */
                       "f: >-\n"                       /* 75 */
                       "  folded\n"                    /* 81 */
                       "  text\n"                      /* 90 */
                       "e: end\n";                     /* 97 */
    parse(&c, text);
    assert_true(c.ok);
    doc_node *root = c.docs.docs[0];
    doc_node *n = doc_get(root, "p");
    assert_scalar(n, SCALAR_STR, "plain text");
    assert_int_equal(n->u.scalar.style, STYLE_PLAIN);
    assert_span(n, 1, 4, 3, 1, 14, 13);
    n = doc_get(root, "s");
    assert_scalar(n, SCALAR_STR, "it's");
    assert_int_equal(n->u.scalar.style, STYLE_SINGLE_QUOTED);
    assert_span(n, 2, 4, 17, 2, 11, 24); /* quotes included */
    n = doc_get(root, "d");
    assert_scalar(n, SCALAR_STR, "tab\there \xc3\xa9");
    assert_int_equal(n->u.scalar.style, STYLE_DOUBLE_QUOTED);
    assert_span(n, 3, 4, 28, 3, 22, 46);
    n = doc_get(root, "l");
    assert_scalar(n, SCALAR_STR, "line one\nline two\n");
    assert_int_equal(n->u.scalar.style, STYLE_LITERAL);
    assert_span(n, 4, 4, 50, 6, 11, 73); /* '|' to the end of "line two" */
    n = doc_get(root, "f");
    assert_scalar(n, SCALAR_STR, "folded text");
    assert_int_equal(n->u.scalar.style, STYLE_FOLDED);
    assert_span(n, 8, 4, 78, 10, 7, 96);
    assert_span(root, 1, 1, 0, 11, 7, 103);
    parse_case_done(&c);
}

/* Escapes whose text is as long as what they stand for ("\N" is U+0085,
 * "\_" U+00A0: two bytes each in UTF-8) are decoded like the others, not
 * taken as written; U+0085 written as itself is a line break, folded. */
static void test_double_quoted_escapes_of_their_own_length(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "n: \"a\\Nb\"\n"
              "u: \"a\\_b\"\n"
              "w: \"a\xc2\x85" "b\"\n"
              "s: 'a\\Nb'\n");
    assert_true(c.ok);
    doc_node *root = c.docs.docs[0];
    assert_scalar(doc_get(root, "n"), SCALAR_STR, "a\xc2\x85" "b");
    assert_scalar(doc_get(root, "u"), SCALAR_STR, "a\xc2\xa0" "b");
    assert_scalar(doc_get(root, "w"), SCALAR_STR, "a b");
    assert_scalar(doc_get(root, "s"), SCALAR_STR, "a\\Nb");
    parse_case_done(&c);
}

static void test_type_inference_of_plain_scalars_only(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "a: 123\n"
              "b: \"123\"\n"
              "c: !!str 123\n"
              "d: yes\n"
              "e: 0x1F\n"
              "f: 1e3\n"
              "g: ~\n"
              "h: true\n"
              "i: -1.5\n"
              "j: null\n"
              "k: ''\n"
              "l:\n"
              "m: 0o17\n"
              "n: ! 12\n"
              "o: 'true'\n"
              "p: False\n");
    assert_true(c.ok);
    doc_node *r = c.docs.docs[0];
    assert_scalar(doc_get(r, "a"), SCALAR_INT, "123");
    assert_int_equal(doc_get(r, "a")->u.scalar.i, 123);
    assert_scalar(doc_get(r, "b"), SCALAR_STR, "123");
    assert_scalar(doc_get(r, "c"), SCALAR_STR, "123");
    assert_string_equal(doc_get(r, "c")->tag, "tag:yaml.org,2002:str");
    assert_span(doc_get(r, "c"), 3, 4, 19, 3, 13, 28); /* the tag is part of the node */
    assert_scalar(doc_get(r, "d"), SCALAR_STR, "yes");
    assert_scalar(doc_get(r, "e"), SCALAR_INT, "0x1F");
    assert_int_equal(doc_get(r, "e")->u.scalar.i, 31);
    assert_scalar(doc_get(r, "f"), SCALAR_FLOAT, "1e3");
    assert_true(doc_get(r, "f")->u.scalar.f == 1000.0);
    assert_scalar(doc_get(r, "g"), SCALAR_NULL, "~");
    assert_scalar(doc_get(r, "h"), SCALAR_BOOL, "true");
    assert_true(doc_get(r, "h")->u.scalar.b);
    assert_scalar(doc_get(r, "i"), SCALAR_FLOAT, "-1.5");
    assert_true(doc_get(r, "i")->u.scalar.f == -1.5);
    assert_scalar(doc_get(r, "j"), SCALAR_NULL, "null");
    assert_scalar(doc_get(r, "k"), SCALAR_STR, "");
    doc_node *l = doc_get(r, "l");
    assert_scalar(l, SCALAR_NULL, "");
    assert_span(l, 12, 3, 88, 12, 3, 88); /* zero-width, right after ':' */
    assert_scalar(doc_get(r, "m"), SCALAR_INT, "0o17");
    assert_int_equal(doc_get(r, "m")->u.scalar.i, 15);
    assert_scalar(doc_get(r, "n"), SCALAR_STR, "12"); /* non-specific tag '!' */
    assert_scalar(doc_get(r, "o"), SCALAR_STR, "true");
    assert_scalar(doc_get(r, "p"), SCALAR_BOOL, "False");
    assert_false(doc_get(r, "p")->u.scalar.b);
    parse_case_done(&c);
}

static void test_tags_are_kept(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "Value: !Ref MyBucket\n"
              "List: !Split [',', 'a,b']\n"
              "Map: !!map\n"
              "  k: v\n");
    assert_true(c.ok);
    doc_node *r = c.docs.docs[0];
    doc_node *v = doc_get(r, "Value");
    assert_scalar(v, SCALAR_STR, "MyBucket");
    assert_string_equal(v->tag, "!Ref");
    assert_span(v, 1, 8, 7, 1, 21, 20);
    doc_node *l = doc_get(r, "List");
    assert_int_equal(l->kind, DOC_SEQ);
    assert_string_equal(l->tag, "!Split");
    assert_span(l, 2, 7, 27, 2, 26, 46);
    assert_string_equal(doc_get(r, "Map")->tag, "tag:yaml.org,2002:map");
    assert_null(doc_get(doc_get(r, "Map"), "k")->tag);
    assert_null(r->tag);
    parse_case_done(&c);
}

/* ---- documents ------------------------------------------------------------ */

static void test_multi_document_stream_keeps_empty_documents(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "---\n"               /* 0 */
              "# only a comment\n"  /* 4 */
              "---\n"               /* 21 */
              "kind: Service\n"     /* 25 */
              "---\n"               /* 39 */
              "...\n"               /* 43 */
              "--- plain\n");       /* 47 */
    assert_true(c.ok);
    assert_int_equal(c.docs.count, 4);
    assert_scalar(c.docs.docs[0], SCALAR_NULL, "");
    assert_span(c.docs.docs[0], 1, 4, 3, 1, 4, 3); /* at the end of its "---" */
    assert_true(doc_str_eq(doc_get(c.docs.docs[1], "kind"), "Service"));
    assert_span(c.docs.docs[1], 4, 1, 25, 4, 14, 38);
    assert_scalar(c.docs.docs[2], SCALAR_NULL, "");
    assert_span(c.docs.docs[2], 5, 4, 42, 5, 4, 42);
    assert_scalar(c.docs.docs[3], SCALAR_STR, "plain");
    assert_span(c.docs.docs[3], 7, 5, 51, 7, 10, 56);
    assert_int_equal(c.f->ncomments, 1);
    parse_case_done(&c);
}

static void test_empty_and_comment_only_files_have_no_documents(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "");
    assert_true(c.ok);
    assert_int_equal(c.docs.count, 0);
    assert_int_equal(c.diags.count, 0);
    parse_case_done(&c);

    parse(&c, "# nothing here\n\n");
    assert_true(c.ok);
    assert_int_equal(c.docs.count, 0);
    assert_int_equal(c.f->ncomments, 1);
    assert_string_equal(c.f->comments[0].text, "nothing here");
    parse_case_done(&c);
}

/* ---- anchors, aliases, merge keys ---------------------------------------- */

static void test_aliases_share_the_anchored_node(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "base: &b\n"
              "  image: nginx\n"
              "copy: *b\n"
              "name: &n web\n"
              "again: *n\n");
    assert_true(c.ok);
    doc_node *r = c.docs.docs[0];
    doc_node *base = doc_get(r, "base");
    assert_ptr_equal(doc_get(r, "copy"), base);
    assert_span(base, 1, 7, 6, 2, 15, 23); /* from the anchor */
    doc_node *n = doc_get(r, "again");
    assert_ptr_equal(n, doc_get(r, "name"));
    assert_scalar(n, SCALAR_STR, "web");
    assert_span(n, 4, 7, 39, 4, 13, 45);
    /* the root mapping ends at the end of the alias text, not the anchor's */
    assert_span(r, 1, 1, 0, 5, 10, 55);
    parse_case_done(&c);
}

static void test_merge_key_single_source_explicit_keys_win(void **state)
{
    (void)state;
    parse_case c;
    const char *text = "x-base: &base\n"      /* 0 */
                       "  image: app:1\n"     /* 14 */
                       "  restart: always\n"  /* 29 */
                       "web:\n"               /* 47 */
                       "  restart: \"no\"\n"  /* 52 */
                       "  <<: *base\n"        /* 68 */
                       "  ports: [80]\n";     /* 80 */
    parse(&c, text);
    assert_true(c.ok);
    assert_int_equal(c.diags.count, 0);
    doc_node *web = doc_get(c.docs.docs[0], "web");
    assert_int_equal(web->u.map.count, 3);
    /* order: explicit restart, merged image (at the place of "<<"), ports */
    assert_string_equal(pair_at(web, 0)->key->u.scalar.text, "restart");
    assert_string_equal(pair_at(web, 1)->key->u.scalar.text, "image");
    assert_string_equal(pair_at(web, 2)->key->u.scalar.text, "ports");
    assert_true(doc_str_eq(doc_get(web, "restart"), "no")); /* explicit wins although earlier */
    doc_node *image = doc_get(web, "image");
    assert_scalar(image, SCALAR_STR, "app:1");
    assert_span(image, 2, 10, 23, 2, 15, 28); /* span of the anchored text */
    assert_span(pair_at(web, 1)->key, 2, 3, 16, 2, 8, 21);
    assert_null(doc_get(web, "<<"));
    parse_case_done(&c);
}

static void test_merge_key_list_earlier_sources_win(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "a: &a {x: 1, y: 1}\n"
              "b: &b {y: 2, z: 2}\n"
              "m:\n"
              "  <<: [*a, *b, {w: 3, z: 9}]\n"
              "  x: 0\n");
    assert_true(c.ok);
    doc_node *m = doc_get(c.docs.docs[0], "m");
    assert_int_equal(m->u.map.count, 4);
    assert_string_equal(pair_at(m, 0)->key->u.scalar.text, "y");
    assert_string_equal(pair_at(m, 1)->key->u.scalar.text, "z");
    assert_string_equal(pair_at(m, 2)->key->u.scalar.text, "w");
    assert_string_equal(pair_at(m, 3)->key->u.scalar.text, "x");
    assert_int_equal(doc_get(m, "x")->u.scalar.i, 0); /* explicit */
    assert_int_equal(doc_get(m, "y")->u.scalar.i, 1); /* *a before *b */
    assert_int_equal(doc_get(m, "z")->u.scalar.i, 2); /* *b before the inline map */
    assert_int_equal(doc_get(m, "w")->u.scalar.i, 3);
    assert_span(doc_get(m, "y"), 1, 17, 16, 1, 18, 17);
    assert_int_equal(c.diags.count, 0);
    /* nested merges: the source's own merges are already applied */
    parse_case_done(&c);

    parse(&c, "a: &a {k: 1}\n"
              "b: &b {<<: *a, l: 2}\n"
              "c: {<<: *b}\n");
    assert_true(c.ok);
    doc_node *cc = doc_get(c.docs.docs[0], "c");
    assert_int_equal(cc->u.map.count, 2);
    assert_int_equal(doc_get(cc, "k")->u.scalar.i, 1);
    assert_int_equal(doc_get(cc, "l")->u.scalar.i, 2);
    parse_case_done(&c);
}

/* Past 64 pairs, keys are looked up in tables instead of scanned: the same
 * rules hold. */
static void test_merge_key_large_mappings_same_rules(void **state)
{
    (void)state;
    char text[4096];
    int n = snprintf(text, sizeof text, "pad: &pad {");
    for (int i = 0; i < 70; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, "p%d: %d, ", i, i);
    snprintf(text + n, sizeof text - (size_t)n,
             "x: 7, y: 7}\n"
             "a: &a {x: 1, y: 1}\n"
             "b: &b {y: 2, z: 2}\n"
             "m:\n"
             "  <<: [*a, *b, {w: 3, z: 9}, *pad]\n"
             "  x: 0\n");
    parse_case c;
    parse(&c, text);
    assert_true(c.ok);
    doc_node *m = doc_get(c.docs.docs[0], "m");
    assert_int_equal(m->u.map.count, 74);
    assert_string_equal(pair_at(m, 0)->key->u.scalar.text, "y");
    assert_string_equal(pair_at(m, 1)->key->u.scalar.text, "z");
    assert_string_equal(pair_at(m, 2)->key->u.scalar.text, "w");
    assert_string_equal(pair_at(m, 3)->key->u.scalar.text, "p0");
    assert_string_equal(pair_at(m, 72)->key->u.scalar.text, "p69");
    assert_string_equal(pair_at(m, 73)->key->u.scalar.text, "x");
    assert_int_equal(doc_get(m, "x")->u.scalar.i, 0);
    assert_int_equal(doc_get(m, "y")->u.scalar.i, 1);
    assert_int_equal(doc_get(m, "z")->u.scalar.i, 2);
    assert_int_equal(doc_get(m, "p42")->u.scalar.i, 42);
    assert_int_equal(c.diags.count, 0);
    parse_case_done(&c);
}

static void test_merge_value_must_be_a_mapping(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "a: 1\nm:\n  <<: 5\n");
    assert_error(&c, 3, 3, "merge key '<<' must be a mapping or a list of mappings");
    parse_case_done(&c);
    parse(&c, "s: &s [1]\nm:\n  <<: [*s]\n");
    assert_error(&c, 3, 3, "merge key '<<'");
    parse_case_done(&c);
    /* a quoted "<<" is an ordinary key */
    parse(&c, "m: {\"<<\": 5}\n");
    assert_true(c.ok);
    assert_int_equal(doc_get(doc_get(c.docs.docs[0], "m"), "<<")->u.scalar.i, 5);
    parse_case_done(&c);
}

/* Keys that share a signature (length and first four bytes) are told
 * apart, by lookups and by the duplicate check; a double-quoted key with a
 * NUL escape is found up to the NUL, as strcmp reads it. */
static void test_keys_sharing_a_signature(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "REDIS_HOST: h\nREDIS_PORT: 1\n\"a\\0b\": n\nab: x\n");
    assert_true(c.ok);
    assert_int_equal(c.diags.count, 0);
    doc_node *root = c.docs.docs[0];
    assert_int_equal(root->u.map.count, 4);
    assert_scalar(doc_get(root, "REDIS_HOST"), SCALAR_STR, "h");
    assert_scalar(doc_get(root, "REDIS_PORT"), SCALAR_INT, "1");
    assert_scalar(doc_get(root, "a"), SCALAR_STR, "n");
    assert_scalar(doc_get(root, "ab"), SCALAR_STR, "x");
    assert_int_equal(pair_at(root, 2)->key_sig, DOC_SIG_NODE);
    parse_case_done(&c);
}

static void test_duplicate_keys_warn_and_later_value_wins(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "image: a\n"
              "port: 1\n"
              "image: b\n"
              "image: c\n");
    assert_true(c.ok);
    assert_int_equal(c.diags.count, 2);
    const diag *d = &c.diags.items[0];
    assert_int_equal(d->level, DIAG_WARNING);
    assert_int_equal(d->line, 3);
    assert_int_equal(d->col, 1);
    assert_string_equal(d->message,
                        "duplicate key 'image' (first defined at line 1); the later value is used");
    assert_int_equal(c.diags.items[1].line, 4);
    assert_string_equal(c.diags.items[1].message,
                        "duplicate key 'image' (first defined at line 1); the later value is used");
    doc_node *r = c.docs.docs[0];
    assert_int_equal(r->u.map.count, 2);
    assert_string_equal(pair_at(r, 0)->key->u.scalar.text, "port");
    assert_scalar(doc_get(r, "image"), SCALAR_STR, "c");
    assert_span(pair_at(r, 1)->key, 4, 1, 26, 4, 6, 31);
    parse_case_done(&c);

    /* keys coming from merges are not duplicates */
    parse(&c, "a: &a {k: 1}\nb: {<<: *a, k: 2}\n");
    assert_true(c.ok);
    assert_int_equal(c.diags.count, 0);
    parse_case_done(&c);

    /* large mappings use a hash table: same behaviour */
    char big[2048];
    size_t n = 0;
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "key%d: %d\n", i, i);
    n += (size_t)snprintf(big + n, sizeof big - n, "key7: again\nkey3: x\nkey7: last\n");
    parse(&c, big);
    assert_true(c.ok);
    assert_int_equal(c.diags.count, 3);
    assert_int_equal(c.diags.items[0].line, 41);
    assert_int_equal(c.diags.items[0].col, 1);
    assert_string_equal(c.diags.items[0].message,
                        "duplicate key 'key7' (first defined at line 8); the later value is used");
    assert_int_equal(c.diags.items[1].line, 42);
    assert_string_equal(c.diags.items[1].message,
                        "duplicate key 'key3' (first defined at line 4); the later value is used");
    assert_int_equal(c.diags.items[2].line, 43);
    assert_string_equal(c.diags.items[2].message,
                        "duplicate key 'key7' (first defined at line 8); the later value is used");
    assert_int_equal(c.docs.docs[0]->u.map.count, 40);
    assert_scalar(doc_get(c.docs.docs[0], "key7"), SCALAR_STR, "last");
    assert_string_equal(pair_at(c.docs.docs[0], 38)->key->u.scalar.text, "key3");
    assert_string_equal(pair_at(c.docs.docs[0], 39)->key->u.scalar.text, "key7");
    assert_string_equal(pair_at(c.docs.docs[0], 37)->key->u.scalar.text, "key39");
    parse_case_done(&c);
}

/* ---- comments --------------------------------------------------------- */

static void test_comments_are_recovered_outside_scalars(void **state)
{
    (void)state;
    parse_case c;
    const char *text = "# top\n"                         /* 0 */
                       "url: http://x#y # real\n"        /* 6 */
                       "q: \"a # b\"  #  after quote \n" /* 29 */
                       "s: 'x #y'\n"                     /* 57 */
                       "b: | # header\n"                 /* 67 */
                       "  # not a comment\n"             /* 81 */
                       "  text\n"                        /* 99 */
                       "#end";                           /* 106 */
    parse(&c, text);
    assert_true(c.ok);
    doc_node *r = c.docs.docs[0];
    assert_scalar(doc_get(r, "url"), SCALAR_STR, "http://x#y");
    assert_scalar(doc_get(r, "b"), SCALAR_STR, "# not a comment\ntext\n");
    assert_int_equal(c.f->ncomments, 5);
    const src_comment *k = c.f->comments;
    assert_string_equal(k[0].text, "top");
    assert_int_equal(k[0].style, COMMENT_HASH);
    assert_span(&k[0], 1, 1, 0, 1, 6, 5);
    assert_string_equal(k[1].text, "real");
    assert_span(&k[1], 2, 17, 22, 2, 23, 28);
    assert_string_equal(k[2].text, "after quote");
    assert_span(&k[2], 3, 13, 41, 3, 28, 56);
    assert_string_equal(k[3].text, "header");
    assert_span(&k[3], 5, 6, 72, 5, 14, 80);
    assert_string_equal(k[4].text, "end");
    assert_span(&k[4], 8, 1, 106, 8, 5, 110);
    parse_case_done(&c);
}

/* ---- positions -------------------------------------------------------- */

static void test_utf8_columns_count_characters_offsets_count_bytes(void **state)
{
    (void)state;
    parse_case c;
    /* "é" 2 bytes, "€" 3 bytes, "😀" 4 bytes */
    parse(&c, "é€: \"😀x\"\nnäme: ok # ü\n");
    assert_true(c.ok);
    const doc_pair *p = pair_at(c.docs.docs[0], 0);
    assert_scalar(p->key, SCALAR_STR, "é€");
    assert_span(p->key, 1, 1, 0, 1, 3, 5);
    assert_scalar(p->value, SCALAR_STR, "😀x");
    assert_span(p->value, 1, 5, 7, 1, 9, 14);
    p = pair_at(c.docs.docs[0], 1);
    assert_span(p->key, 2, 1, 15, 2, 5, 20);
    assert_span(p->value, 2, 7, 22, 2, 9, 24);
    assert_int_equal(c.f->ncomments, 1);
    assert_span(&c.f->comments[0], 2, 10, 25, 2, 13, 29);
    parse_case_done(&c);

    /* a BOM is skipped by the parser but counts as a character */
    parse(&c, "\xEF\xBB\xBF" "a: 1\n");
    assert_true(c.ok);
    assert_span(pair_at(c.docs.docs[0], 0)->key, 1, 2, 3, 1, 3, 4);
    parse_case_done(&c);
}

static void test_crlf_line_endings(void **state)
{
    (void)state;
    parse_case c;
    const char *text = "a: 1\r\n"      /* 0 */
                       "b:\r\n"        /* 6 */
                       "  - x # c\r\n" /* 10 */
                       "  - |\r\n"     /* 21 */
                       "    lit\r\n"   /* 28 */
                       "d: e\r\n";     /* 37 */
    parse(&c, text);
    assert_true(c.ok);
    doc_node *r = c.docs.docs[0];
    doc_node *b = doc_get(r, "b");
    assert_span(b, 3, 3, 12, 5, 8, 35);
    assert_scalar(item_at(b, 0), SCALAR_STR, "x");
    assert_span(item_at(b, 0), 3, 5, 14, 3, 6, 15);
    assert_scalar(item_at(b, 1), SCALAR_STR, "lit\n");
    assert_span(item_at(b, 1), 4, 5, 25, 5, 8, 35);
    assert_span(pair_at(r, 2)->key, 6, 1, 37, 6, 2, 38);
    assert_int_equal(c.f->ncomments, 1);
    assert_string_equal(c.f->comments[0].text, "c");
    assert_span(&c.f->comments[0], 3, 7, 16, 3, 10, 19);
    parse_case_done(&c);
}

/* ---- errors ----------------------------------------------------------- */

static void test_syntax_error_position(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "ok: 1\nbad: b: c\n");
    assert_error(&c, 2, 7, "mapping values are not allowed in this context");
    parse_case_done(&c);
    parse(&c, "list: [1, 2\nnext: 3\n");
    assert_error(&c, 2, 5, "did not find expected ',' or ']' (while parsing a flow sequence "
                           "started at line 1, column 7)");
    parse_case_done(&c);
}

static void test_tab_indentation(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "a:\n\tb: 1\n");
    assert_error(&c, 2, 1, "tab character used for indentation; YAML allows spaces only");
    parse_case_done(&c);
    parse(&c, "a:\n  b: 1\n  \tc: 2\n");
    assert_error(&c, 3, 3, "tab character used for indentation; YAML allows spaces only");
    parse_case_done(&c);
}

/* dollar_free: set on every node whose subtree holds no '$' in decoded
 * text (escapes in double quotes count), never on one that does. */
static void test_dollar_free_marks_subtrees_without_dollar(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "a: {x: 1, y: [p, q]}\n"
              "b:\n  env: ${HOME}\n  z: 2\n"
              "c: \"\\x24X\"\n"
              "d: |\n  cost $5\n"
              "e: &e {k: 'v$'}\n"
              "f: [*e]\n"
              "g:\n  <<: *e\n  h: 1\n");
    assert_true(c.ok);
    const doc_node *root = c.docs.docs[0];
    assert_false(root->dollar_free);
    const doc_node *a = doc_get(root, "a");
    assert_true(a->dollar_free);
    assert_true(doc_get(a, "y")->dollar_free);
    assert_true(pair_at(root, 0)->key->dollar_free);
    const doc_node *b = doc_get(root, "b");
    assert_false(b->dollar_free);
    assert_false(doc_get(b, "env")->dollar_free);
    assert_true(doc_get(b, "z")->dollar_free);
    assert_false(doc_get(root, "c")->dollar_free); /* "\x24" is '$' */
    assert_false(doc_get(root, "d")->dollar_free);
    assert_false(doc_get(root, "e")->dollar_free);
    assert_false(doc_get(root, "f")->dollar_free); /* through the alias */
    assert_false(doc_get(root, "g")->dollar_free); /* through the merge */
    parse_case_done(&c);
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "a: 1\nb: \"abc\nc: 2\n");
    assert_error(&c, 2, 4, "unterminated quoted string starting at line 2");
    parse_case_done(&c);
    parse(&c, "a: 'abc\n---\n");
    assert_error(&c, 1, 4, "unterminated quoted string starting at line 1");
    parse_case_done(&c);
}

static void test_unknown_and_recursive_aliases(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "a: 1\nb: *nope\n");
    assert_error(&c, 2, 4, "alias '*nope' refers to an anchor '&nope' that is not defined");
    parse_case_done(&c);
    /* anchors do not cross documents */
    parse(&c, "a: &x 1\n---\nb: *x\n");
    assert_error(&c, 3, 4, "alias '*x'");
    parse_case_done(&c);
    parse(&c, "a: &r\n  self: *r\n");
    assert_error(&c, 2, 9, "recursive structures are not supported");
    parse_case_done(&c);
}

static void test_invalid_utf8_and_control_characters(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "a: ok\nb: x\xff\n");
    assert_error(&c, 2, 5, "invalid UTF-8 (byte 0xFF at offset 10)");
    parse_case_done(&c);
    parse(&c, "a: \x01\n");
    assert_error(&c, 1, 4, "control character U+0001 is not allowed in YAML");
    parse_case_done(&c);
}

static void test_depth_limit_fails_fast_on_100000_brackets(void **state)
{
    (void)state;
    size_t n = 100000;
    char *text = malloc(n + 1);
    memset(text, '[', n);
    text[n] = '\0';
    parse_case c;
    parse_limits lim = parse_limits_default();
    parse_with(&c, text, n, &lim);
    assert_error(&c, 1, 257, "nesting deeper than 256 levels (--max-depth)");
    assert_true(arena_used(c.a) < 4u * 1024 * 1024);
    parse_case_done(&c);
    free(text);

    /* block nesting with a small limit; exactly at the limit is fine */
    lim.max_depth = 3;
    const char *deep = "a:\n  b:\n    c:\n      d: 1\n";
    parse_with(&c, deep, strlen(deep), &lim);
    assert_error(&c, 4, 7, "nesting deeper than 3 levels (--max-depth)");
    parse_case_done(&c);
    parse_with(&c, "[[[1]]]", 7, &lim);
    assert_true(c.ok);
    parse_case_done(&c);
}

static void test_alias_bomb_fails_fast(void **state)
{
    (void)state;
    const char *bomb = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n"
                       "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                       "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                       "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                       "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                       "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
                       "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
                       "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
                       "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    parse_case c;
    parse(&c, bomb);
    assert_error(&c, 7, 8,
                 "document expands to more than 1000000 nodes through aliases (--max-nodes); "
                 "possible alias bomb");
    assert_true(arena_used(c.a) < 1024 * 1024);
    parse_case_done(&c);

    /* the same file within a generous limit parses, sharing nodes */
    parse_limits lim = parse_limits_default();
    lim.max_nodes = (size_t)1 << 40;
    parse_with(&c, bomb, strlen(bomb), &lim);
    assert_true(c.ok);
    doc_node *i = doc_get(c.docs.docs[0], "i");
    assert_ptr_equal(item_at(i, 0), doc_get(c.docs.docs[0], "h"));
    parse_case_done(&c);

    /* without aliases the message does not blame them */
    lim.max_nodes = 5;
    parse_with(&c, "[1, 2, 3, 4, 5]", 15, &lim);
    assert_error(&c, 1, 14, "document has more than 5 nodes (--max-nodes)");
    parse_case_done(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_block_mapping_values_and_spans),
        cmocka_unit_test(test_nested_block_collections_end_at_last_entry),
        cmocka_unit_test(test_flow_collections_span_their_brackets),
        cmocka_unit_test(test_scalar_styles_values_and_spans),
        cmocka_unit_test(test_double_quoted_escapes_of_their_own_length),
        cmocka_unit_test(test_type_inference_of_plain_scalars_only),
        cmocka_unit_test(test_tags_are_kept),
        cmocka_unit_test(test_multi_document_stream_keeps_empty_documents),
        cmocka_unit_test(test_empty_and_comment_only_files_have_no_documents),
        cmocka_unit_test(test_aliases_share_the_anchored_node),
        cmocka_unit_test(test_merge_key_single_source_explicit_keys_win),
        cmocka_unit_test(test_merge_key_list_earlier_sources_win),
        cmocka_unit_test(test_merge_key_large_mappings_same_rules),
        cmocka_unit_test(test_merge_value_must_be_a_mapping),
        cmocka_unit_test(test_keys_sharing_a_signature),
        cmocka_unit_test(test_duplicate_keys_warn_and_later_value_wins),
        cmocka_unit_test(test_comments_are_recovered_outside_scalars),
        cmocka_unit_test(test_utf8_columns_count_characters_offsets_count_bytes),
        cmocka_unit_test(test_crlf_line_endings),
        cmocka_unit_test(test_syntax_error_position),
        cmocka_unit_test(test_tab_indentation),
        cmocka_unit_test(test_dollar_free_marks_subtrees_without_dollar),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_unknown_and_recursive_aliases),
        cmocka_unit_test(test_invalid_utf8_and_control_characters),
        cmocka_unit_test(test_depth_limit_fails_fast_on_100000_brackets),
        cmocka_unit_test(test_alias_bomb_fails_fast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
