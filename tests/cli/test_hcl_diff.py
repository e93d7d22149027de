"""test_hcl_diff.py - differential test of our HCL parser against HashiCorp's.

HashiCorp's own parser (hashicorp/hcl v2, with tmccombs/hcl2json on top) is
available from npm as hcl2-parser, built for JavaScript. Each file in
tests/hcl_diff/cases/ (the HCL snippets of the seed documents made into valid
files, plus files covering the grammar) is converted by it and by
`stackaudit inspect --tree`, and every literal value we produce must equal
HashiCorp's value at the same place:

  * attributes: every attribute must exist on both sides; a value that is a
    literal in our tree (scalar, or tuple/object of literals, at any depth)
    must be equal (strings exactly, numbers numerically, bools, null);
    expressions are only checked to be present (HashiCorp renders them as
    "${...}" strings);
  * blocks: types, labels, nesting and counts must match (hcl2json nests
    blocks as type -> label -> ... -> [body, ...]).

Files in tests/hcl_diff/invalid/ must be rejected by both parsers, ours with
an error diagnostic that has a position.

The only allowed skip is a missing node/npm. hcl2-parser is installed once
into build/hcl_diff/node_modules from the package.json / package-lock.json in
tests/hcl_diff/ (pinned version) and reused afterwards.
"""
import json
import math
import os
import shutil
import subprocess

import clitest

PACKAGE = "hcl2-parser"
MIN_CASES = 30


def _diff_dir(ctx):
    return os.path.join(ctx.root, "tests", "hcl_diff")


def _install_parser(ctx):
    """Returns the node_modules directory holding hcl2-parser."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        missing = " and ".join(n for n, p in (("node", node), ("npm", npm)) if not p)
        raise clitest.SkipTest(f"node/npm not found: {missing} not on PATH; "
                               "install Node.js to run the HashiCorp differential test")
    src = _diff_dir(ctx)
    prefix = os.path.join(ctx.root, "build", "hcl_diff")
    modules = os.path.join(prefix, "node_modules")
    with open(os.path.join(src, "package.json")) as f:
        wanted = json.load(f)["dependencies"][PACKAGE]
    installed = os.path.join(modules, PACKAGE, "package.json")
    if os.path.exists(installed):
        with open(installed) as f:
            if json.load(f).get("version") == wanted:
                return modules
    os.makedirs(prefix, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(os.path.join(src, name), os.path.join(prefix, name))
    p = subprocess.run([npm, "install", "--prefix", prefix, "--no-audit", "--no-fund",
                        "--ignore-scripts"], capture_output=True, text=True, timeout=600)
    if p.returncode != 0 or not os.path.exists(installed):
        raise AssertionError(f"npm install of {PACKAGE}@{wanted} into {prefix} failed "
                             f"(exit {p.returncode}):\n{(p.stdout + p.stderr)[-4000:]}")
    return modules


def _hashicorp(ctx, modules, paths):
    """{path: parsed hcl2json value, or an error string}."""
    script = os.path.join(_diff_dir(ctx), "hcl2json.js")
    p = subprocess.run(["node", script, modules, *paths], capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0, f"node {script} failed (exit {p.returncode}):\n{p.stderr[-4000:]}"
    raw = json.loads(p.stdout)
    return {path: json.loads(r["json"]) if r["ok"] else r["error"] for path, r in raw.items()}


def _ours(ctx, path):
    """(root mapping node or None, diagnostics, Result) from inspect --tree."""
    r = ctx.run("inspect", "--tree", path)
    try:
        doc = r.json()
    except ValueError:
        raise AssertionError(f"inspect --tree {path} did not print JSON: {r!r}")
    files = doc.get("files", [])
    assert len(files) == 1, f"inspect --tree {path}: expected one file entry, got {len(files)}"
    f = files[0]
    docs = f.get("documents", [])
    return (docs[0] if docs else None), f.get("diagnostics", []), r


class Diff:
    """Collects mismatches as 'file: path: what'."""

    def __init__(self, name):
        self.name, self.problems = name, []

    def add(self, path, what):
        self.problems.append(f"{self.name}: {path or '<top>'}: {what}")


def _short(value):
    s = json.dumps(value, ensure_ascii=False)
    return s if len(s) <= 80 else s[:77] + "..."


def _numbers_equal(a, b):
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return math.isclose(float(a), float(b), rel_tol=1e-15, abs_tol=0.0)


def _key_text(key):
    """Object key as hcl2json spells it, or None for expression keys."""
    if key["kind"] != "scalar":
        return None
    v = key["value"]
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    return str(v)


def _compare_value(ours, theirs, path, diff):
    kind = ours["kind"]
    if kind == "expression":
        return  # present is all we check
    if kind == "scalar":
        t, v = ours["type"], ours["value"]
        if t == "string":
            ok = isinstance(theirs, str) and theirs == v
        elif t in ("int", "float"):
            ok = (isinstance(theirs, (int, float)) and not isinstance(theirs, bool)
                  and _numbers_equal(v, theirs))
        elif t == "bool":
            ok = isinstance(theirs, bool) and theirs == v
        else:
            ok = theirs is None
        if not ok:
            diff.add(path, f"ours {t} {_short(v)}, HashiCorp {_short(theirs)}")
        return
    if kind == "sequence":
        items = ours["items"]
        if not isinstance(theirs, list):
            diff.add(path, f"ours a tuple, HashiCorp {_short(theirs)}")
        elif len(items) != len(theirs):
            diff.add(path, f"ours {len(items)} elements, HashiCorp {len(theirs)}")
        else:
            for i, (a, b) in enumerate(zip(items, theirs)):
                _compare_value(a, b, f"{path}[{i}]", diff)
        return
    if kind == "mapping":
        if not isinstance(theirs, dict):
            diff.add(path, f"ours an object, HashiCorp {_short(theirs)}")
            return
        literal, expr_keys = {}, 0
        for pair in ours["pairs"]:
            k = _key_text(pair["key"])
            if k is None:
                expr_keys += 1
            else:
                literal[k] = pair["value"]  # later keys win, as in HCL
        for k, v in literal.items():
            if k not in theirs:
                diff.add(path, f"key {k!r} missing in HashiCorp's object")
            else:
                _compare_value(v, theirs[k], f"{path}[{json.dumps(k, ensure_ascii=False)}]", diff)
        unmatched = [k for k in theirs if k not in literal]
        if len(unmatched) != expr_keys:
            diff.add(path, f"HashiCorp has keys {unmatched} where we have {expr_keys} "
                           "expression key(s)")
        return
    diff.add(path, f"unexpected node kind {kind!r} in a value")


def _count_bodies(label_tree):
    if isinstance(label_tree, list):
        return len(label_tree)
    if isinstance(label_tree, dict):
        return sum(_count_bodies(v) for v in label_tree.values())
    return 0


def _compare_body(body, theirs, path, diff):
    if not isinstance(theirs, dict):
        diff.add(path, f"HashiCorp has {_short(theirs)} where we have a body")
        return
    attrs, groups, per_type = {}, {}, {}
    for pair in body["pairs"]:
        v = pair["value"]
        if v["kind"] == "block":
            groups.setdefault((v["type"], tuple(v["labels"])), []).append(v["body"])
            per_type[v["type"]] = per_type.get(v["type"], 0) + 1
        else:
            attrs[pair["key"]["value"]] = v
    prefix = path + "." if path else ""
    for name in sorted(set(theirs) - set(attrs) - set(per_type)):
        diff.add(prefix + name, f"present in HashiCorp's output only: {_short(theirs[name])}")
    for name, value in attrs.items():
        if name not in theirs:
            diff.add(prefix + name, "attribute missing in HashiCorp's output")
        else:
            _compare_value(value, theirs[name], prefix + name, diff)
    for (btype, labels), bodies in groups.items():
        node, where = theirs.get(btype), prefix + btype
        for label in labels:
            if not isinstance(node, dict) or label not in node:
                diff.add(where, f"block label {label!r} missing in HashiCorp's output")
                break
            node, where = node[label], f"{where}[{json.dumps(label, ensure_ascii=False)}]"
        else:
            if not isinstance(node, list) or len(node) != len(bodies):
                count = len(node) if isinstance(node, list) else _short(node)
                diff.add(where, f"ours {len(bodies)} block(s), HashiCorp {count}")
                continue
            for i, (ours_body, their_body) in enumerate(zip(bodies, node)):
                _compare_body(ours_body, their_body, f"{where}[{i}]", diff)
    for btype, count in per_type.items():
        theirs_count = _count_bodies(theirs.get(btype))
        if theirs_count != count:
            diff.add(prefix + btype, f"ours {count} '{btype}' block(s), HashiCorp {theirs_count}")


def _case_files(ctx, sub):
    d = os.path.join(_diff_dir(ctx), sub)
    return sorted(os.path.join(d, n) for n in os.listdir(d)
                  if n.endswith((".tf", ".tfvars")))


def test_hcl_matches_hashicorp(ctx):
    cases = _case_files(ctx, "cases")
    assert len(cases) >= MIN_CASES, f"only {len(cases)} differential cases (want {MIN_CASES}+)"
    modules = _install_parser(ctx)
    reference = _hashicorp(ctx, modules, cases)
    problems = []
    for path in cases:
        name = os.path.relpath(path, ctx.root)
        diff = Diff(name)
        theirs = reference[path]
        if isinstance(theirs, str):
            diff.add("", f"case is not valid HCL for HashiCorp's parser: {theirs}")
        root, diags, r = _ours(ctx, path)
        errors = [d for d in diags if d.get("level") == "error"]
        if errors:
            diff.add("", "our parser failed: " + "; ".join(
                f"{d.get('line')}:{d.get('col')}: {d.get('message')}" for d in errors))
        elif root is None or root.get("kind") != "mapping":
            diff.add("", f"inspect --tree gave no body mapping: {r!r}")
        elif not isinstance(theirs, str):
            _compare_body(root, theirs, "", diff)
        problems += diff.problems
    assert not problems, (f"{len(problems)} mismatch(es) against HashiCorp's parser:\n  "
                          + "\n  ".join(problems))


def test_hcl_rejects_what_hashicorp_rejects(ctx):
    cases = _case_files(ctx, "invalid")
    assert cases, "no invalid cases in tests/hcl_diff/invalid"
    modules = _install_parser(ctx)
    reference = _hashicorp(ctx, modules, cases)
    problems = []
    for path in cases:
        name = os.path.relpath(path, ctx.root)
        if not isinstance(reference[path], str):
            problems.append(f"{name}: HashiCorp's parser accepts it; not an invalid case")
        _, diags, r = _ours(ctx, path)
        errors = [d for d in diags if d.get("level") == "error"]
        if not errors:
            problems.append(f"{name}: our parser accepted it (rc={r.rc})")
        elif not all(d.get("line", 0) > 0 and d.get("col", 0) > 0 for d in errors):
            problems.append(f"{name}: error without a position: {errors}")
        elif r.rc != 2:
            problems.append(f"{name}: exit code {r.rc}, expected 2 for an unparsable file")
    assert not problems, "\n  ".join(["invalid HCL not rejected alike:"] + problems)
