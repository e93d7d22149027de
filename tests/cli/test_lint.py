"""CLI tests for `stackaudit lint`: output formats, exit codes, filters,
suppressions, configuration, baselines, user rules, determinism."""
import json
import os

import clitest

PRIV = """services:
  worker:
    image: acme/worker:1.2
    privileged: true
"""


def _lint(ctx, *args, **kw):
    return ctx.run("lint", "--rule", "CONTAINER-PRIVILEGED", *args, **kw)


def test_text_output_names_file_line_col_with_source_and_caret(ctx):
    d = ctx.tmp()
    p = ctx.write(d, "compose.yaml", PRIV)
    r = _lint(ctx, p)
    assert r.rc == 1, r  # critical >= default --fail-on high
    lines = r.out.splitlines()
    assert lines[0] == p
    assert lines[1].startswith(f"{p}:4:17: critical CONTAINER-PRIVILEGED container 'worker' runs privileged"), lines
    assert lines[2] == "    4 |     privileged: true"
    assert lines[3] == "      |                 ^~~~"
    assert lines[-1] == "1 finding in 1 file (1 critical)"
    assert "\033[" not in r.out  # not a TTY: no colors


def test_json_output_schema(ctx):
    d = ctx.tmp()
    p = ctx.write(d, "compose.yaml", PRIV)
    r = _lint(ctx, "--format", "json", p)
    assert r.rc == 1
    doc = r.json()
    assert doc["version"] == 1 and doc["tool"]["name"] == "stackaudit"
    assert doc["summary"]["findings"] == 1 and doc["summary"]["by_severity"]["critical"] == 1
    f = doc["findings"][0]
    assert f["rule_id"] == "CONTAINER-PRIVILEGED" and f["severity"] == "critical"
    assert f["category"] == "security" and f["file"] == p
    assert (f["start"]["line"], f["start"]["col"], f["end"]["line"], f["end"]["col"]) == (4, 17, 4, 21)
    assert f["fix_available"] is True and len(f["fingerprint"]) == 16


def test_fail_on_and_severity_filter(ctx):
    d = ctx.tmp()
    p = ctx.write(d, "compose.yaml", PRIV)
    assert _lint(ctx, "--fail-on", "critical", p).rc == 1
    r = ctx.run("lint", "--rule", "SA-IGNORE-WITHOUT-REASON", "--fail-on", "low", p)
    assert r.rc == 0 and "0 findings" in r.out
    r = _lint(ctx, "--severity", "critical", "--format", "json", p)
    assert r.json()["summary"]["findings"] == 1
    assert _lint(ctx, "--fail-on", "bogus", p).rc == 2
    r = ctx.run("lint", "--rule", "NO-SUCH-RULE", p)
    assert r.rc == 2 and "unknown rule 'NO-SUCH-RULE'" in r.err
    r = ctx.run("lint", "--skip-rule", "CONTAINER-PRIVILEGED", "--format", "json", p)
    assert all(f["rule_id"] != "CONTAINER-PRIVILEGED" for f in r.json()["findings"])


def test_inline_suppressions_line_above_same_line_and_file(ctx):
    d = ctx.tmp()
    above = ctx.write(d, "a/compose.yaml", PRIV.replace(
        "    privileged: true", "    # stackaudit:ignore CONTAINER-PRIVILEGED needs FUSE\n    privileged: true"))
    same = ctx.write(d, "b/compose.yaml", PRIV.replace(
        "privileged: true", "privileged: true  # stackaudit:ignore CONTAINER-PRIVILEGED needs FUSE"))
    other = ctx.write(d, "c/compose.yaml", PRIV.replace(
        "privileged: true", "privileged: true  # stackaudit:ignore CONTAINER-HOST-NETWORK wrong rule"))
    whole = ctx.write(d, "d/compose.yaml", "# stackaudit:ignore-file CONTAINER-PRIVILEGED legacy host\n" + PRIV)
    r = ctx.run("lint", "--rule", "CONTAINER-PRIVILEGED", "--format", "json", d)
    files = sorted(f["file"] for f in r.json()["findings"])
    assert files == [other], files


def test_ignore_without_reason_is_reported(ctx):
    d = ctx.tmp()
    p = ctx.write(d, "compose.yaml", PRIV.replace(
        "    privileged: true", "    # stackaudit:ignore CONTAINER-PRIVILEGED\n    privileged: true"))
    r = ctx.run("lint", "--rule", "CONTAINER-PRIVILEGED", "--rule", "SA-IGNORE-WITHOUT-REASON",
                "--format", "json", p)
    got = [(f["rule_id"], f["severity"], f["start"]["line"]) for f in r.json()["findings"]]
    assert got == [("SA-IGNORE-WITHOUT-REASON", "info", 4)], got
    assert r.rc == 0


def test_config_file_found_upward_disables_and_overrides(ctx):
    d = ctx.tmp()
    p = ctx.write(d, "svc/deploy/compose.yaml", PRIV)
    ctx.write(d, ".stackaudit.yaml", "severity:\n  CONTAINER-PRIVILEGED: low\nfail_on: medium\n")
    r = _lint(ctx, "--format", "json", os.path.join(d, "svc"))
    assert r.rc == 0, r  # low < medium
    assert r.json()["findings"][0]["severity"] == "low"
    ctx.write(d, ".stackaudit.yaml", "disable: [CONTAINER-PRIVILEGED]\n")
    r = ctx.run("lint", "--format", "json", os.path.join(d, "svc"))
    assert all(f["rule_id"] != "CONTAINER-PRIVILEGED" for f in r.json()["findings"])
    r = ctx.run("lint", "--no-config", "--rule", "CONTAINER-PRIVILEGED", "--format", "json", os.path.join(d, "svc"))
    assert len(r.json()["findings"]) == 1
    ctx.write(d, ".stackaudit.yaml", "disable: [CONTAINER-PRIVILEGED]\nbogus: 1\n")
    r = ctx.run("lint", os.path.join(d, "svc"))
    assert r.rc == 2 and ".stackaudit.yaml:2:1: error: unknown configuration key 'bogus'" in r.err, r
    ctx.write(d, ".stackaudit.yaml", "exclude: ['deploy']\n")
    r = _lint(ctx, "--format", "json", os.path.join(d, "svc"))
    assert r.json()["summary"]["files_scanned"] == 0


def test_baseline_hides_recorded_findings_across_line_shifts(ctx):
    d = ctx.tmp()
    p = ctx.write(d, "compose.yaml", PRIV)
    base = os.path.join(d, "baseline.json")
    r = _lint(ctx, "--write-baseline", base, p)
    assert r.rc == 1 and os.path.exists(base)
    assert json.load(open(base))["findings"][0]["rule_id"] == "CONTAINER-PRIVILEGED"
    # lines added above: still recognised
    ctx.write(d, "compose.yaml", "# a comment\n# another\n" + PRIV)
    r = _lint(ctx, "--baseline", base, "--format", "json", p)
    assert r.rc == 0 and r.json()["findings"] == [], r
    # a new occurrence in another service is not hidden
    ctx.write(d, "compose.yaml", PRIV + "  other:\n    image: x:1\n    privileged: true\n")
    r = _lint(ctx, "--baseline", base, "--format", "json", p)
    assert [f["start"]["line"] for f in r.json()["findings"]] == [7]
    r = _lint(ctx, "--baseline", os.path.join(d, "missing.json"), p)
    assert r.rc == 2


def test_user_rules_and_broken_user_rule(ctx):
    d = ctx.tmp()
    rules = os.path.join(d, "rules")
    ctx.write(rules, "team.yaml", """rules:
  - id: TEAM-NO-ALPINE
    title: Alpine images are not allowed here
    severity: medium
    category: reliability
    target: container
    when: {attr: image, regex: alpine}
    at: image
    message: "'{$name}' uses {image}"
    examples:
      - platform: compose
        fail: "services:\\n  a:\\n    image: nginx:alpine\\n"
        fail_line: 3
        pass: "services:\\n  a:\\n    image: nginx:1.25\\n"
""")
    p = ctx.write(d, "compose.yaml", "services:\n  a:\n    image: nginx:alpine\n")
    r = ctx.run("lint", "--rules", rules, "--rule", "TEAM-NO-ALPINE", "--format", "json", p)
    assert r.rc == 0, r
    assert [(f["rule_id"], f["message"]) for f in r.json()["findings"]] == [("TEAM-NO-ALPINE", "'a' uses nginx:alpine")]
    ctx.write(rules, "broken.yaml", "rules:\n  - id: BROKEN\n    title: x\n    severity: huge\n")
    r = ctx.run("lint", "--rules", rules, p)
    assert r.rc == 2
    assert f"{rules}/broken.yaml:4:15: error: unknown severity 'huge'" in r.err, r.err
    assert f"{rules}/broken.yaml:2:5: error: rule is missing required key 'category'" in r.err, r.err
    r = ctx.run("rules", "explain", "TEAM-NO-ALPINE", "--rules", rules)
    assert "TEAM-NO-ALPINE: Alpine images are not allowed here" in r.out


def test_jobs_output_is_identical(ctx):
    out = {}
    for j in ("1", "2", "4"):
        r = ctx.run("lint", "-j", j, "--format", "json", "examples", ctx.corpus)
        assert r.rc in (0, 1), r.err[-2000:]
        out[j] = r.out
    assert out["1"] == out["2"] == out["4"]


def test_rules_list_and_explain(ctx):
    r = ctx.run("rules", "list")
    assert r.rc == 0 and "CONTAINER-PRIVILEGED" in r.out and "critical" in r.out
    r = ctx.run("rules", "list", "--format", "json", "--category", "security")
    rules = r.json()
    assert rules and all(x["category"] == "security" for x in rules)
    r = ctx.run("rules", "list", "--platform", "terraform", "--format", "json")
    assert all(x["platforms"] in ("all",) or "terraform" in x["platforms"] for x in r.json())
    r = ctx.run("rules", "explain", "CONTAINER-PRIVILEGED")
    for needle in ("Why it matters", "What to do", "References", "Flagged (compose, line 4)", "Not flagged"):
        assert needle in r.out, needle
    assert ctx.run("rules", "explain", "NOPE").rc == 2
    assert ctx.run("rules", "--help").rc == 0


def test_every_command_has_help(ctx):
    for cmd in ("lint", "inspect", "rules", "pricing"):
        r = ctx.run(cmd, "--help")
        assert r.rc == 0 and "Usage: stackaudit" in r.out, (cmd, r)
    assert ctx.run("--help").rc == 0
    assert ctx.run("frobnicate").rc == 2


def _run_on_tty(ctx, args, env_extra):
    """Runs the binary with stdout on a pseudo-terminal; returns its output."""
    import pty
    import subprocess
    master, slave = pty.openpty()
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env.update(env_extra)
    p = subprocess.Popen([ctx.binary, *args], stdout=slave, stderr=subprocess.DEVNULL, env=env,
                         cwd=ctx.root)
    os.close(slave)
    text = clitest.read_pty(master)
    p.wait(timeout=60)
    return text


def test_colors_only_on_a_tty_and_never_with_no_color(ctx):
    d = ctx.tmp()
    p = ctx.write(d, "compose.yaml", PRIV)
    args = ["lint", "--rule", "CONTAINER-PRIVILEGED", p]
    colored = _run_on_tty(ctx, args, {})
    assert "\033[" in colored and "CONTAINER-PRIVILEGED" in colored, colored
    plain = _run_on_tty(ctx, args, {"NO_COLOR": "1"})
    assert "\033[" not in plain and "CONTAINER-PRIVILEGED" in plain, plain


SG = """resource "aws_security_group" "bastion" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]%s
  }
}
"""


def test_hcl_suppressions_in_every_comment_form(ctx):
    d = ctx.tmp()
    plain = ctx.write(d, "a/main.tf", SG % "")
    ctx.write(d, "b/main.tf", SG % "  # stackaudit:ignore TF-SSH-OPEN bastion, replaced next sprint")
    ctx.write(d, "c/main.tf", SG % "  // stackaudit:ignore TF-SSH-OPEN bastion, replaced next sprint")
    ctx.write(d, "d/main.tf", SG % "  /* stackaudit:ignore TF-SSH-OPEN bastion, replaced next sprint */")
    ctx.write(d, "e/main.tf", "// stackaudit:ignore-file TF-SSH-OPEN lab account only\n" + SG % "")
    r = ctx.run("lint", "--rule", "TF-SSH-OPEN", "--format", "json", d)
    got = [(f["file"], f["start"]["line"]) for f in r.json()["findings"]]
    assert got == [(plain, 6)], got
    assert r.rc == 1


K8S_APP = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
%s  namespace: NS
spec:
  template:
    spec:
%s      serviceAccountName: web
      containers:
        - name: web
          image: nginx:1.25
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: NS
"""


def test_cluster_findings_suppressed_and_fingerprinted_alike_in_every_format(ctx):
    # namespace and service-account findings are settled once every file is
    # read, from what lint kept of each file: in a JSON report, not even its
    # source text; suppressions and fingerprints must come out as in text
    d = ctx.tmp()
    plain = ctx.write(d, "a/app.yaml", (K8S_APP % ("", "")).replace("NS", "team-a"))
    ctx.write(d, "b/app.yaml", (K8S_APP % (
        "  # stackaudit:ignore K8S-NAMESPACE-NO-QUOTA quotas live in another repo\n",
        "      # stackaudit:ignore K8S-SA-TOKEN-AUTOMOUNT the app calls the API\n")).replace("NS", "team-b"))
    rules = ["--rule", "K8S-NAMESPACE-NO-QUOTA", "--rule", "K8S-SA-TOKEN-AUTOMOUNT"]
    r = ctx.run("lint", *rules, "--format", "json", d)
    got = sorted((f["rule_id"], f["file"], f["start"]["line"]) for f in r.json()["findings"])
    assert got == [("K8S-NAMESPACE-NO-QUOTA", plain, 5), ("K8S-SA-TOKEN-AUTOMOUNT", plain, 9)], got
    recorded = []
    for fmt in ("json", "text"):
        base = os.path.join(d, fmt + "-baseline.json")
        ctx.run("lint", *rules, "--format", fmt, "--write-baseline", base, d)
        recorded.append(json.load(open(base))["findings"])
    assert recorded[0] == recorded[1] and len(recorded[0]) == 2, recorded
