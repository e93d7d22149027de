#!/usr/bin/env python3
"""gen_corpus.py - deterministic generator of large, realistic benchmark inputs.

    python3 bench/gen_corpus.py OUT_DIR [--k8s 20000] [--compose 5000]
                                [--tfvars 5000] [--seed 1] [--scale 1.0]

Writes, under OUT_DIR:
  k8s/<team>/<name>.yaml        Kubernetes manifests: --k8s documents in total,
                                spread over single-document files, per-app
                                bundles and helm-rendered releases (10-50 docs)
  compose/<project>/compose.yaml   --compose docker compose projects, 5-15
                                services each, some with a .env beside them
  tfvars/<stack>/<env>/*.tfvars --tfvars Terraform variable files modeled on
                                the seed documents (per-client analytics
                                instances; the compute layer: EKS node groups,
                                ECS services, Lambda, API Gateway)
  manifest.tsv                  one line per benchmark input, sorted:
                                PATH<TAB>FORMAT<TAB>DOCUMENTS<TAB>BYTES
                                (PATH relative to OUT_DIR; FORMAT as
                                `stackaudit inspect` names it: kubernetes,
                                compose, tfvars)
  params.json                   the parameters and generator digest, written
                                last; the runner reuses the corpus when they
                                match (see --print-params)

Guarantees: the same arguments give byte-identical output (every file has its
own random generator seeded from --seed, the format and the file's index, so
changing one count does not change the other formats). Every file is valid
YAML or HCL: strings are quoted whenever a YAML 1.1 resolver could read them
as something else, and compose interpolations only use ${VAR:-default} forms
or variables the project's .env defines. Default size: about 90 MB (2 cores
parse it in seconds); --scale multiplies all three counts.

Only the Python standard library is used.
"""

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import sys

GENERATOR_VERSION = 1

# ---------------------------------------------------------------------------
# A small YAML emitter with the styles real files use
# ---------------------------------------------------------------------------


class Comment:
    """A full-line comment; use as a mapping key (value ignored) or list item."""

    def __init__(self, text):
        self.text = text

    def __hash__(self):
        return id(self)


class Anchor:
    """`&name value`."""

    def __init__(self, name, value):
        self.name = name
        self.value = value


class Alias:
    """`*name`."""

    def __init__(self, name):
        self.name = name


class Flow:
    """Forces flow style: [a, b] or {k: v}."""

    def __init__(self, value):
        self.value = value


class Block:
    """A block scalar: style is '|', '|-', '>' or '>-'."""

    def __init__(self, text, style="|"):
        self.text = text
        self.style = style


class Quoted:
    """A string written quoted even when plain would do ('"' or "'")."""

    def __init__(self, text, quote='"'):
        self.text = text
        self.quote = quote


class Inline:
    """A scalar followed by an end-of-line comment."""

    def __init__(self, value, comment):
        self.value = value
        self.comment = comment


EMPTY = object()  # `key:` with nothing after it (a null, as compose volumes use)

_RESOLVABLE = re.compile(
    r"""^(?:~|null|true|false|y|n|yes|no|on|off
        |[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:e[-+]?\d+)?
        |0x[0-9a-f_]+|0o?[0-7_]+
        |[-+]?\.inf|\.nan
        |[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?
        |\d{4}-\d\d?-\d\d?.*
        |<<|=)$""",
    re.X | re.I,
)
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_UNSAFE = set(",[]{}:#")


def _needs_quotes(s, flow):
    if s == "" or _RESOLVABLE.match(s):
        return True
    if s[0] == "-" and len(s) > 1 and s[1] != " ":
        pass  # "-Xmx512m", "--port=80": a dash followed by text starts a plain scalar
    elif s[0] in _INDICATORS or s[0] == " ":
        return True
    if s[-1] == " " or s[-1] == ":":
        return True
    if ": " in s or " #" in s or "\t" in s:
        return True
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in s):
        return True
    return flow and any(c in _FLOW_UNSAFE for c in s)


def _double_quoted(s):
    out = ['"']
    for c in s:
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append("\\x%02x" % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def _single_quoted(s):
    return "'" + s.replace("'", "''") + "'"


def yaml_scalar(v, flow=False):
    if isinstance(v, Quoted):
        if v.quote == "'" and "\n" not in v.text and not any(ord(c) < 0x20 for c in v.text):
            return _single_quoted(v.text)
        return _double_quoted(v.text)
    if isinstance(v, Alias):
        return "*" + v.name
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return repr(v)
    s = str(v)
    if not _needs_quotes(s, flow):
        return s
    if ("\\" in s or '"' in s) and "'" not in s and not any(ord(c) < 0x20 for c in s):
        return _single_quoted(s)
    return _double_quoted(s)


def yaml_flow(v):
    if isinstance(v, Flow):
        v = v.value
    if isinstance(v, dict):
        return "{" + ", ".join(yaml_scalar(k, True) + ": " + yaml_flow(x) for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(yaml_flow(x) for x in v) + "]"
    return yaml_scalar(v, True)


class YamlWriter:
    """Appends lines to self.lines. seq_indent: whether '- ' items sit two
    columns right of their parent key (helm style) or under it (kubectl)."""

    def __init__(self, seq_indent=True):
        self.lines = []
        self.seq_indent = seq_indent

    def text(self):
        return "\n".join(self.lines) + "\n"

    def _block(self, b, indent):
        pad = " " * indent
        for line in b.text.split("\n"):
            self.lines.append(pad + line if line else "")

    def _after_key(self, prefix, v, indent):
        """Writes `prefix` (a key and ':', or '-') followed by value v."""
        if isinstance(v, Anchor):
            prefix += " &" + v.name
            v = v.value
        if v is EMPTY:
            self.lines.append(prefix)
        elif isinstance(v, Inline):
            self.lines.append(prefix + " " + yaml_scalar(v.value) + "  # " + v.comment)
        elif isinstance(v, Flow) or (isinstance(v, (dict, list)) and not v):
            self.lines.append(prefix + " " + yaml_flow(v))
        elif isinstance(v, Block):
            self.lines.append(prefix + " " + v.style)
            self._block(v, indent + 2)
        elif isinstance(v, dict):
            self.lines.append(prefix)
            self.mapping(v, indent + 2)
        elif isinstance(v, list):
            self.lines.append(prefix)
            self.sequence(v, indent + 2 if self.seq_indent or prefix.endswith("-") else indent)
        else:
            self.lines.append(prefix + " " + yaml_scalar(v))

    def mapping(self, d, indent):
        pad = " " * indent
        for k, v in d.items():
            if isinstance(k, Comment):
                self.lines.append(pad + "# " + k.text)
            else:
                key = k if k == "<<" else yaml_scalar(k)  # the merge key is plain
                self._after_key(pad + key + ":", v, indent)

    def sequence(self, items, indent):
        pad = " " * indent
        for v in items:
            if isinstance(v, Comment):
                self.lines.append(pad + "# " + v.text)
            elif isinstance(v, dict) and v and not isinstance(next(iter(v)), Comment):
                # first entry on the dash line: "- name: x", the rest below it
                start = len(self.lines)
                self.mapping(v, indent + 2)
                self.lines[start] = pad + "- " + self.lines[start][indent + 2:]
            else:
                self._after_key(pad + "-", v, indent)

    def document(self, value):
        if isinstance(value, dict):
            self.mapping(value, 0)
        else:
            self.sequence(value, 0)


def yaml_text(value, seq_indent=True):
    w = YamlWriter(seq_indent)
    w.document(value)
    return w.text()


# ---------------------------------------------------------------------------
# Shared vocabulary
# ---------------------------------------------------------------------------

DOMAINS = ["billing", "checkout", "analytics", "ingest", "auth", "catalog", "search",
           "notifier", "reporting", "gateway", "orders", "payments", "inventory",
           "profile", "media", "export", "scheduler", "ledger", "pricing", "geo",
           "recommend", "audit", "session", "tenant", "webhooks", "mailer"]
ROLES = ["api", "worker", "web", "consumer", "cron", "grpc", "proxy", "sync", "indexer"]
TEAMS = ["platform", "payments", "data", "growth", "core", "identity", "edge", "ml",
         "ops", "commerce", "insights", "mobile"]
CLIENTS = ["est-test-a", "est-test-b", "est-test-c", "est-prod-analytics", "est-dev-test",
           "client-data-science", "client-business-intel", "active-client-1",
           "active-client-2", "dev-client", "acme-retail", "globex", "initech",
           "umbrella-labs", "hooli", "stark-ind", "wayne-ent", "wonka", "tyrell", "cyberdyne"]
ENVS = ["dev", "qa", "uat", "staging", "prod"]
REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"]
REGISTRIES = ["registry.example.com", "ghcr.io/example", "123456789012.dkr.ecr.us-east-2.amazonaws.com",
              "quay.io/example", "docker.io/example"]
PUBLIC_IMAGES = ["nginx:1.25-alpine", "nginx:latest", "redis:7", "redis:7.2-alpine", "postgres:16",
                 "postgres:15-alpine", "mysql:8.0", "mariadb:11", "mongo:7", "rabbitmq:3-management",
                 "memcached:1.6", "busybox:1.36", "alpine:3.19", "python:3.12-slim",
                 "node:20-alpine", "golang:1.22", "traefik:v3.0", "grafana/grafana:10.4.2",
                 "prom/prometheus:v2.51.0", "minio/minio:latest",
                 "docker.elastic.co/elasticsearch/elasticsearch:8.13.0"]
# Non-ASCII text appears in real descriptions; columns are counted in characters.
DESCRIPTIONS = ["Handles {d} requests for the {t} team", "Owner: {t} — escalation via #oncall-{t}",
                "Service de {d} (équipe {t})", "{d} バッチ処理 / batch processing",
                "Legacy {d} endpoint, do not scale below 2 replicas",
                "Reads from the {d} queue; idempotent", "Ünïcode-safe {d} renderer ✓"]
COMMENTS = ["TODO: tighten once the {d} migration is done", "managed by the {t} team",
            "keep in sync with the {d} dashboard", "see runbook: https://wiki.example.com/{t}/{d}",
            "bumped after the incident on 2024-03-12", "do not change without a capacity review",
            "values below were tuned with load tests (p99 < 200ms)"]


def version(rng):
    return "%d.%d.%d" % (rng.randint(0, 4), rng.randint(0, 30), rng.randint(0, 40))


def image_for(rng, name):
    r = rng.random()
    if r < 0.55:
        return "%s/%s:%s" % (rng.choice(REGISTRIES), name, version(rng))
    if r < 0.62:
        return "%s/%s:latest" % (rng.choice(REGISTRIES), name)
    if r < 0.70:
        digest = "%064x" % rng.getrandbits(256)
        return "%s/%s@sha256:%s" % (rng.choice(REGISTRIES), name, digest)
    return rng.choice(PUBLIC_IMAGES)


def fmt(rng, pool, **kw):
    return rng.choice(pool).format(**kw)


def mem(rng):
    return "%dMi" % rng.choice([64, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 4096, 8192])


# ---------------------------------------------------------------------------
# Kubernetes
# ---------------------------------------------------------------------------


def k8s_labels(rng, name, part_of, extra=True):
    labels = {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": part_of}
    if extra:
        labels["app.kubernetes.io/version"] = version(rng)
        labels["app.kubernetes.io/managed-by"] = rng.choice(["Helm", "kustomize", "argocd"])
        if rng.random() < 0.5:
            labels["tier"] = rng.choice(["frontend", "backend", "data", "batch"])
        if rng.random() < 0.3:
            labels["helm.sh/chart"] = "%s-%s" % (part_of, version(rng))
    return labels


def k8s_metadata(rng, name, ns, part_of, team):
    md = {"name": name}
    if ns:
        md["namespace"] = ns
    md["labels"] = k8s_labels(rng, name, part_of)
    if rng.random() < 0.6:
        ann = {"description": fmt(rng, DESCRIPTIONS, d=part_of, t=team),
               "owner": "%s@example.com" % team}
        if rng.random() < 0.4:
            ann[LAST_APPLIED] = json.dumps(
                {"apiVersion": "v1", "kind": "Service",
                 "metadata": {"name": name, "namespace": ns or "default"}},
                separators=(",", ":"))
        md["annotations"] = ann
    return md


def k8s_env(rng, name, nenv):
    env = []
    for i in range(nenv):
        r = rng.random()
        key = rng.choice(["LOG_LEVEL", "PORT", "DB_HOST", "DB_NAME", "REDIS_URL", "FEATURE_FLAGS",
                          "JAVA_OPTS", "GOMAXPROCS", "OTEL_EXPORTER_OTLP_ENDPOINT", "TZ",
                          "CACHE_TTL", "QUEUE_NAME", "REGION", "MAX_CONNECTIONS"]) + (
                              "_%d" % i if i >= 6 else "")
        if r < 0.55:
            val = rng.choice(["info", "debug", "8080", "postgres.%s.svc.cluster.local" % name,
                              "redis://redis:6379/0", "a,b,c", "-Xms256m -Xmx512m", "2",
                              "http://otel-collector:4317", "Europe/Paris", "300", "true", ""])
            env.append({"name": key, "value": val})
        elif r < 0.75:
            env.append({"name": key, "valueFrom": {"secretKeyRef": {
                "name": name + "-secrets", "key": key.lower().replace("_", "-")}}})
        elif r < 0.85:
            env.append({"name": key, "valueFrom": {"configMapKeyRef": {
                "name": name + "-config", "key": key.lower(), "optional": True}}})
        else:
            env.append({"name": key, "valueFrom": {"fieldRef": {"fieldPath": rng.choice(
                ["metadata.name", "metadata.namespace", "status.podIP", "spec.nodeName"])}}})
    return env


def k8s_probe(rng, port_name):
    r = rng.random()
    if r < 0.6:
        p = {"httpGet": {"path": rng.choice(["/healthz", "/ready", "/live", "/actuator/health"]),
                         "port": port_name}}
        if rng.random() < 0.2:
            p["httpGet"]["httpHeaders"] = [{"name": "X-Probe", "value": "kubelet"}]
    elif r < 0.85:
        p = {"tcpSocket": {"port": port_name}}
    else:
        p = {"exec": {"command": Flow(["sh", "-c", "pg_isready -U postgres -h 127.0.0.1"])}}
    p["initialDelaySeconds"] = rng.choice([0, 5, 10, 15, 30])
    p["periodSeconds"] = rng.choice([5, 10, 20])
    if rng.random() < 0.5:
        p["timeoutSeconds"] = rng.choice([1, 2, 5])
        p["failureThreshold"] = rng.choice([3, 5, 6])
    return p


def k8s_container(rng, name, secure, cname=None, data_mount=False):
    port = rng.choice([80, 3000, 5000, 8000, 8080, 8443, 9000, 9090])
    c = {"name": cname or name.split("-")[-1], "image": image_for(rng, name)}
    if rng.random() < 0.7:
        c["imagePullPolicy"] = rng.choice(["IfNotPresent", "Always"])
    if rng.random() < 0.4:
        c["command"] = Flow(["/app/" + name]) if rng.random() < 0.5 else ["/bin/sh", "-c"]
    if rng.random() < 0.5:
        args = ["--port=%d" % port, "--log-level=%s" % rng.choice(["info", "debug", "warn"])]
        c["args"] = Flow(args) if rng.random() < 0.5 else args
    ports = [{"name": "http", "containerPort": port, "protocol": "TCP"}]
    if rng.random() < 0.4:
        ports.append({"name": "metrics", "containerPort": 9102})
    c["ports"] = ports
    nenv = rng.randint(0, 9)
    if nenv:
        c["env"] = k8s_env(rng, name, nenv)
    if rng.random() < 0.4:
        c["envFrom"] = [{"configMapRef": {"name": name + "-config"}},
                        {"secretRef": {"name": name + "-secrets", "optional": True}}]
    if rng.random() < 0.85:
        req_cpu = rng.choice(["50m", "100m", "250m", "500m", "1"])
        c["resources"] = {"requests": {"cpu": req_cpu, "memory": mem(rng)}}
        if rng.random() < 0.75:
            c["resources"]["limits"] = {"cpu": Quoted(rng.choice(["1", "2", "4"])) if rng.random() < 0.5
                                        else rng.choice(["500m", "1500m"]),
                                        "memory": mem(rng)}
    if rng.random() < 0.75:
        c["livenessProbe"] = k8s_probe(rng, "http")
    if rng.random() < 0.75:
        c["readinessProbe"] = k8s_probe(rng, "http")
    if rng.random() < 0.15:
        c["startupProbe"] = k8s_probe(rng, "http")
    if secure:
        c["securityContext"] = {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                                "runAsNonRoot": True,
                                "capabilities": {"drop": Flow(["ALL"]) if rng.random() < 0.5 else ["ALL"]}}
    elif rng.random() < 0.5:
        c["securityContext"] = rng.choice([
            {"privileged": True},
            {"runAsUser": 0, "allowPrivilegeEscalation": True},
            {"capabilities": {"add": ["NET_ADMIN", "SYS_TIME"]}},
            {"readOnlyRootFilesystem": False},
        ])
    mounts = [{"name": "config", "mountPath": "/etc/" + name, "readOnly": True}]
    if rng.random() < 0.6:
        mounts.append({"name": "tmp", "mountPath": "/tmp"})
    if data_mount:
        mounts.append({"name": "data", "mountPath": "/var/lib/" + name, "subPath": "data"})
    c["volumeMounts"] = mounts
    if rng.random() < 0.15:
        c["lifecycle"] = {"preStop": {"exec": {"command": ["sh", "-c", "sleep 10"]}}}
    return c


def k8s_pod_spec(rng, name, secure, claim_template=False):
    """claim_template: a StatefulSet volumeClaimTemplate named "data" exists."""
    spec = {}
    pvc = not claim_template and rng.random() < 0.3
    if rng.random() < 0.1:
        spec[Comment(fmt(rng, COMMENTS, d=name, t="platform"))] = None
    spec["serviceAccountName"] = name
    if rng.random() < 0.5:
        spec["automountServiceAccountToken"] = False
    if secure:
        spec["securityContext"] = {"runAsNonRoot": True, "runAsUser": 10001, "runAsGroup": 10001,
                                   "fsGroup": 10001, "seccompProfile": {"type": "RuntimeDefault"}}
    elif rng.random() < 0.2:
        spec["hostNetwork"] = True
        spec["hostPID"] = rng.random() < 0.5
    if rng.random() < 0.4:
        spec["nodeSelector"] = {"kubernetes.io/os": "linux",
                                "node.kubernetes.io/instance-type": rng.choice(["m5.large", "c5.xlarge", "r5.2xlarge"])}
    if rng.random() < 0.3:
        spec["tolerations"] = [{"key": "dedicated", "operator": "Equal", "value": rng.choice(TEAMS),
                                "effect": "NoSchedule"}]
    if rng.random() < 0.35:
        spec["affinity"] = {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
            "weight": 100, "podAffinityTerm": {
                "labelSelector": {"matchLabels": {"app.kubernetes.io/name": name}},
                "topologyKey": "kubernetes.io/hostname"}}]}}
    if rng.random() < 0.25:
        spec["initContainers"] = [{"name": "migrate", "image": image_for(rng, name),
                                   "command": Flow(["/app/migrate", "--up"]),
                                   "envFrom": [{"secretRef": {"name": name + "-db"}}],
                                   "resources": {"limits": {"cpu": "200m", "memory": "128Mi"}}}]
    containers = [k8s_container(rng, name, secure, data_mount=pvc or claim_template)]
    if rng.random() < 0.3:
        side = k8s_container(rng, name, secure, cname=rng.choice(["envoy", "fluent-bit", "oauth2-proxy"]))
        side["image"] = rng.choice(["envoyproxy/envoy:v1.29.1", "fluent/fluent-bit:2.2",
                                    "quay.io/oauth2-proxy/oauth2-proxy:v7.6.0"])
        containers.append(side)
    spec["containers"] = containers
    vols = [{"name": "config", "configMap": {"name": name + "-config",
                                             "defaultMode": rng.choice([420, 0o644, 256])}},
            {"name": "tmp", "emptyDir": {} if rng.random() < 0.7 else {"medium": "Memory", "sizeLimit": "64Mi"}}]
    if pvc:
        vols.append({"name": "data", "persistentVolumeClaim": {"claimName": name + "-data"}})
    if not secure and rng.random() < 0.2:
        vols.append({"name": "docker-sock", "hostPath": {"path": "/var/run/docker.sock", "type": "Socket"}})
    spec["volumes"] = vols
    if rng.random() < 0.3:
        spec["terminationGracePeriodSeconds"] = rng.choice([10, 30, 60, 120])
    if rng.random() < 0.2:
        spec["imagePullSecrets"] = [{"name": "registry-credentials"}]
    return spec


def k8s_workload(rng, kind, name, ns, part_of, team):
    secure = rng.random() < 0.7
    labels = k8s_labels(rng, name, part_of, extra=False)
    template = {"metadata": {"labels": dict(labels)},
                "spec": k8s_pod_spec(rng, name, secure, claim_template=kind == "StatefulSet")}
    if rng.random() < 0.5:
        template["metadata"]["annotations"] = {"prometheus.io/scrape": Quoted("true"),
                                               "prometheus.io/port": Quoted("9102")}
    doc = {"apiVersion": "apps/v1", "kind": kind,
           "metadata": k8s_metadata(rng, name, ns, part_of, team), "spec": {}}
    spec = doc["spec"]
    if kind in ("Deployment", "StatefulSet"):
        spec["replicas"] = rng.choice([1, 2, 3, 3, 4, 6, 10])
    if kind == "Deployment":
        spec["revisionHistoryLimit"] = rng.choice([3, 5, 10])
        spec["strategy"] = {"type": "RollingUpdate", "rollingUpdate": {
            "maxSurge": rng.choice(["25%", 1]), "maxUnavailable": rng.choice([0, "25%"])}}
    if kind == "StatefulSet":
        spec["serviceName"] = name + "-headless"
        spec["podManagementPolicy"] = rng.choice(["OrderedReady", "Parallel"])
    spec["selector"] = {"matchLabels": labels}
    spec["template"] = template
    if kind == "StatefulSet":
        spec["volumeClaimTemplates"] = [{"metadata": {"name": "data"}, "spec": {
            "accessModes": Flow(["ReadWriteOnce"]), "storageClassName": rng.choice(["gp3", "standard"]),
            "resources": {"requests": {"storage": "%dGi" % rng.choice([10, 20, 50, 100, 500])}}}}]
    if kind == "DaemonSet":
        spec["updateStrategy"] = {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}
    return doc


def k8s_cronjob(rng, name, ns, part_of, team):
    pod = k8s_pod_spec(rng, name, rng.random() < 0.7)
    pod["restartPolicy"] = "OnFailure"
    job = {"backoffLimit": rng.choice([0, 2, 6]), "template": {"spec": pod}}
    if rng.random() < 0.3:
        return {"apiVersion": "batch/v1", "kind": "Job",
                "metadata": k8s_metadata(rng, name, ns, part_of, team), "spec": job}
    return {"apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": k8s_metadata(rng, name, ns, part_of, team),
            "spec": {"schedule": Quoted(rng.choice(["*/15 * * * *", "0 3 * * *", "30 1 * * 0"])),
                     "concurrencyPolicy": "Forbid", "successfulJobsHistoryLimit": 3,
                     "jobTemplate": {"spec": job}}}


def k8s_service(rng, name, ns, part_of, team):
    doc = {"apiVersion": "v1", "kind": "Service", "metadata": k8s_metadata(rng, name, ns, part_of, team)}
    stype = rng.choice(["ClusterIP", "ClusterIP", "ClusterIP", "NodePort", "LoadBalancer"])
    spec = {"type": stype, "selector": {"app.kubernetes.io/name": name}}
    ports = [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}]
    if stype == "NodePort":
        ports[0]["nodePort"] = rng.randint(30000, 32767)
    if rng.random() < 0.3:
        ports.append({"name": "metrics", "port": 9102, "targetPort": 9102})
    spec["ports"] = ports
    if stype == "LoadBalancer":
        doc["metadata"].setdefault("annotations", {})[
            "service.beta.kubernetes.io/aws-load-balancer-type"] = "nlb"
        if rng.random() < 0.5:
            spec["loadBalancerSourceRanges"] = ["10.0.0.0/8", "192.168.0.0/16"]
    spec["sessionAffinity"] = "None"
    doc["spec"] = spec
    return doc


def k8s_ingress(rng, name, ns, part_of, team):
    host = "%s.%s.example.com" % (name, rng.choice(ENVS))
    md = k8s_metadata(rng, name, ns, part_of, team)
    ann = md.setdefault("annotations", {})
    ann["nginx.ingress.kubernetes.io/ssl-redirect"] = Quoted("true")
    if rng.random() < 0.5:
        ann["nginx.ingress.kubernetes.io/proxy-body-size"] = "8m"
        ann["cert-manager.io/cluster-issuer"] = "letsencrypt-prod"
    if rng.random() < 0.2:
        ann["nginx.ingress.kubernetes.io/configuration-snippet"] = Block(
            "more_set_headers \"X-Frame-Options: DENY\";\n"
            "more_set_headers \"X-Content-Type-Options: nosniff\";\n", "|")
    paths = [{"path": p, "pathType": "Prefix", "backend": {"service": {
        "name": name, "port": {"number": 80} if rng.random() < 0.6 else {"name": "http"}}}}
        for p in rng.sample(["/", "/api", "/v1", "/v2", "/static", "/admin"], rng.randint(1, 4))]
    spec = {"ingressClassName": "nginx", "rules": [{"host": host, "http": {"paths": paths}}]}
    if rng.random() < 0.8:
        spec["tls"] = [{"hosts": [host], "secretName": name + "-tls"}]
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": md, "spec": spec}


def k8s_netpol(rng, name, ns, part_of, team):
    peers = [{"podSelector": {"matchLabels": {"app.kubernetes.io/part-of": part_of}}}]
    if rng.random() < 0.5:
        peers.append({"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}})
    if rng.random() < 0.3:
        peers.append({"ipBlock": {"cidr": "10.%d.0.0/16" % rng.randint(0, 255),
                                  "except": ["10.%d.1.0/24" % rng.randint(0, 255)]}})
    spec = {"podSelector": {"matchLabels": {"app.kubernetes.io/name": name}},
            "policyTypes": Flow(["Ingress", "Egress"]) if rng.random() < 0.5 else ["Ingress"],
            "ingress": [{"from": peers, "ports": [{"protocol": "TCP", "port": 8080}]}]}
    if rng.random() < 0.5:
        spec["egress"] = [{"to": [{"namespaceSelector": {}, "podSelector": {
            "matchLabels": {"k8s-app": "kube-dns"}}}],
            "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]}]
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": k8s_metadata(rng, name + "-allow", ns, part_of, team), "spec": spec}


def k8s_configmap(rng, name, ns, part_of, team):
    data = {"LOG_LEVEL": rng.choice(["info", "debug"]), "FEATURE_NEW_CHECKOUT": Quoted("false"),
            "MAX_WORKERS": Quoted(str(rng.randint(2, 64)))}
    r = rng.random()
    if r < 0.4:
        upstream = "".join("    server %s-%d.%s:8080 max_fails=3;\n" % (name, i, ns or "default")
                           for i in range(rng.randint(2, 8)))
        data["nginx.conf"] = Block(
            "worker_processes auto;\nevents { worker_connections 1024; }\nhttp {\n"
            "  upstream backend {\n" + upstream + "  }\n  server {\n    listen 8080;\n"
            "    location / { proxy_pass http://backend; }  # main route\n"
            "    location /healthz { return 200 'ok'; }\n  }\n}\n", "|")
    elif r < 0.7:
        data["application.yaml"] = Block(yaml_text({
            "server": {"port": 8080, "shutdown": "graceful"},
            "spring": {"datasource": {"url": "jdbc:postgresql://db:5432/" + name.replace("-", "_"),
                                      "hikari": {"maximum-pool-size": 20}}},
            "management": {"endpoints": {"web": {"exposure": {"include": "health,info,prometheus"}}}},
        }), "|")
    else:
        data["settings.json"] = Block(json.dumps({
            "service": name, "team": team, "limits": {"rps": rng.randint(10, 5000), "burst": 50},
            "upstreams": ["http://%s-%d:8080" % (name, i) for i in range(3)]}, indent=2), "|-")
    if rng.random() < 0.3:
        data["motd.txt"] = Block("Welcome to %s.\nThis text is folded into one line\nby the > style.\n" % name, ">")
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": k8s_metadata(rng, name + "-config", ns, part_of, team), "data": data}


def k8s_secret(rng, name, ns, part_of, team):
    return {"apiVersion": "v1", "kind": "Secret",
            "metadata": k8s_metadata(rng, name + "-secrets", ns, part_of, team), "type": "Opaque",
            "stringData": {"db-password": "%032x" % rng.getrandbits(128),
                           "api-key": "sk_test_%024x" % rng.getrandbits(96)}}


def k8s_small(rng, kind, name, ns, part_of, team):
    md = k8s_metadata(rng, name, ns, part_of, team)
    if kind == "ServiceAccount":
        md.setdefault("annotations", {})["eks.amazonaws.com/role-arn"] = (
            "arn:aws:iam::123456789012:role/%s-%s" % (ns or "default", name))
        return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": md}
    if kind == "HorizontalPodAutoscaler":
        return {"apiVersion": "autoscaling/v2", "kind": kind, "metadata": md, "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
            "minReplicas": rng.choice([1, 2, 3]), "maxReplicas": rng.choice([5, 10, 20, 50]),
            "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                "type": "Utilization", "averageUtilization": rng.choice([60, 70, 80])}}}]}}
    if kind == "PodDisruptionBudget":
        return {"apiVersion": "policy/v1", "kind": kind, "metadata": md, "spec": {
            "minAvailable": rng.choice([1, "50%"]),
            "selector": {"matchLabels": {"app.kubernetes.io/name": name}}}}
    if kind == "Role":
        return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": md, "rules": [
            {"apiGroups": Flow([""]), "resources": Flow(["configmaps", "secrets"]),
             "verbs": Flow(["get", "list", "watch"])},
            {"apiGroups": Flow(["apps"]), "resources": Flow(["deployments"]), "verbs": Flow(["get"])}]}
    if kind == "RoleBinding":
        return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": md,
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
                "subjects": [{"kind": "ServiceAccount", "name": name, "namespace": ns or "default"}]}
    if kind == "ResourceQuota":
        return {"apiVersion": "v1", "kind": kind, "metadata": md, "spec": {"hard": {
            "requests.cpu": Quoted(str(rng.choice([4, 8, 16]))), "requests.memory": "%dGi" % rng.choice([8, 16, 32]),
            "limits.cpu": Quoted(str(rng.choice([8, 16, 32]))), "limits.memory": "%dGi" % rng.choice([16, 32, 64]),
            "pods": Quoted(str(rng.choice([20, 50, 100])))}}}
    if kind == "LimitRange":
        return {"apiVersion": "v1", "kind": kind, "metadata": md, "spec": {"limits": [{
            "type": "Container", "default": {"cpu": "500m", "memory": "512Mi"},
            "defaultRequest": {"cpu": "100m", "memory": "128Mi"}}]}}
    # Namespace
    md.pop("namespace", None)
    md["labels"]["pod-security.kubernetes.io/enforce"] = rng.choice(["restricted", "baseline", "privileged"])
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": md}


def k8s_app_bundle(rng, ns, team, max_docs):
    """The documents one app usually ships with, in the usual order."""
    part_of = rng.choice(DOMAINS)
    name = part_of + "-" + rng.choice(ROLES)
    kind = rng.choices(["Deployment", "StatefulSet", "DaemonSet", "CronJob"], [70, 15, 5, 10])[0]
    docs = []
    if rng.random() < 0.6:
        docs.append(k8s_small(rng, "ServiceAccount", name, ns, part_of, team))
    docs.append(k8s_configmap(rng, name, ns, part_of, team))
    if rng.random() < 0.3:
        docs.append(k8s_secret(rng, name, ns, part_of, team))
    if kind == "CronJob":
        docs.append(k8s_cronjob(rng, name, ns, part_of, team))
    else:
        docs.append(k8s_workload(rng, kind, name, ns, part_of, team))
        docs.append(k8s_service(rng, name, ns, part_of, team))
        if kind == "Deployment" and rng.random() < 0.5:
            docs.append(k8s_small(rng, "HorizontalPodAutoscaler", name, ns, part_of, team))
        if rng.random() < 0.4:
            docs.append(k8s_small(rng, "PodDisruptionBudget", name, ns, part_of, team))
        if rng.random() < 0.5:
            docs.append(k8s_netpol(rng, name, ns, part_of, team))
        if rng.random() < 0.45:
            docs.append(k8s_ingress(rng, name, ns, part_of, team))
    if rng.random() < 0.15:
        docs.append(k8s_small(rng, "Role", name, ns, part_of, team))
        docs.append(k8s_small(rng, "RoleBinding", name, ns, part_of, team))
    return [(d, name) for d in docs[:max_docs]], name


def k8s_single(rng, ns, team):
    part_of = rng.choice(DOMAINS)
    name = part_of + "-" + rng.choice(ROLES)
    kind = rng.choices(["Deployment", "StatefulSet", "Service", "Ingress", "NetworkPolicy",
                        "ConfigMap", "CronJob", "Namespace", "ResourceQuota", "LimitRange", "List"],
                       [35, 8, 12, 8, 8, 10, 5, 4, 3, 2, 5])[0]
    if kind in ("Deployment", "StatefulSet"):
        return k8s_workload(rng, kind, name, ns, part_of, team), name
    if kind == "CronJob":
        return k8s_cronjob(rng, name, ns, part_of, team), name
    if kind == "Service":
        return k8s_service(rng, name, ns, part_of, team), name
    if kind == "Ingress":
        return k8s_ingress(rng, name, ns, part_of, team), name
    if kind == "NetworkPolicy":
        return k8s_netpol(rng, name, ns, part_of, team), name
    if kind == "ConfigMap":
        return k8s_configmap(rng, name, ns, part_of, team), name
    if kind == "List":  # kubectl get -o yaml output
        return {"apiVersion": "v1", "kind": "List", "items": [
            k8s_workload(rng, "Deployment", name, ns, part_of, team),
            k8s_service(rng, name, ns, part_of, team)], "metadata": {"resourceVersion": Quoted("")}}, name
    return k8s_small(rng, kind, name if kind != "Namespace" else ns, ns, part_of, team), name


LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def k8s_fix_last_applied(doc):
    """k8s_metadata() does not know the kind; set it in the annotation now."""
    for d in [doc] + doc.get("items", []):
        ann = d.get("metadata", {}).get("annotations", {})
        if LAST_APPLIED in ann:
            ann[LAST_APPLIED] = ann[LAST_APPLIED].replace(
                '"apiVersion":"v1","kind":"Service"', '"apiVersion":"%s","kind":"%s"' % (d["apiVersion"], d["kind"]))


def k8s_file_text(rng, docs, helm_chart):
    """docs: list of (doc, app name). Separators, helm '# Source:' headers."""
    seq_indent = rng.random() < 0.6
    parts = []
    for i, (doc, name) in enumerate(docs):
        k8s_fix_last_applied(doc)
        head = ""
        if i > 0 or rng.random() < 0.3:
            head = "---\n"
        if helm_chart:
            head += "# Source: %s/templates/%s-%s.yaml\n" % (helm_chart, name, doc["kind"].lower())
        parts.append(head + yaml_text(doc, seq_indent))
    return "".join(parts)


def gen_k8s(out, total_docs, seed, manifest):
    written = 0
    i = 0
    while written < total_docs:
        rng = random.Random("%d:k8s:%d" % (seed, i))
        team = rng.choice(TEAMS)
        ns = rng.choice(["%s-%s" % (team, rng.choice(ENVS)), rng.choice(CLIENTS), "tenant-%04d" % rng.randint(0, 9999)])
        left = total_docs - written
        shape = rng.random()
        chart = None
        if shape < 0.35:
            docs = [k8s_single(rng, ns, team)]
            base = docs[0][1] + "-" + docs[0][0]["kind"].lower()
        elif shape < 0.6:
            docs, base = k8s_app_bundle(rng, ns, team, left)
        else:  # a rendered helm release or a kustomize build: 10-50 docs
            target = min(left, rng.randint(10, 50))
            chart = rng.choice(DOMAINS) + "-stack"
            docs = []
            if rng.random() < 0.5:
                docs.append((k8s_small(rng, "Namespace", ns, ns, chart, team), ns))
            while len(docs) < target:
                more, _ = k8s_app_bundle(rng, ns, team, target - len(docs))
                docs.extend(more)
            base = chart + "-rendered"
        docs = docs[:left]
        if rng.random() < 0.05 and len(docs) > 1:
            # a file that starts with a comment-only preamble
            text = "# Generated by stackaudit bench; %s\n" % fmt(rng, COMMENTS, d=base, t=team)
        else:
            text = ""
        text += k8s_file_text(rng, docs, chart)
        ext = ".yml" if rng.random() < 0.15 else ".yaml"
        rel = "k8s/%s/%s-%05d%s" % (team, base, i, ext)
        write(out, rel, text, manifest, "kubernetes", len(docs))
        written += len(docs)
        i += 1
    return i


# ---------------------------------------------------------------------------
# docker compose
# ---------------------------------------------------------------------------

COMPOSE_KINDS = ["web", "api", "worker", "postgres", "mysql", "redis", "mongo", "rabbitmq",
                 "elasticsearch", "prometheus", "grafana", "traefik", "minio", "mailhog",
                 "nginx", "frontend", "scheduler", "keycloak", "adminer", "memcached"]


def c_port(rng, target, env):
    """One port, short or long syntax, sometimes interpolated."""
    r = rng.random()
    if r < 0.30:
        return Quoted("%d:%d" % (target if rng.random() < 0.5 else rng.randint(1024, 65000), target))
    if r < 0.40:
        return Quoted("127.0.0.1:%d:%d" % (target, target))
    if r < 0.50:
        var = "%s_PORT" % env["prefix"]
        return Quoted("${%s:-%d}:%d" % (var, target, target))
    if r < 0.55:
        return target
    if r < 0.60:
        return Quoted("%d-%d:%d-%d" % (target, target + 5, target, target + 5))
    if r < 0.65:
        return Quoted("%d:%d/udp" % (target, target))
    if r < 0.70:
        return "%d:%d" % (target, target)  # written plain: quoted anyway (base-60 lookalike)
    long_form = {"target": target, "published": Quoted(str(target + rng.choice([0, 1000, 10000]))),
                 "protocol": rng.choice(["tcp", "udp"]), "mode": "host"}
    if rng.random() < 0.3:
        long_form["host_ip"] = "0.0.0.0"
    if rng.random() < 0.3:
        long_form["name"] = "web"
        long_form["app_protocol"] = "http"
    return long_form


def c_environment(rng, kind, env):
    keys = {"postgres": ["POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "PGDATA"],
            "mysql": ["MYSQL_ROOT_PASSWORD", "MYSQL_DATABASE", "MYSQL_USER"],
            "rabbitmq": ["RABBITMQ_DEFAULT_USER", "RABBITMQ_DEFAULT_PASS"],
            "grafana": ["GF_SECURITY_ADMIN_PASSWORD", "GF_USERS_ALLOW_SIGN_UP"],
            "elasticsearch": ["discovery.type", "ES_JAVA_OPTS", "xpack.security.enabled"]}.get(
        kind, ["NODE_ENV", "LOG_LEVEL", "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "PORT", "WORKERS"])
    keys = keys[:rng.randint(1, len(keys))] + ["TZ"] * (rng.random() < 0.3)
    literal = {"NODE_ENV": "production", "LOG_LEVEL": "info", "PORT": "8080", "WORKERS": "4",
               "DATABASE_URL": "postgres://app:${DB_PASSWORD:-changeme}@db:5432/app?sslmode=disable",
               "REDIS_URL": "redis://redis:6379/0", "POSTGRES_USER": "app", "POSTGRES_DB": "app",
               "PGDATA": "/var/lib/postgresql/data/pgdata", "MYSQL_DATABASE": "app", "MYSQL_USER": "app",
               "RABBITMQ_DEFAULT_USER": "guest", "GF_USERS_ALLOW_SIGN_UP": "false",
               "discovery.type": "single-node", "ES_JAVA_OPTS": "-Xms512m -Xmx512m",
               "xpack.security.enabled": "false", "TZ": "Europe/Paris"}
    values = []
    for k in keys:
        r = rng.random()
        secret = k not in literal
        if secret and env["vars"] and r < 0.4:
            var = "DB_PASSWORD" if rng.random() < 0.5 else "POSTGRES_PASSWORD"
            v = "${%s?set %s in .env}" % (var, var) if r < 0.1 else "${%s}" % var
        elif secret and r < 0.7:
            v = "%032x" % rng.getrandbits(128)  # a hard-coded secret, as people do
        elif secret:
            v = "${%s:-changeme}" % k.upper()
        elif r < 0.35:
            v = "${%s:-%s}" % (k.upper().replace(".", "_"), literal[k])
        elif k == "PORT" and env["vars"] and r < 0.5:
            v = "${%s_PORT}" % env["prefix"]
        else:
            v = literal[k]
        values.append((k, v))
    if rng.random() < 0.5:
        return ["%s=%s" % (k, v) for k, v in values]
    out = {}
    for k, v in values:
        out[k] = v if rng.random() < 0.9 else EMPTY
    return out


def c_volumes(rng, kind, named):
    vols = []
    data_path = {"postgres": "/var/lib/postgresql/data", "mysql": "/var/lib/mysql", "redis": "/data",
                 "mongo": "/data/db", "elasticsearch": "/usr/share/elasticsearch/data",
                 "minio": "/data", "grafana": "/var/lib/grafana", "prometheus": "/prometheus"}.get(kind)
    if data_path:
        vol = "%s-data" % kind
        named.add(vol)
        if rng.random() < 0.7:
            vols.append("%s:%s" % (vol, data_path))
        else:
            vols.append({"type": "volume", "source": vol, "target": data_path,
                         "volume": {"nocopy": True}})
    if rng.random() < 0.5:
        vols.append("./config/%s:/etc/%s:ro" % (kind, kind))
    if rng.random() < 0.15:
        vols.append("/var/run/docker.sock:/var/run/docker.sock")
    if rng.random() < 0.2:
        vols.append({"type": "bind", "source": "./logs", "target": "/var/log/app",
                     "bind": {"create_host_path": True}})
    if rng.random() < 0.15:
        vols.append({"type": "tmpfs", "target": "/tmp", "tmpfs": {"size": 67108864}})
    return vols


def c_healthcheck(rng, kind):
    tests = {"postgres": ["CMD-SHELL", "pg_isready -U ${POSTGRES_USER:-postgres}"],
             "mysql": ["CMD", "mysqladmin", "ping", "-h", "localhost"],
             "redis": ["CMD", "redis-cli", "ping"],
             "mongo": ["CMD", "mongosh", "--eval", "db.adminCommand('ping')"]}
    test = tests.get(kind, ["CMD", "curl", "-fsS", "http://localhost:8080/health"])
    hc = {"test": Flow(test) if rng.random() < 0.7 else test,
          "interval": rng.choice(["10s", "30s", "1m"]), "timeout": rng.choice(["3s", "5s", "10s"]),
          "retries": rng.choice([3, 5, 10])}
    if rng.random() < 0.5:
        hc["start_period"] = rng.choice(["10s", "30s", "1m30s"])
    if rng.random() < 0.1:
        hc = {"test": "curl -f http://localhost/ || exit 1", "interval": "30s"}
    return hc


def c_service(rng, kind, name, env, others, named, networks, anchors):
    svc = {}
    if anchors and rng.random() < 0.7:
        chosen = [a for a in anchors if rng.random() < 0.6] or anchors[:1]
        svc["<<"] = Alias(chosen[0]) if len(chosen) == 1 else Flow([Alias(a) for a in chosen])
    public = {"postgres": "postgres:16-alpine", "mysql": "mysql:8.0", "redis": "redis:7-alpine",
              "mongo": "mongo:7", "rabbitmq": "rabbitmq:3.13-management", "memcached": "memcached:1.6",
              "elasticsearch": "docker.elastic.co/elasticsearch/elasticsearch:8.13.0",
              "prometheus": "prom/prometheus:v2.51.0", "grafana": "grafana/grafana:10.4.2",
              "traefik": "traefik:v3.0", "minio": "minio/minio:RELEASE.2024-03-30T09-41-56Z",
              "mailhog": "mailhog/mailhog:latest", "nginx": "nginx:1.25-alpine",
              "keycloak": "quay.io/keycloak/keycloak:24.0", "adminer": "adminer:4"}
    if kind in public:
        svc["image"] = public[kind] if rng.random() < 0.8 else public[kind].split(":")[0] + ":${%s_TAG:-latest}" % kind.upper()
    elif rng.random() < 0.4:
        svc["build"] = {"context": "./" + name, "dockerfile": "Dockerfile",
                        "args": {"NODE_VERSION": Quoted("20"), "GIT_SHA": "${GIT_SHA:-dev}"}}
        if rng.random() < 0.5:
            svc["image"] = "%s/%s:${TAG:-latest}" % (env["prefix"].lower(), name)
    else:
        svc["image"] = "${REGISTRY:-registry.example.com}/%s/%s:${TAG:-%s}" % (env["prefix"].lower(), name, version(rng))
    if rng.random() < 0.3:
        svc["container_name"] = "%s_%s" % (env["prefix"].lower(), name)
    if kind in ("worker", "scheduler") or rng.random() < 0.2:
        svc["command"] = (rng.choice(["celery -A app worker -l info --concurrency=4",
                                      "sh -c 'echo $${HOSTNAME} && exec ./run.sh'",
                                      "npm run start:prod"]) if rng.random() < 0.5
                          else ["python", "-m", "app." + kind, "--workers", "4"])
    if rng.random() < 0.1:
        svc["entrypoint"] = Flow(["/docker-entrypoint.sh"])
    if rng.random() < 0.3:
        svc["restart"] = rng.choice(["unless-stopped", "always", "on-failure:3"])
    port = {"postgres": 5432, "mysql": 3306, "redis": 6379, "mongo": 27017, "rabbitmq": 5672,
            "elasticsearch": 9200, "prometheus": 9090, "grafana": 3000, "traefik": 80, "minio": 9000,
            "mailhog": 8025, "nginx": 80, "keycloak": 8080, "adminer": 8080, "memcached": 11211}.get(kind, 8080)
    if rng.random() < 0.7:
        svc["ports"] = [c_port(rng, port, env) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
    if rng.random() < 0.3:
        svc["expose"] = [Quoted(str(port))]
    if rng.random() < 0.85:
        svc["environment"] = c_environment(rng, kind, env)
    if rng.random() < 0.25:
        svc["env_file"] = [".env"] if rng.random() < 0.6 else ".env"
    vols = c_volumes(rng, kind, named)
    if vols:
        svc["volumes"] = vols
    if networks:
        if rng.random() < 0.6:
            svc["networks"] = rng.sample(networks, rng.randint(1, len(networks)))
        else:
            svc["networks"] = {n: ({"aliases": [name + "." + n]} if rng.random() < 0.3 else EMPTY)
                               for n in rng.sample(networks, rng.randint(1, len(networks)))}
    if others and rng.random() < 0.6:
        deps = rng.sample(others, min(len(others), rng.randint(1, 3)))
        if rng.random() < 0.5:
            svc["depends_on"] = deps
        else:
            svc["depends_on"] = {d: {"condition": rng.choice(["service_healthy", "service_started"]),
                                     "restart": True} for d in deps}
    if rng.random() < 0.7:
        svc["healthcheck"] = c_healthcheck(rng, kind)
    if rng.random() < 0.5:
        res = {"limits": {"cpus": Quoted(rng.choice(["0.25", "0.50", "1", "2"]), "'"),
                          "memory": rng.choice(["128M", "256M", "512M", "1G", "2G"])}}
        if rng.random() < 0.5:
            res["reservations"] = {"cpus": Quoted("0.1", "'"), "memory": "64M"}
        svc["deploy"] = {"resources": res}
        if rng.random() < 0.4:
            svc["deploy"]["replicas"] = rng.randint(1, 4)
            svc["deploy"]["restart_policy"] = {"condition": "on-failure", "max_attempts": 3}
    elif rng.random() < 0.3:
        svc["mem_limit"] = rng.choice(["256m", "512m", "1g"])
        svc["cpus"] = rng.choice([0.5, 1.5, 2])
    r = rng.random()
    if r < 0.15:
        svc["privileged"] = True
    elif r < 0.5:
        svc["cap_drop"] = ["ALL"]
        if rng.random() < 0.5:
            svc["cap_add"] = rng.sample(["NET_BIND_SERVICE", "CHOWN", "SETUID", "SETGID"], 2)
        svc["security_opt"] = [Quoted("no-new-privileges:true")]
        svc["read_only"] = True
        svc["tmpfs"] = ["/tmp", "/run"]
    if rng.random() < 0.3:
        svc["user"] = Quoted(rng.choice(["1000:1000", "node", "65534", "root"]))
    if rng.random() < 0.05:
        svc["network_mode"] = "host"
    if rng.random() < 0.03:
        svc["pid"] = "host"
    if kind in ("traefik", "nginx", "web", "frontend") and rng.random() < 0.6:
        host = "%s.example.com" % name
        labels = ["traefik.enable=true",
                  "traefik.http.routers.%s.rule=Host(`%s`)" % (name, host),
                  "traefik.http.routers.%s.tls.certresolver=le" % name,
                  "traefik.http.services.%s.loadbalancer.server.port=%d" % (name, port)]
        svc["labels"] = labels if rng.random() < 0.5 else dict(l.split("=", 1) for l in labels)
    if rng.random() < 0.2:
        svc["ulimits"] = {"nofile": {"soft": 65536, "hard": 65536}, "nproc": 65535}
    if rng.random() < 0.2:
        svc["extra_hosts"] = ["host.docker.internal:host-gateway"]
    if rng.random() < 0.1:
        svc["sysctls"] = {"net.core.somaxconn": 1024}
    if rng.random() < 0.15:
        svc["stop_grace_period"] = "30s"
        svc["init"] = True
    if rng.random() < 0.2:
        svc["secrets"] = ["db_password"]
    return svc


def gen_compose_project(rng, index):
    prefix = rng.choice(DOMAINS).upper()
    env = {"prefix": prefix, "vars": {}}
    if rng.random() < 0.6:
        env["vars"] = {"TAG": version(rng), "DB_PASSWORD": "%024x" % rng.getrandbits(96),
                       "POSTGRES_PASSWORD": "%024x" % rng.getrandbits(96),
                       "%s_PORT" % prefix: str(rng.randint(8000, 9000)), "REGISTRY": "registry.example.com",
                       "PROJECT_NAME": prefix.lower()}
    doc = {}
    if rng.random() < 0.3:
        doc["version"] = Quoted(rng.choice(["3.8", "3.9", "3"]))
    if rng.random() < 0.4:
        doc["name"] = "%s-%d" % (prefix.lower(), index)
    anchors = []
    if rng.random() < 0.6:
        doc["x-common"] = Anchor("common", {
            "restart": "unless-stopped",
            "logging": {"driver": "json-file", "options": {"max-size": "10m", "max-file": Quoted("3")}},
            "environment": {"TZ": "${TZ:-UTC}"}})
        anchors.append("common")
        if rng.random() < 0.5:
            doc["x-resources"] = Anchor("resources", {"deploy": {"resources": {"limits": {
                "cpus": Quoted("0.5", "'"), "memory": "512M"}}}})
            anchors.append("resources")
    nsvc = rng.randint(5, 15)
    kinds = rng.sample(COMPOSE_KINDS, min(nsvc, len(COMPOSE_KINDS)))
    names = []
    for k in kinds:
        names.append(k if k not in ("worker", "api", "web") else "%s-%s" % (rng.choice(DOMAINS), k))
    networks = rng.sample(["frontend", "backend", "monitoring", "db"], rng.randint(0, 3))
    named = set()
    services = {}
    for i, (kind, name) in enumerate(zip(kinds, names)):
        if rng.random() < 0.1:
            services[Comment(fmt(rng, COMMENTS, d=name, t=prefix.lower()))] = None
        services[name] = c_service(rng, kind, name, env, names[:i], named, networks, anchors)
    doc["services"] = services
    if networks:
        nets = {}
        for n in networks:
            nets[n] = rng.choice([EMPTY, {"driver": "bridge"}, {"internal": True},
                                  {"driver": "bridge", "ipam": {"config": [{"subnet": "172.%d.0.0/16" % rng.randint(16, 31)}]}}])
        doc["networks"] = nets
    if named:
        doc["volumes"] = {v: (EMPTY if rng.random() < 0.7 else {"driver": "local"}) for v in sorted(named)}
    if any("secrets" in s for s in services.values() if isinstance(s, dict)):
        doc["secrets"] = {"db_password": {"file": "./secrets/db_password.txt"}}
    text = ""
    if rng.random() < 0.3:
        text = "# %s stack — %s\n" % (prefix.lower(), fmt(rng, COMMENTS, d=prefix.lower(), t="ops"))
    text += yaml_text(doc, seq_indent=rng.random() < 0.8)
    dotenv = "".join("%s=%s\n" % kv for kv in env["vars"].items()) if env["vars"] else None
    return text, dotenv


def gen_compose(out, count, seed, manifest):
    for i in range(count):
        rng = random.Random("%d:compose:%d" % (seed, i))
        text, dotenv = gen_compose_project(rng, i)
        base = rng.choice(["compose.yaml", "compose.yaml", "docker-compose.yml", "docker-compose.prod.yml",
                           "compose.override.yaml"])
        proj = "compose/%s-%05d" % (rng.choice(DOMAINS), i)
        write(out, proj + "/" + base, text, manifest, "compose", 1)
        if dotenv:
            write(out, proj + "/.env", dotenv)


# ---------------------------------------------------------------------------
# Terraform variable files (HCL)
# ---------------------------------------------------------------------------


class Expr:
    """A raw HCL expression (references, function calls) written as is."""

    def __init__(self, text):
        self.text = text


class Heredoc:
    def __init__(self, text, tag="EOT", indent=False):
        self.text = text
        self.tag = tag
        self.indent = indent


_HCL_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def hcl_string(s):
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return '"' + s.replace("${", "$${").replace("%{", "%%{") + '"'


def hcl_key(k):
    return k if _HCL_IDENT.match(k) and k not in ("true", "false", "null") else hcl_string(k)


class HclWriter:
    """HCL text laid out the way `terraform fmt` does: '=' aligned within runs
    of consecutive single-line attributes, trailing comments aligned within
    runs of commented lines, multi-line values break the runs."""

    def __init__(self, rng):
        self.rng = rng
        self.lines = []

    def value(self, v, indent):
        """Text of v (may span lines) for an attribute at column `indent`."""
        if isinstance(v, Expr):
            return v.text
        if isinstance(v, Inline):
            return self.value(v.value, indent)
        if v is None:
            return "null"
        if v is True:
            return "true"
        if v is False:
            return "false"
        if isinstance(v, (int, float)):
            return repr(v)
        if isinstance(v, str):
            return hcl_string(v)
        if isinstance(v, Heredoc):
            pad = " " * (indent + 2) if v.indent else ""
            body = "".join((pad + l if l else "") + "\n" for l in v.text.rstrip("\n").split("\n"))
            return ("<<-" if v.indent else "<<") + v.tag + "\n" + body + (pad if v.indent else "") + v.tag
        if isinstance(v, list):
            if not v:
                return "[]"
            items = [self.value(x, indent + 2) for x in v]
            if all(isinstance(x, (str, int, float, bool)) for x in v) and sum(map(len, items)) < 70:
                return "[" + ", ".join(items) + "]"
            pad = " " * (indent + 2)
            return "[\n" + "".join(pad + t + ",\n" for t in items) + " " * indent + "]"
        if isinstance(v, dict):
            if not v:
                return "{}"
            keys = [k for k in v if not isinstance(k, Comment)]
            if len(keys) == len(v) <= 3 and all(isinstance(v[k], (str, int, bool)) for k in keys) \
                    and self.rng.random() < 0.3:
                return "{ " + ", ".join("%s = %s" % (hcl_key(k), self.value(v[k], indent)) for k in keys) + " }"
            sep = ":" if self.rng.random() < 0.03 else "="
            return "{\n" + "\n".join(self.entries(v, indent + 2, sep)) + "\n" + " " * indent + "}"
        raise TypeError(type(v))

    def entries(self, attrs, indent, sep="="):
        """The lines of a body or object at column `indent`."""
        def multi_line(text):
            return "\n" in text and not text.startswith("<<")

        pad = " " * indent
        rows = []  # [key, value text, trailing comment] or a comment line (str)
        for k, v in attrs.items():
            if isinstance(k, Comment):
                t = k.text
                rows.append(pad + (t if t.startswith(("/*", "#", "//")) else
                                   ("# " if self.rng.random() < 0.85 else "// ") + t))
            else:
                rows.append([hcl_key(k), self.value(v, indent), v.comment if isinstance(v, Inline) else None])
        out = []
        i = 0
        while i < len(rows):
            row = rows[i]
            if isinstance(row, str):
                out.append(row)
                i += 1
                continue
            if multi_line(row[1]):  # a multi-line value stands alone
                out.append("%s%s %s %s" % (pad, row[0], sep, row[1]))
                i += 1
                continue
            j = i
            while j < len(rows) and not isinstance(rows[j], str) and not multi_line(rows[j][1]):
                j += 1
                if rows[j - 1][1].startswith("<<"):  # a heredoc ends the run it joins
                    break
            width = max(len(r[0]) for r in rows[i:j])
            run = ["%s%s %s %s" % (pad, r[0].ljust(width), sep, r[1]) for r in rows[i:j]]
            k = 0
            while k < len(run):  # align comments of consecutive commented lines
                m = k
                while m < len(run) and rows[i + m][2]:
                    m += 1
                if m == k:
                    k += 1
                    continue
                cw = max(len(l) for l in run[k:m])
                for n in range(k, m):
                    run[n] = run[n].ljust(cw) + " # " + rows[i + n][2]
                k = m
            out.extend(run)
            i = j
        return out

    def body(self, attrs):
        for line in self.entries(attrs, 0):
            self.lines.append(line)
            if "\n" in line:  # a blank line after each multi-line value
                self.lines.append("")

    def text(self):
        return "\n".join(self.lines) + "\n"


INSTANCE_TYPES = [("t3.micro", "2 vCPU, 1 GB RAM"), ("t3.medium", "2 vCPU, 4 GB RAM"),
                  ("t3.large", "2 vCPU, 8 GB RAM"), ("t3.xlarge", "4 vCPU, 16 GB RAM"),
                  ("m5.large", "2 vCPU, 8 GB RAM"), ("m5.2xlarge", "8 vCPU, 32 GB RAM"),
                  ("c5.large", "Compute-optimized"), ("r5.xlarge", "Memory-optimized"),
                  ("c5.2xlarge", "8 vCPU, 16 GB RAM")]


def tf_analytics(rng, env_name):
    """Seed 000: per-client analytics instances."""
    clients = rng.sample(CLIENTS, rng.randint(3, 14))
    for i in range(rng.randint(0, 30)):
        clients.append("tenant-%04d" % rng.randint(0, 9999))
    attrs = {Comment("Standalone compute layer - %s" % env_name): None,
             "environment": env_name, "aws_region": rng.choice(REGIONS),
             "project_name": "analytics",
             Comment("Enable the client (foundation subnets must exist)"): None,
             "enabled_clients": clients}
    configs = {}
    for c in clients:
        itype, note = rng.choice(INSTANCE_TYPES)
        cfg = {"instance_type": Inline(itype, note),
               "root_volume_size": Inline(rng.choice([20, 30, 40, 50]), "GB"),
               "data_volume_size": Inline(rng.choice([50, 100, 200, 500, 1000]), "GB")}
        if rng.random() < 0.4:
            cfg["desired_count"] = rng.randint(1, 4)
            cfg["enable_backups"] = rng.random() < 0.7
        if rng.random() < 0.3:
            cfg["allowed_ports"] = [22, 443, 8888] if rng.random() < 0.3 else [443, 8888]
        if rng.random() < 0.3:
            cfg["tags"] = {"CostCenter": "cc-%04d" % rng.randint(0, 9999), "Owner": c + "@example.com"}
        if rng.random() < 0.15:
            configs[Comment(rng.choice(["High-performance analytics client", "Development/testing client",
                                        "Data science workloads", "Business intelligence"]))] = None
        configs[c] = cfg
    attrs["analytics_configs"] = configs
    attrs["default_tags"] = {"Environment": env_name, "ManagedBy": "terraform", "Layer": "04-standalone-compute"}
    if rng.random() < 0.3:
        attrs["user_data_extra"] = Heredoc(
            "#!/bin/bash\nset -euo pipefail\nyum install -y amazon-cloudwatch-agent\n"
            "echo \"analytics ready\" > /var/log/bootstrap.log\n", "EOF", rng.random() < 0.5)
    return attrs


def tf_compute(rng, env_name):
    """Seed 004: the compute layer per environment."""
    prod = env_name == "prod"
    attrs = {Comment("%s Environment" % env_name.capitalize()): None,
             "environment": env_name, "enable_eks": prod or rng.random() < 0.5, "enable_ecs": True,
             "lambda_log_level": "WARN" if prod else rng.choice(["DEBUG", "INFO"]),
             "eks_cluster_version": rng.choice(["1.27", "1.28", "1.29"]),
             "eks_cluster_endpoint_private_access": True,
             "eks_cluster_endpoint_public_access": not prod and rng.random() < 0.5}
    groups = {}
    for g in rng.sample(["general", "spot", "memory", "compute", "gpu", "system", "batch"], rng.randint(1, 5)):
        spot = g in ("spot", "batch")
        lo = 0 if spot else 1
        groups[g] = {"instance_types": rng.sample(["m5.large", "m5.xlarge", "m4.large", "c5.xlarge", "r5.large",
                                                   "g4dn.xlarge", "t3.large"], rng.randint(1, 3)),
                     "scaling_config": {"desired_size": rng.randint(lo, 3), "max_size": rng.choice([5, 10, 20]),
                                        "min_size": lo},
                     "capacity_type": "SPOT" if spot else "ON_DEMAND"}
        if rng.random() < 0.4:
            groups[g]["labels"] = {"workload": g}
            groups[g]["taints"] = [{"key": "dedicated", "value": g, "effect": "NO_SCHEDULE"}]
        if rng.random() < 0.3:
            groups[g]["disk_size"] = rng.choice([50, 100, 200])
    attrs["eks_node_groups"] = groups
    attrs["ecs_capacity_providers"] = ["FARGATE", "FARGATE_SPOT", "EC2"][:rng.randint(1, 3)]
    attrs["ecs_enable_container_insights"] = True
    services = {}
    for s in rng.sample([d + "-" + r for d in DOMAINS for r in ("app", "api", "worker")], rng.randint(2, 12)):
        cpu = rng.choice([256, 512, 1024, 2048])
        containers = [{"name": s.split("-")[0], "image": image_for(rng, s),
                       "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
                       "environment": [{"name": "ENVIRONMENT", "value": env_name},
                                       {"name": "LOG_LEVEL", "value": "info"}],
                       "essential": True}]
        services[s] = {"task_definition": {"family": s, "cpu": str(cpu), "memory": str(cpu * rng.choice([2, 4])),
                                           "containers": containers},
                       "desired_count": rng.randint(1, 6) if prod else 1}
        if rng.random() < 0.6:
            services[s]["load_balancer"] = {"alb_key": "main", "target_group_key": s.split("-")[0],
                                            "container_name": s.split("-")[0], "container_port": 8080}
        if rng.random() < 0.4:
            services[s]["autoscaling"] = {"min_capacity": 1, "max_capacity": rng.choice([4, 10]),
                                          "target_cpu": 70}
    attrs["ecs_services"] = services
    functions = {}
    for f in rng.sample([d + "-" + r for d in DOMAINS for r in ("handler", "processor", "authorizer")],
                        rng.randint(1, 10)):
        fn = {"function_name": f, "runtime": rng.choice(["python3.11", "python3.12", "nodejs20.x", "java17"]),
              "handler": "lambda_function.lambda_handler", "filename": f + ".zip",
              "memory_size": rng.choice([128, 256, 512, 1024, 3008]), "timeout": rng.choice([3, 30, 60, 900])}
        if rng.random() < 0.12:
            fn["environment_variables"] = {"ENVIRONMENT": Expr("var.environment"),
                                           "LOG_LEVEL": Expr("var.lambda_log_level")}
            fn["vpc_config"] = {
                "subnet_ids": Expr("data.terraform_remote_state.networking.outputs.private_subnet_ids"),
                "security_group_ids": Expr(
                    '[data.terraform_remote_state.networking.outputs.security_group_ids["lambda"]]')}
        else:
            fn["environment_variables"] = {"ENVIRONMENT": env_name, "LOG_LEVEL": attrs["lambda_log_level"],
                                           "TABLE_NAME": "%s-%s" % (f, env_name)}
        if rng.random() < 0.3:
            fn["reserved_concurrent_executions"] = rng.choice([10, 50, 100])
        if rng.random() < 0.2:
            fn["policy"] = Heredoc(json.dumps({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
                "Resource": "arn:aws:dynamodb:*:*:table/%s-*" % f}]}, indent=2), "POLICY", rng.random() < 0.5)
        functions[f] = fn
    attrs["lambda_functions"] = functions
    attrs["api_gateway_rest_apis"] = {"main": {"name": "main-api", "description": "Main REST API",
                                               "endpoint_configuration": {"types": ["REGIONAL"]}}}
    attrs["api_gateway_http_apis"] = {"fast": {
        "name": "fast-api", "description": "High-performance HTTP API",
        "cors_configuration": {"allow_origins": ["*"] if not prod else ["https://app.example.com"],
                               "allow_methods": ["GET", "POST", "PUT", "DELETE"],
                               "allow_headers": ["content-type", "authorization"]}}}
    if rng.random() < 0.5:
        attrs["tags"] = {"Environment": env_name, "Layer": "compute", "Owner": rng.choice(TEAMS)}
    return attrs


def gen_tfvars_file(rng):
    env_name = rng.choice(ENVS)
    style = rng.random()
    if style < 0.45:
        attrs, stack, base = tf_analytics(rng, env_name), "analytics", "terraform.tfvars"
    else:
        attrs, stack, base = tf_compute(rng, env_name), "compute", rng.choice(["terraform.tfvars",
                                                                               "terraform.auto.tfvars", env_name + ".tfvars"])
    w = HclWriter(rng)
    if rng.random() < 0.3:
        w.lines.append("/*\n * %s layer - %s\n * Generated for the stackaudit benchmark.\n */" % (stack, env_name))
    w.body(attrs)
    return w.text(), stack, env_name, base


def gen_tfvars(out, count, seed, manifest):
    for i in range(count):
        rng = random.Random("%d:tfvars:%d" % (seed, i))
        text, stack, env_name, base = gen_tfvars_file(rng)
        write(out, "tfvars/%s-%05d/%s/%s" % (stack, i, env_name, base), text, manifest, "tfvars", 1)


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def write(out, rel, text, manifest=None, fmt_name=None, documents=0):
    """Writes OUT/rel; a benchmark input is also recorded in the manifest."""
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    if manifest is not None:
        manifest.append((rel, fmt_name, documents, len(data)))


def generator_digest():
    with open(os.path.abspath(__file__), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


def main(argv):
    ap = argparse.ArgumentParser(description="Generate the stackaudit benchmark corpus.")
    ap.add_argument("out_dir")
    ap.add_argument("--k8s", type=int, default=20000, help="Kubernetes documents (default 20000)")
    ap.add_argument("--compose", type=int, default=5000, help="compose projects (default 5000)")
    ap.add_argument("--tfvars", type=int, default=5000, help="tfvars files (default 5000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply the three counts")
    ap.add_argument("--print-params", action="store_true",
                    help="print the params.json this invocation would write, and exit")
    a = ap.parse_args(argv)
    counts = {k: max(0, int(round(getattr(a, k) * a.scale))) for k in ("k8s", "compose", "tfvars")}
    params = dict(counts, seed=a.seed, version=GENERATOR_VERSION, generator=generator_digest())
    params_text = json.dumps(params, sort_keys=True) + "\n"
    if a.print_params:
        sys.stdout.write(params_text)
        return 0
    os.makedirs(a.out_dir, exist_ok=True)
    for sub in ("k8s", "compose", "tfvars"):
        shutil.rmtree(os.path.join(a.out_dir, sub), ignore_errors=True)
    stamp = os.path.join(a.out_dir, "params.json")
    if os.path.exists(stamp):
        os.remove(stamp)
    manifest = []
    nk8s = gen_k8s(a.out_dir, counts["k8s"], a.seed, manifest)
    gen_compose(a.out_dir, counts["compose"], a.seed, manifest)
    gen_tfvars(a.out_dir, counts["tfvars"], a.seed, manifest)
    manifest.sort()
    with open(os.path.join(a.out_dir, "manifest.tsv"), "w") as f:
        f.write("".join("%s\t%s\t%d\t%d\n" % row for row in manifest))
    with open(stamp, "w") as f:  # written last: its presence means "complete"
        f.write(params_text)
    mb = {}
    for _, fmt_name, _, size in manifest:
        mb[fmt_name] = mb.get(fmt_name, 0) + size / 1e6
    sys.stderr.write("gen_corpus: %d Kubernetes documents in %d files (%.1f MB), %d compose files "
                     "(%.1f MB), %d tfvars files (%.1f MB) in %s\n" % (
                         counts["k8s"], nk8s, mb.get("kubernetes", 0), counts["compose"], mb.get("compose", 0),
                         counts["tfvars"], mb.get("tfvars", 0), a.out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
