/* test_k8s.c - Kubernetes manifests -> entities: workloads of every kind and
 * their containers in the shared container shape (pod securityContext and
 * annotations merged, ports, env, mounts resolved to volumes, resources,
 * probes), Services, Ingresses (seed 003), NetworkPolicies, RBAC, Secrets
 * (keys only) and the rest; Lists; real manifests from the corpus; all with
 * exact spans (analyzers/k8s*.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/unit/entity_testlib.h"

static input_file *k8s(const char *text)
{
    return ent_load("k8s.yaml", text, FMT_KUBERNETES, NULL);
}

static entity *container_of(const input_file *in, const char *workload, const char *name)
{
    entity *e = ent_find_owned(in, "container", workload, name);
    if (!e)
        fail_msg("no container %s in %s", name, workload);
    return e;
}

static void test_seed_ingress(void **state)
{
    (void)state;
    input_file *in = ent_load("tests/fixtures/entities/seed003/ingress.yaml", NULL,
                              FMT_KUBERNETES, NULL);
    assert_int_equal(in->entities.count, 1);
    entity *e = ent_find(in, "k8s_ingress", "crucible-ingress");
    assert_int_equal(e->platform, PLATFORM_KUBERNETES);
    assert_null(e->ns);
    assert_str_attr(e, "api_version", "networking.k8s.io/v1");
    assert_span(ent_attr(e, "api_version"), 2, 13, "networking.k8s.io/v1");
    assert_str_attr(e, "kind", "Ingress");
    assert_no_attr(e, "namespace");
    assert_no_attr(e, "ingress_class");
    assert_string_equal(doc_str(doc_get(ent_attr(e, "annotations"),
                                        "cert-manager.io/cluster-issuer")),
                        "letsencrypt-prod");
    assert_int_equal(ent_len(ent_attr(e, "tls")), 1);
    assert_str_attr(e, "tls[0].hosts[0]", "crucible.example.com");
    assert_span(ent_attr(e, "tls[0].hosts[0]"), 11, 11, "crucible.example.com");
    assert_str_attr(e, "tls[0].secret_name", "crucible-tls");
    assert_span(ent_attr(e, "tls[0].secret_name"), 12, 19, "crucible-tls");
    assert_str_attr(e, "hosts[0]", "crucible.example.com");
    assert_span(ent_attr(e, "hosts[0]"), 14, 13, "crucible.example.com");
    assert_int_equal(ent_len(ent_attr(e, "rules[0].paths")), 2);
    assert_str_attr(e, "rules[0].paths[0].path", "/api");
    assert_str_attr(e, "rules[0].paths[0].path_type", "Prefix");
    assert_str_attr(e, "rules[0].paths[0].service", "api-service");
    assert_int_attr(e, "rules[0].paths[0].port", 8080);
    assert_span(ent_attr(e, "rules[0].paths[0].port"), 23, 27, "8080");
    assert_str_attr(e, "rules[0].paths[1].service", "frontend");
    assert_int_attr(e, "rules[0].paths[1].port", 3000);
    assert_int_equal(ent_len(ent_attr(e, "backends")), 2);
    assert_str_attr(e, "backends[0]", "api-service");
    assert_span(ent_attr(e, "backends[0]"), 21, 23, "api-service");
    assert_str_attr(e, "backends[1]", "frontend");
    assert_int_equal(in->diags.count, 0);
    ent_free(in);
}

static const char *deployment =
    "apiVersion: apps/v1\n"                                                 /* 1 */
    "kind: Deployment\n"                                                    /* 2 */
    "metadata:\n"                                                           /* 3 */
    "  name: api\n"                                                         /* 4 */
    "  namespace: shop\n"                                                   /* 5 */
    "  labels: {app: api}\n"                                                /* 6 */
    "spec:\n"                                                               /* 7 */
    "  replicas: 3\n"                                                       /* 8 */
    "  selector:\n"                                                         /* 9 */
    "    matchLabels: {app: api}\n"                                         /* 10 */
    "  template:\n"                                                         /* 11 */
    "    metadata:\n"                                                       /* 12 */
    "      labels: {app: api, tier: web}\n"                                 /* 13 */
    "    spec:\n"                                                           /* 14 */
    "      serviceAccountName: api-sa\n"                                    /* 15 */
    "      automountServiceAccountToken: false\n"                           /* 16 */
    "      hostNetwork: true\n"                                             /* 17 */
    "      hostPID: false\n"                                                /* 18 */
    "      nodeSelector: {disk: ssd}\n"                                     /* 19 */
    "      imagePullSecrets: [{name: regcred}]\n"                           /* 20 */
    "      securityContext:\n"                                              /* 21 */
    "        runAsUser: 1000\n"                                             /* 22 */
    "        runAsNonRoot: true\n"                                          /* 23 */
    "        fsGroup: 2000\n"                                               /* 24 */
    "        seccompProfile: {type: RuntimeDefault}\n"                      /* 25 */
    "      containers:\n"                                                   /* 26 */
    "      - name: app\n"                                                   /* 27 */
    "        image: registry.example.com/api:1.2\n"                         /* 28 */
    "        imagePullPolicy: Always\n"                                     /* 29 */
    "        command: [\"/app\"]\n"                                         /* 30 */
    "        args: [\"--port\", \"8080\"]\n"                                /* 31 */
    "        securityContext:\n"                                            /* 32 */
    "          runAsUser: 0\n"                                              /* 33 */
    "          allowPrivilegeEscalation: false\n"                           /* 34 */
    "          readOnlyRootFilesystem: true\n"                              /* 35 */
    "          privileged: false\n"                                         /* 36 */
    "          capabilities:\n"                                             /* 37 */
    "            drop: [ALL]\n"                                             /* 38 */
    "            add: [CAP_NET_BIND_SERVICE]\n"                             /* 39 */
    "        ports:\n"                                                      /* 40 */
    "        - containerPort: 8080\n"                                       /* 41 */
    "          name: http\n"                                                /* 42 */
    "        - containerPort: 9090\n"                                       /* 43 */
    "          hostPort: 9090\n"                                            /* 44 */
    "          hostIP: 127.0.0.1\n"                                         /* 45 */
    "          protocol: UDP\n"                                             /* 46 */
    "        env:\n"                                                        /* 47 */
    "        - name: MODE\n"                                                /* 48 */
    "          value: production\n"                                         /* 49 */
    "        - name: DB_PASSWORD\n"                                         /* 50 */
    "          valueFrom:\n"                                                /* 51 */
    "            secretKeyRef: {name: db, key: password}\n"                 /* 52 */
    "        - name: POD_IP\n"                                              /* 53 */
    "          valueFrom: {fieldRef: {fieldPath: status.podIP}}\n"          /* 54 */
    "        envFrom:\n"                                                    /* 55 */
    "        - configMapRef: {name: api-config}\n"                          /* 56 */
    "          prefix: CFG_\n"                                              /* 57 */
    "        - secretRef: {name: api-secrets, optional: true}\n"            /* 58 */
    "        volumeMounts:\n"                                               /* 59 */
    "        - {name: docker, mountPath: /var/run/docker.sock}\n"           /* 60 */
    "        - {name: certs, mountPath: /certs, readOnly: true}\n"          /* 61 */
    "        - {name: cache, mountPath: /cache, subPath: api}\n"            /* 62 */
    "        - {name: ghost, mountPath: /ghost}\n"                          /* 63 */
    "        resources:\n"                                                  /* 64 */
    "          limits: {cpu: 500m, memory: 512Mi, nvidia.com/gpu: 1}\n"     /* 65 */
    "          requests: {cpu: 1, memory: 256Mi}\n"                         /* 66 */
    "        livenessProbe:\n"                                              /* 67 */
    "          httpGet: {path: /healthz, port: 8080}\n"                     /* 68 */
    "        readinessProbe: {tcpSocket: {port: http}}\n"                   /* 69 */
    "      initContainers:\n"                                               /* 70 */
    "      - name: migrate\n"                                               /* 71 */
    "        image: registry.example.com/migrate:1.2\n"                     /* 72 */
    "        securityContext:\n"                                            /* 73 */
    "          seccompProfile: {type: Unconfined}\n"                        /* 74 */
    "          allowPrivilegeEscalation: true\n"                            /* 75 */
    "      volumes:\n"                                                      /* 76 */
    "      - name: docker\n"                                                /* 77 */
    "        hostPath: {path: /var/run/docker.sock, type: Socket}\n"        /* 78 */
    "      - name: certs\n"                                                 /* 79 */
    "        secret: {secretName: tls-certs}\n"                             /* 80 */
    "      - name: cache\n"                                                 /* 81 */
    "        emptyDir: {medium: Memory}\n"                                  /* 82 */
    "      - name: config\n"                                                /* 83 */
    "        configMap: {name: api-config}\n"                               /* 84 */
    "      - name: data\n"                                                  /* 85 */
    "        persistentVolumeClaim: {claimName: api-data, readOnly: true}\n"; /* 86 */

static void test_deployment_workload(void **state)
{
    (void)state;
    input_file *in = k8s(deployment);
    assert_int_equal(in->entities.count, 3);
    entity *w = in->entities.items[0];
    assert_string_equal(w->kind, "k8s_workload");
    assert_string_equal(w->name, "api");
    assert_string_equal(w->ns, "shop");
    assert_null(w->owner);
    assert_str_attr(w, "kind", "Deployment");
    assert_span(ent_attr(w, "kind"), 2, 7, "Deployment");
    assert_str_attr(w, "api_version", "apps/v1");
    assert_str_attr(w, "namespace", "shop");
    assert_span(ent_attr(w, "namespace"), 5, 14, "shop");
    assert_int_attr(w, "replicas", 3);
    assert_span(ent_attr(w, "replicas"), 8, 13, "3");
    assert_string_equal(doc_str(ent_attr(w, "selector.matchLabels.app")), "api");
    assert_string_equal(doc_str(ent_attr(w, "labels.app")), "api");
    assert_string_equal(doc_str(ent_attr(w, "pod_labels.tier")), "web");
    assert_str_attr(w, "service_account", "api-sa");
    assert_span(ent_attr(w, "service_account"), 15, 27, "api-sa");
    assert_bool_attr(w, "automount_service_account_token", false);
    assert_bool_attr(w, "host_network", true);
    assert_bool_attr(w, "host_pid", false);
    assert_no_attr(w, "host_ipc");
    int64_t fs_group = 0;
    assert_true(doc_int(ent_attr(w, "security_context.fsGroup"), &fs_group));
    assert_int_equal(fs_group, 2000);
    assert_str_attr(w, "image_pull_secrets[0]", "regcred");
    assert_string_equal(doc_str(ent_attr(w, "node_selector.disk")), "ssd");
    assert_int_attr(w, "container_count", 1);
    assert_int_attr(w, "init_container_count", 1);
    assert_int_equal(ent_attr(w, "container_count")->span.start.line, 27); /* the list */
    assert_int_equal(ent_attr(w, "container_count")->span.start.col, 7);
    const doc_node *vols = ent_attr(w, "volumes");
    assert_int_equal(ent_len(vols), 5);
    assert_str_attr(w, "volumes[0].name", "docker");
    assert_str_attr(w, "volumes[0].type", "hostPath");
    assert_span(ent_attr(w, "volumes[0].type"), 78, 9, "hostPath");
    assert_str_attr(w, "volumes[0].path", "/var/run/docker.sock");
    assert_str_attr(w, "volumes[0].host_path_type", "Socket");
    assert_str_attr(w, "volumes[1].secret_name", "tls-certs");
    assert_str_attr(w, "volumes[2].medium", "Memory");
    assert_str_attr(w, "volumes[3].config_map", "api-config");
    assert_str_attr(w, "volumes[4].type", "persistentVolumeClaim");
    assert_str_attr(w, "volumes[4].claim_name", "api-data");
    assert_bool_attr(w, "volumes[4].read_only", true);

    /* containers in source order: app, then the init container */
    assert_string_equal(in->entities.items[1]->name, "app");
    assert_string_equal(in->entities.items[2]->name, "migrate");
    ent_free(in);
}

static void test_deployment_containers(void **state)
{
    (void)state;
    input_file *in = k8s(deployment);
    entity *c = container_of(in, "api", "app");
    assert_string_equal(c->ns, "shop");
    assert_string_equal(c->owner, "api");
    assert_str_attr(c, "image", "registry.example.com/api:1.2");
    assert_span(ent_attr(c, "image"), 28, 16, "registry.example.com/api:1.2");
    assert_str_attr(c, "image_pull_policy", "Always");
    assert_str_attr(c, "command[0]", "/app");
    assert_str_attr(c, "args[1]", "8080");
    /* the container's runAsUser wins over the pod's; runAsNonRoot and the
     * seccomp profile come from the pod */
    assert_int_attr(c, "run_as_user", 0);
    assert_span(ent_attr(c, "run_as_user"), 33, 22, "0");
    assert_bool_attr(c, "run_as_non_root", true);
    assert_span(ent_attr(c, "run_as_non_root"), 23, 23, "true");
    assert_str_attr(c, "seccomp", "runtime/default");
    assert_span(ent_attr(c, "seccomp"), 25, 32, "RuntimeDefault");
    assert_no_attr(c, "apparmor");
    assert_bool_attr(c, "allow_privilege_escalation", false);
    assert_bool_attr(c, "no_new_privileges", true);
    assert_span(ent_attr(c, "no_new_privileges"), 34, 37, "false");
    assert_bool_attr(c, "read_only", true);
    assert_span(ent_attr(c, "read_only"), 35, 35, "true");
    assert_bool_attr(c, "privileged", false);
    assert_str_attr(c, "cap_drop[0]", "ALL");
    assert_str_attr(c, "cap_add[0]", "NET_BIND_SERVICE");
    assert_span(ent_attr(c, "cap_add[0]"), 39, 23, "NET_BIND_SERVICE");
    assert_bool_attr(c, "host_network", true);
    assert_span(ent_attr(c, "host_network"), 17, 20, "true");
    assert_bool_attr(c, "host_pid", false);
    /* ports in the compose shape */
    assert_int_equal(ent_len(ent_attr(c, "ports")), 2);
    assert_int_attr(c, "ports[0].container_port", 8080);
    assert_span(ent_attr(c, "ports[0].container_port"), 41, 26, "8080");
    assert_str_attr(c, "ports[0].name", "http");
    assert_str_attr(c, "ports[0].protocol", "tcp");
    assert_bool_attr(c, "ports[0].published", false);
    assert_no_attr(c, "ports[0].host_port");
    assert_int_attr(c, "ports[1].host_port", 9090);
    assert_span(ent_attr(c, "ports[1].host_port"), 44, 21, "9090");
    assert_str_attr(c, "ports[1].host_ip", "127.0.0.1");
    assert_str_attr(c, "ports[1].protocol", "udp");
    assert_span(ent_attr(c, "ports[1].protocol"), 46, 21, "UDP");
    assert_bool_attr(c, "ports[1].published", true);
    assert_span(ent_attr(c, "ports[1].published"), 44, 21, "9090");
    /* env */
    assert_str_attr(c, "environment[0].name", "MODE");
    assert_str_attr(c, "environment[0].value", "production");
    assert_span(ent_attr(c, "environment[0].value"), 49, 18, "production");
    assert_str_attr(c, "environment[1].name", "DB_PASSWORD");
    assert_no_attr(c, "environment[1].value");
    assert_str_attr(c, "environment[1].value_from", "secretKeyRef");
    assert_span(ent_attr(c, "environment[1].value_from"), 52, 13, "secretKeyRef");
    assert_str_attr(c, "environment[1].value_from_name", "db");
    assert_str_attr(c, "environment[1].value_from_key", "password");
    assert_str_attr(c, "environment[2].value_from", "fieldRef");
    assert_str_attr(c, "environment[2].value_from_key", "status.podIP");
    assert_no_attr(c, "environment[2].value_from_name");
    assert_str_attr(c, "env_from[0].type", "configMapRef");
    assert_str_attr(c, "env_from[0].name", "api-config");
    assert_str_attr(c, "env_from[0].prefix", "CFG_");
    assert_str_attr(c, "env_from[1].type", "secretRef");
    assert_bool_attr(c, "env_from[1].optional", true);
    /* mounts resolved to the shared volume shape */
    assert_int_equal(ent_len(ent_attr(c, "volumes")), 3);
    assert_str_attr(c, "volumes[0].type", "hostPath");
    assert_str_attr(c, "volumes[0].source", "/var/run/docker.sock");
    assert_span(ent_attr(c, "volumes[0].source"), 78, 26, "/var/run/docker.sock");
    assert_str_attr(c, "volumes[0].target", "/var/run/docker.sock");
    assert_span(ent_attr(c, "volumes[0].target"), 60, 37, "/var/run/docker.sock");
    assert_bool_attr(c, "volumes[0].read_only", false);
    assert_str_attr(c, "volumes[1].type", "secret");
    assert_str_attr(c, "volumes[1].source", "tls-certs");
    assert_bool_attr(c, "volumes[1].read_only", true);
    assert_str_attr(c, "volumes[2].type", "emptyDir");
    assert_no_attr(c, "volumes[2].source");
    assert_int_equal(ent_len(ent_attr(c, "volume_mounts")), 4);
    assert_str_attr(c, "volume_mounts[2].sub_path", "api");
    assert_str_attr(c, "volume_mounts[3].name", "ghost");
    const diag *d = ent_diag(in, "volume mount \"ghost\"");
    assert_int_equal(d->level, DIAG_WARNING);
    assert_int_equal(d->line, 63);
    assert_int_equal(d->col, 18);
    /* resources as strings, as written */
    assert_str_attr(c, "limits.cpu", "500m");
    assert_str_attr(c, "limits.memory", "512Mi");
    assert_string_equal(doc_str(doc_get(ent_attr(c, "limits"), "nvidia.com/gpu")), "1");
    assert_str_attr(c, "requests.cpu", "1");
    assert_span(ent_attr(c, "requests.cpu"), 66, 27, "1");
    assert_string_equal(doc_str(ent_attr(c, "liveness_probe.httpGet.path")), "/healthz");
    assert_string_equal(doc_str(ent_attr(c, "readiness_probe.tcpSocket.port")), "http");
    assert_no_attr(c, "startup_probe");
    assert_bool_attr(c, "init", false);
    assert_str_attr(c, "workload_kind", "Deployment");

    entity *m = container_of(in, "api", "migrate");
    assert_bool_attr(m, "init", true);
    assert_int_attr(m, "run_as_user", 1000); /* from the pod */
    assert_span(ent_attr(m, "run_as_user"), 22, 20, "1000");
    assert_str_attr(m, "seccomp", "unconfined"); /* the container's own profile */
    assert_span(ent_attr(m, "seccomp"), 74, 34, "Unconfined");
    assert_bool_attr(m, "no_new_privileges", false);
    assert_no_attr(m, "read_only");
    assert_no_attr(m, "volumes");
    assert_int_equal(in->diags.count, 1);
    ent_free(in);
}

static void test_cronjob_pod_and_annotations(void **state)
{
    (void)state;
    input_file *in = k8s("apiVersion: batch/v1\n"
                         "kind: CronJob\n"
                         "metadata: {name: backup, namespace: ops}\n"
                         "spec:\n"
                         "  schedule: \"0 3 * * *\"\n"                                  /* 5 */
                         "  jobTemplate:\n"
                         "    spec:\n"
                         "      template:\n"
                         "        metadata:\n"
                         "          annotations:\n"
                         "            container.apparmor.security.beta.kubernetes.io/dump: unconfined\n" /* 11 */
                         "            seccomp.security.alpha.kubernetes.io/pod: runtime/default\n"   /* 12 */
                         "        spec:\n"
                         "          hostIPC: true\n"
                         "          containers:\n"
                         "          - name: dump\n"
                         "            image: postgres:16\n"
                         "          - name: upload\n"
                         "            image: amazon/aws-cli\n"
                         "            securityContext:\n"
                         "              appArmorProfile: {type: Localhost, localhostProfile: k8s-upload}\n"
                         "---\n"
                         "apiVersion: v1\n"                                                /* 23 */
                         "kind: Pod\n"
                         "metadata:\n"
                         "  name: debug\n"
                         "  annotations:\n"
                         "    container.seccomp.security.alpha.kubernetes.io/shell: unconfined\n"
                         "spec:\n"
                         "  containers:\n"
                         "  - name: shell\n"
                         "    image: busybox\n"
                         "    securityContext: {privileged: true, capabilities: {add: [sys_admin]}}\n");
    entity *cj = ent_find(in, "k8s_workload", "backup");
    assert_string_equal(cj->ns, "ops");
    assert_str_attr(cj, "schedule", "0 3 * * *");
    assert_span(ent_attr(cj, "schedule"), 5, 13, "\"0 3 * * *\"");
    assert_int_attr(cj, "container_count", 2);
    assert_no_attr(cj, "replicas");
    assert_bool_attr(cj, "host_ipc", true);
    entity *dump = container_of(in, "backup", "dump");
    assert_string_equal(dump->ns, "ops");
    assert_str_attr(dump, "apparmor", "unconfined");
    assert_span(ent_attr(dump, "apparmor"), 11, 66, "unconfined");
    assert_str_attr(dump, "seccomp", "runtime/default");
    assert_bool_attr(dump, "host_ipc", true);
    assert_str_attr(dump, "workload_kind", "CronJob");
    entity *up = container_of(in, "backup", "upload");
    assert_str_attr(up, "apparmor", "localhost/k8s-upload");
    assert_str_attr(up, "seccomp", "runtime/default");

    entity *pod = ent_find(in, "k8s_workload", "debug");
    assert_null(pod->ns);
    assert_no_attr(pod, "pod_labels");
    entity *shell = container_of(in, "debug", "shell");
    assert_str_attr(shell, "seccomp", "unconfined");
    assert_bool_attr(shell, "privileged", true);
    assert_str_attr(shell, "cap_add[0]", "SYS_ADMIN");
    assert_str_attr(shell, "workload_kind", "Pod");
    assert_int_equal(in->diags.count, 0);
    ent_free(in);
}

static void test_lists_and_non_objects(void **state)
{
    (void)state;
    input_file *in = k8s("# just a comment document\n"
                         "---\n"
                         "apiVersion: v1\n"
                         "kind: List\n"
                         "items:\n"
                         "- apiVersion: v1\n"
                         "  kind: Service\n"
                         "  metadata: {name: web}\n"
                         "  spec: {ports: [{port: 80}]}\n"
                         "- metadata: {name: nokind}\n"                  /* 10 */
                         "---\n"
                         "apiVersion: apps/v1\n"
                         "kind: DeploymentList\n"                        /* 13 */
                         "items:\n"
                         "- metadata: {name: typed}\n"
                         "  spec: {template: {spec: {containers: [{name: c, image: x}]}}}\n"
                         "---\n"
                         "foo: bar\n"
                         "---\n"
                         "apiVersion: v1\n"
                         "kind: Namespace\n"
                         "metadata:\n"
                         "  name: shop\n"
                         "  labels: {pod-security.kubernetes.io/enforce: restricted}\n");
    assert_int_equal(in->entities.count, 4);
    entity *web = ent_find(in, "k8s_service", "web");
    assert_int_attr(web, "ports[0].port", 80);
    entity *typed = ent_find(in, "k8s_workload", "typed");
    assert_str_attr(typed, "kind", "Deployment");
    assert_span(ent_attr(typed, "kind"), 13, 7, "DeploymentList");
    assert_str_attr(typed, "api_version", "apps/v1");
    assert_non_null(ent_find_owned(in, "container", "typed", "c"));
    entity *ns = ent_find(in, "k8s_namespace", "shop");
    assert_str_attr(ns, "kind", "Namespace");
    assert_string_equal(doc_str(doc_get(ent_attr(ns, "labels"),
                                        "pod-security.kubernetes.io/enforce")),
                        "restricted");
    const diag *d = ent_diag(in, "item 1 of List has no apiVersion/kind");
    assert_int_equal(d->line, 10);
    assert_int_equal(d->col, 3);
    assert_int_equal(in->diags.count, 1);
    ent_free(in);
}

static void test_service_and_network_policy(void **state)
{
    (void)state;
    input_file *in = k8s("apiVersion: v1\n"
                         "kind: Service\n"
                         "metadata: {name: db, namespace: data}\n"
                         "spec:\n"
                         "  type: LoadBalancer\n"                                   /* 5 */
                         "  selector: {app: db}\n"
                         "  ports:\n"
                         "  - {name: pg, port: 5432, targetPort: pg-port, nodePort: 30432, protocol: TCP}\n"
                         "  externalIPs: [203.0.113.10]\n"
                         "  loadBalancerSourceRanges: [0.0.0.0/0]\n"                /* 10 */
                         "---\n"
                         "apiVersion: networking.k8s.io/v1\n"
                         "kind: NetworkPolicy\n"
                         "metadata: {name: db-allow, namespace: data}\n"
                         "spec:\n"
                         "  podSelector: {matchLabels: {app: db}}\n"
                         "  policyTypes: [Ingress, Egress]\n"                       /* 17 */
                         "  ingress:\n"
                         "  - from:\n"
                         "    - namespaceSelector: {matchLabels: {team: shop}}\n"
                         "      podSelector: {matchLabels: {app: api}}\n"
                         "    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}\n" /* 22 */
                         "    ports: [{protocol: TCP, port: 5432}]\n"
                         "  egress:\n"
                         "  - {}\n");
    entity *svc = ent_find(in, "k8s_service", "db");
    assert_string_equal(svc->ns, "data");
    assert_str_attr(svc, "type", "LoadBalancer");
    assert_span(ent_attr(svc, "type"), 5, 9, "LoadBalancer");
    assert_string_equal(doc_str(ent_attr(svc, "selector.app")), "db");
    assert_str_attr(svc, "ports[0].name", "pg");
    assert_int_attr(svc, "ports[0].port", 5432);
    assert_str_attr(svc, "ports[0].target_port", "pg-port");
    assert_int_attr(svc, "ports[0].node_port", 30432);
    assert_str_attr(svc, "ports[0].protocol", "tcp");
    assert_str_attr(svc, "external_ips[0]", "203.0.113.10");
    assert_str_attr(svc, "load_balancer_source_ranges[0]", "0.0.0.0/0");
    assert_span(ent_attr(svc, "load_balancer_source_ranges[0]"), 10, 30, "0.0.0.0/0");

    entity *np = ent_find(in, "k8s_network_policy", "db-allow");
    assert_string_equal(doc_str(ent_attr(np, "pod_selector.matchLabels.app")), "db");
    assert_str_attr(np, "policy_types[1]", "Egress");
    assert_span(ent_attr(np, "policy_types[1]"), 17, 26, "Egress");
    assert_int_equal(ent_len(ent_attr(np, "ingress[0].from")), 2);
    assert_string_equal(doc_str(ent_attr(np, "ingress[0].from[0].namespace_selector.matchLabels.team")),
                        "shop");
    assert_string_equal(doc_str(ent_attr(np, "ingress[0].from[0].pod_selector.matchLabels.app")),
                        "api");
    assert_str_attr(np, "ingress[0].from[1].ip_block_cidr", "10.0.0.0/8");
    assert_span(ent_attr(np, "ingress[0].from[1].ip_block_cidr"), 22, 23, "10.0.0.0/8");
    assert_str_attr(np, "ingress[0].from[1].ip_block_except[0]", "10.1.0.0/16");
    assert_str_attr(np, "ingress[0].ports[0].protocol", "tcp");
    assert_int_attr(np, "ingress[0].ports[0].port", 5432);
    assert_int_equal(ent_len(ent_attr(np, "egress")), 1);
    assert_int_equal(ent_len(ent_attr(np, "egress[0]")), 0); /* {} = everything */
    ent_free(in);
}

static void test_rbac_and_accounts(void **state)
{
    (void)state;
    input_file *in = k8s("apiVersion: rbac.authorization.k8s.io/v1\n"
                         "kind: ClusterRole\n"
                         "metadata: {name: god}\n"
                         "rules:\n"
                         "- apiGroups: [\"*\"]\n"
                         "  resources: [\"*\"]\n"
                         "  verbs: [\"*\"]\n"                                      /* 7 */
                         "- nonResourceURLs: [/metrics]\n"
                         "  verbs: [get]\n"
                         "---\n"
                         "apiVersion: rbac.authorization.k8s.io/v1\n"
                         "kind: Role\n"
                         "metadata: {name: reader, namespace: shop}\n"
                         "rules:\n"
                         "- apiGroups: [\"\"]\n"
                         "  resources: [secrets]\n"
                         "  resourceNames: [db]\n"
                         "  verbs: [get, list]\n"
                         "---\n"
                         "apiVersion: rbac.authorization.k8s.io/v1\n"
                         "kind: ClusterRoleBinding\n"
                         "metadata: {name: god-binding}\n"
                         "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: god}\n"
                         "subjects:\n"
                         "- {kind: ServiceAccount, name: default, namespace: shop}\n" /* 25 */
                         "- {kind: Group, name: system:authenticated, apiGroup: rbac.authorization.k8s.io}\n"
                         "---\n"
                         "apiVersion: rbac.authorization.k8s.io/v1\n"
                         "kind: RoleBinding\n"
                         "metadata: {name: reader-binding, namespace: shop}\n"
                         "roleRef: {kind: Role, name: reader}\n"
                         "subjects: [{kind: User, name: alice}]\n"
                         "---\n"
                         "apiVersion: v1\n"
                         "kind: ServiceAccount\n"
                         "metadata: {name: api-sa, namespace: shop}\n"
                         "automountServiceAccountToken: false\n"
                         "imagePullSecrets: [{name: regcred}]\n");
    entity *god = ent_find(in, "k8s_cluster_role", "god");
    assert_int_equal(ent_len(ent_attr(god, "rules")), 2);
    assert_str_attr(god, "rules[0].verbs[0]", "*");
    assert_span(ent_attr(god, "rules[0].verbs[0]"), 7, 11, "\"*\"");
    assert_str_attr(god, "rules[0].api_groups[0]", "*");
    assert_str_attr(god, "rules[1].non_resource_urls[0]", "/metrics");
    entity *reader = ent_find(in, "k8s_role", "reader");
    assert_string_equal(reader->ns, "shop");
    assert_str_attr(reader, "rules[0].api_groups[0]", "");
    assert_str_attr(reader, "rules[0].resources[0]", "secrets");
    assert_str_attr(reader, "rules[0].resource_names[0]", "db");
    assert_str_attr(reader, "rules[0].verbs[1]", "list");
    entity *crb = ent_find(in, "k8s_cluster_role_binding", "god-binding");
    assert_str_attr(crb, "role_ref.kind", "ClusterRole");
    assert_str_attr(crb, "role_ref.name", "god");
    assert_str_attr(crb, "role_ref.api_group", "rbac.authorization.k8s.io");
    assert_str_attr(crb, "subjects[0].kind", "ServiceAccount");
    assert_str_attr(crb, "subjects[0].namespace", "shop");
    assert_span(ent_attr(crb, "subjects[0].name"), 25, 32, "default");
    assert_str_attr(crb, "subjects[1].name", "system:authenticated");
    entity *rb = ent_find(in, "k8s_role_binding", "reader-binding");
    assert_str_attr(rb, "subjects[0].name", "alice");
    assert_no_attr(rb, "role_ref.api_group");
    entity *sa = ent_find(in, "k8s_service_account", "api-sa");
    assert_bool_attr(sa, "automount_service_account_token", false);
    assert_str_attr(sa, "image_pull_secrets[0]", "regcred");
    ent_free(in);
}

/* True when any scalar under n has text s. */
static bool tree_has_text(const doc_node *n, const char *s)
{
    if (!n)
        return false;
    if (n->kind == DOC_SCALAR)
        return strstr(n->u.scalar.text, s) != NULL;
    if (n->kind == DOC_MAP) {
        for (size_t i = 0; i < n->u.map.count; i++)
            if (tree_has_text(n->u.map.pairs[i].key, s) ||
                tree_has_text(n->u.map.pairs[i].value, s))
                return true;
    }
    if (n->kind == DOC_SEQ) {
        for (size_t i = 0; i < n->u.seq.count; i++)
            if (tree_has_text(n->u.seq.items[i], s))
                return true;
    }
    return false;
}

static void test_secret_keys_only_and_other_kinds(void **state)
{
    (void)state;
    input_file *in = k8s(
        "apiVersion: v1\n"
        "kind: Secret\n"
        "metadata:\n"
        "  name: db\n"
        "  annotations:\n"
        "    kubectl.kubernetes.io/last-applied-configuration: '{\"data\":{\"password\":\"aHVudGVyMg==\"}}'\n"
        "type: Opaque\n"
        "data:\n"
        "  password: aHVudGVyMg==\n"                                               /* 9 */
        "stringData:\n"
        "  username: admin-user\n"
        "---\n"
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata: {name: cfg}\n"
        "data: {LOG_LEVEL: debug, app.conf: \"x=1\"}\n"
        "immutable: true\n"
        "---\n"
        "apiVersion: v1\n"
        "kind: ResourceQuota\n"
        "metadata: {name: quota, namespace: shop}\n"
        "spec: {hard: {requests.cpu: \"4\", pods: \"10\"}}\n"
        "---\n"
        "apiVersion: v1\n"
        "kind: LimitRange\n"
        "metadata: {name: limits}\n"
        "spec: {limits: [{type: Container, default: {cpu: 500m}}]}\n"
        "---\n"
        "apiVersion: autoscaling/v2\n"
        "kind: HorizontalPodAutoscaler\n"
        "metadata: {name: api}\n"
        "spec:\n"
        "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n"
        "  minReplicas: 2\n"                                                        /* 34 */
        "  maxReplicas: 10\n"
        "---\n"
        "apiVersion: policy/v1\n"
        "kind: PodDisruptionBudget\n"
        "metadata: {name: api}\n"
        "spec: {minAvailable: 50%, selector: {matchLabels: {app: api}}}\n"
        "---\n"
        "apiVersion: storage.k8s.io/v1\n"
        "kind: StorageClass\n"
        "metadata: {name: fast}\n"
        "provisioner: kubernetes.io/aws-ebs\n");
    entity *sec = ent_find(in, "k8s_secret", "db");
    assert_str_attr(sec, "type", "Opaque");
    assert_int_equal(ent_len(ent_attr(sec, "keys")), 2);
    assert_str_attr(sec, "keys[0]", "password");
    assert_span(ent_attr(sec, "keys[0]"), 9, 3, "password");
    assert_str_attr(sec, "keys[1]", "username");
    assert_no_attr(sec, "annotations");
    assert_false(tree_has_text(sec->attrs, "aHVudGVyMg=="));
    assert_false(tree_has_text(sec->attrs, "admin-user"));
    entity *cm = ent_find(in, "k8s_configmap", "cfg");
    assert_str_attr(cm, "keys[1]", "app.conf");
    assert_bool_attr(cm, "immutable", true);
    assert_false(tree_has_text(cm->attrs, "x=1"));
    entity *q = ent_find(in, "k8s_resource_quota", "quota");
    assert_string_equal(doc_str(doc_get(ent_attr(q, "hard"), "pods")), "10");
    entity *lr = ent_find(in, "k8s_limit_range", "limits");
    assert_int_equal(ent_len(ent_attr(lr, "limits")), 1);
    entity *hpa = ent_find(in, "k8s_hpa", "api");
    assert_int_attr(hpa, "min_replicas", 2);
    assert_span(ent_attr(hpa, "min_replicas"), 34, 16, "2");
    assert_int_attr(hpa, "max_replicas", 10);
    assert_str_attr(hpa, "target_ref.kind", "Deployment");
    assert_str_attr(hpa, "target_ref.name", "api");
    entity *pdb = ent_find(in, "k8s_pdb", "api");
    assert_str_attr(pdb, "min_available", "50%");
    entity *sc = ent_find(in, "k8s_object", "fast");
    assert_str_attr(sc, "kind", "StorageClass");
    assert_str_attr(sc, "api_version", "storage.k8s.io/v1");
    assert_int_equal(ent_len(sc->attrs), 2);
    ent_free(in);
}

/* ---- the corpus --------------------------------------------------------- */

static input_file *corpus(const char *rel)
{
    char path[512];
    const char *root = getenv("STACKAUDIT_ROOT");
    snprintf(path, sizeof path, "%s/../shared/corpus/k8s/%s", root ? root : ".", rel);
    return ent_load(path, NULL, FMT_KUBERNETES, NULL);
}

static void test_corpus_cassandra_statefulset(void **state)
{
    (void)state;
    input_file *in = corpus("databases/cassandra/cassandra-statefulset.yaml");
    entity *w = ent_find(in, "k8s_workload", "cassandra");
    assert_str_attr(w, "kind", "StatefulSet");
    assert_int_attr(w, "replicas", 3);
    assert_span(ent_attr(w, "replicas"), 9, 13, "3");
    entity *c = container_of(in, "cassandra", "cassandra");
    assert_str_attr(c, "image", "gcr.io/google-samples/cassandra:v14");
    assert_int_equal(ent_len(ent_attr(c, "ports")), 4);
    assert_int_attr(c, "ports[3].container_port", 9042);
    assert_str_attr(c, "ports[3].name", "cql");
    assert_str_attr(c, "cap_add[0]", "IPC_LOCK");
    assert_str_attr(c, "limits.cpu", "500m");
    assert_str_attr(c, "limits.memory", "1Gi");
    assert_str_attr(c, "environment[6].name", "CASSANDRA_SEED_PROVIDER");
    assert_str_attr(c, "environment[7].value_from", "fieldRef");
    /* the mount refers to a volumeClaimTemplate, not a pod volume */
    assert_str_attr(c, "volumes[0].type", "volumeClaimTemplate");
    assert_str_attr(c, "volumes[0].source", "cassandra-data");
    assert_str_attr(c, "volumes[0].target", "/var/lib/cassandra");
    assert_non_null(ent_attr(c, "readiness_probe.exec"));
    assert_non_null(ent_find_owned(in, "k8s_object", NULL, "fast"));
    assert_int_equal(in->diags.count, 0);
    ent_free(in);
}

static void test_corpus_sysdig_daemonset(void **state)
{
    (void)state;
    input_file *in = corpus("_archived/sysdig-cloud/sysdig-daemonset.yaml");
    entity *w = ent_find(in, "k8s_workload", "sysdig-agent");
    assert_str_attr(w, "kind", "DaemonSet");
    assert_bool_attr(w, "host_network", true);
    assert_bool_attr(w, "host_pid", true);
    assert_int_equal(ent_len(ent_attr(w, "volumes")), 6);
    assert_str_attr(w, "volumes[0].path", "/var/run/docker.sock");
    entity *c = container_of(in, "sysdig-agent", "sysdig-agent");
    assert_bool_attr(c, "privileged", true);
    assert_span(ent_attr(c, "privileged"), 44, 22, "true");
    assert_bool_attr(c, "host_network", true);
    assert_bool_attr(c, "host_pid", true);
    assert_str_attr(c, "volumes[0].type", "hostPath");
    assert_str_attr(c, "volumes[0].source", "/var/run/docker.sock");
    assert_str_attr(c, "volumes[0].target", "/host/var/run/docker.sock");
    assert_bool_attr(c, "volumes[0].read_only", false);
    assert_bool_attr(c, "volumes[2].read_only", true);
    assert_str_attr(c, "environment[0].name", "ACCESS_KEY");
    assert_int_equal(in->diags.count, 0);
    ent_free(in);
}

static void test_corpus_guestbook_and_bindings(void **state)
{
    (void)state;
    input_file *in = corpus("web/guestbook/all-in-one/guestbook-all-in-one.yaml");
    assert_int_equal(ent_count(in, "k8s_service"), 3);
    assert_int_equal(ent_count(in, "k8s_workload"), 3);
    assert_int_equal(ent_count(in, "container"), 3);
    entity *fe = ent_find(in, "k8s_service", "frontend");
    assert_str_attr(fe, "type", "NodePort");
    assert_int_attr(fe, "ports[0].port", 80);
    entity *replica = ent_find(in, "k8s_workload", "redis-replica");
    assert_int_attr(replica, "replicas", 2);
    entity *c = container_of(in, "redis-replica", "replica");
    assert_str_attr(c, "requests.memory", "100Mi");
    assert_str_attr(c, "environment[0].value", "dns");
    ent_free(in);

    in = corpus("_archived/podsecuritypolicy/rbac/bindings.yaml");
    entity *b = ent_find(in, "k8s_cluster_role_binding", "restricted-psp-users");
    assert_int_equal(ent_len(ent_attr(b, "subjects")), 2);
    assert_str_attr(b, "subjects[1].name", "privileged-psp-users");
    assert_str_attr(b, "role_ref.name", "restricted-psp-user");
    ent_free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_ingress),
        cmocka_unit_test(test_deployment_workload),
        cmocka_unit_test(test_deployment_containers),
        cmocka_unit_test(test_cronjob_pod_and_annotations),
        cmocka_unit_test(test_lists_and_non_objects),
        cmocka_unit_test(test_service_and_network_policy),
        cmocka_unit_test(test_rbac_and_accounts),
        cmocka_unit_test(test_secret_keys_only_and_other_kinds),
        cmocka_unit_test(test_corpus_cassandra_statefulset),
        cmocka_unit_test(test_corpus_sysdig_daemonset),
        cmocka_unit_test(test_corpus_guestbook_and_bindings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
