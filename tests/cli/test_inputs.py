"""CLI tests: hostile and broken inputs, and the real-world corpus.

Each bad file gets its own diagnostic with file:line:col where there is a
position, the run exits 2, and the good files of the same run are still
processed."""
import os

from clitest import SkipTest

GOOD_K8S = """apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: ClusterIP
"""

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
) + "apiVersion: v1\nkind: ConfigMap\n"


def _files(doc):
    return {os.path.basename(f["path"]): f for f in doc["files"]}


def _diag_lines(err, name):
    return [l for l in err.splitlines() if os.path.basename(l.split(":")[0]) == name]


def _as_nobody():
    if os.geteuid() == 0:
        os.setgid(65534)
        os.setuid(65534)


def test_hostile_inputs_each_diagnosed_good_files_still_processed(ctx):
    d = ctx.tmp()
    os.chmod(d, 0o755)
    ctx.write(d, "good.yaml", GOOD_K8S)
    ctx.write(d, "bomb.yaml", ALIAS_BOMB)
    ctx.write(d, "deep.yaml", "[" * 100000 + "]" * 100000 + "\n")
    ctx.write(d, "empty.yaml", "")
    ctx.write(d, "binary.yaml", b"apiVersion: v1\n\x00\x01\x02kind: Pod\n", mode="wb")
    ctx.write(d, "badutf8.yaml", b"apiVersion: v1\nkind: \xff\xfePod\n", mode="wb")
    secret = ctx.write(d, "unreadable.yaml", GOOD_K8S)
    os.chmod(secret, 0)
    os.symlink(os.path.join(d, "loop2.yaml"), os.path.join(d, "loop1.yaml"))
    os.symlink(os.path.join(d, "loop1.yaml"), os.path.join(d, "loop2.yaml"))
    for root, _, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            if not os.path.islink(p) and f != "unreadable.yaml":
                os.chmod(p, 0o644)

    import subprocess
    env = dict(os.environ, XDG_CACHE_HOME=d)
    p = subprocess.run([ctx.binary, "inspect", "--compact", d], capture_output=True, text=True,
                       errors="replace", env=env, preexec_fn=_as_nobody, timeout=120)
    assert p.returncode == 2, (p.returncode, p.stderr)
    import json
    files = _files(json.loads(p.stdout))
    # the good file is processed in full
    assert files["good.yaml"]["status"] == "ok", files["good.yaml"]
    assert [e["name"] for e in files["good.yaml"]["entities"]] == ["web"]
    err = p.stderr
    expect = {
        "bomb.yaml": "alias",
        "deep.yaml": "nesting deeper than 256",
        "empty.yaml": "empty file",
        "binary.yaml": "binary file",
        "badutf8.yaml": "invalid UTF-8",
        "unreadable.yaml": "Permission denied",
        "loop1.yaml": "symlink loop",
        "loop2.yaml": "symlink loop",
    }
    for name, needle in expect.items():
        lines = _diag_lines(err, name)
        assert lines, f"no diagnostic for {name}: {err}"
        assert any(needle in l and "error" in l for l in lines), (name, lines)
    # positions where the problem has one
    assert any(l.startswith(os.path.join(d, "badutf8.yaml") + ":2:7: error") for l in _diag_lines(err, "badutf8.yaml")), err
    assert any(l.startswith(os.path.join(d, "binary.yaml") + ":2:1: error") for l in _diag_lines(err, "binary.yaml")), err
    assert any(":1:" in l for l in _diag_lines(err, "deep.yaml")), err
    for name in ("bomb.yaml", "deep.yaml", "empty.yaml", "binary.yaml", "badutf8.yaml", "unreadable.yaml"):
        assert files[name]["status"] == "error", (name, files[name])


def test_limits_are_configurable(ctx):
    d = ctx.tmp()
    path = ctx.write(d, "nested.yaml", "apiVersion: v1\nkind: ConfigMap\ndata: " + "[" * 20 + "]" * 20 + "\n")
    assert ctx.run("inspect", path).rc == 0
    r = ctx.run("inspect", "--max-depth", "10", path)
    assert r.rc == 2 and "nesting deeper than 10 levels" in r.err, r
    r = ctx.run("inspect", "--max-file-size", "16", path)
    assert r.rc == 2 and "over the limit of 16 bytes" in r.err, r
    bomb = ctx.write(d, "b.yaml", "a: &a [1, 2, 3]\nb: [*a, *a, *a, *a]\napiVersion: v1\nkind: X\n")
    assert ctx.run("inspect", bomb).rc == 0
    r = ctx.run("inspect", "--max-nodes", "10", bomb)
    assert r.rc == 2 and "more than 10 nodes" in r.err, r
    r = ctx.run("inspect", "--max-nodes", "abc", bomb)
    assert r.rc == 2 and "invalid value 'abc'" in r.err, r


def test_syntax_errors_name_file_line_col_and_run_goes_on(ctx):
    d = ctx.tmp()
    ctx.write(d, "a-good.tfvars", 'region = "us-east-1"\n')
    ctx.write(d, "bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   bad: indent\n")
    ctx.write(d, "tabs.yaml", "services:\n\tweb:\n\t\timage: nginx\n")
    ctx.write(d, "quote.yaml", 'services:\n  web:\n    image: "nginx\n')
    ctx.write(d, "bad.tf", 'resource "aws_instance" "x" {\n  ami = \n}\n')
    ctx.write(d, "bad.tfvars.json", '{"a": 1,}\n')
    r = ctx.run("inspect", "--compact", d)
    assert r.rc == 2, r
    files = _files(r.json())
    assert files["a-good.tfvars"]["status"] == "ok"
    assert files["a-good.tfvars"]["entities"][0]["attrs"]["value"] == "us-east-1"
    for name in ("bad.yaml", "tabs.yaml", "quote.yaml", "bad.tf", "bad.tfvars.json"):
        assert files[name]["status"] == "error", name
        lines = _diag_lines(r.err, name)
        assert lines and all(l.count(":") >= 3 for l in lines), (name, r.err)
    assert any(":2:1: error" in l and "tab" in l for l in _diag_lines(r.err, "tabs.yaml")), r.err
    assert any("unterminated" in l for l in _diag_lines(r.err, "quote.yaml")), r.err
    assert any(":1:8: error" in l and "trailing comma" in l for l in _diag_lines(r.err, "bad.tfvars.json")), r.err


def test_other_yaml_skipped_with_reason_under_verbose(ctx):
    d = ctx.tmp()
    ctx.write(d, "values.yaml", "replicaCount: 2\n")
    ctx.write(d, "k.yaml", GOOD_K8S)
    r = ctx.run("inspect", d)
    assert r.rc == 0 and "values.yaml" not in r.err, r
    r = ctx.run("inspect", "--verbose", d)
    assert r.rc == 0
    assert "values.yaml: note: skipped: YAML without Kubernetes apiVersion/kind" in r.err, r
    files = _files(r.json())
    assert files["values.yaml"]["status"] == "skipped"


def test_exclude_and_skipped_directories(ctx):
    d = ctx.tmp()
    ctx.write(d, "app/k.yaml", GOOD_K8S)
    ctx.write(d, "vendor/k.yaml", GOOD_K8S)
    ctx.write(d, ".terraform/modules/m.tf", 'variable "x" {}\n')
    ctx.write(d, "node_modules/p/compose.yaml", "services: {}\n")
    r = ctx.run("inspect", "--exclude", "vendor", d)
    assert r.rc == 0, r
    paths = [os.path.relpath(f["path"], d) for f in r.json()["files"]]
    assert paths == ["app/k.yaml"], paths


def test_corpus_every_file_detected_and_parsed(ctx):
    if not os.path.isdir(ctx.corpus):
        raise SkipTest(f"corpus not found at {ctx.corpus}")
    r = ctx.run("inspect", "--compact", ctx.corpus)
    problems = [l for l in r.err.splitlines() if ": error:" in l]
    assert not problems, "\n".join(problems[:20])
    assert r.rc == 0, r.err[-3000:]
    files = r.json()["files"]
    by_format, docs = {}, {}
    for f in files:
        assert f["status"] == "ok", (f["path"], f["status"], f.get("skip_reason"))
        by_format[f["format"]] = by_format.get(f["format"], 0) + 1
        docs[f["format"]] = docs.get(f["format"], 0) + f["documents"]
    on_disk = {"compose": 0, "kubernetes": 0}
    for root, _, names in os.walk(ctx.corpus):
        for n in names:
            if n.endswith((".yaml", ".yml")):
                on_disk["compose" if "/compose/" in root + "/" else "kubernetes"] += 1
    assert by_format == on_disk, (by_format, on_disk)
    assert by_format == {"compose": 39, "kubernetes": 238}, by_format
    # every compose file yields containers; the k8s documents yield entities
    for f in files:
        assert f["entities"], f["path"]
    print(f"     corpus: {by_format} files, {docs} documents")
