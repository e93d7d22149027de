#!/usr/bin/env python3
"""verify_corpus.py - checks that stackaudit reads every generated input.

    python3 bench/verify_corpus.py STACKAUDIT_BIN CORPUS_DIR [--chunk 400]

Runs `STACKAUDIT_BIN inspect --compact` over the files listed in
CORPUS_DIR/manifest.tsv (written by gen_corpus.py), a chunk of files per run so
the JSON stays small, and checks for each file that it is reported with
status "ok", the expected format and the expected number of documents.

Prints one line per problem (PATH:LINE:COL: message for parse errors, which
are parser bugs: every generated file is valid YAML or HCL), then a summary of
the warnings stackaudit gave (distinct messages with a count and one
location), then "verify: N files ok, N problems". Exit status 0 when every
file checked out, 1 otherwise. Only the Python standard library is used.
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys


def read_manifest(corpus):
    rows = []
    with open(os.path.join(corpus, "manifest.tsv"), encoding="utf-8") as f:
        for line in f:
            path, fmt, docs, size = line.rstrip("\n").split("\t")
            rows.append((os.path.join(corpus, path), fmt, int(docs), int(size)))
    return rows


def inspect_chunk(binary, chunk):
    """Runs inspect on chunk; returns (json or None, exit code, stderr)."""
    proc = subprocess.run([binary, "inspect", "--compact"] + [r[0] for r in chunk],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        data = json.loads(proc.stdout.decode("utf-8"))
    except ValueError as e:
        return None, proc.returncode, "invalid JSON on stdout (%s); stderr: %s" % (
            e, proc.stderr.decode("utf-8", "replace")[:2000])
    return data, proc.returncode, proc.stderr.decode("utf-8", "replace")


def shape(message):
    """A warning message with names and numbers blanked, to group alike ones."""
    return re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "…", message)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("binary")
    ap.add_argument("corpus")
    ap.add_argument("--chunk", type=int, default=400, help="files per inspect run")
    a = ap.parse_args(argv)
    rows = read_manifest(a.corpus)
    problems = 0
    ok = 0
    warnings = collections.OrderedDict()

    def problem(text):
        nonlocal problems
        problems += 1
        print(text)

    for start in range(0, len(rows), a.chunk):
        chunk = rows[start:start + a.chunk]
        data, rc, err = inspect_chunk(a.binary, chunk)
        if data is None:
            problem("%s ... (%d files): exit %d, %s" % (chunk[0][0], len(chunk), rc, err))
            continue
        if rc not in (0, 2):
            problem("%s ... (%d files): inspect exited with %d: %s" % (chunk[0][0], len(chunk), rc, err[:2000]))
        by_path = {f["path"]: f for f in data.get("files", [])}
        for d in data.get("diagnostics", []):
            problem("run-level %s: %s (%s)" % (d.get("level"), d.get("message"), chunk[0][0]))
        for path, fmt, docs, _ in chunk:
            f = by_path.get(path)
            if f is None:
                problem("%s: missing from inspect output" % path)
                continue
            bad = False
            for d in f.get("diagnostics", []):
                where = "%s:%d:%d" % (path, d.get("line", 0), d.get("col", 0))
                if d.get("level") == "error":
                    problem("%s: error: %s" % (where, d.get("message")))
                    bad = True
                elif d.get("level") == "warning":
                    key = shape(d.get("message", ""))
                    if key not in warnings:
                        warnings[key] = [0, where, d.get("message")]
                    warnings[key][0] += 1
            if f.get("status") != "ok":
                if not bad:
                    problem("%s: status %s%s" % (path, f.get("status"),
                                                 ": " + f["skip_reason"] if "skip_reason" in f else ""))
                continue
            if f.get("format") != fmt:
                problem("%s: detected as %s, expected %s" % (path, f.get("format"), fmt))
                bad = True
            if f.get("documents") != docs:
                problem("%s: %s documents, expected %d" % (path, f.get("documents"), docs))
                bad = True
            if not bad:
                ok += 1
    if warnings:
        total = sum(w[0] for w in warnings.values())
        print("verify: %d warnings, %d distinct (count, first location, message):" % (total, len(warnings)))
        for count, where, message in sorted(warnings.values(), key=lambda w: -w[0])[:25]:
            print("  %7d  %s: %s" % (count, where, message))
    print("verify: %d files ok, %d problems" % (ok, problems))
    return 0 if problems == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
