#!/usr/bin/env bash
# demo.sh - runs stackaudit on the bundled examples (./build.sh demo).
# Usage: bash examples/demo.sh path/to/stackaudit
set -uo pipefail
bin=${1:-build/release/stackaudit}
cd "$(dirname "$0")/.."

echo "== stackaudit lint examples/"
"$bin" lint examples/
echo "(exit code $?: 1 means findings at or above --fail-on high)"
echo
echo "== stackaudit inspect examples/  (what was understood, per file)"
"$bin" inspect --compact examples/ | python3 -c '
import json, sys, collections
doc = json.load(sys.stdin)
for f in doc["files"]:
    kinds = collections.Counter(e["kind"] for e in f.get("entities", []))
    summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or f.get("skip_reason", "")
    print("  %-55s %-11s %s" % (f["path"], f["format"], summary))
'
echo
echo "== one container entity, with the source span of every attribute"
"$bin" inspect --compact examples/compose/single-host/docker-compose.yml | python3 -c '
import json, sys
doc = json.load(sys.stdin)
e = next(e for e in doc["files"][0]["entities"] if e["name"] == "postgres")
print(json.dumps({k: e[k] for k in ("kind", "name", "span", "attrs")}, indent=2)[:2500])
'
