#!/usr/bin/env python3
"""run_tests.py - runs every test of the given build directories and prints
one summary line "N passed, N failed[, N skipped]"; exits 1 on any failure.

Per build directory (e.g. build/release, build/asan):
  * each cmocka binary in <build>/tests/ (its own per-test counts are read);
  * each CLI test: functions named test_* in tests/cli/test_*.py, called with
    a Ctx giving the stackaudit binary under test. A CLI test raises
    SkipTest(reason) to skip (printed with the reason), AssertionError to fail.
"""
import importlib.util
import os
import re
import subprocess
import sys
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "cli"))

import clitest  # noqa: E402  (tests/cli/clitest.py)

passed = failed = skipped = 0
failures = []


def run_unit(build):
    global passed, failed
    tdir = os.path.join(ROOT, build, "tests")
    if not os.path.isdir(tdir):
        return
    for name in sorted(os.listdir(tdir)):
        path = os.path.join(tdir, name)
        if not os.access(path, os.X_OK) or os.path.isdir(path):
            continue
        env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="STDOUT", STACKAUDIT_ROOT=ROOT)
        t0 = time.time()
        try:
            p = subprocess.run([path], cwd=ROOT, env=env, capture_output=True, text=True,
                               errors="replace", timeout=900)
            out, rc = p.stdout + p.stderr, p.returncode
        except subprocess.TimeoutExpired:
            out, rc = "timed out after 900 s", -1
        ok = sum(int(m) for m in re.findall(r"\[  PASSED  \] (\d+) test", out))
        bad = sum(int(m) for m in re.findall(r"\[  FAILED  \] (\d+) test", out))
        if rc != 0 and bad == 0:
            bad = 1  # crashed or aborted before cmocka could count
        passed += ok
        failed += bad
        status = "ok" if bad == 0 else "FAIL"
        print(f"{status:4} {build}/tests/{name}: {ok} passed, {bad} failed ({time.time()-t0:.1f}s)")
        if bad:
            failures.append(f"{build}/tests/{name}")
            print("\n".join("     | " + l for l in out.splitlines()[-60:]))


def run_cli(build):
    global passed, failed, skipped
    cdir = os.path.join(ROOT, "tests", "cli")
    ctx = clitest.Ctx(ROOT, os.path.join(ROOT, build, "stackaudit"), build)
    for fname in sorted(os.listdir(cdir)):
        if not (fname.startswith("test_") and fname.endswith(".py")):
            continue
        spec = importlib.util.spec_from_file_location(fname[:-3], os.path.join(cdir, fname))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for tname in sorted(n for n in dir(mod) if n.startswith("test_")):
            label = f"{build} cli {fname[:-3]}.{tname}"
            try:
                getattr(mod, tname)(ctx)
                passed += 1
            except clitest.SkipTest as e:
                skipped += 1
                print(f"skip {label}: {e}")
            except Exception:  # noqa: BLE001 - any exception is a failure
                failed += 1
                failures.append(label)
                print(f"FAIL {label}")
                print("\n".join("     | " + l for l in traceback.format_exc().splitlines()[-25:]))
        ctx.cleanup()


def main():
    builds = sys.argv[1:] or ["build/release"]
    for b in builds:
        run_unit(b)
        run_cli(b)
    if failures:
        print("\nfailed:\n  " + "\n  ".join(failures))
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
