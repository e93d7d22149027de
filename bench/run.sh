#!/usr/bin/env bash
# run.sh - the stackaudit benchmark (called by `./build.sh bench`).
#
#   bash bench/run.sh STACKAUDIT_BIN
#
# 1. Generates the corpus into build/bench/corpus with bench/gen_corpus.py
#    (reused when its params.json matches the requested parameters).
# 2. Builds build/bench/yaml_baseline (bare libyaml event parse) and
#    build/bench/model_load (input_load() without output, linked against the
#    libstackaudit.a next to STACKAUDIT_BIN; skipped when that is missing).
# 3. Measures wall-clock time, best of BENCH_RUNS runs, stdout to /dev/null,
#    and prints one table: MB/s, files/s and the ratio to the bare libyaml
#    parse of the same files. Rows are also appended to build/bench/results.tsv.
# 4. Checks with bench/verify_corpus.py that stackaudit reads every generated
#    file with the expected format and document count; any parse error is a
#    parser bug and makes this script exit 1 (after the figures are printed).
#
# Environment:
#   BENCH_RUNS=3          runs per measurement (the best is kept)
#   BENCH_GEN_ARGS=...    generator options, e.g. "--scale 0.2" or
#                         "--k8s 40000 --compose 0 --tfvars 0" (default: none,
#                         i.e. 20000 k8s documents, 5000 compose, 5000 tfvars)
#   BENCH_VERIFY=0        skip step 4
#   BENCH_OUT=build/bench where the corpus, tools and results go
#
# Adding a measurement: write a bench_* function that calls measure (see
# below) and list it in main. Tests never assert on these times (DESIGN.md).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${1:-}
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
    echo "usage: bash bench/run.sh STACKAUDIT_BIN   (got '${BIN}': not an executable)" >&2
    exit 2
fi
BIN_DIR=$(cd "$(dirname "$BIN")" && pwd)
BIN="$BIN_DIR/$(basename "$BIN")"
OUT=${BENCH_OUT:-build/bench}
CORPUS=$OUT/corpus
RUNS=${BENCH_RUNS:-3}
read -r -a GEN_ARGS <<<"${BENCH_GEN_ARGS:-}"
CC=${CC:-cc}
PKGS=(yaml-0.1 libxml-2.0 libpcre2-8 sqlite3 libcurl) # as in the Makefile
JOBS_ALL=$(nproc 2>/dev/null || echo 2)
TABLE=$OUT/table.txt
RESULTS=$OUT/results.tsv
STATUS=0

log() { printf 'bench: %s\n' "$*" >&2; }

ensure_corpus() {
    local want have=""
    want=$(python3 bench/gen_corpus.py --print-params "${GEN_ARGS[@]}" "$CORPUS")
    [ -f "$CORPUS/params.json" ] && have=$(cat "$CORPUS/params.json")
    if [ "$want" = "$have" ] && [ -f "$CORPUS/manifest.tsv" ]; then
        log "reusing corpus $CORPUS"
    else
        log "generating corpus in $CORPUS (python3 bench/gen_corpus.py ${GEN_ARGS[*]})"
        python3 bench/gen_corpus.py "${GEN_ARGS[@]}" "$CORPUS"
    fi
}

build_tools() {
    mkdir -p "$OUT"
    # shellcheck disable=SC2046
    "$CC" -O2 -std=c11 -Wall -Wextra -o "$OUT/yaml_baseline" bench/yaml_baseline.c \
        $(pkg-config --cflags --libs yaml-0.1)
    rm -f "$OUT/model_load"
    if [ -f "$BIN_DIR/libstackaudit.a" ]; then
        # shellcheck disable=SC2046
        if ! "$CC" -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -I. $(pkg-config --cflags "${PKGS[@]}") \
            -o "$OUT/model_load" bench/model_load.c "$BIN_DIR/libstackaudit.a" \
            $(pkg-config --libs "${PKGS[@]}") -lpthread -lm; then
            log "could not build model_load against $BIN_DIR/libstackaudit.a; its rows are skipped"
            rm -f "$OUT/model_load"
        fi
    else
        log "no $BIN_DIR/libstackaudit.a: model_load rows are skipped"
    fi
}

# Lists (absolute paths) and byte counts per group of inputs, from the manifest.
make_lists() {
    local corpus_abs
    corpus_abs=$(cd "$CORPUS" && pwd)
    awk -F'\t' -v c="$corpus_abs" '$2=="kubernetes"||$2=="compose" {print c"/"$1}' \
        "$CORPUS/manifest.tsv" >"$OUT/yaml.list"
    awk -F'\t' -v c="$corpus_abs" '$2=="tfvars" {print c"/"$1}' "$CORPUS/manifest.tsv" \
        >"$OUT/tfvars.list"
    YAML_DIRS=("$corpus_abs/k8s" "$corpus_abs/compose")
    TFVARS_DIRS=("$corpus_abs/tfvars")
    read -r YAML_FILES YAML_BYTES K8S_DOCS K8S_FILES COMPOSE_FILES < <(awk -F'\t' '
        $2=="kubernetes" {n++; b+=$4; d+=$3; k++} $2=="compose" {n++; b+=$4; c++}
        END {print n+0, b+0, d+0, k+0, c+0}' "$CORPUS/manifest.tsv")
    read -r TFVARS_FILES TFVARS_BYTES < <(awk -F'\t' '$2=="tfvars" {n++; b+=$4}
        END {print n+0, b+0}' "$CORPUS/manifest.tsv")
    # keep every input in the page cache so the first timed run is not a cold read
    xargs -a "$OUT/yaml.list" cat >/dev/null
    xargs -a "$OUT/tfvars.list" cat >/dev/null
}

# time_best CMD...: runs CMD $RUNS times, stdout to /dev/null and stderr to
# $OUT/last.err; sets BEST (wall seconds of the fastest run), BEST_CPU (the
# least user+system seconds of a run, when /usr/bin/time is there; less
# sensitive than wall time to other load on the machine) and LAST_RC.
time_best() {
    local r t0 t1 cpu
    BEST="" BEST_CPU=""
    for ((r = 0; r < RUNS; r++)); do
        rm -f "$OUT/last.time"
        t0=$(date +%s.%N)
        set +e
        if [ -x /usr/bin/time ]; then
            /usr/bin/time -f '%U %S' -o "$OUT/last.time" "$@" >/dev/null 2>"$OUT/last.err"
        else
            "$@" >/dev/null 2>"$OUT/last.err"
        fi
        LAST_RC=$?
        set -e
        t1=$(date +%s.%N)
        BEST=$(awk -v a="$t0" -v b="$t1" -v best="$BEST" \
            'BEGIN { d = b - a; if (best == "" || d < best + 0) best = d; printf "%.3f", best }')
        cpu=$(awk 'END { if (NF == 2) printf "%.2f", $1 + $2 }' "$OUT/last.time" 2>/dev/null || true)
        if [ -n "$cpu" ]; then
            BEST_CPU=$(awk -v c="$cpu" -v best="$BEST_CPU" \
                'BEGIN { if (best == "" || c < best + 0) best = c; printf "%.2f", best }')
        fi
    done
}

# output_size CMD...: one extra, untimed run; sets OUT_BYTES (stdout size) and
# RSS_KB (peak resident set, when /usr/bin/time is there).
output_size() {
    RSS_KB=""
    set +e
    if [ -x /usr/bin/time ]; then
        OUT_BYTES=$(/usr/bin/time -f %M -o "$OUT/last.rss" "$@" 2>/dev/null | wc -c)
        RSS_KB=$(tail -n 1 "$OUT/last.rss" 2>/dev/null)
    else
        OUT_BYTES=$("$@" 2>/dev/null | wc -c)
    fi
    set -e
}

# measure INPUT LABEL FILES BYTES BASE_SECONDS SIZE(0|1) CMD...: times CMD and
# adds a row (BASE_SECONDS empty: no ratio; SIZE=1: also report the output
# size and peak memory, from one more, untimed run).
measure() {
    local input=$1 label=$2 files=$3 bytes=$4 base=$5 size=$6
    shift 6
    time_best "$@"
    local note=""
    if [ "$LAST_RC" -ne 0 ]; then
        note="exit $LAST_RC: $(head -n 1 "$OUT/last.err" | cut -c1-100)"
        STATUS=1
    fi
    OUT_BYTES="" RSS_KB=""
    [ "$size" = 1 ] && output_size "$@"
    add_row "$input" "$label" "$files" "$bytes" "$BEST" "$BEST_CPU" "$base" "$OUT_BYTES" "$RSS_KB" "$note"
}

add_row() {
    local input=$1 label=$2 files=$3 bytes=$4 secs=$5 cpu=$6 base=$7 out_bytes=$8 rss=$9 note=${10}
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$input" "$label" \
        "$files" "$bytes" "$secs" "$cpu" "$base" "$out_bytes" "$rss" "$note" >>"$RESULTS"
    awk -v input="$input" -v label="$label" -v files="$files" -v bytes="$bytes" -v s="$secs" \
        -v cpu="$cpu" -v base="$base" -v ob="$out_bytes" -v rss="$rss" -v note="$note" 'BEGIN {
        mbps = s > 0 ? bytes / 1e6 / s : 0
        fps = s > 0 ? files / s : 0
        ratio = base != "" && base > 0 ? sprintf("%.2fx", s / base) : "-"
        outmb = ob != "" ? sprintf("%.1f", ob / 1e6) : "-"
        rssmb = rss != "" ? sprintf("%.0f", rss / 1024) : "-"
        printf "%-7s %-38s %6d %6.1f %8.3f %7s %7.1f %8.0f %7s %8s %7s  %s\n", input, label, files,
            bytes / 1e6, s, cpu != "" ? cpu : "-", mbps, fps, ratio, outmb, rssmb, note
    }' | tee -a "$TABLE"
}

# ---- measurements (one function each; add new ones to main) ----

bench_yaml_libyaml() {
    measure YAML "libyaml event parse (yaml_baseline)" "$YAML_FILES" "$YAML_BYTES" "" 0 \
        "$OUT/yaml_baseline" -q -l "$OUT/yaml.list"
    YAML_BASE=$BEST
    YAML_BASE_CPU=$BEST_CPU
}

bench_yaml_model() {
    [ -x "$OUT/model_load" ] || return 0
    measure YAML "model: tree only (model_load)" "$YAML_FILES" "$YAML_BYTES" "$YAML_BASE" 0 \
        "$OUT/model_load" -q -l "$OUT/yaml.list"
    YAML_MODEL=$BEST
    YAML_MODEL_CPU=$BEST_CPU
    measure YAML "model: tree+entities (model_load -e)" "$YAML_FILES" "$YAML_BYTES" "$YAML_BASE" 0 \
        "$OUT/model_load" -e -q -l "$OUT/yaml.list"
}

bench_yaml_inspect() {
    measure YAML "inspect --tree --compact -j1" "$YAML_FILES" "$YAML_BYTES" "$YAML_BASE" 1 \
        "$BIN" inspect -j 1 --tree --compact "${YAML_DIRS[@]}"
    YAML_TREE=$BEST
    YAML_TREE_CPU=$BEST_CPU
    measure YAML "inspect --compact -j1 (entities)" "$YAML_FILES" "$YAML_BYTES" "$YAML_BASE" 1 \
        "$BIN" inspect -j 1 --compact "${YAML_DIRS[@]}"
    measure YAML "inspect --compact -j$JOBS_ALL (entities)" "$YAML_FILES" "$YAML_BYTES" "$YAML_BASE" 0 \
        "$BIN" inspect -j "$JOBS_ALL" --compact "${YAML_DIRS[@]}"
}

bench_tfvars() {
    if [ -x "$OUT/model_load" ]; then
        measure tfvars "model: tree only (model_load)" "$TFVARS_FILES" "$TFVARS_BYTES" "" 0 \
            "$OUT/model_load" -q -l "$OUT/tfvars.list"
    fi
    measure tfvars "inspect --tree --compact -j1" "$TFVARS_FILES" "$TFVARS_BYTES" "" 1 \
        "$BIN" inspect -j 1 --tree --compact "${TFVARS_DIRS[@]}"
    measure tfvars "inspect --tree -j1 (indented JSON)" "$TFVARS_FILES" "$TFVARS_BYTES" "" 1 \
        "$BIN" inspect -j 1 --tree "${TFVARS_DIRS[@]}"
    measure tfvars "inspect --compact -j1 (entities)" "$TFVARS_FILES" "$TFVARS_BYTES" "" 1 \
        "$BIN" inspect -j 1 --compact "${TFVARS_DIRS[@]}"
}

# LINT_OK ARGS...: stackaudit lint, where exit 1 (findings) counts as
# success; a command, not a function, so /usr/bin/time can run it.
LINT_OK=(bash -c '"$0" lint --no-config --format json "$@"; [ $? -le 1 ]' "$BIN")

bench_lint() {
    measure YAML "lint -j1" "$YAML_FILES" "$YAML_BYTES" "$YAML_BASE" 1 \
        "${LINT_OK[@]}" -j 1 "${YAML_DIRS[@]}"
    measure YAML "lint -j$JOBS_ALL" "$YAML_FILES" "$YAML_BYTES" "$YAML_BASE" 0 \
        "${LINT_OK[@]}" -j "$JOBS_ALL" "${YAML_DIRS[@]}"
    LINT_MEASURED=1
    measure tfvars "lint -j1" "$TFVARS_FILES" "$TFVARS_BYTES" "" 0 "${LINT_OK[@]}" -j 1 "${TFVARS_DIRS[@]}"
    measure tfvars "lint -j$JOBS_ALL" "$TFVARS_FILES" "$TFVARS_BYTES" "" 0 \
        "${LINT_OK[@]}" -j "$JOBS_ALL" "${TFVARS_DIRS[@]}"
}

# time_once CMD...: one run, stdout to /dev/null; sets ONCE (wall seconds).
time_once() {
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>"$OUT/last.err" || true
    t1=$(date +%s.%N)
    ONCE=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
}

# lint_verdicts: the targets of the lint issue (-j1 within 2x the bare
# parse; all cores at least 1.7x faster than -j1). The three commands run
# in rounds (bare parse, lint -j1, lint -jN), so that each ratio compares
# runs made under the same conditions on a machine whose speed drifts: the
# verdicts use the fastest run of each, and the median of the per-round
# ratios is printed beside them.
lint_verdicts() {
    [ -n "${LINT_MEASURED:-}" ] || return 0
    local r rounds=$((RUNS > 5 ? RUNS : 5)) base j1 jn ratios=""
    local best_base="" best_j1="" best_jn=""
    log "lint verdicts: $rounds interleaved rounds of the bare parse, lint -j1 and lint -j$JOBS_ALL"
    for ((r = 0; r < rounds; r++)); do
        time_once "$OUT/yaml_baseline" -q -l "$OUT/yaml.list"
        base=$ONCE
        time_once "${LINT_OK[@]}" -j 1 "${YAML_DIRS[@]}"
        j1=$ONCE
        time_once "${LINT_OK[@]}" -j "$JOBS_ALL" "${YAML_DIRS[@]}"
        jn=$ONCE
        ratios+="$base $j1 $jn"$'\n'
    done
    printf '%s' "$ratios" | awk -v j="$JOBS_ALL" -v n="$rounds" '
        NF == 3 { b[NR] = $1; s[NR] = $2; p[NR] = $3; r1[NR] = $2 / $1; rn[NR] = $2 / $3
                  if (NR == 1 || $1 < bb) bb = $1; if (NR == 1 || $2 < bs) bs = $2
                  if (NR == 1 || $3 < bp) bp = $3 }
        function median(a, k,   i, j, t) {
            for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
        END {
            r = bs / bb; sp = bs / bp
            printf "YAML lint -j1: %.2fx the bare libyaml parse (fastest of %d interleaved rounds: %.3f s vs %.3f s; median of the rounds: %.2fx) (target <= 2x): %s\n",
                r, n, bs, bb, median(r1, n), (r <= 2) ? "met" : "NOT met"
            printf "YAML lint -j%d: %.2fx faster than -j1 (fastest: %.3f s vs %.3f s; median of the rounds: %.2fx) (target >= 1.7x): %s\n",
                j, sp, bp, bs, median(rn, n), (sp >= 1.7) ? "met" : "NOT met" }' | tee -a "$TABLE"
}

# verdict NAME WALL CPU: the model-cost target of the foundation issue.
verdict() {
    local name=$1 secs=$2 cpu=$3
    [ -n "$secs" ] && [ -n "${YAML_BASE:-}" ] || return 0
    awk -v n="$name" -v s="$secs" -v b="$YAML_BASE" -v c="$cpu" -v bc="${YAML_BASE_CPU:-}" 'BEGIN {
        r = s / b
        cr = c != "" && bc > 0 ? sprintf(", %.2fx in CPU time", c / bc) : ""
        printf "%s: %.2fx the bare libyaml parse%s (target <= 1.5x): %s\n",
            n, r, cr, r <= 1.5 ? "met" : "NOT met" }' | tee -a "$TABLE"
}

header() {
    local cpu commit
    cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
    commit=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
    {
        echo "stackaudit benchmark - $(date -u +%F) - repository at $commit - $JOBS_ALL CPUs${cpu:+ ($cpu)}"
        echo "binary: $BIN; load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
        printf 'corpus: %s: %d Kubernetes documents in %d files + %d compose files = %.1f MB YAML; %d tfvars files = %.1f MB HCL\n' \
            "$CORPUS" "$K8S_DOCS" "$K8S_FILES" "$COMPOSE_FILES" "$(awk -v b="$YAML_BYTES" 'BEGIN{print b/1e6}')" \
            "$TFVARS_FILES" "$(awk -v b="$TFVARS_BYTES" 'BEGIN{print b/1e6}')"
        echo "seconds = wall clock of the fastest of $RUNS runs (stdout to /dev/null); cpu s = least user+sys"
        echo "of a run; MB = 10^6 bytes of input; MB/s and files/s from wall seconds; ratio = seconds /"
        echo "seconds of the bare libyaml parse of the same files; out MB = JSON written and RSS = peak"
        echo "resident memory, both from one more, untimed run"
        echo
        printf '%-7s %-38s %6s %6s %8s %7s %7s %8s %7s %8s %7s\n' input measurement files MB seconds \
            "cpu s" "MB/s" "files/s" ratio "out MB" "RSS MB"
    } | tee "$TABLE"
}

main() {
    ensure_corpus
    build_tools
    make_lists
    header
    bench_yaml_libyaml
    bench_yaml_model
    bench_yaml_inspect
    bench_tfvars
    bench_lint
    echo | tee -a "$TABLE"
    verdict "YAML model, tree only (model_load)" "${YAML_MODEL:-}" "${YAML_MODEL_CPU:-}"
    lint_verdicts
    if [ "${BENCH_VERIFY:-1}" != 0 ]; then
        log "verifying that every generated file is read (bench/verify_corpus.py)"
        if ! python3 bench/verify_corpus.py "$BIN" "$CORPUS" | tee "$OUT/verify.txt"; then
            STATUS=1
        fi
    fi
    log "table saved in $TABLE, rows appended to $RESULTS"
    return $STATUS
}

main
