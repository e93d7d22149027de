/* test_compose.c - compose files -> "container", "compose_network" and
 * "compose_volume" entities: every field of the shared container shape,
 * short and long port / volume / environment syntax, interpolation with the
 * .env beside the file, the seed 003 compose files and real files from the
 * corpus, all with exact spans (analyzers/compose*.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "analyzers/compose_ports.h"
#include "tests/unit/entity_testlib.h"

static const load_options no_env = {.build_entities = true, .use_environment = false,
                                    .limits = {256, 1000000, 64u << 20}};

static input_file *compose(const char *text)
{
    return ent_load("compose.yaml", text, FMT_COMPOSE, &no_env);
}

/* ---- port specs (pure) -------------------------------------------------- */

typedef struct port_case {
    const char *spec;
    const char *host_ip; /* NULL: absent */
    int host_port, host_port_end, container_port, container_port_end; /* -1: absent */
    const char *protocol; /* NULL: absent (tcp) */
} port_case;

static void test_port_parse_short(void **state)
{
    (void)state;
    static const port_case cases[] = {
        {"80", NULL, -1, -1, 80, -1, NULL},
        {"8080:80", NULL, 8080, -1, 80, -1, NULL},
        {"127.0.0.1:8080:80", "127.0.0.1", 8080, -1, 80, -1, NULL},
        {"127.0.0.1:8080:80/tcp", "127.0.0.1", 8080, -1, 80, -1, "tcp"},
        {"8000-8010:8000-8010", NULL, 8000, 8010, 8000, 8010, NULL},
        {"[::1]:80:80", "::1", 80, -1, 80, -1, NULL},
        {"::1:6000:6000", "::1", 6000, -1, 6000, -1, NULL},
        {"0.0.0.0:5432:5432/udp", "0.0.0.0", 5432, -1, 5432, -1, "udp"},
        {"9090-9091:8080-8081", NULL, 9090, 9091, 8080, 8081, NULL},
        {"6060:6060/udp", NULL, 6060, -1, 6060, -1, "udp"},
        {"127.0.0.1::5000", "127.0.0.1", -1, -1, 5000, -1, NULL},
        {"9000-9005:80", NULL, 9000, 9005, 80, -1, NULL},
        {"3000-3005", NULL, -1, -1, 3000, 3005, NULL},
        {"53:53/sctp", NULL, 53, -1, 53, -1, "sctp"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const port_case *c = &cases[i];
        port_spec s;
        const char *err = NULL;
        size_t eoff;
        if (!compose_port_parse(c->spec, strlen(c->spec), &s, &err, &eoff))
            fail_msg("%s: %s", c->spec, err);
        assert_int_equal(s.host_ip.present, c->host_ip != NULL);
        if (c->host_ip) {
            assert_int_equal(s.host_ip.len, strlen(c->host_ip));
            assert_memory_equal(c->spec + s.host_ip.off, c->host_ip, s.host_ip.len);
        }
        const port_part *parts[] = {&s.host_port, &s.host_port_end, &s.container_port,
                                    &s.container_port_end};
        int want[] = {c->host_port, c->host_port_end, c->container_port, c->container_port_end};
        for (int k = 0; k < 4; k++) {
            assert_int_equal(parts[k]->present, want[k] >= 0);
            if (want[k] >= 0) {
                assert_int_equal(parts[k]->value, want[k]);
                /* the recorded range is exactly the digits */
                char buf[16];
                snprintf(buf, sizeof buf, "%d", want[k]);
                assert_int_equal(parts[k]->len, strlen(buf));
                assert_memory_equal(c->spec + parts[k]->off, buf, parts[k]->len);
            }
        }
        assert_int_equal(s.protocol.present, c->protocol != NULL);
        if (c->protocol)
            assert_memory_equal(c->spec + s.protocol.off, c->protocol, strlen(c->protocol));
    }
}

static void test_port_parse_invalid(void **state)
{
    (void)state;
    static const struct {
        const char *spec, *error;
        size_t off;
    } cases[] = {
        {"", "empty port specification", 0},
        {"http", "port is not a number", 0},
        {"8080:8o", "port is not a number", 6},
        {"70000:80", "port number out of range (1-65535)", 0},
        {"8080:0", "container port must be between 1 and 65535", 5},
        {"8000-8010:80-81", "host and container port ranges have different sizes", 0},
        {"10-5:80", "port range ends before it starts", 0},
        {"1.2.3.999:80:80", "invalid host IP address", 0},
        {"[fe80::zz]:80:80", "invalid host IP address", 1},
        {"80/xyz", "unknown protocol (expected tcp, udp or sctp)", 3},
        {"/tcp", "missing container port", 0},
        {"8080:", "missing port number", 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        port_spec s;
        const char *err = NULL;
        size_t eoff = 99;
        if (compose_port_parse(cases[i].spec, strlen(cases[i].spec), &s, &err, &eoff))
            fail_msg("\"%s\" should be rejected", cases[i].spec);
        assert_string_equal(err, cases[i].error);
        assert_int_equal(eoff, cases[i].off);
    }
}

/* ---- ports in a file ---------------------------------------------------- */

static void test_ports_short_and_long(void **state)
{
    (void)state;
    input_file *in = compose("services:\n"                                  /* 1 */
                             "  web:\n"                                     /* 2 */
                             "    image: nginx\n"                           /* 3 */
                             "    ports:\n"                                 /* 4 */
                             "      - \"127.0.0.1:8080:80/tcp\"\n"          /* 5 */
                             "      - 8000-8010:8000-8010\n"                /* 6 */
                             "      - 9090\n"                               /* 7 */
                             "      - \"[::1]:5432:5432/udp\"\n"            /* 8 */
                             "      - target: 443\n"                        /* 9 */
                             "        published: \"8443-8444\"\n"           /* 10 */
                             "        host_ip: 0.0.0.0\n"                   /* 11 */
                             "        protocol: UDP\n"                      /* 12 */
                             "        mode: host\n"                         /* 13 */
                             "      - target: 81\n"                         /* 14 */
                             "        published: 8081\n"                    /* 15 */
                             "      - \"99999:80\"\n"                       /* 16 */
                             "    expose:\n"                                /* 17 */
                             "      - \"3000\"\n"                           /* 18 */
                             "      - 4000-4001/udp\n");                    /* 19 */
    entity *e = ent_find(in, "container", "web");
    assert_int_equal(ent_len(ent_attr(e, "ports")), 8);
    assert_str_attr(e, "ports[0].host_ip", "127.0.0.1");
    assert_span(ent_attr(e, "ports[0].host_ip"), 5, 10, "127.0.0.1");
    assert_int_attr(e, "ports[0].host_port", 8080);
    assert_span(ent_attr(e, "ports[0].host_port"), 5, 20, "8080");
    assert_int_attr(e, "ports[0].container_port", 80);
    assert_span(ent_attr(e, "ports[0].container_port"), 5, 25, "80");
    assert_str_attr(e, "ports[0].protocol", "tcp");
    assert_span(ent_attr(e, "ports[0].protocol"), 5, 28, "tcp");
    assert_bool_attr(e, "ports[0].published", true);
    assert_span(ent_attr(e, "ports[0].published"), 5, 9, "\"127.0.0.1:8080:80/tcp\"");
    assert_span(ent_attr(e, "ports[0]"), 5, 9, "\"127.0.0.1:8080:80/tcp\"");

    assert_no_attr(e, "ports[1].host_ip");
    assert_int_attr(e, "ports[1].host_port", 8000);
    assert_int_attr(e, "ports[1].host_port_end", 8010);
    assert_span(ent_attr(e, "ports[1].host_port_end"), 6, 14, "8010");
    assert_int_attr(e, "ports[1].container_port", 8000);
    assert_int_attr(e, "ports[1].container_port_end", 8010);
    assert_span(ent_attr(e, "ports[1].container_port_end"), 6, 24, "8010");
    /* no protocol written: tcp, with the span of the whole entry */
    assert_str_attr(e, "ports[1].protocol", "tcp");
    assert_span(ent_attr(e, "ports[1].protocol"), 6, 9, "8000-8010:8000-8010");

    /* a YAML int: published on an ephemeral host port */
    assert_no_attr(e, "ports[2].host_port");
    assert_int_attr(e, "ports[2].container_port", 9090);
    assert_span(ent_attr(e, "ports[2].container_port"), 7, 9, "9090");
    assert_bool_attr(e, "ports[2].published", true);

    assert_str_attr(e, "ports[3].host_ip", "::1");
    assert_span(ent_attr(e, "ports[3].host_ip"), 8, 11, "::1");
    assert_str_attr(e, "ports[3].protocol", "udp");

    /* long syntax */
    assert_int_attr(e, "ports[4].container_port", 443);
    assert_span(ent_attr(e, "ports[4].container_port"), 9, 17, "443");
    assert_int_attr(e, "ports[4].host_port", 8443);
    assert_span(ent_attr(e, "ports[4].host_port"), 10, 21, "8443");
    assert_int_attr(e, "ports[4].host_port_end", 8444);
    assert_str_attr(e, "ports[4].host_ip", "0.0.0.0");
    assert_str_attr(e, "ports[4].protocol", "udp");
    assert_span(ent_attr(e, "ports[4].protocol"), 12, 19, "UDP");
    assert_str_attr(e, "ports[4].mode", "host");
    assert_int_attr(e, "ports[5].host_port", 8081);
    assert_span(ent_attr(e, "ports[5].host_port"), 15, 20, "8081");
    assert_str_attr(e, "ports[5].protocol", "tcp");

    /* the invalid entry is skipped with a warning at the bad number */
    const diag *d = ent_diag(in, "invalid port \"99999:80\"");
    assert_int_equal(d->level, DIAG_WARNING);
    assert_int_equal(d->line, 16);
    assert_int_equal(d->col, 10);
    assert_string_equal(d->message,
                        "invalid port \"99999:80\": port number out of range (1-65535); entry ignored");

    /* expose: container side only, not published */
    assert_int_attr(e, "ports[6].container_port", 3000);
    assert_span(ent_attr(e, "ports[6].container_port"), 18, 10, "3000");
    assert_bool_attr(e, "ports[6].published", false);
    assert_no_attr(e, "ports[6].host_port");
    assert_int_attr(e, "ports[7].container_port_end", 4001);
    assert_str_attr(e, "ports[7].protocol", "udp");
    ent_free(in);
}

/* ---- environment -------------------------------------------------------- */

static void test_restart_from_deploy_policy(void **state)
{
    (void)state;
    input_file *in = compose("services:\n"
                             "  a:\n"
                             "    image: x\n"
                             "    deploy:\n"
                             "      restart_policy:\n"
                             "        condition: on-failure\n"   /* 6 */
                             "  b:\n"
                             "    image: x\n"
                             "    restart: always\n"              /* 9 */
                             "  c:\n"
                             "    image: x\n");
    assert_str_attr(ent_find(in, "container", "a"), "restart", "on-failure");
    assert_span(ent_attr(ent_find(in, "container", "a"), "restart"), 6, 20, "on-failure");
    assert_str_attr(ent_find(in, "container", "b"), "restart", "always");
    assert_null(ent_attr(ent_find(in, "container", "c"), "restart"));
    input_free(in);
}

static void test_environment_forms(void **state)
{
    (void)state;
    input_file *in = compose("services:\n"
                             "  a:\n"
                             "    image: x\n"
                             "    environment:\n"
                             "      - POSTGRES_DB=example\n"           /* 5 */
                             "      - \"QUOTED=with spaces\"\n"        /* 6 */
                             "      - FROM_SHELL\n"                    /* 7 */
                             "      - EMPTY=\n"                        /* 8 */
                             "      - EQ=a=b\n"                        /* 9 */
                             "  b:\n"
                             "    image: x\n"
                             "    environment:\n"
                             "      PORT: 5432\n"                      /* 13 */
                             "      DEBUG: true\n"                     /* 14 */
                             "      UNSET:\n"                          /* 15 */
                             "      NAME: 'db'\n"                      /* 16 */
                             "      EMPTY: \"\"\n");                   /* 17 */
    entity *a = ent_find(in, "container", "a");
    assert_int_equal(ent_len(ent_attr(a, "environment")), 5);
    assert_str_attr(a, "environment[0].name", "POSTGRES_DB");
    assert_span(ent_attr(a, "environment[0].name"), 5, 9, "POSTGRES_DB");
    assert_str_attr(a, "environment[0].value", "example");
    assert_span(ent_attr(a, "environment[0].value"), 5, 21, "example");
    assert_span(ent_attr(a, "environment[0]"), 5, 9, "POSTGRES_DB=example");
    assert_str_attr(a, "environment[1].value", "with spaces");
    assert_span(ent_attr(a, "environment[1].value"), 6, 17, "with spaces");
    assert_str_attr(a, "environment[2].name", "FROM_SHELL");
    assert_no_attr(a, "environment[2].value");
    assert_str_attr(a, "environment[3].value", "");
    assert_span(ent_attr(a, "environment[3].value"), 8, 15, "");
    assert_str_attr(a, "environment[4].name", "EQ");
    assert_str_attr(a, "environment[4].value", "a=b");

    entity *b = ent_find(in, "container", "b");
    assert_int_equal(ent_len(ent_attr(b, "environment")), 5);
    assert_str_attr(b, "environment[0].name", "PORT");
    assert_span(ent_attr(b, "environment[0].name"), 13, 7, "PORT");
    assert_str_attr(b, "environment[0].value", "5432"); /* ints become strings */
    assert_span(ent_attr(b, "environment[0].value"), 13, 13, "5432");
    assert_span(ent_attr(b, "environment[0]"), 13, 7, "PORT: 5432");
    assert_str_attr(b, "environment[1].value", "true");
    assert_str_attr(b, "environment[2].name", "UNSET");
    assert_no_attr(b, "environment[2].value");
    assert_str_attr(b, "environment[3].value", "db");
    assert_span(ent_attr(b, "environment[3].value"), 16, 13, "'db'");
    assert_str_attr(b, "environment[4].value", "");
    ent_free(in);
}

/* ---- volumes ------------------------------------------------------------ */

static void test_volume_forms(void **state)
{
    (void)state;
    input_file *in = compose("services:\n"
                             "  a:\n"
                             "    image: x\n"
                             "    volumes:\n"
                             "      - ./data:/data:ro\n"                                  /* 5 */
                             "      - named:/x\n"                                         /* 6 */
                             "      - /var/run/docker.sock:/var/run/docker.sock\n"        /* 7 */
                             "      - /anonymous\n"                                       /* 8 */
                             "      - ~/cache:/cache:rw,z\n"                              /* 9 */
                             "      - 'C:\\data:/data'\n"                                 /* 10 */
                             "      - type: bind\n"                                       /* 11 */
                             "        source: /etc/ssl\n"                                 /* 12 */
                             "        target: /ssl\n"                                     /* 13 */
                             "        read_only: true\n"                                  /* 14 */
                             "      - type: tmpfs\n"                                      /* 15 */
                             "        target: /tmp\n"                                     /* 16 */
                             "      - x1:/b:/c:ro\n"                                          /* 17 */
                             "    tmpfs: /run:size=64m\n"                                 /* 18 */
                             "volumes:\n"
                             "  named: {}\n");
    entity *e = ent_find(in, "container", "a");
    const doc_node *v = ent_attr(e, "volumes");
    assert_int_equal(ent_len(v), 9);
    assert_str_attr(e, "volumes[0].type", "bind");
    assert_span(ent_attr(e, "volumes[0].type"), 5, 9, "./data:/data:ro");
    assert_str_attr(e, "volumes[0].source", "./data");
    assert_span(ent_attr(e, "volumes[0].source"), 5, 9, "./data");
    assert_str_attr(e, "volumes[0].target", "/data");
    assert_span(ent_attr(e, "volumes[0].target"), 5, 16, "/data");
    assert_bool_attr(e, "volumes[0].read_only", true);
    assert_span(ent_attr(e, "volumes[0].read_only"), 5, 22, "ro");
    assert_str_attr(e, "volumes[0].mode", "ro");

    assert_str_attr(e, "volumes[1].type", "volume");
    assert_str_attr(e, "volumes[1].source", "named");
    assert_bool_attr(e, "volumes[1].read_only", false);
    assert_no_attr(e, "volumes[1].mode");

    assert_str_attr(e, "volumes[2].type", "bind");
    assert_str_attr(e, "volumes[2].source", "/var/run/docker.sock");
    assert_span(ent_attr(e, "volumes[2].target"), 7, 30, "/var/run/docker.sock");

    assert_str_attr(e, "volumes[3].type", "volume");
    assert_no_attr(e, "volumes[3].source");
    assert_str_attr(e, "volumes[3].target", "/anonymous");

    assert_str_attr(e, "volumes[4].type", "bind");
    assert_bool_attr(e, "volumes[4].read_only", false);
    assert_str_attr(e, "volumes[4].mode", "rw,z");

    assert_str_attr(e, "volumes[5].type", "bind"); /* Windows drive letter */
    assert_str_attr(e, "volumes[5].source", "C:\\data");
    assert_str_attr(e, "volumes[5].target", "/data");

    assert_str_attr(e, "volumes[6].type", "bind");
    assert_span(ent_attr(e, "volumes[6].type"), 11, 15, "bind");
    assert_str_attr(e, "volumes[6].source", "/etc/ssl");
    assert_bool_attr(e, "volumes[6].read_only", true);
    assert_span(ent_attr(e, "volumes[6].read_only"), 14, 20, "true");
    assert_str_attr(e, "volumes[7].type", "tmpfs");
    assert_bool_attr(e, "volumes[7].read_only", false);
    assert_str_attr(e, "volumes[8].type", "tmpfs");
    assert_str_attr(e, "volumes[8].target", "/run");
    assert_span(ent_attr(e, "volumes[8].target"), 18, 12, "/run");
    const diag *d = ent_diag(in, "invalid volume \"x1:/b:/c:ro\"");
    assert_int_equal(d->line, 17);
    assert_int_equal(d->col, 17);
    assert_string_equal(d->message, "invalid volume \"x1:/b:/c:ro\": too many colons; entry ignored");
    /* named is declared; nothing else is a named volume */
    assert_int_equal(ent_diags_with(in, DIAG_WARNING, "not declared"), 0);
    ent_free(in);
}

/* ---- security and runtime fields ---------------------------------------- */

static void test_security_fields(void **state)
{
    (void)state;
    input_file *in = compose("services:\n"
                             "  app:\n"
                             "    image: example/app:1.2\n"                     /* 3 */
                             "    user: \"1000:1000\"\n"                        /* 4 */
                             "    privileged: true\n"                           /* 5 */
                             "    read_only: false\n"                           /* 6 */
                             "    cap_add: [cap_net_admin, SYS_TIME]\n"         /* 7 */
                             "    cap_drop:\n"
                             "      - ALL\n"                                    /* 9 */
                             "    security_opt:\n"
                             "      - no-new-privileges:true\n"                 /* 11 */
                             "      - seccomp:unconfined\n"                     /* 12 */
                             "      - apparmor=docker-default\n"                /* 13 */
                             "      - label:disable\n"
                             "    network_mode: host\n"                         /* 15 */
                             "    pid: host\n"                                  /* 16 */
                             "    ipc: shareable\n"                             /* 17 */
                             "  plain:\n"
                             "    image: alpine\n"
                             "    security_opt: [no-new-privileges]\n"          /* 20 */
                             "    network_mode: \"service:app\"\n");            /* 21 */
    entity *e = ent_find(in, "container", "app");
    assert_int_equal(e->platform, PLATFORM_COMPOSE);
    assert_null(e->ns);
    assert_null(e->owner);
    assert_str_attr(e, "image", "example/app:1.2");
    assert_span(ent_attr(e, "image"), 3, 12, "example/app:1.2");
    assert_str_attr(e, "user", "1000:1000");
    assert_bool_attr(e, "privileged", true);
    assert_span(ent_attr(e, "privileged"), 5, 17, "true");
    assert_bool_attr(e, "read_only", false); /* explicit false is kept */
    assert_str_attr(e, "cap_add[0]", "NET_ADMIN");
    assert_span(ent_attr(e, "cap_add[0]"), 7, 19, "net_admin");
    assert_str_attr(e, "cap_add[1]", "SYS_TIME");
    assert_span(ent_attr(e, "cap_add[1]"), 7, 30, "SYS_TIME");
    assert_str_attr(e, "cap_drop[0]", "ALL");
    assert_int_equal(ent_len(ent_attr(e, "security_opt")), 4);
    assert_str_attr(e, "security_opt[3]", "label:disable");
    assert_bool_attr(e, "no_new_privileges", true);
    assert_span(ent_attr(e, "no_new_privileges"), 11, 27, "true");
    assert_str_attr(e, "seccomp", "unconfined");
    assert_span(ent_attr(e, "seccomp"), 12, 17, "unconfined");
    assert_str_attr(e, "apparmor", "docker-default");
    assert_span(ent_attr(e, "apparmor"), 13, 18, "docker-default");
    assert_str_attr(e, "network_mode", "host");
    assert_bool_attr(e, "host_network", true);
    assert_span(ent_attr(e, "host_network"), 15, 19, "host");
    assert_bool_attr(e, "host_pid", true);
    assert_str_attr(e, "pid", "host");
    assert_bool_attr(e, "host_ipc", false);
    assert_str_attr(e, "ipc", "shareable");
    /* network_mode set: no networks, so no implicit default network */
    assert_no_attr(e, "networks");

    entity *p = ent_find(in, "container", "plain");
    assert_bool_attr(p, "no_new_privileges", true);
    assert_span(ent_attr(p, "no_new_privileges"), 20, 20, "no-new-privileges");
    assert_bool_attr(p, "host_network", false);
    assert_no_attr(p, "host_pid");
    assert_no_attr(p, "privileged");
    assert_no_attr(p, "seccomp");
    assert_no_attr(p, "networks");
    assert_int_equal(ent_count(in, "compose_network"), 0);
    ent_free(in);
}

static void test_command_forms(void **state)
{
    (void)state;
    input_file *in = compose("services:\n"
                             "  a:\n"
                             "    image: x\n"
                             "    command: -H unix:///var/run/docker.sock --name 'my app' \"x\\\"y\"\n" /* 4 */
                             "    entrypoint: [\"/bin/sh\", \"-c\"]\n"
                             "  b:\n"
                             "    image: x\n"
                             "    command:\n"
                             "      - '--config.file=/etc/prometheus/prometheus.yml'\n");
    entity *a = ent_find(in, "container", "a");
    const doc_node *cmd = ent_attr(a, "command");
    assert_int_equal(ent_len(cmd), 5);
    assert_str_attr(a, "command[0]", "-H");
    assert_span(ent_attr(a, "command[0]"), 4, 14, "-H");
    assert_str_attr(a, "command[1]", "unix:///var/run/docker.sock");
    assert_span(ent_attr(a, "command[1]"), 4, 17, "unix:///var/run/docker.sock");
    assert_str_attr(a, "command[3]", "my app");
    assert_span(ent_attr(a, "command[3]"), 4, 52, "'my app'");
    assert_str_attr(a, "command[4]", "x\"y");
    assert_str_attr(a, "entrypoint[1]", "-c");
    entity *b = ent_find(in, "container", "b");
    assert_int_equal(ent_len(ent_attr(b, "command")), 1);
    assert_str_attr(b, "command[0]", "--config.file=/etc/prometheus/prometheus.yml");
    ent_free(in);
}

static void test_runtime_fields(void **state)
{
    (void)state;
    input_file *in = compose("services:\n"
                             "  api:\n"
                             "    image: api\n"
                             "    container_name: api-1\n"
                             "    hostname: api.local\n"
                             "    restart: unless-stopped\n"                       /* 6 */
                             "    env_file: [.env.api, {path: extra.env, required: false}]\n"
                             "    depends_on: [db, cache]\n"                       /* 8 */
                             "    secrets: [db-password, {source: api-key, target: key}]\n"
                             "    labels:\n"
                             "      - traefik.enable=true\n"                       /* 11 */
                             "      - com.example.team=payments\n"
                             "    healthcheck:\n"
                             "      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost\"]\n"
                             "      interval: 30s\n"                                /* 15 */
                             "      retries: 3\n"
                             "    deploy:\n"
                             "      replicas: 4\n"                                  /* 18 */
                             "      resources:\n"
                             "        limits:\n"
                             "          cpus: '0.50'\n"                             /* 21 */
                             "          memory: 512M\n"
                             "        reservations:\n"
                             "          memory: 128M\n"                             /* 24 */
                             "  db:\n"
                             "    image: postgres\n"
                             "    mem_limit: 1g\n"                                  /* 27 */
                             "    cpus: 1.5\n"                                      /* 28 */
                             "    pids_limit: 100\n"
                             "    mem_reservation: 256m\n"
                             "    depends_on:\n"
                             "      cache:\n"                                       /* 32 */
                             "        condition: service_healthy\n"
                             "    healthcheck:\n"
                             "      disable: true\n"
                             "    labels: {tier: data, replicas: 2}\n"
                             "  cache:\n"
                             "    image: redis\n"
                             "    scale: 2\n"
                             "    healthcheck:\n"
                             "      test: [\"NONE\"]\n");
    entity *api = ent_find(in, "container", "api");
    assert_str_attr(api, "container_name", "api-1");
    assert_str_attr(api, "hostname", "api.local");
    assert_str_attr(api, "restart", "unless-stopped");
    assert_span(ent_attr(api, "restart"), 6, 14, "unless-stopped");
    assert_str_attr(api, "env_file[0]", ".env.api");
    assert_str_attr(api, "env_file[1]", "extra.env");
    assert_str_attr(api, "depends_on[0]", "db");
    assert_span(ent_attr(api, "depends_on[1]"), 8, 22, "cache");
    assert_str_attr(api, "secrets[0]", "db-password");
    assert_str_attr(api, "secrets[1]", "api-key");
    const doc_node *labels = ent_attr(api, "labels");
    assert_int_equal(ent_len(labels), 2);
    assert_string_equal(doc_str(doc_get(labels, "traefik.enable")), "true");
    assert_span(labels->u.map.pairs[0].key, 11, 9, "traefik.enable");
    assert_span(labels->u.map.pairs[0].value, 11, 24, "true");
    assert_string_equal(doc_str(doc_get(labels, "com.example.team")), "payments");
    assert_int_equal(ent_len(ent_attr(api, "healthcheck.test")), 4);
    assert_str_attr(api, "healthcheck.interval", "30s");
    assert_span(ent_attr(api, "healthcheck.interval"), 15, 17, "30s");
    assert_int_attr(api, "healthcheck.retries", 3);
    assert_bool_attr(api, "healthcheck.disabled", false);
    assert_int_attr(api, "replicas", 4);
    assert_span(ent_attr(api, "replicas"), 18, 17, "4");
    assert_str_attr(api, "limits.cpu", "0.50");
    assert_span(ent_attr(api, "limits.cpu"), 21, 17, "'0.50'");
    assert_str_attr(api, "limits.memory", "512M");
    assert_no_attr(api, "requests.cpu");
    assert_str_attr(api, "requests.memory", "128M");
    assert_span(ent_attr(api, "requests.memory"), 24, 19, "128M");
    assert_str_attr(api, "networks[0]", "default");
    assert_span(ent_attr(api, "networks[0]"), 2, 3, "api");

    entity *db = ent_find(in, "container", "db");
    assert_str_attr(db, "limits.memory", "1g");
    assert_span(ent_attr(db, "limits.memory"), 27, 16, "1g");
    assert_str_attr(db, "limits.cpu", "1.5"); /* a float, kept as written */
    assert_span(ent_attr(db, "limits.cpu"), 28, 11, "1.5");
    assert_str_attr(db, "limits.pids", "100");
    assert_str_attr(db, "requests.memory", "256m");
    assert_str_attr(db, "depends_on[0]", "cache");
    assert_span(ent_attr(db, "depends_on[0]"), 32, 7, "cache");
    assert_bool_attr(db, "healthcheck.disabled", true);
    assert_string_equal(doc_str(doc_get(ent_attr(db, "labels"), "replicas")), "2");
    assert_no_attr(db, "replicas");

    entity *cache = ent_find(in, "container", "cache");
    assert_int_attr(cache, "replicas", 2);
    assert_bool_attr(cache, "healthcheck.disabled", true);
    assert_no_attr(cache, "limits");
    ent_free(in);
}

/* ---- networks and volumes ----------------------------------------------- */

static void test_networks_and_volumes(void **state)
{
    (void)state;
    input_file *in = compose("networks:\n"                                  /* 1 */
                             "  front:\n"
                             "    driver: bridge\n"
                             "  back:\n"                                    /* 4 */
                             "    internal: true\n"
                             "    attachable: false\n"
                             "  outside:\n"
                             "    external: true\n"
                             "    name: corp-net\n"
                             "services:\n"                                  /* 10 */
                             "  web:\n"
                             "    image: nginx\n"
                             "    networks: [front, back]\n"
                             "  db:\n"
                             "    image: postgres\n"
                             "    networks:\n"
                             "      back:\n"
                             "        ipv4_address: 172.20.0.2\n"
                             "      missing: {}\n"                          /* 19 */
                             "    volumes: [db-data:/var/lib/postgresql/data, undeclared:/x]\n"
                             "  worker:\n"                                  /* 21 */
                             "    image: worker\n"
                             "volumes:\n"
                             "  db-data:\n"                                 /* 24 */
                             "  legacy:\n"
                             "    external:\n"
                             "      name: old-data\n"
                             "  nfs:\n"
                             "    driver: local\n"
                             "    driver_opts: {type: nfs, o: \"addr=10.0.0.1\"}\n");
    /* source order: networks first, then containers, default network, volumes */
    assert_int_equal(in->entities.count, 3 + 3 + 1 + 3);
    assert_string_equal(in->entities.items[0]->name, "front");
    assert_string_equal(in->entities.items[3]->kind, "container");
    assert_string_equal(in->entities.items[6]->name, "default");

    entity *front = ent_find(in, "compose_network", "front");
    assert_str_attr(front, "driver", "bridge");
    assert_no_attr(front, "internal");
    entity *back = ent_find(in, "compose_network", "back");
    assert_bool_attr(back, "internal", true);
    assert_bool_attr(back, "attachable", false);
    assert_span(back->source, 5, 5, "internal: true\n    attachable: false");
    entity *outside = ent_find(in, "compose_network", "outside");
    assert_bool_attr(outside, "external", true);
    assert_str_attr(outside, "name", "corp-net");
    entity *def = ent_find(in, "compose_network", "default");
    assert_bool_attr(def, "implicit", true);
    assert_span(ent_attr(def, "implicit"), 10, 1, "services");

    entity *db = ent_find(in, "container", "db");
    assert_str_attr(db, "networks[0]", "back");
    assert_str_attr(db, "networks[1]", "missing");
    const diag *d = ent_diag(in, "network \"missing\"");
    assert_int_equal(d->line, 19);
    assert_int_equal(d->col, 7);
    assert_string_equal(d->message, "service db uses network \"missing\", which is not declared "
                                    "under the top-level networks");
    d = ent_diag(in, "volume \"undeclared\"");
    assert_int_equal(d->line, 20);
    assert_int_equal(d->col, 49);
    assert_int_equal(ent_diags_with(in, DIAG_WARNING, "db-data"), 0);
    assert_str_attr(ent_find(in, "container", "worker"), "networks[0]", "default");

    entity *dbdata = ent_find(in, "compose_volume", "db-data");
    assert_int_equal(ent_len(dbdata->attrs), 0);
    assert_span(dbdata->source, 24, 3, "db-data");
    assert_bool_attr(ent_find(in, "compose_volume", "legacy"), "external", true);
    entity *nfs = ent_find(in, "compose_volume", "nfs");
    assert_str_attr(nfs, "driver", "local");
    assert_string_equal(doc_str(doc_get(ent_attr(nfs, "driver_opts"), "o")), "addr=10.0.0.1");
    ent_free(in);
}

static void test_declared_default_network_is_not_duplicated(void **state)
{
    (void)state;
    input_file *in = compose("services:\n"
                             "  a: {image: x}\n"
                             "networks:\n"
                             "  default:\n"
                             "    name: shared\n");
    assert_int_equal(ent_count(in, "compose_network"), 1);
    entity *def = ent_find(in, "compose_network", "default");
    assert_no_attr(def, "implicit");
    assert_str_attr(def, "name", "shared");
    ent_free(in);
}

static void test_bad_values_warn(void **state)
{
    (void)state;
    input_file *in = compose("services:\n"
                             "  empty:\n"                       /* 2 */
                             "  odd:\n"
                             "    image: x\n"
                             "    privileged: maybe\n"          /* 5 */
                             "    ports: \"80:80\"\n"           /* 6 */
                             "    environment: 5\n");           /* 7 */
    assert_int_equal(ent_count(in, "container"), 1);
    entity *odd = ent_find(in, "container", "odd");
    assert_no_attr(odd, "privileged");
    assert_no_attr(odd, "environment");
    const diag *d = ent_diag(in, "service empty has no configuration");
    assert_int_equal(d->line, 2);
    assert_int_equal(d->col, 3);
    d = ent_diag(in, "privileged must be true or false");
    assert_int_equal(d->line, 5);
    assert_int_equal(d->col, 17);
    d = ent_diag(in, "ports must be a list");
    assert_int_equal(d->line, 6);
    assert_int_equal(ent_diag(in, "environment must be")->line, 7);
    for (size_t i = 0; i < in->diags.count; i++)
        assert_int_equal(in->diags.items[i].level, DIAG_WARNING);
    ent_free(in);
}

/* ---- interpolation ------------------------------------------------------ */

static void test_interpolation_with_dotenv(void **state)
{
    (void)state;
    input_file *in = ent_load("tests/fixtures/entities/interp/compose.yaml", NULL, FMT_COMPOSE,
                              &no_env);
    entity *nginx = ent_find(in, "container", "nginx");
    assert_str_attr(nginx, "image", "crucible/nginx:latest");
    assert_span(ent_attr(nginx, "image"), 3, 12, "${PROJECT_NAME}/nginx:latest");
    /* "${HTTP_PORT:-8080}:80": host port from the default, exact spans */
    assert_int_attr(nginx, "ports[0].host_port", 8080);
    assert_span(ent_attr(nginx, "ports[0].host_port"), 5, 10, "${HTTP_PORT:-8080}");
    assert_int_attr(nginx, "ports[0].container_port", 80);
    assert_span(ent_attr(nginx, "ports[0].container_port"), 5, 29, "80");
    assert_str_attr(nginx, "ports[1].host_ip", "127.0.0.1");
    assert_span(ent_attr(nginx, "ports[1].host_ip"), 6, 10, "127.0.0.1");
    assert_int_attr(nginx, "ports[1].host_port", 5432);
    assert_span(ent_attr(nginx, "ports[1].host_port"), 6, 20, "${DB_PORT}");
    assert_str_attr(nginx, "environment[0].name", "BACKEND_URL");
    assert_span(ent_attr(nginx, "environment[0].name"), 8, 9, "BACKEND_URL");
    assert_str_attr(nginx, "environment[0].value", "http://:8080");
    assert_span(ent_attr(nginx, "environment[0].value"), 8, 21,
                "http://${BACKEND_PRIVATE_IP}:8080");
    assert_int_attr(nginx, "replicas", 2);
    assert_span(ent_attr(nginx, "replicas"), 11, 17, "${REPLICAS:-2}");

    /* the templates as written, by attribute path */
    const doc_node *interp = ent_attr(nginx, "interpolated");
    assert_non_null(interp);
    assert_string_equal(doc_str(doc_get(interp, "image")), "${PROJECT_NAME}/nginx:latest");
    assert_span(doc_get(interp, "image"), 3, 12, "${PROJECT_NAME}/nginx:latest");
    assert_string_equal(doc_str(doc_get(interp, "ports[0].host_port")), "${HTTP_PORT:-8080}:80");
    assert_string_equal(doc_str(doc_get(interp, "environment[0].value")),
                        "BACKEND_URL=http://${BACKEND_PRIVATE_IP}:8080");
    assert_string_equal(doc_str(doc_get(interp, "replicas")), "${REPLICAS:-2}");
    assert_null(doc_get(interp, "environment[1].value")); /* STATIC=plain */

    entity *api = ent_find(in, "container", "api");
    assert_str_attr(api, "image", "crucible/api:1.4");
    assert_str_attr(api, "environment[0].name", "DATABASE_URL");
    assert_str_attr(api, "environment[0].value", "");
    assert_str_attr(api, "environment[1].value", "${NOT_A_VAR}");
    assert_null(ent_attr(ent_find(in, "compose_network", "default"), "interpolated"));

    /* warnings at the '$' of each unset variable, as docker compose gives */
    const diag *d = ent_diag(in, "variable BACKEND_PRIVATE_IP is not set");
    assert_int_equal(d->level, DIAG_WARNING);
    assert_string_equal(d->path, "tests/fixtures/entities/interp/compose.yaml");
    assert_int_equal(d->line, 8);
    assert_int_equal(d->col, 28);
    assert_string_equal(d->message,
                        "variable BACKEND_PRIVATE_IP is not set; substituting an empty string");
    d = ent_diag(in, "required variable DATABASE_URL");
    assert_int_equal(d->line, 15);
    assert_int_equal(d->col, 21);
    assert_string_equal(d->message,
                        "required variable DATABASE_URL is missing a value: set DATABASE_URL in .env");
    assert_int_equal(in->diags.count, 2);
    ent_free(in);
}

static void test_interpolation_environment_wins(void **state)
{
    (void)state;
    setenv("PROJECT_NAME", "from-env", 1);
    setenv("BACKEND_PRIVATE_IP", "10.0.1.7", 1);
    setenv("DATABASE_URL", "postgres://db/app", 1);
    load_options with_env = no_env;
    with_env.use_environment = true;
    input_file *in = ent_load("tests/fixtures/entities/interp/compose.yaml", NULL, FMT_COMPOSE,
                              &with_env);
    unsetenv("PROJECT_NAME");
    unsetenv("BACKEND_PRIVATE_IP");
    unsetenv("DATABASE_URL");
    entity *nginx = ent_find(in, "container", "nginx");
    assert_str_attr(nginx, "image", "from-env/nginx:latest");
    assert_str_attr(nginx, "environment[0].value", "http://10.0.1.7:8080");
    assert_str_attr(ent_find(in, "container", "api"), "environment[0].value", "postgres://db/app");
    assert_int_equal(in->diags.count, 0);
    ent_free(in);
}

/* A caller that listed the directory and found no .env says so: the .env is
 * then not looked for (here one exists, so its variables stay unset). */
static void test_interpolation_no_dotenv_beside(void **state)
{
    (void)state;
    load_options listed = no_env;
    listed.no_dotenv_beside = true;
    input_file *in = ent_load("tests/fixtures/entities/interp/compose.yaml", NULL, FMT_COMPOSE,
                              &listed);
    assert_non_null(ent_diag(in, "variable PROJECT_NAME is not set"));
    ent_free(in);
}

/* ---- seed 003 ----------------------------------------------------------- */

static void test_seed_edge_backend_split(void **state)
{
    (void)state;
    input_file *in = ent_load("tests/fixtures/entities/seed003/docker-compose.edge.yml", NULL,
                              FMT_COMPOSE, &no_env);
    assert_int_equal(in->entities.count, 2); /* nginx + implicit default network */
    entity *nginx = ent_find(in, "container", "nginx");
    assert_str_attr(nginx, "image", "/nginx:latest");
    assert_span(ent_attr(nginx, "image"), 4, 12, "${PROJECT_NAME}/nginx:latest");
    assert_int_equal(ent_len(ent_attr(nginx, "ports")), 2);
    assert_int_attr(nginx, "ports[0].host_port", 80);
    assert_span(ent_attr(nginx, "ports[0].host_port"), 6, 10, "80");
    assert_span(ent_attr(nginx, "ports[0].container_port"), 6, 13, "80");
    assert_no_attr(nginx, "ports[0].host_ip");
    assert_int_attr(nginx, "ports[1].host_port", 443);
    assert_span(ent_attr(nginx, "ports[1].container_port"), 7, 14, "443");
    assert_str_attr(nginx, "environment[0].name", "BACKEND_URL");
    assert_str_attr(nginx, "environment[0].value", "http://:8080");
    assert_str_attr(nginx, "volumes[0].type", "bind");
    assert_str_attr(nginx, "volumes[0].source", "/etc/nginx/ssl");
    assert_span(ent_attr(nginx, "volumes[0].source"), 11, 9, "/etc/nginx/ssl");
    assert_str_attr(nginx, "volumes[0].target", "/etc/nginx/ssl");
    assert_span(ent_attr(nginx, "volumes[0].target"), 11, 24, "/etc/nginx/ssl");
    assert_bool_attr(nginx, "volumes[0].read_only", true);
    assert_span(ent_attr(nginx, "volumes[0].read_only"), 11, 39, "ro");
    assert_str_attr(nginx, "networks[0]", "default");
    assert_int_equal(in->diags.count, 2);
    assert_int_equal(ent_diag(in, "variable PROJECT_NAME is not set")->col, 12);
    assert_int_equal(ent_diag(in, "variable BACKEND_PRIVATE_IP is not set")->col, 28);
    ent_free(in);

    in = ent_load("tests/fixtures/entities/seed003/docker-compose.backend.yml", NULL,
                  FMT_COMPOSE, &no_env);
    assert_int_equal(ent_count(in, "container"), 3);
    entity *api = ent_find(in, "container", "api-service");
    assert_str_attr(api, "image", "/api:latest");
    assert_int_attr(api, "ports[0].host_port", 8080);
    assert_span(ent_attr(api, "ports[0].host_port"), 6, 10, "8080");
    assert_bool_attr(api, "ports[0].published", true);
    entity *pg = ent_find(in, "container", "postgres");
    assert_str_attr(pg, "image", "postgres:15");
    assert_str_attr(pg, "volumes[0].type", "volume");
    assert_str_attr(pg, "volumes[0].source", "postgres-data");
    assert_str_attr(pg, "volumes[0].target", "/var/lib/postgresql/data");
    assert_bool_attr(pg, "volumes[0].read_only", false);
    assert_str_attr(ent_find(in, "container", "redis"), "volumes[0].source", "redis-data");
    /* named volumes used without a top-level declaration: compose refuses them */
    const diag *d = ent_diag(in, "uses volume \"postgres-data\"");
    assert_int_equal(d->line, 11);
    assert_int_equal(d->col, 9);
    assert_int_equal(ent_diags_with(in, DIAG_WARNING, "uses volume \"redis-data\""), 1);
    ent_free(in);
}

static void test_seed_service_discovery(void **state)
{
    (void)state;
    setenv("DB_INSTANCE_IP", "10.0.2.15", 1);
    load_options with_env = no_env;
    with_env.use_environment = true;
    input_file *in = ent_load("tests/fixtures/entities/seed003/service-discovery.yml", NULL,
                              FMT_COMPOSE, &with_env);
    unsetenv("DB_INSTANCE_IP");
    entity *api = ent_find(in, "container", "api-service");
    assert_no_attr(api, "image");
    assert_str_attr(api, "environment[0].name", "DATABASE_URL");
    assert_str_attr(api, "environment[0].value", "postgresql://user:pass@10.0.2.15:5432/db");
    assert_span(ent_attr(api, "environment[0].value"), 5, 22,
                "postgresql://user:pass@${DB_INSTANCE_IP}:5432/db");
    assert_str_attr(api, "environment[1].value", "redis://10.0.2.15:6379");
    assert_string_equal(doc_str(doc_get(ent_attr(api, "interpolated"), "environment[0].value")),
                        "DATABASE_URL=postgresql://user:pass@${DB_INSTANCE_IP}:5432/db");
    assert_int_equal(in->diags.count, 0);
    ent_free(in);

    in = ent_load("tests/fixtures/entities/seed003/shared-storage.yml", NULL, FMT_COMPOSE,
                  &no_env);
    entity *vol = ent_find(in, "compose_volume", "shared-storage");
    assert_str_attr(vol, "driver", "local");
    const doc_node *opts = ent_attr(vol, "driver_opts");
    assert_string_equal(doc_str(doc_get(opts, "type")), "nfs");
    assert_string_equal(doc_str(doc_get(opts, "o")), "addr=,nfsvers=4.1");
    assert_string_equal(doc_str(doc_get(opts, "device")), ":");
    assert_string_equal(doc_str(doc_get(ent_attr(vol, "interpolated"), "driver_opts.o")),
                        "addr=${EFS_DNS_NAME},nfsvers=4.1");
    entity *w = ent_find(in, "container", "storage-worker");
    assert_str_attr(w, "environment[1].value", "-storage");
    assert_int_equal(in->diags.count, 3);
    assert_int_equal(ent_diag(in, "EFS_DNS_NAME")->line, 7);
    assert_int_equal(ent_diag(in, "EFS_DNS_NAME")->col, 15);
    ent_free(in);
}

static void test_seed_swarm_stack(void **state)
{
    (void)state;
    input_file *in = ent_load("tests/fixtures/entities/seed003/docker-stack.yml", NULL,
                              FMT_COMPOSE, &no_env);
    entity *nginx = ent_find(in, "container", "nginx");
    assert_int_attr(nginx, "replicas", 2);
    assert_span(ent_attr(nginx, "replicas"), 8, 17, "2");
    assert_str_attr(nginx, "networks[0]", "crucible-net");
    assert_int_equal(ent_len(ent_attr(nginx, "ports")), 2);
    entity *api = ent_find(in, "container", "api");
    assert_int_attr(api, "replicas", 3);
    assert_no_attr(api, "ports");
    entity *net = ent_find(in, "compose_network", "crucible-net");
    assert_str_attr(net, "driver", "overlay");
    assert_bool_attr(net, "attachable", true);
    assert_span(ent_attr(net, "attachable"), 31, 17, "true");
    /* every service names its networks: no implicit default network */
    assert_int_equal(ent_count(in, "compose_network"), 1);
    /* PROJECT_NAME is used twice but reported once, at its first use */
    assert_int_equal(in->diags.count, 1);
    assert_int_equal(in->diags.items[0].line, 6);
    assert_int_equal(in->diags.items[0].col, 12);
    ent_free(in);
}

/* ---- the corpus --------------------------------------------------------- */

static input_file *corpus(const char *project)
{
    char path[512];
    const char *root = getenv("STACKAUDIT_ROOT");
    snprintf(path, sizeof path, "%s/../shared/corpus/compose/%s/compose.yaml", root ? root : ".",
             project);
    return ent_load(path, NULL, FMT_COMPOSE, &no_env);
}

static void test_corpus_nginx_golang_postgres(void **state)
{
    (void)state;
    input_file *in = corpus("nginx-golang-postgres");
    assert_int_equal(ent_count(in, "container"), 3);
    entity *backend = ent_find(in, "container", "backend");
    assert_no_attr(backend, "image");
    assert_string_equal(doc_str(ent_attr(backend, "build.context")), "backend");
    assert_str_attr(backend, "secrets[0]", "db-password");
    assert_str_attr(backend, "depends_on[0]", "db");
    entity *db = ent_find(in, "container", "db");
    assert_str_attr(db, "image", "postgres");
    assert_str_attr(db, "user", "postgres");
    assert_str_attr(db, "restart", "always");
    assert_str_attr(db, "volumes[0].source", "db-data");
    assert_str_attr(db, "environment[1].name", "POSTGRES_PASSWORD_FILE");
    assert_str_attr(db, "environment[1].value", "/run/secrets/db-password");
    assert_int_attr(db, "ports[0].container_port", 5432);
    assert_bool_attr(db, "ports[0].published", false); /* expose only */
    assert_int_attr(db, "healthcheck.retries", 5);
    entity *proxy = ent_find(in, "container", "proxy");
    assert_str_attr(proxy, "volumes[0].type", "bind");
    assert_str_attr(proxy, "volumes[0].source", "./proxy/nginx.conf");
    assert_bool_attr(proxy, "volumes[0].read_only", true);
    assert_int_attr(proxy, "ports[0].host_port", 80);
    assert_span(ent_attr(proxy, "ports[0].host_port"), 39, 9, "80");
    assert_int_equal(ent_count(in, "compose_volume"), 1);
    assert_int_equal(in->diags.count, 0);
    ent_free(in);
}

static void test_corpus_portainer_and_pihole(void **state)
{
    (void)state;
    input_file *in = corpus("portainer");
    entity *p = ent_find(in, "container", "portainer");
    assert_str_attr(p, "volumes[0].source", "/var/run/docker.sock");
    assert_str_attr(p, "volumes[0].type", "bind");
    assert_span(ent_attr(p, "volumes[0].source"), 9, 10, "/var/run/docker.sock");
    assert_str_attr(p, "command[1]", "unix:///var/run/docker.sock");
    assert_int_attr(p, "ports[0].host_port", 9000);
    ent_free(in);

    in = corpus("pihole-cloudflared-DoH");
    entity *pihole = ent_find(in, "container", "pihole");
    assert_int_equal(ent_len(ent_attr(pihole, "ports")), 5);
    assert_int_attr(pihole, "ports[1].host_port", 53);
    assert_str_attr(pihole, "ports[1].protocol", "udp");
    assert_int_attr(pihole, "ports[3].host_port", 8080);
    assert_int_attr(pihole, "ports[3].container_port", 80);
    assert_str_attr(pihole, "cap_add[0]", "NET_ADMIN");
    assert_str_attr(pihole, "networks[0]", "dns-net");
    assert_str_attr(pihole, "environment[1].value", "172.20.0.2#5054;1.1.1.1");
    entity *cf = ent_find(in, "container", "cloudflared");
    assert_str_attr(cf, "networks[0]", "dns-net"); /* map form */
    assert_str_attr(cf, "environment[0].value", "");
    assert_int_equal(ent_count(in, "compose_network"), 1);
    /* TIMEZONE, PIHOLE_PW ... are not set: one warning per variable (TIMEZONE
     * is used twice), as docker compose gives */
    assert_int_equal(ent_diags_with(in, DIAG_WARNING, "is not set"), 7);
    const diag *tz = ent_diag(in, "variable TIMEZONE is not set");
    assert_int_equal(tz->line, 10);
    assert_int_equal(tz->col, 12);
    ent_free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_port_parse_short),
        cmocka_unit_test(test_port_parse_invalid),
        cmocka_unit_test(test_ports_short_and_long),
        cmocka_unit_test(test_restart_from_deploy_policy),
        cmocka_unit_test(test_environment_forms),
        cmocka_unit_test(test_volume_forms),
        cmocka_unit_test(test_security_fields),
        cmocka_unit_test(test_command_forms),
        cmocka_unit_test(test_runtime_fields),
        cmocka_unit_test(test_networks_and_volumes),
        cmocka_unit_test(test_declared_default_network_is_not_duplicated),
        cmocka_unit_test(test_bad_values_warn),
        cmocka_unit_test(test_interpolation_with_dotenv),
        cmocka_unit_test(test_interpolation_environment_wins),
        cmocka_unit_test(test_interpolation_no_dotenv_beside),
        cmocka_unit_test(test_seed_edge_backend_split),
        cmocka_unit_test(test_seed_service_discovery),
        cmocka_unit_test(test_seed_swarm_stack),
        cmocka_unit_test(test_corpus_nginx_golang_postgres),
        cmocka_unit_test(test_corpus_portainer_and_pihole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
