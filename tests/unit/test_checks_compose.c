/* test_checks_compose.c - the text detectors of rules/text_scan.c and the C
 * checks of rules/checks_compose.c: exact spans, exact masks (a secret is
 * never in a message nor in the masked source line), and the cases each
 * check deliberately leaves alone. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/engine.h"
#include "rules/text_scan.h"
#include "tests/unit/support_lint.h"

/* ---- text_scan ---------------------------------------------------------- */

static void test_url_password_range(void **state)
{
    (void)state;
    const char *t = "postgresql://app:s3cr3t@db:5432/app";
    secret_match m[4];
    assert_int_equal(text_find_credentials(t, strlen(t), m, 4), 1);
    assert_int_equal(m[0].kind, SECRET_URL_PASSWORD);
    assert_int_equal(m[0].start, 17);
    assert_int_equal(m[0].end, 23);

    /* the last '@' ends the password; several URLs in one value */
    const char *two = "a://u:p@ss@h1,b://v:q2@h2/x";
    assert_int_equal(text_find_credentials(two, strlen(two), m, 4), 2);
    assert_int_equal(m[0].start, 6);
    assert_int_equal(m[0].end, 10);
    assert_int_equal(m[1].start, 20);
    assert_int_equal(m[1].end, 22);
}

static void test_url_without_password(void **state)
{
    (void)state;
    static const char *const none[] = {"redis://redis:6379",
                                       "redis://:@redis:6379",
                                       "http://user@host/x",
                                       "postgresql://app:${DB_PASSWORD}@db/app",
                                       "postgresql://app:$DB_PASSWORD@db/app",
                                       "://u:p@h",
                                       "see http://host:8080/a@b"};
    for (size_t i = 0; i < sizeof none / sizeof *none; i++)
        assert_int_equal(text_find_credentials(none[i], strlen(none[i]), NULL, 0), 0);
}

static void test_aws_key_and_private_key(void **state)
{
    (void)state;
    secret_match m[2];
    const char *k = "id=AKIA2E0A8F3B244C9986;";
    assert_int_equal(text_find_credentials(k, strlen(k), m, 2), 1);
    assert_int_equal(m[0].kind, SECRET_AWS_KEY_ID);
    assert_int_equal(m[0].start, 3);
    assert_int_equal(m[0].end, 23);
    const char *longer = "XAKIA2E0A8F3B244C9986", *shorter = "AKIA2E0A8F3B244C998";
    assert_int_equal(text_find_credentials(longer, strlen(longer), m, 2), 0);
    assert_int_equal(text_find_credentials(shorter, strlen(shorter), m, 2), 0);

    const char *pem = "|\n  -----BEGIN OPENSSH PRIVATE KEY-----\n  b3BlbnNz\n";
    assert_int_equal(text_find_credentials(pem, strlen(pem), m, 2), 1);
    assert_int_equal(m[0].kind, SECRET_PRIVATE_KEY);
    assert_int_equal(m[0].start, 4);
    assert_int_equal(m[0].end, strlen(pem));
    const char *cert = "-----BEGIN CERTIFICATE-----";
    assert_int_equal(text_find_credentials(cert, strlen(cert), m, 2), 0);
}

static void test_secret_names(void **state)
{
    (void)state;
    static const char *const yes[] = {"POSTGRES_PASSWORD", "DB_PASSWD", "db_pass", "POSTGRES_PW",
                                      "api-key", "GITHUB_TOKEN", "SECRET_KEY_BASE",
                                      "AWS_SECRET_ACCESS_KEY", "WEBPASSWORD", "client.secret",
                                      "pw", "my_pwd", "Master-Key", "x.Credential"};
    static const char *const no[] = {"MYSQL_ROOT_PASSWORD_FILE", "AWS_ACCESS_KEY_ID", "PWD",
                                     "PASSWORD_MIN_LENGTH", "TOKEN_TTL", "LOG_LEVEL",
                                     "PASSPORT_NUMBER", "DB_USER", "SECRET_NAME", "TOKEN_URL",
                                     /* the letters of a stem, not the stem */
                                     "SPEAK", "KYE", "K3Y", "OLDPWD", "KEYCLOAK_HOST",
                                     "TOKEN_EXPIRATION"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        if (!text_name_is_secret(yes[i]))
            fail_msg("%s should be a secret name", yes[i]);
    }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        if (text_name_is_secret(no[i]))
            fail_msg("%s should not be a secret name", no[i]);
    }
}

static void test_interpolation(void **state)
{
    (void)state;
    assert_true(text_has_interpolation("${X}", 4));
    assert_true(text_has_interpolation("a$X", 3));
    assert_true(text_has_interpolation("$(VAR)", 6));
    assert_false(text_has_interpolation("pa$$word", 8));
    assert_false(text_has_interpolation("costs 100$", 10));
    assert_false(text_has_interpolation("$1", 2));
    const char *t = "a${X:-10.0.0.1}b 10.0.0.2";
    assert_true(text_in_interpolation(t, strlen(t), 6));
    assert_false(text_in_interpolation(t, strlen(t), 17));
}

static void test_ipv4(void **state)
{
    (void)state;
    ipv4_match m[4];
    const char *u = "redis://10.0.2.15:6379";
    assert_int_equal(text_find_ipv4(u, strlen(u), m, 4), 1);
    assert_int_equal(m[0].start, 8);
    assert_int_equal(m[0].end, 17);
    assert_true(ipv4_is_service_address(&m[0]));
    static const char *const not_addresses[] = {"1.2.3.4.5", "10.0.0.0/8", "v10.0.0.1",
                                                "10.0.0.256", "1.2.3"};
    for (size_t i = 0; i < sizeof not_addresses / sizeof *not_addresses; i++)
        assert_int_equal(text_find_ipv4(not_addresses[i], strlen(not_addresses[i]), m, 4), 0);
    const char *list = "127.0.0.1,0.0.0.0,10.13.13.0,8.8.8.8,169.254.169.254,172.20.0.2";
    assert_int_equal(text_find_ipv4(list, strlen(list), m, 4), 6); /* stores the first 4 */
    for (size_t i = 0; i < 4; i++)
        assert_false(ipv4_is_service_address(&m[i]));
    const char *last = "169.254.169.254 172.20.0.2";
    assert_int_equal(text_find_ipv4(last, strlen(last), m, 4), 2);
    assert_false(ipv4_is_service_address(&m[0]));
    assert_true(ipv4_is_service_address(&m[1]));
}

/* ---- checks -------------------------------------------------------------- */

/* Lints text as FILE (a name that fixes the format) with only the rules
 * named in ids (NULL-terminated); the file stays loaded until the next call. */
static finding_list lint_as(const char *name, const char *text, const doc_node *settings,
                            const char *const *ids)
{
    lint_harness_reset();
    lint_harness_add(name, text);
    return lint_harness_run(settings, ids);
}

static finding_list lint_compose(const char *text, const char *rule_id)
{
    const char *ids[] = {rule_id, NULL};
    return lint_as("compose.yaml", text, NULL, ids);
}

/* The source line of finding f as text output shows it. */
static char *shown_line(const finding *f)
{
    return lint_harness_shown_line(harness.inputs[0], f->span.start.line, f);
}

static void test_credential_span_and_mask(void **state)
{
    (void)state;
    const char *text = "services:\n"
                       "  api:\n"
                       "    image: acme/api:1.0\n"
                       "    environment:\n"
                       "      - DATABASE_URL=postgresql://app:s3cr3t@db:5432/app\n";
    finding_list l = lint_compose(text, "CONTAINER-ENV-CREDENTIAL");
    assert_int_equal(l.count, 1);
    const finding *f = &l.items[0];
    size_t at = (size_t)(strstr(text, "s3cr3t") - text);
    assert_int_equal(f->span.start.line, 5);
    assert_int_equal(f->span.start.col, 39);
    assert_int_equal(f->span.start.offset, at);
    assert_int_equal(f->span.end.offset, at + 6);
    assert_int_equal(f->mask_start, at);
    assert_int_equal(f->mask_end, at + 6);
    assert_null(strstr(f->message, "s3cr3t"));
    assert_non_null(strstr(f->message, "postgresql://app:" SECRET_MASK "@db:5432/app"));
    char *line = shown_line(f);
    assert_string_equal(line, "      - DATABASE_URL=postgresql://app:********@db:5432/app");
    free(line);
    finding_list_free(&l);
}

static void test_two_secrets_on_one_line_both_masked(void **state)
{
    (void)state;
    const char *text = "services:\n"
                       "  db:\n"
                       "    image: postgres:16.3\n"
                       "    environment: {A_PASSWORD: one-1, B_TOKEN: two-2}\n";
    finding_list l = lint_compose(text, "CONTAINER-ENV-SECRET");
    assert_int_equal(l.count, 2);
    for (size_t i = 0; i < l.count; i++) {
        char *line = shown_line(&l.items[i]);
        assert_null(strstr(line, "one-1"));
        assert_null(strstr(line, "two-2"));
        assert_null(strstr(l.items[i].message, "one-1"));
        assert_null(strstr(l.items[i].message, "two-2"));
        free(line);
    }
    assert_int_equal(l.items[0].span.start.col, 31);
    assert_int_equal(l.items[1].span.start.col, 47);
    finding_list_free(&l);
}

static void test_env_secret_leaves_references_alone(void **state)
{
    (void)state;
    const char *text = "services:\n"
                       "  db:\n"
                       "    image: mariadb:11.4\n"
                       "    environment:\n"
                       "      - MYSQL_ROOT_PASSWORD_FILE=/run/secrets/db\n"
                       "      - MYSQL_PASSWORD=${MYSQL_PASSWORD:-}\n"
                       "      - DATABASE_PASSWORD=/run/secrets/db-password\n"
                       "      - ALLOW_EMPTY_PASSWORD=yes\n"
                       "      - API_TOKEN=<your token>\n"
                       "      - CLUSTER_TOKEN=INSERT_CLUSTER_TOKEN\n"
                       "      - ADMIN_PASSWORD\n";
    finding_list l = lint_compose(text, "CONTAINER-ENV-SECRET");
    assert_int_equal(l.count, 0);
    finding_list_free(&l);
}

static void test_credential_rule_takes_precedence(void **state)
{
    (void)state;
    const char *text = "services:\n"
                       "  api:\n"
                       "    image: acme/api:1.0\n"
                       "    environment:\n"
                       "      DB_PASSWORD: postgres://u:pw-9@db/app\n";
    const char *both[] = {"CONTAINER-ENV-SECRET", "CONTAINER-ENV-CREDENTIAL", NULL};
    finding_list l = lint_as("compose.yaml", text, NULL, both);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].rule->id, "CONTAINER-ENV-CREDENTIAL");
    finding_list_free(&l);
    const char *name_only[] = {"CONTAINER-ENV-SECRET", NULL};
    l = lint_as("compose.yaml", text, NULL, name_only);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].rule->id, "CONTAINER-ENV-SECRET");
    /* the whole value is masked */
    char *line = shown_line(&l.items[0]);
    assert_string_equal(line, "      DB_PASSWORD: ********");
    free(line);
    finding_list_free(&l);
}

static void test_kubernetes_env_secret(void **state)
{
    (void)state;
    const char *text = "apiVersion: apps/v1\n"
                       "kind: Deployment\n"
                       "metadata: {name: web}\n"
                       "spec:\n"
                       "  template:\n"
                       "    spec:\n"
                       "      containers:\n"
                       "        - name: app\n"
                       "          image: acme/app:1.0\n"
                       "          env:\n"
                       "            - {name: API_KEY, value: \"k-77aa\"}\n"
                       "            - {name: OTHER, value: \"$(API_KEY)\"}\n";
    const char *ids[] = {"CONTAINER-ENV-SECRET", NULL};
    finding_list l = lint_as("deploy.yaml", text, NULL, ids);
    assert_int_equal(l.count, 1);
    assert_int_equal(l.items[0].span.start.line, 11);
    assert_int_equal(l.items[0].span.start.col, 38);
    assert_non_null(strstr(l.items[0].message, "container 'app' of Deployment 'web'"));
    assert_null(strstr(l.items[0].message, "k-77aa"));
    finding_list_free(&l);
}

static void test_hardcoded_ip(void **state)
{
    (void)state;
    const char *text = "services:\n"
                       "  api:\n"
                       "    image: acme/api:1.0\n"
                       "    environment:\n"
                       "      REDIS_URL: redis://10.0.2.15:6379\n"
                       "      CACHE: ${CACHE_HOST:-10.0.2.16}\n"
                       "      DB_VERSION: 10.0.2.17\n"
                       "      NO_PROXY: 10.0.2.18\n"
                       "      BIND: 0.0.0.0\n"
                       "    extra_hosts:\n"
                       "      db.internal: 10.0.3.7\n";
    finding_list l = lint_compose(text, "COMPOSE-HARDCODED-IP");
    assert_int_equal(l.count, 2);
    assert_int_equal(l.items[0].span.start.line, 5);
    assert_int_equal(l.items[0].span.start.col, 26);
    assert_int_equal(l.items[0].span.end.col, 35);
    assert_non_null(strstr(l.items[0].message, "REDIS_URL"));
    assert_int_equal(l.items[1].span.start.line, 11);
    assert_int_equal(l.items[1].span.start.col, 20);
    assert_non_null(strstr(l.items[1].message, "'db.internal'"));
    finding_list_free(&l);
}

static void test_edge_data_network(void **state)
{
    (void)state;
    /* wordpress uses db (it names it) and is not reported; the proxy does
     * not use it and is, at its implicit default network (its key) */
    const char *text = "services:\n"
                       "  proxy:\n"
                       "    image: caddy:2.8\n"
                       "    ports: [\"443:443\"]\n"
                       "  wordpress:\n"
                       "    image: wordpress:6.5\n"
                       "    ports: [\"80:80\"]\n"
                       "    environment:\n"
                       "      WORDPRESS_DB_HOST: db:3306\n"
                       "  db:\n"
                       "    image: mariadb:11.4\n"
                       "  cache:\n"
                       "    image: redis:7.2\n"
                       "    networks: [other]\n"
                       "networks:\n"
                       "  other: {}\n";
    finding_list l = lint_compose(text, "COMPOSE-EDGE-SHARES-NETWORK-WITH-DATA");
    assert_int_equal(l.count, 1);
    assert_int_equal(l.items[0].span.start.line, 2);
    assert_int_equal(l.items[0].span.start.col, 3);
    assert_non_null(strstr(l.items[0].message, "service 'proxy'"));
    assert_non_null(strstr(l.items[0].message, "publishes port 443"));
    assert_non_null(strstr(l.items[0].message, "'db' (mariadb:11.4)"));
    assert_null(strstr(l.items[0].message, "cache"));
    finding_list_free(&l);
}

static void test_healthchecks(void **state)
{
    (void)state;
    const char *text = "services:\n"
                       "  api:\n"
                       "    image: acme/api:1.0\n"
                       "    depends_on:\n"
                       "      db: {condition: service_healthy}\n"
                       "      cache: {condition: service_started}\n"
                       "  worker:\n"
                       "    image: acme/worker:1.0\n"
                       "    depends_on: [cache, migrate]\n"
                       "  db:\n"
                       "    image: postgres:16.3\n"
                       "  cache:\n"
                       "    image: redis:7.2\n"
                       "  migrate:\n"
                       "    image: acme/migrate:1.0\n";
    finding_list l = lint_compose(text, "COMPOSE-HEALTHY-CONDITION-WITHOUT-HEALTHCHECK");
    assert_int_equal(l.count, 1);
    assert_int_equal(l.items[0].span.start.line, 5);
    assert_int_equal(l.items[0].span.start.col, 23);
    finding_list_free(&l);
    l = lint_compose(text, "COMPOSE-DEPENDENCY-WITHOUT-HEALTHCHECK");
    assert_int_equal(l.count, 2); /* cache (api, worker) and migrate (worker); not db */
    assert_int_equal(l.items[0].span.start.line, 12);
    assert_non_null(strstr(l.items[0].message, "'api', 'worker' depend on it"));
    assert_int_equal(l.items[1].span.start.line, 14);
    finding_list_free(&l);
}

static void test_port_range_setting(void **state)
{
    (void)state;
    const char *text = "services:\n"
                       "  sip:\n"
                       "    image: acme/sip:1.0\n"
                       "    ports:\n"
                       "      - \"10000-10049:10000-10049/udp\"\n";
    finding_list l = lint_compose(text, "COMPOSE-LARGE-PORT-RANGE");
    assert_int_equal(l.count, 0);
    finding_list_free(&l);
    arena *a = arena_new();
    src_span none = {{0, 0, 0}, {0, 0, 0}};
    doc_node *settings = doc_new(a, DOC_MAP, NULL, none);
    doc_map_set(a, settings, "compose_max_port_range", doc_new_int(a, NULL, none, 20));
    const char *ids[] = {"COMPOSE-LARGE-PORT-RANGE", NULL};
    l = lint_as("compose.yaml", text, settings, ids);
    assert_int_equal(l.count, 1);
    assert_int_equal(l.items[0].span.start.line, 5);
    assert_non_null(strstr(l.items[0].message, "50 host ports (10000-10049/udp)"));
    finding_list_free(&l);
    arena_free(a);
}

static void test_secret_file_outside_project(void **state)
{
    (void)state;
    const char *text = "services:\n"
                       "  db:\n"
                       "    image: postgres:16.3\n"
                       "secrets:\n"
                       "  a: {file: ./db/password.txt}\n"
                       "  b: {file: ../secrets/db.txt}\n"
                       "  c: {file: /etc/app/db.txt}\n"
                       "  d: {file: ~/db.txt}\n"
                       "  e: {environment: DB_PASSWORD}\n";
    finding_list l = lint_compose(text, "COMPOSE-SECRET-FILE-IN-PROJECT");
    assert_int_equal(l.count, 1);
    assert_int_equal(l.items[0].span.start.line, 5);
    assert_int_equal(l.items[0].span.start.col, 13);
    finding_list_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_password_range),
        cmocka_unit_test(test_url_without_password),
        cmocka_unit_test(test_aws_key_and_private_key),
        cmocka_unit_test(test_secret_names),
        cmocka_unit_test(test_interpolation),
        cmocka_unit_test(test_ipv4),
        cmocka_unit_test(test_credential_span_and_mask),
        cmocka_unit_test(test_two_secrets_on_one_line_both_masked),
        cmocka_unit_test(test_env_secret_leaves_references_alone),
        cmocka_unit_test(test_credential_rule_takes_precedence),
        cmocka_unit_test(test_kubernetes_env_secret),
        cmocka_unit_test(test_hardcoded_ip),
        cmocka_unit_test(test_edge_data_network),
        cmocka_unit_test(test_healthchecks),
        cmocka_unit_test(test_port_range_setting),
        cmocka_unit_test(test_secret_file_outside_project),
    };
    return cmocka_run_group_tests(tests, lint_harness_setup, lint_harness_teardown);
}
