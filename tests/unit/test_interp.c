/* test_interp.c - docker compose interpolation: every ${...} form, $$,
 * problems with their offsets, .env parsing, environment precedence, and
 * whole-tree interpolation keeping spans (analyzers/compose_interp.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "analyzers/compose_interp.h"
#include "analyzers/frontend.h"

typedef struct fixture {
    arena *a;
    interp_vars vars;
    interp_result r;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->a = arena_new();
    interp_vars_init(&f->vars, false);
    interp_vars_set(f->a, &f->vars, "HOST", "db.internal");
    interp_vars_set(f->a, &f->vars, "PORT", "5432");
    interp_vars_set(f->a, &f->vars, "EMPTY", "");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    arena_free(f->a);
    free(f);
    return 0;
}

static const char *run(fixture *f, const char *s)
{
    interp_string(f->a, &f->vars, s, strlen(s), &f->r);
    return f->r.text;
}

static void test_plain_and_braced(void **state)
{
    fixture *f = *state;
    assert_string_equal(run(f, "postgres://$HOST:${PORT}/db"), "postgres://db.internal:5432/db");
    assert_true(f->r.changed);
    assert_int_equal(f->r.nproblems, 0);
    assert_string_equal(run(f, "$HOST.$PORT"), "db.internal.5432"); /* '.' ends a name */
    assert_string_equal(run(f, "no variables here"), "no variables here");
    assert_false(f->r.changed);
    assert_int_equal(f->r.len, strlen("no variables here"));
}

static void test_defaults(void **state)
{
    fixture *f = *state;
    /* :- applies when unset or empty, - only when unset */
    assert_string_equal(run(f, "${MISSING:-fallback}"), "fallback");
    assert_string_equal(run(f, "${EMPTY:-fallback}"), "fallback");
    assert_string_equal(run(f, "${EMPTY-fallback}"), "");
    assert_string_equal(run(f, "${MISSING-fallback}"), "fallback");
    assert_string_equal(run(f, "${PORT:-1}"), "5432");
    assert_int_equal(f->r.nproblems, 0);
    /* defaults are interpolated themselves, nested braces included */
    assert_string_equal(run(f, "${MISSING:-${HOST}:${ALSO_MISSING:-80}}"), "db.internal:80");
    assert_int_equal(f->r.nproblems, 0);
    assert_string_equal(run(f, "${MISSING:-}"), "");
    assert_int_equal(f->r.nproblems, 0);
}

static void test_alternatives(void **state)
{
    fixture *f = *state;
    assert_string_equal(run(f, "${HOST:+set}"), "set");
    assert_string_equal(run(f, "${EMPTY:+set}"), "");
    assert_string_equal(run(f, "${EMPTY+set}"), "set");
    assert_string_equal(run(f, "${MISSING+set}"), "");
    assert_int_equal(f->r.nproblems, 0);
}

static void test_required(void **state)
{
    fixture *f = *state;
    assert_string_equal(run(f, "db=${DB_PASSWORD:?set DB_PASSWORD in .env}"), "db=");
    assert_int_equal(f->r.nproblems, 1);
    assert_int_equal(f->r.problems[0].kind, INTERP_REQUIRED);
    assert_int_equal(f->r.problems[0].offset, 3);
    assert_string_equal(f->r.problems[0].message,
                        "required variable DB_PASSWORD is missing a value: set DB_PASSWORD in .env");
    /* ? accepts an empty value, :? does not */
    assert_string_equal(run(f, "${EMPTY?must be set}"), "");
    assert_int_equal(f->r.nproblems, 0);
    run(f, "${EMPTY:?}");
    assert_int_equal(f->r.nproblems, 1);
    assert_string_equal(f->r.problems[0].message, "required variable EMPTY is missing a value");
    assert_string_equal(run(f, "${MISSING?no default for MISSING}"), "");
    assert_int_equal(f->r.nproblems, 1);
    assert_int_equal(f->r.problems[0].kind, INTERP_REQUIRED);
    assert_string_equal(f->r.problems[0].message,
                        "required variable MISSING is missing a value: no default for MISSING");
    assert_string_equal(run(f, "${PORT?x}"), "5432");
    assert_int_equal(f->r.nproblems, 0);
}

static void test_unset_warns_with_offset(void **state)
{
    fixture *f = *state;
    assert_string_equal(run(f, "http://${BACKEND_PRIVATE_IP}:8080 $OTHER"), "http://:8080 ");
    assert_int_equal(f->r.nproblems, 2);
    assert_int_equal(f->r.problems[0].kind, INTERP_UNSET);
    assert_int_equal(f->r.problems[0].offset, 7);
    assert_string_equal(f->r.problems[0].name, "BACKEND_PRIVATE_IP");
    assert_string_equal(f->r.problems[0].message,
                        "variable BACKEND_PRIVATE_IP is not set; substituting an empty string");
    assert_int_equal(f->r.problems[1].offset, 34);
    assert_string_equal(f->r.problems[1].message,
                        "variable OTHER is not set; substituting an empty string");
}

static void test_escape(void **state)
{
    fixture *f = *state;
    assert_string_equal(run(f, "echo $$HOME and $${HOST} costs $$5"), "echo $HOME and ${HOST} costs $5");
    assert_int_equal(f->r.nproblems, 0);
    assert_true(f->r.changed);
}

static void test_invalid_is_kept(void **state)
{
    fixture *f = *state;
    assert_string_equal(run(f, "price: $5"), "price: $5");
    assert_int_equal(f->r.nproblems, 1);
    assert_int_equal(f->r.problems[0].kind, INTERP_INVALID);
    assert_int_equal(f->r.problems[0].offset, 7);
    assert_non_null(strstr(f->r.problems[0].message, "$$"));
    assert_string_equal(run(f, "${}"), "${}");
    assert_int_equal(f->r.problems[0].kind, INTERP_INVALID);
    assert_string_equal(run(f, "${HOST"), "${HOST");
    assert_int_equal(f->r.nproblems, 1);
    assert_string_equal(run(f, "${HOST/x}"), "${HOST/x}");
    assert_int_equal(f->r.nproblems, 1);
    assert_string_equal(run(f, "trailing $"), "trailing $");
    assert_int_equal(f->r.nproblems, 1);
}

static void test_environment_wins(void **state)
{
    fixture *f = *state;
    setenv("SA_TEST_INTERP_PORT", "from-env", 1);
    interp_vars_set(f->a, &f->vars, "SA_TEST_INTERP_PORT", "from-dotenv");
    assert_string_equal(run(f, "${SA_TEST_INTERP_PORT}"), "from-dotenv");
    f->vars.use_environment = true;
    assert_string_equal(run(f, "${SA_TEST_INTERP_PORT}"), "from-env");
    assert_string_equal(interp_vars_get(&f->vars, "HOST"), "db.internal");
    unsetenv("SA_TEST_INTERP_PORT");
    assert_string_equal(run(f, "${SA_TEST_INTERP_PORT}"), "from-dotenv");
    /* later definitions replace earlier ones */
    interp_vars_set(f->a, &f->vars, "HOST", "other");
    assert_string_equal(interp_vars_get(&f->vars, "HOST"), "other");
    assert_null(interp_vars_get(&f->vars, "NOPE"));
}

static void test_dotenv_parse(void **state)
{
    fixture *f = *state;
    const char *text = "# settings\n"
                       "\n"
                       "PROJECT_NAME=crucible\n"
                       "export REGION = eu-west-1\n"
                       "QUOTED=\"a \\\"b\\\"\\n#not a comment\"\n"
                       "SINGLE='${PROJECT_NAME} stays'\n"
                       "URL=http://${PROJECT_NAME}.local  # inline comment\n"
                       "HASH=abc#def\n"
                       "EMPTY_VALUE=\n"
                       "not a line\n"
                       "MULTI=\"line1\n"
                       "line2\"\n"
                       "LAST=1";
    arena *a = f->a;
    interp_vars v;
    interp_vars_init(&v, false);
    src_file *src = src_from_memory(a, "dir/.env", text, strlen(text));
    diag_list d;
    diag_list_init(&d);
    interp_dotenv_parse(a, &v, src, &d);
    assert_string_equal(interp_vars_get(&v, "PROJECT_NAME"), "crucible");
    assert_string_equal(interp_vars_get(&v, "REGION"), "eu-west-1");
    assert_string_equal(interp_vars_get(&v, "QUOTED"), "a \"b\"\n#not a comment");
    assert_string_equal(interp_vars_get(&v, "SINGLE"), "${PROJECT_NAME} stays");
    assert_string_equal(interp_vars_get(&v, "URL"), "http://crucible.local");
    assert_string_equal(interp_vars_get(&v, "HASH"), "abc#def");
    assert_string_equal(interp_vars_get(&v, "EMPTY_VALUE"), "");
    assert_string_equal(interp_vars_get(&v, "MULTI"), "line1\nline2");
    assert_string_equal(interp_vars_get(&v, "LAST"), "1");
    assert_null(interp_vars_get(&v, "not"));
    assert_int_equal(d.count, 1);
    assert_int_equal(d.items[0].level, DIAG_WARNING);
    assert_string_equal(d.items[0].path, "dir/.env");
    assert_int_equal(d.items[0].line, 10);
    assert_int_equal(d.items[0].col, 1);
    diag_list_free(&d);
}

static void test_dotenv_unterminated_and_key_only(void **state)
{
    fixture *f = *state;
    setenv("SA_TEST_FROM_ENV", "yes", 1);
    const char *text = "A=1\nSA_TEST_FROM_ENV\nB=\"never closed\nC=3\n";
    interp_vars v;
    interp_vars_init(&v, true);
    src_file *src = src_from_memory(f->a, ".env", text, strlen(text));
    diag_list d;
    diag_list_init(&d);
    interp_dotenv_parse(f->a, &v, src, &d);
    unsetenv("SA_TEST_FROM_ENV");
    assert_int_equal(v.count, 3); /* A, SA_TEST_FROM_ENV, C */
    assert_string_equal(v.values[1], "yes");
    assert_string_equal(interp_vars_get(&v, "C"), "3");
    assert_null(interp_vars_get(&v, "B"));
    assert_int_equal(d.count, 1);
    assert_int_equal(d.items[0].line, 3);
    assert_non_null(strstr(d.items[0].message, "unterminated quoted value for B"));
    diag_list_free(&d);
}

static void test_dotenv_load_beside_file(void **state)
{
    fixture *f = *state;
    interp_vars v;
    interp_vars_init(&v, false);
    diag_list d;
    diag_list_init(&d);
    parse_limits lim = parse_limits_default();
    assert_true(interp_dotenv_load(f->a, &v, "tests/fixtures/entities/interp/compose.yaml", &lim,
                                   &d));
    assert_string_equal(interp_vars_get(&v, "PROJECT_NAME"), "crucible");
    assert_string_equal(interp_vars_get(&v, "DB_PORT"), "5432");
    assert_false(interp_dotenv_load(f->a, &v, "tests/fixtures/entities/no-such-dir/compose.yaml",
                                    &lim, &d));
    assert_int_equal(d.count, 0);
    diag_list_free(&d);
}

static void test_tree_keeps_spans_and_shares(void **state)
{
    fixture *f = *state;
    const char *text = "services:\n"
                       "  api:\n"
                       "    image: \"${HOST}/api:${TAG:-latest}\"\n"
                       "    ${KEY}: $$literal\n"
                       "    ports: [\"${PORT}:5432\"]\n"
                       "  db:\n"
                       "    image: postgres\n"
                       "    environment: {URL: &u \"x${UNSET}y\", COPY: *u, B: $UNSET}\n";
    src_file *src = src_from_memory(f->a, "c.yaml", text, strlen(text));
    doc_stream docs;
    diag_list d;
    diag_list_init(&d);
    parse_limits lim = parse_limits_default();
    assert_true(yaml_parse(f->a, src, &lim, &docs, &d));
    interp_tree_ctx *ctx = interp_tree_new(f->a, &f->vars, &d);
    doc_node *root = docs.docs[0];
    doc_node *out = interp_tree(ctx, root);
    assert_ptr_not_equal(out, root);
    doc_node *image = doc_path(out, "services.api.image");
    assert_string_equal(doc_str(image), "db.internal/api:latest");
    const doc_node *orig_image = doc_path(root, "services.api.image");
    assert_string_equal(doc_str(orig_image), "${HOST}/api:${TAG:-latest}");
    assert_int_equal(image->span.start.offset, orig_image->span.start.offset);
    assert_int_equal(image->span.end.offset, orig_image->span.end.offset);
    assert_int_equal(image->u.scalar.style, STYLE_DOUBLE_QUOTED);
    /* keys are not interpolated; $$ is */
    assert_string_equal(doc_str(doc_get(doc_path(out, "services.api"), "${KEY}")), "$literal");
    assert_string_equal(doc_str(doc_path(out, "services.api.ports")->u.seq.items[0]), "5432:5432");
    /* the unchanged db image node is shared, not copied */
    assert_ptr_equal(doc_path(out, "services.db.image"), doc_path(root, "services.db.image"));
    /* one warning for the aliased scalar, at the '$' */
    assert_string_equal(doc_str(doc_path(out, "services.db.environment.COPY")), "xy");
    assert_int_equal(d.count, 1);
    assert_int_equal(d.items[0].level, DIAG_WARNING);
    assert_int_equal(d.items[0].line, 8);
    assert_int_equal(d.items[0].col, 29);
    assert_string_equal(d.items[0].message, "variable UNSET is not set; substituting an empty string");
    /* originals are found by span */
    assert_int_equal(interp_tree_count(ctx), 5); /* B too, reported once */
    assert_ptr_equal(interp_tree_original(ctx, image->span), orig_image);
    assert_null(interp_tree_original(ctx, doc_path(out, "services.db.image")->span));
    /* the line map marks the lines of changed text only */
    size_t nlines;
    const unsigned char *lines = interp_tree_lines(ctx, &nlines);
    assert_non_null(lines);
    assert_true(image->span.start.line < nlines && lines[image->span.start.line]);
    uint32_t db_line = doc_path(out, "services.db.image")->span.start.line;
    assert_true(db_line >= nlines || !lines[db_line]);
    interp_tree_free(ctx);
    diag_list_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plain_and_braced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alternatives, setup, teardown),
        cmocka_unit_test_setup_teardown(test_required, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unset_warns_with_offset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_is_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_environment_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dotenv_parse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dotenv_unterminated_and_key_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dotenv_load_beside_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tree_keeps_spans_and_shares, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
