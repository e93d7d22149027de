/* test_walk.c - directory walking: order, skipped dirs, excludes, symlinks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzers/detect.h"
#include "core/walk.h"

static char root[64];

static void touch(const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("a: 1\n", f);
    fclose(f);
}

static void mkd(const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    assert_int_equal(mkdir(p, 0755), 0);
}

static int setup(void **state)
{
    (void)state;
    strcpy(root, "/tmp/sa-walk-XXXXXX");
    assert_non_null(mkdtemp(root));
    mkd("b");
    mkd("a");
    mkd(".git");
    mkd(".terraform");
    mkd("node_modules");
    mkd("a/deep");
    touch("b/z.yaml");
    touch("a/main.tf");
    touch("a/deep/x.yml");
    touch("a/notes.txt");
    touch(".git/c.yaml");
    touch(".terraform/m.tf");
    touch("node_modules/p.yaml");
    touch("prod.auto.tfvars");
    touch("vars.tfvars.json");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    return system(cmd);
}

static const char *rel(const char *p)
{
    return p + strlen(root) + 1;
}

static void test_walk_sorted_skips_and_filters(void **state)
{
    (void)state;
    walk_options o = {.want = detect_is_candidate};
    path_list out = {0};
    diag_list d;
    diag_list_init(&d);
    assert_true(walk_path(root, &o, &out, &d));
    assert_int_equal(d.count, 0);
    assert_int_equal(out.count, 5);
    assert_string_equal(rel(out.items[0]), "a/deep/x.yml");
    assert_string_equal(rel(out.items[1]), "a/main.tf");
    assert_string_equal(rel(out.items[2]), "b/z.yaml");
    assert_string_equal(rel(out.items[3]), "prod.auto.tfvars");
    assert_string_equal(rel(out.items[4]), "vars.tfvars.json");
    path_list_free(&out);
    diag_list_free(&d);
}

static void collect(const char *path, const walk_listing *dir, void *ud)
{
    (void)dir;
    path_list_add(ud, path);
}

/* With a found callback, the same files in the same order reach it, and
 * the output list stays untouched (NULL). */
static void test_walk_found_callback(void **state)
{
    (void)state;
    path_list got = {0};
    walk_options o = {.want = detect_is_candidate, .found = collect, .found_ud = &got};
    diag_list d;
    diag_list_init(&d);
    assert_true(walk_path(root, &o, NULL, &d));
    assert_int_equal(got.count, 5);
    assert_string_equal(rel(got.items[0]), "a/deep/x.yml");
    assert_string_equal(rel(got.items[4]), "vars.tfvars.json");
    char file[128];
    snprintf(file, sizeof file, "%s/b/z.yaml", root);
    assert_true(walk_path(file, &o, NULL, &d)); /* a file named explicitly */
    assert_int_equal(got.count, 6);
    assert_string_equal(got.items[5], file);
    assert_int_equal(d.count, 0);
    path_list_free(&got);
    diag_list_free(&d);
}

/* found callback recording, per file, whether its directory lists a .env
 * ('y'), does not ('n') or was not read (explicit file: '-'). */
typedef struct dotenv_seen {
    path_list paths;
    char marks[16];
} dotenv_seen;

static void note_dotenv(const char *path, const walk_listing *dir, void *ud)
{
    dotenv_seen *seen = ud;
    seen->marks[seen->paths.count] = !dir ? '-' : walk_listing_has(dir, ".env") ? 'y' : 'n';
    path_list_add(&seen->paths, path);
}

/* The listing handed with each file says which names exist beside it, in
 * any ASCII letter case (as a case-insensitive file system would open them). */
static void test_walk_listing_names(void **state)
{
    (void)state;
    char sub[128];
    snprintf(sub, sizeof sub, "%s/env", root);
    assert_int_equal(mkdir(sub, 0755), 0);
    const char *dirs[] = {"env/plain", "env/upper", "env/none", "env/subdir"};
    for (size_t i = 0; i < 4; i++)
        mkd(dirs[i]);
    touch("env/plain/compose.yaml");
    touch("env/plain/.env");
    touch("env/upper/compose.yaml");
    touch("env/upper/.ENV");
    touch("env/none/compose.yaml");
    touch("env/none/.envrc");
    touch("env/none/.en");
    touch("env/subdir/compose.yaml");
    mkd("env/subdir/.env");
    dotenv_seen seen = {{0}, {0}};
    walk_options o = {.want = detect_is_candidate, .found = note_dotenv, .found_ud = &seen};
    diag_list d;
    diag_list_init(&d);
    assert_true(walk_path(sub, &o, NULL, &d));
    char file[160];
    snprintf(file, sizeof file, "%s/env/none/compose.yaml", root);
    assert_true(walk_path(file, &o, NULL, &d));
    assert_int_equal(seen.paths.count, 5);
    assert_string_equal(rel(seen.paths.items[0]), "env/none/compose.yaml");
    assert_string_equal(seen.marks, "nyyy-"); /* none, plain, subdir, upper, explicit */
    assert_int_equal(d.count, 0);
    path_list_free(&seen.paths);
    diag_list_free(&d);
    snprintf(file, sizeof file, "rm -rf %s", sub);
    assert_int_equal(system(file), 0);
}

/* Deeper than the levels whose descriptors the walk holds, the files are
 * found all the same, in order. */
static void test_walk_deep_tree(void **state)
{
    (void)state;
    char p[1024];
    int n = snprintf(p, sizeof p, "%s/deep1", root);
    assert_int_equal(mkdir(p, 0755), 0);
    for (int i = 0; i < 60; i++) {
        n += snprintf(p + n, sizeof p - (size_t)n, "/d");
        assert_int_equal(mkdir(p, 0755), 0);
        char f[1100];
        snprintf(f, sizeof f, "%s/x.yaml", p);
        FILE *fp = fopen(f, "w");
        assert_non_null(fp);
        fclose(fp);
    }
    snprintf(p, sizeof p, "%s/deep1", root);
    walk_options o = {.want = detect_is_candidate};
    path_list out = {0};
    diag_list d;
    diag_list_init(&d);
    assert_true(walk_path(p, &o, &out, &d));
    assert_int_equal(d.count, 0);
    assert_int_equal(out.count, 60);
    /* each directory's sub-directory d sorts before its x.yaml */
    assert_int_equal(strlen(rel(out.items[0])), strlen("deep1") + 60 * 2 + strlen("/x.yaml"));
    assert_string_equal(rel(out.items[59]), "deep1/d/x.yaml");
    path_list_free(&out);
    diag_list_free(&d);
    snprintf(p, sizeof p, "rm -rf %s/deep1", root);
    assert_int_equal(system(p), 0);
}

static void test_walk_excludes(void **state)
{
    (void)state;
    const char *ex[] = {"deep", "*.tfvars*"};
    walk_options o = {.want = detect_is_candidate, .excludes = ex, .nexcludes = 2};
    path_list out = {0};
    diag_list d;
    diag_list_init(&d);
    assert_true(walk_path(root, &o, &out, &d));
    assert_int_equal(out.count, 2);
    assert_string_equal(rel(out.items[0]), "a/main.tf");
    assert_string_equal(rel(out.items[1]), "b/z.yaml");
    path_list_free(&out);
    diag_list_free(&d);
}

static void test_walk_symlinks(void **state)
{
    (void)state;
    char p[256], q[256];
    /* a link out of the root is not followed (note), a loop is an error */
    snprintf(p, sizeof p, "%s/b/outside", root);
    assert_int_equal(symlink("/etc", p), 0);
    snprintf(p, sizeof p, "%s/b/loop", root);
    assert_int_equal(symlink("..", p), 0);
    snprintf(p, sizeof p, "%s/b/self1.yaml", root);
    snprintf(q, sizeof q, "%s/b/self2.yaml", root);
    assert_int_equal(symlink(q, p), 0);
    assert_int_equal(symlink(p, q), 0);
    walk_options o = {.want = detect_is_candidate};
    path_list out = {0};
    diag_list d;
    diag_list_init(&d);
    assert_true(walk_path(root, &o, &out, &d));
    assert_int_equal(out.count, 5);
    size_t loops = 0, notes = 0;
    for (size_t i = 0; i < d.count; i++) {
        if (d.items[i].level == DIAG_ERROR && strstr(d.items[i].message, "symlink loop"))
            loops++;
        if (d.items[i].level == DIAG_NOTE && strstr(d.items[i].message, "outside the scanned root"))
            notes++;
    }
    assert_int_equal(loops, 3); /* b/loop, b/self1.yaml, b/self2.yaml */
    assert_int_equal(notes, 1);
    path_list_free(&out);
    diag_list_free(&d);
}

static void test_walk_missing_root_and_explicit_file(void **state)
{
    (void)state;
    walk_options o = {.want = detect_is_candidate};
    path_list out = {0};
    diag_list d;
    diag_list_init(&d);
    char p[256];
    snprintf(p, sizeof p, "%s/no-such-dir", root);
    assert_false(walk_path(p, &o, &out, &d));
    assert_int_equal(d.count, 1);
    snprintf(p, sizeof p, "%s/a/notes.txt", root);
    assert_true(walk_path(p, &o, &out, &d)); /* named explicitly: always returned */
    assert_int_equal(out.count, 1);
    path_list_free(&out);
    diag_list_free(&d);
}

static void test_detect_by_name(void **state)
{
    (void)state;
    assert_int_equal(detect_by_name("x/docker-compose.prod.yml"), NAME_COMPOSE_YAML);
    assert_int_equal(detect_by_name("compose.yaml"), NAME_COMPOSE_YAML);
    assert_int_equal(detect_by_name("docker-compose.edge.yml"), NAME_COMPOSE_YAML);
    assert_int_equal(detect_by_name("k8s/ingress.yaml"), NAME_YAML);
    assert_int_equal(detect_by_name("terraform.tfvars"), NAME_TFVARS);
    assert_int_equal(detect_by_name("prod.auto.tfvars"), NAME_TFVARS);
    assert_int_equal(detect_by_name("a.tfvars.json"), NAME_TFVARS_JSON);
    assert_int_equal(detect_by_name("main.tf"), NAME_TERRAFORM);
    assert_int_equal(detect_by_name("package.json"), NAME_OTHER);
    assert_int_equal(detect_by_name("README.md"), NAME_OTHER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_sorted_skips_and_filters),
        cmocka_unit_test(test_walk_found_callback),
        cmocka_unit_test(test_walk_listing_names),
        cmocka_unit_test(test_walk_deep_tree),
        cmocka_unit_test(test_walk_excludes),
        cmocka_unit_test(test_walk_symlinks),
        cmocka_unit_test(test_walk_missing_root_and_explicit_file),
        cmocka_unit_test(test_detect_by_name),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
