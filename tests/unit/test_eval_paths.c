/* test_eval_paths.c - rule paths and message templates compiled at load
 * time (rules/eval.c) resolve as the rule format says (docs/rules.md). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "analyzers/frontend.h"
#include "rules/engine.h"
#include "rules/eval.h"
#include "rules/text_scan.h"

typedef struct fixture {
    arena *a;
    doc_stream docs;
    entity e;
    eval_memo *memo;
    eval_ctx c;
} fixture;

/* An entity whose attributes are the YAML map text. */
static void load(fixture *fx, const char *text)
{
    memset(fx, 0, sizeof *fx);
    fx->a = arena_new();
    src_file *f = src_from_memory(fx->a, "t.yaml", text, strlen(text));
    parse_limits lim = parse_limits_default();
    diag_list diags;
    diag_list_init(&diags);
    assert_true(yaml_parse(fx->a, f, &lim, &fx->docs, &diags));
    diag_list_free(&diags);
    fx->e = (entity){.kind = "container", .name = "web", .file = f,
                     .attrs = (doc_node *)fx->docs.docs[0]};
    fx->memo = eval_memo_new();
    fx->c = (eval_ctx){.e = &fx->e, .scratch = fx->a, .memo = fx->memo};
    fx->c.item.node = fx->e.attrs;
}

static void unload(fixture *fx)
{
    eval_memo_free(fx->memo);
    arena_free(fx->a);
}

static const char *resolve_text(fixture *fx, const char *path)
{
    rule_path p;
    eval_path_compile(fx->a, path, &p);
    return doc_str(eval_resolve(&fx->c, &p));
}

static void test_paths_split_into_segments(void **state)
{
    (void)state;
    arena *a = arena_new();
    rule_path p;
    eval_path_compile(a, "limits.memory", &p);
    assert_int_equal(p.base, PATH_ITEM);
    assert_int_equal(p.nsegs, 2);
    assert_string_equal(p.segs[1].key, "memory");
    assert_int_equal(p.segs[1].len, 6);
    assert_int_equal(p.segs[0].index, -1);
    eval_path_compile(a, "a..0.", &p); /* empty middle segment, trailing dot ignored */
    assert_int_equal(p.nsegs, 3);
    assert_string_equal(p.segs[1].key, "");
    assert_int_equal(p.segs[2].index, 0);
    eval_path_compile(a, ".", &p);
    assert_int_equal(p.base, PATH_ITEM);
    assert_int_equal(p.nsegs, 0);
    eval_path_compile(a, "$value", &p);
    assert_int_equal(p.base, PATH_ITEM);
    eval_path_compile(a, "$var.region.x", &p);
    assert_int_equal(p.base, PATH_VAR);
    assert_string_equal(p.var, "region");
    assert_int_equal(p.nsegs, 1);
    eval_path_compile(a, "$entity", &p);
    assert_int_equal(p.base, PATH_ENTITY);
    assert_int_equal(p.nsegs, 0);
    eval_path_compile(a, "$values", &p);
    assert_int_equal(p.base, PATH_NOTHING);
    char longname[300];
    memset(longname, 'k', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    eval_path_compile(a, longname, &p);
    assert_int_equal(p.base, PATH_NOTHING);
    arena_free(a);
}

static void test_lookups_match_doc_get(void **state)
{
    (void)state;
    fixture fx;
    load(&fx, "image: a\nports: [p0, p1]\nimage: b\nlimits: {memory: 1g}\n");
    assert_string_equal(resolve_text(&fx, "image"), "b"); /* the last key wins */
    assert_string_equal(resolve_text(&fx, "ports.1"), "p1");
    assert_null(resolve_text(&fx, "ports.2"));
    assert_null(resolve_text(&fx, "ports.x"));
    assert_string_equal(resolve_text(&fx, "limits.memory"), "1g");
    assert_string_equal(resolve_text(&fx, "$entity.limits.memory"), "1g");
    assert_null(resolve_text(&fx, "imag"));
    assert_null(resolve_text(&fx, "images"));
    assert_string_equal(resolve_text(&fx, "$name"), "web");
    assert_string_equal(resolve_text(&fx, "$kind"), "container");
    fx.c.memo = NULL; /* without the memo's index: the same answers */
    assert_string_equal(resolve_text(&fx, "image"), "b");
    assert_null(resolve_text(&fx, "images"));
    unload(&fx);
}

static void test_templates_render_like_before(void **state)
{
    (void)state;
    fixture fx;
    load(&fx, "image: nginx\npassword: s3cret\n");
    rule_template t;
    eval_template_compile(fx.a, "'{$name}' uses {image}, {password|mask}, {missing}, {a{b}, {open", &t);
    strbuf msg;
    sb_init(&msg);
    eval_message(&fx.c, &t, &msg);
    assert_string_equal(msg.buf, "'web' uses nginx, " SECRET_MASK ", (unset), (unset), {open");
    sb_reset(&msg);
    eval_template_compile(fx.a, "", &t);
    eval_message(&fx.c, &t, &msg);
    assert_string_equal(msg.buf, "");
    sb_free(&msg);
    unload(&fx);
}

static void test_text_is_ascii(void **state)
{
    (void)state;
    assert_true(text_is_ascii("", 0));
    assert_true(text_is_ascii("nginx:1.25-alpine/with/a/long/path", 34));
    assert_false(text_is_ascii("caf\xc3\xa9", 5));
    assert_false(text_is_ascii("0123456789abcdef\xff", 17));
    assert_true(text_is_ascii("ab\xff", 2)); /* only the given length counts */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths_split_into_segments),
        cmocka_unit_test(test_lookups_match_doc_get),
        cmocka_unit_test(test_templates_render_like_before),
        cmocka_unit_test(test_text_is_ascii),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
