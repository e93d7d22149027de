#!/usr/bin/env bash
# build.sh - the one entry point: build, test, demo, bench.
#
#   ./build.sh            check dependencies (install them with apt-get when
#                         root), then build build/release/stackaudit
#   ./build.sh test       build, run every test (unit + CLI) in the release
#                         build and again under ASan+UBSan; ends with
#                         "N passed, N failed" and exits non-zero on failure
#   ./build.sh demo       build and run stackaudit on the bundled examples/
#   ./build.sh bench      build and run the benchmarks in bench/
#   ./build.sh clean      remove build/
#
# Environment: CC (compiler, default cc), JOBS (parallel make, default nproc).
set -euo pipefail
cd "$(dirname "$0")"

JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
APT_PACKAGES="build-essential pkg-config libyaml-dev libxml2-dev libpcre2-dev libsqlite3-dev libcurl4-openssl-dev libcmocka-dev python3"
# node + npm run the HCL differential test only. They are installed on their
# own, and only when missing: a machine whose nodejs comes from NodeSource
# already ships npm, and Debian's npm package conflicts with it.
APT_NODE_PACKAGES="nodejs npm"
PKGS="yaml-0.1 libxml-2.0 libpcre2-8 sqlite3 libcurl cmocka"

missing_deps() {
    local missing=()
    command -v "${CC:-cc}" >/dev/null 2>&1 || missing+=("C compiler")
    command -v make >/dev/null 2>&1 || missing+=("make")
    command -v pkg-config >/dev/null 2>&1 || { missing+=("pkg-config"); echo "${missing[*]}"; return; }
    for p in $PKGS; do pkg-config --exists "$p" || missing+=("$p"); done
    command -v python3 >/dev/null 2>&1 || missing+=("python3")
    echo "${missing[*]}"
}

ensure_node() { # best effort: without node/npm only the HCL differential test skips
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && return 0
    [ "$(id -u)" = 0 ] || return 0
    echo "build.sh: installing node and npm (for the HCL differential test) with apt-get" >&2
    apt-get update -qq || true
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $APT_NODE_PACKAGES >/dev/null ||
        echo "build.sh: could not install $APT_NODE_PACKAGES; the HCL differential test will be skipped" >&2
}

ensure_deps() {
    local missing
    missing=$(missing_deps)
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" = 0 ]; then
        echo "build.sh: installing missing dependencies ($missing) with apt-get" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # shellcheck disable=SC2086
        apt-get install -y -qq $APT_PACKAGES >/dev/null
        missing=$(missing_deps)
        [ -z "$missing" ] && return 0
        echo "build.sh: still missing after apt-get: $missing" >&2
        exit 1
    fi
    echo "build.sh: missing dependencies: $missing" >&2
    echo "Install them with:" >&2
    echo "  sudo apt-get install -y $APT_PACKAGES" >&2
    exit 1
}

build_variant() { # $1 = build dir, rest = make variables
    local dir=$1
    shift
    make -s -j"$JOBS" BUILD="$dir" "$@" tests
}

cmd=${1:-build}
case "$cmd" in
build)
    ensure_deps
    make -s -j"$JOBS" BUILD=build/release all
    echo "built build/release/stackaudit"
    ;;
test)
    ensure_deps
    ensure_node
    build_variant build/release
    build_variant build/asan SAN=1
    python3 tests/run_tests.py build/release build/asan
    ;;
demo)
    ensure_deps
    make -s -j"$JOBS" BUILD=build/release all
    bash examples/demo.sh build/release/stackaudit
    ;;
bench)
    ensure_deps
    make -s -j"$JOBS" BUILD=build/release all
    bash bench/run.sh build/release/stackaudit
    ;;
clean)
    rm -rf build
    ;;
-h | --help | help)
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    ;;
*)
    echo "build.sh: unknown command '$cmd' (try ./build.sh --help)" >&2
    exit 2
    ;;
esac
