"""clitest.py - helpers for CLI tests (tests/cli/test_*.py).

A test is a function test_xxx(ctx). ctx.run(args...) runs the binary under
test and returns a Result with .rc, .out, .err and .json() ; ctx.tmp() gives a
fresh temporary directory removed after the module. Raise SkipTest(reason) to
skip with a printed reason; use plain assert to check values. read_pty(master)
collects what a program wrote to a pseudo-terminal (pty.openpty()).
"""
import json
import os
import shutil
import subprocess
import tempfile


class SkipTest(Exception):
    pass


def read_pty(master):
    """Reads the master side of a pseudo-terminal until every writer has
    closed the other side, closes it and returns the text."""
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the terminal's other side is closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return b"".join(chunks).decode(errors="replace")


class Result:
    def __init__(self, rc, out, err):
        self.rc, self.out, self.err = rc, out, err

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"Result(rc={self.rc}, out={self.out[-2000:]!r}, err={self.err[-2000:]!r})"


class Ctx:
    def __init__(self, root, binary, build):
        self.root, self.binary, self.build = root, binary, build
        self.corpus = os.path.normpath(os.path.join(root, "..", "shared", "corpus"))
        self.seeds = os.path.normpath(os.path.join(root, "..", "shared", "seeds"))
        self.fixtures = os.path.join(root, "tests", "fixtures")
        self._tmps = []

    def run(self, *args, cwd=None, env=None, stdin=None, timeout=600):
        e = dict(os.environ)
        e.pop("NO_COLOR", None)
        e["XDG_CACHE_HOME"] = e.get("SA_TEST_CACHE", os.path.join(self.tmp(), "cache"))
        if env:
            e.update(env)
        p = subprocess.run([self.binary, *map(str, args)], cwd=cwd or self.root, env=e,
                           input=stdin, capture_output=True, text=True, errors="replace",
                           timeout=timeout)
        return Result(p.returncode, p.stdout, p.stderr)

    def tmp(self):
        d = tempfile.mkdtemp(prefix="sa-test-")
        self._tmps.append(d)
        return d

    def write(self, directory, name, content, mode="w"):
        path = os.path.join(directory, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, mode) as f:
            f.write(content)
        return path

    def cleanup(self):
        for d in self._tmps:
            for root, dirs, _ in os.walk(d):
                for x in dirs:
                    try:
                        os.chmod(os.path.join(root, x), 0o755)
                    except OSError:
                        pass
            shutil.rmtree(d, ignore_errors=True)
        self._tmps = []
