#!/bin/sh
# pricing_bench.sh - how fast `stackaudit pricing update` ingests an AWS
# offer CSV, from a file and over loopback HTTP, with its peak memory, and
# how long 10,000 price lookups take.
#
# usage: bench/pricing_bench.sh [SIZE]     size of the generated offer file
#                                          (K/M/G suffix; default 1G)
# env:   BUILD   the build to measure (default build/release; built if missing)
#
# The offer file (bench/gen_offer_csv.py: the real 91-column EC2 header,
# rows shaped like the real ones, about 1% kept by the filter) is written
# under build/bench-pricing/ and deleted at the end. Peak RSS comes from
# /usr/bin/time -v when present, else from getrusage() of the child.
# Targets (issue 4): >= 150 MB/s from a file, peak RSS < 64 MB.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZE=${1:-1G}
BUILD=${BUILD:-build/release}
BIN="$ROOT/$BUILD/stackaudit"
WORK="$ROOT/build/bench-pricing"
SERVER_PID=

cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -x "$BIN" ] || [ ! -f "$ROOT/$BUILD/libstackaudit.a" ]; then
    make -C "$ROOT" -s -j2 BUILD="$BUILD"
fi
mkdir -p "$WORK"

echo "== generating a $SIZE offer CSV"
python3 "$ROOT/bench/gen_offer_csv.py" --size "$SIZE" --out "$WORK/offer.csv"
BYTES=$(wc -c < "$WORK/offer.csv")

# measure LABEL COMMAND... : wall time, MB/s of the offer file, peak RSS
measure() {
    label=$1
    shift
    if [ -x /usr/bin/time ]; then
        if ! /usr/bin/time -v -o "$WORK/time" "$@" > "$WORK/out" 2> "$WORK/err"; then
            cat "$WORK/err" "$WORK/out" >&2
            exit 1
        fi
        secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
                   for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$WORK/time")
        kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time")
        how="/usr/bin/time -v"
    else
        python3 - "$WORK/time" "$@" <<'EOF' > "$WORK/out" 2> "$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
import resource, subprocess, sys, time
t0 = time.monotonic()
rc = subprocess.call(sys.argv[2:])
secs = time.monotonic() - t0
kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(sys.argv[1], "w").write(f"{secs} {kb}\n")
sys.exit(rc)
EOF
        read -r secs kb < "$WORK/time"
        how="getrusage"
    fi
    awk -v l="$label" -v s="$secs" -v kb="$kb" -v b="$BYTES" -v how="$how" 'BEGIN {
        printf "%-26s %7.2f s  %7.1f MB/s  peak RSS %5.1f MB  (%s)\n",
               l, s, b / 1e6 / s, kb / 1024, how }'
    grep -h "kept" "$WORK/err" | sed 's/^/    /' || true
}

DB_FILE="$WORK/file.db"
DB_HTTP="$WORK/http.db"
"$BIN" pricing status --pricing-db "$DB_FILE" > /dev/null
"$BIN" pricing status --pricing-db "$DB_HTTP" > /dev/null

echo "== ingest ($(awk -v b="$BYTES" 'BEGIN { printf "%.1f MB", b / 1e6 }'), $BIN)"
measure "from a file" "$BIN" pricing update --file "$WORK/offer.csv" --pricing-db "$DB_FILE"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$WORK" "$PORT" > /dev/null 2>&1 &
SERVER_PID=$!
python3 - "$PORT" <<'EOF'
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        break
    except OSError:
        time.sleep(0.05)
EOF
measure "over loopback HTTP" env -u http_proxy -u HTTP_PROXY -u all_proxy -u ALL_PROXY \
    "$BIN" pricing update --no-progress --url "http://127.0.0.1:$PORT/offer.csv" \
    --pricing-db "$DB_HTTP"

echo "== lookups"
cc -O2 -std=c11 -D_GNU_SOURCE -I"$ROOT" $(pkg-config --cflags sqlite3) \
    "$ROOT/bench/pricing_lookup_bench.c" "$ROOT/$BUILD/libstackaudit.a" \
    $(pkg-config --libs yaml-0.1 libxml-2.0 libpcre2-8 sqlite3 libcurl) -lpthread -lm \
    -o "$WORK/lookup_bench"
"$BIN" pricing status --pricing-db "$WORK/default.db" > /dev/null
printf "built-in catalog:      "
"$WORK/lookup_bench" "$WORK/default.db" 10000
printf "after the ingest:      "
"$WORK/lookup_bench" "$DB_FILE" 10000
