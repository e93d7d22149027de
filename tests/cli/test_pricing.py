"""CLI tests: `stackaudit pricing` - the catalog on first use, update from
files and URLs, and every failure the issue lists. Each failure must give a
clear error, exit code 2, and leave the previous catalog byte-for-byte
intact and still used (the previous catalog is a refreshed one, so "still
used" is visible: its prices carry the fixture's SKUs).

A local HTTP server on 127.0.0.1 (an ephemeral port, started and stopped by
each test) serves the fixture offer files of tests/fixtures/pricing in the
real format, with ETag/Last-Modified, 304 answers to conditional requests,
404/500 answers, a transfer cut off halfway, a proxy endpoint and TLS."""
import contextlib
import hashlib
import http.server
import json
import os
import pty
import resource
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import urllib.parse

import clitest
from clitest import SkipTest

PROXY_VARS = {"http_proxy", "https_proxy", "all_proxy", "no_proxy", "ftp_proxy"}
SKU_M5 = "6C86BEPQVG73ZGGR"  # m5.large in the EC2 fixture (AWS GetProducts sample)


# --- helpers ---------------------------------------------------------------

def fixture(ctx, name):
    return os.path.join(ctx.fixtures, "pricing", name)


def read(path, mode="rb"):
    with open(path, mode) as f:
        return f.read()


def digest(path):
    return hashlib.sha256(read(path)).hexdigest()


def run(ctx, *args, env=None, preexec_fn=None, stderr=None, timeout=120):
    """Runs `stackaudit pricing ARGS` without any proxy from the caller's
    environment and with short retry delays."""
    e = {k: v for k, v in os.environ.items() if k.lower() not in PROXY_VARS}
    e["STACKAUDIT_RETRY_BASE_MS"] = "10"
    e.setdefault("XDG_CACHE_HOME", os.path.join(ctx.tmp(), "cache"))
    if env:
        e.update(env)
    p = subprocess.run([ctx.binary, "pricing", *map(str, args)], env=e, cwd=ctx.root,
                       capture_output=stderr is None, stderr=stderr,
                       stdout=subprocess.PIPE if stderr is not None else None,
                       text=True, errors="replace", timeout=timeout, preexec_fn=preexec_fn)
    return clitest.Result(p.returncode, p.stdout or "", p.stderr or "")


def status(ctx, db):
    r = run(ctx, "status", "--format", "json", "--pricing-db", db)
    assert r.rc == 0, r
    return r.json()


def show_m5(ctx, db, **kw):
    return run(ctx, "show", "m5.large", "--region", "us-east-1", "--service", "AmazonEC2",
               "--pricing-db", db, **kw)


def refreshed_catalog(ctx):
    """A catalog refreshed from the EC2 fixture: (dir, db path, sha256)."""
    d = ctx.tmp()
    os.chmod(d, 0o755)
    db = os.path.join(d, "pricing.db")
    r = run(ctx, "update", "--file", fixture(ctx, "AmazonEC2_offer_fixture.csv"),
            "--pricing-db", db)
    assert r.rc == 0, r
    assert f"SKU {SKU_M5}" in show_m5(ctx, db).out
    return d, db, digest(db)


def assert_kept(ctx, db, sha, **kw):
    """The previous catalog is byte-for-byte intact and still the one used."""
    assert digest(db) == sha, "the catalog file changed"
    leftovers = [f for f in os.listdir(os.path.dirname(db)) if ".new-" in f]
    assert not leftovers, leftovers
    r = show_m5(ctx, db, **kw)
    assert r.rc == 0, r
    assert f"0.096 USD per Hrs" in r.out and f"SKU {SKU_M5}" in r.out, r.out


def assert_failed(r, *needles):
    assert r.rc == 2, r
    assert "the previous catalog is unchanged and still used" in r.err, r.err
    for n in needles:
        assert n in r.err, (n, r.err)


class Server:
    """A threaded HTTP server on 127.0.0.1:<ephemeral>. routes maps a path to
    a function(handler); every request is logged as (raw path, headers)."""

    def __init__(self, routes, tls=None):
        outer = self
        self.routes, self.log = routes, []

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_GET(self):
                outer.log.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                path = urllib.parse.urlsplit(self.path).path
                route = outer.routes.get(path)
                if route is None:
                    send(self, 404, b"no such offer file\n")
                else:
                    route(self)

        class Quiet(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # clients that hang up on purpose (size cap, aborts)

        self.httpd = Quiet(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if tls:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.scheme = "https" if tls else "http"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    def url(self, path):
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"

    def requests(self, path):
        return [h for p, h in self.log if urllib.parse.urlsplit(p).path == path]

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@contextlib.contextmanager
def serving(routes, tls=None):
    s = Server(routes, tls)
    try:
        yield s
    finally:
        s.stop()


def send(h, code, body=b"", headers=()):
    h.send_response(code)
    for k, v in headers:
        h.send_header(k, v)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    if body and h.command != "HEAD":
        h.wfile.write(body)


def offer(body, etag='"v1-abc"', last_modified="Fri, 12 Sep 2025 22:53:08 GMT"):
    """Serves body with validators; answers 304 to a matching conditional request."""
    def route(h):
        if h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
            return
        send(h, 200, body, [("Content-Type", "text/csv"), ("ETag", etag),
                            ("Last-Modified", last_modified)])
    return route


def status_code(code):
    return lambda h: send(h, code, f"status {code}\n".encode())


def cut_halfway(body):
    """Announces the whole body, sends half, closes the connection."""
    def route(h):
        h.send_response(200)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body[:len(body) // 2])
        h.wfile.flush()
        h.close_connection = True
    return route


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# --- help, first use, show/status/export ------------------------------------

def test_help_for_every_subcommand(ctx):
    for args in (["--help"], ["update", "--help"], ["status", "--help"], ["show", "--help"],
                 ["export", "--help"]):
        r = run(ctx, *args)
        assert r.rc == 0, (args, r)
        assert r.out.startswith("Usage: stackaudit pricing"), (args, r.out)
    r = run(ctx, "update", "--help")
    assert "AmazonEC2, AmazonEKS, AWSELB" in r.out and "STACKAUDIT_PRICING_ENDPOINT" in r.out
    assert "https_proxy" in r.out


def test_usage_errors_exit_2_with_a_message(ctx):
    cases = [
        (["frobnicate"], "unknown command 'frobnicate'"),
        (["update", "--service", "AmazonNope"], "unknown or unsupported service 'AmazonNope'"),
        (["update", "--service", "AmazonMQ"], "AmazonMQ"),
        (["update", "--region", "US East!"], "invalid region 'US East!'"),
        (["update", "--max-size", "lots"], "invalid --max-size 'lots'"),
        (["update", "--retries", "-1"], "invalid value '-1' for --retries"),
        (["export"], "give --format csv"),
        (["export", "--format", "xml"], "unknown --format 'xml'"),
        (["show"], "which resource?"),
        (["status", "extra"], "unexpected argument 'extra'"),
    ]
    for args, needle in cases:
        r = run(ctx, *args)
        assert r.rc == 2, (args, r)
        assert needle in r.err, (args, r.err)


def test_first_use_creates_the_cache_from_the_builtin_list(ctx):
    d = ctx.tmp()
    r = run(ctx, "status", "--format", "json", env={"XDG_CACHE_HOME": d})
    assert r.rc == 0, r
    s = r.json()
    assert s["path"] == os.path.join(d, "stackaudit", "pricing.db")
    assert os.path.isfile(s["path"])
    assert s["schema_version"] == 2 and s["total_rows"] == 769 and not s["in_memory"]
    assert [x["kind"] for x in s["sources"]] == ["builtin"]
    rows = {(x["service"], x["region"]): x["rows"] for x in s["rows"]}
    assert rows[("AmazonEC2", "us-east-1")] == 137 and rows[("AmazonRDS", "eu-west-1")] == 20
    # HOME fallback when XDG_CACHE_HOME is unset (or relative), --pricing-db wins
    home = ctx.tmp()
    e = {k: v for k, v in os.environ.items() if k != "XDG_CACHE_HOME"}
    e.update(HOME=home, STACKAUDIT_RETRY_BASE_MS="10")
    p = subprocess.run([ctx.binary, "pricing", "status", "--format", "json"], env=e,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["path"] == os.path.join(home, ".cache", "stackaudit", "pricing.db")
    other = os.path.join(ctx.tmp(), "x.db")
    assert status(ctx, other)["path"] == other


def test_show_status_and_export_of_the_builtin_catalog(ctx):
    db = os.path.join(ctx.tmp(), "p.db")
    r = show_m5(ctx, db)
    assert r.rc == 0, r
    assert r.out.startswith("AmazonEC2 us-east-1 m5.large instance-hour (os=Linux tenancy=Shared): "
                            "0.096 USD per Hrs\n    source: built-in price list: "
                            "aws/karpenter-provider-aws@"), r.out
    r = run(ctx, "show", "db.t3.micro", "--region", "us-east-1", "--pricing-db", db,
            "--format", "json")
    rows = json.loads(r.out)
    assert {(x["engine"], x["deployment"], x["usd_text"]) for x in rows} == {
        ("PostgreSQL", "Single-AZ", "0.018"), ("PostgreSQL", "Multi-AZ", "0.036"),
        ("MySQL", "Single-AZ", "0.017"), ("MariaDB", "Single-AZ", "0.017")}
    r = run(ctx, "show", "m5.lrage", "--region", "us-east-1", "--service", "AmazonEC2",
            "--pricing-db", db)
    assert r.rc == 2 and "unknown AmazonEC2 resource 'm5.lrage'" in r.err, r
    r = run(ctx, "show", "m5.large", "--region", "ap-south-1", "--service", "AmazonEC2",
            "--pricing-db", db)
    assert r.rc == 2 and "pricing update --service AmazonEC2 --region ap-south-1" in r.err, r
    r = run(ctx, "status", "--pricing-db", db)
    assert r.rc == 0 and "total: 769 prices" in r.out, r
    assert "catalog version: schema 2; prices: built-in list\n" in r.out, r.out
    assert "builtin  pricing/data/aws_prices.csv" in r.out
    out = os.path.join(ctx.tmp(), "prices.csv")
    r = run(ctx, "export", "--format", "csv", "--output", out, "--pricing-db", db)
    assert r.rc == 0, r
    import csv
    rows = list(csv.DictReader(open(out, newline="")))
    assert len(rows) == 769
    m5 = [x for x in rows if x["resource"] == "m5.large" and x["region"] == "us-east-1"]
    assert len(m5) == 1 and m5[0]["usd_per_unit"] == "0.096" and m5[0]["unit"] == "Hrs"
    s3 = [x for x in rows if x["resource"] == "s3-standard" and x["component"] == "storage"]
    assert [(x["begin_range"], x["end_range"]) for x in s3] == [
        ("0", "51200"), ("51200", "512000"), ("512000", "")]
    r = run(ctx, "export", "--format", "csv", "--service", "AWSELB", "--pricing-db", db)
    assert r.rc == 0 and len(r.out.splitlines()) == 7, r


# --- updates that work -------------------------------------------------------

def test_update_from_a_file(ctx):
    d, db, _ = refreshed_catalog(ctx)
    s = status(ctx, db)
    src = [x for x in s["sources"] if x["kind"] == "file"]
    assert len(src) == 1 and src[0]["offer_code"] == "AmazonEC2"
    assert src[0]["offer_version"] == "20250912225308" and src[0]["rows"] == 4
    assert src[0]["publication_date"] == "2025-09-12T22:53:08Z"
    assert s["catalog_version"] == "schema 2; prices: built-in list, AmazonEC2 20250912225308"
    r = run(ctx, "show", "ebs-gp3", "--region", "us-east-2", "--component", "storage",
            "--pricing-db", db)
    assert "0.08 USD per GB-Mo, effective 2023-03-01" in r.out and "SKU M6UGCCQ3CDJQAA37" in r.out


def test_update_over_http_then_304_is_not_modified(ctx):
    body = read(fixture(ctx, "AmazonEC2_offer_fixture.csv"))
    db = os.path.join(ctx.tmp(), "p.db")
    with serving({"/ec2.csv": offer(body)}) as srv:
        r = run(ctx, "update", "--url", srv.url("/ec2.csv"), "--pricing-db", db)
        assert r.rc == 0, r
        assert r.out.startswith("updated: 4 prices from 1 source(s)"), r.out
        first = srv.requests("/ec2.csv")
        assert len(first) == 1 and "if-none-match" not in first[0]
        assert "stackaudit-pricing" in first[0]["user-agent"]
        s = status(ctx, db)
        url_src = [x for x in s["sources"] if x["kind"] == "url"][0]
        assert url_src["etag"] == '"v1-abc"'
        assert url_src["last_modified"] == "Fri, 12 Sep 2025 22:53:08 GMT"
        sha = digest(db)
        r = run(ctx, "update", "--url", srv.url("/ec2.csv"), "--pricing-db", db)
        assert r.rc == 0, r
        assert r.out.startswith("not modified: the catalog is unchanged"), r.out
        assert "not modified since the last download" in r.err
        second = srv.requests("/ec2.csv")[1]
        assert second["if-none-match"] == '"v1-abc"'
        assert second["if-modified-since"] == "Fri, 12 Sep 2025 22:53:08 GMT"
        assert digest(db) == sha
        assert f"SKU {SKU_M5}" in show_m5(ctx, db).out


def test_default_source_is_the_regional_offer_url(ctx):
    body = read(fixture(ctx, "AmazonEC2_offer_fixture.csv"))
    db = os.path.join(ctx.tmp(), "p.db")
    path = "/offers/v1.0/aws/AmazonEC2/current/us-east-1/index.csv"
    with serving({path: offer(body)}) as srv:
        r = run(ctx, "update", "--service", "AmazonEC2", "--region", "us-east-1",
                "--pricing-db", db, env={"STACKAUDIT_PRICING_ENDPOINT": srv.url("/")})
        assert r.rc == 0, r
        assert [p for p, _ in srv.log] == [path]
        # the regional file also has a us-east-2 row: it is not that source's
        # region, but the source still delivers us-east-1, so it is accepted
        assert "kept" in r.err
        # no offer file for that region on the server: HTTP 404, nothing changes
        sha = digest(db)
        r = run(ctx, "update", "--service", "AmazonEC2", "--region", "eu-west-3",
                "--pricing-db", db, env={"STACKAUDIT_PRICING_ENDPOINT": srv.url("")})
        assert r.rc == 2 and "HTTP 404" in r.err, r
        assert digest(db) == sha


def test_proxy_from_the_environment(ctx):
    body = read(fixture(ctx, "AmazonEC2_offer_fixture.csv"))
    db = os.path.join(ctx.tmp(), "p.db")
    with serving({"/offers/ec2.csv": offer(body)}) as proxy:
        r = run(ctx, "update", "--url", "http://pricing.example.invalid/offers/ec2.csv",
                "--pricing-db", db, env={"http_proxy": proxy.url("")})
        assert r.rc == 0, r
        # the request reached the proxy in absolute form
        assert proxy.log[0][0] == "http://pricing.example.invalid/offers/ec2.csv", proxy.log
        assert proxy.log[0][1]["host"] == "pricing.example.invalid"


# --- failures: exit 2, previous catalog intact and used ---------------------

def test_connection_refused(ctx):
    d, db, sha = refreshed_catalog(ctx)
    url = f"http://127.0.0.1:{free_port()}/ec2.csv"
    r = run(ctx, "update", "--url", url, "--retries", "2", "--pricing-db", db)
    assert_failed(r, url, "cannot connect", "(after retries)")
    assert r.err.count("retrying (attempt") == 2, r.err
    assert_kept(ctx, db, sha)


def test_http_404_is_not_retried(ctx):
    d, db, sha = refreshed_catalog(ctx)
    with serving({"/gone.csv": status_code(404)}) as srv:
        r = run(ctx, "update", "--url", srv.url("/gone.csv"), "--pricing-db", db)
        assert_failed(r, "HTTP 404 from the server")
        assert len(srv.requests("/gone.csv")) == 1
    assert_kept(ctx, db, sha)


def test_http_500_is_retried_with_backoff(ctx):
    d, db, sha = refreshed_catalog(ctx)
    body = read(fixture(ctx, "AWSLambda_offer_fixture.csv"))
    calls = {"n": 0}

    def flaky(h):
        calls["n"] += 1
        if calls["n"] <= 2:
            status_code(500)(h)
        else:
            offer(body)(h)

    with serving({"/always.csv": status_code(500), "/flaky.csv": flaky}) as srv:
        r = run(ctx, "update", "--url", srv.url("/always.csv"), "--retries", "3",
                "--pricing-db", db)
        assert_failed(r, "HTTP 500 from the server", "(after retries)")
        assert len(srv.requests("/always.csv")) == 4
        assert r.err.count("retrying (attempt") == 3
        assert_kept(ctx, db, sha)
        # two 500s, then the file: the update succeeds on the third attempt
        r = run(ctx, "update", "--url", srv.url("/flaky.csv"), "--retries", "3",
                "--pricing-db", db)
        assert r.rc == 0, r
        assert len(srv.requests("/flaky.csv")) == 3
        assert "retrying (attempt 2 of 4)" in r.err and "retrying (attempt 3 of 4)" in r.err
    # the waits grow: measured with a 200 ms base the three retries take
    # at least 200 + 400 + 800 ms (exponential backoff)
    import time
    with serving({"/always.csv": status_code(503)}) as srv:
        t0 = time.monotonic()
        r = run(ctx, "update", "--url", srv.url("/always.csv"), "--retries", "3",
                "--pricing-db", db, env={"STACKAUDIT_RETRY_BASE_MS": "200"})
        elapsed = time.monotonic() - t0
        assert r.rc == 2 and elapsed >= 1.4, (elapsed, r)


def test_timeouts(ctx):
    d, db, sha = refreshed_catalog(ctx)
    import time

    def stall(h):
        h.send_response(200)
        h.send_header("Content-Length", "100000")
        h.end_headers()
        h.wfile.write(b'"FormatVersion","v1.0"\n')
        h.wfile.flush()
        time.sleep(3)

    with serving({"/slow.csv": stall}) as srv:
        t0 = time.monotonic()
        r = run(ctx, "update", "--url", srv.url("/slow.csv"), "--timeout", "1", "--retries", "1",
                "--pricing-db", db)
        assert_failed(r, "timed out", "(after retries)")
        assert len(srv.requests("/slow.csv")) == 2
        assert time.monotonic() - t0 < 10
    assert_kept(ctx, db, sha)


def test_transfer_cut_off_in_the_middle(ctx):
    d, db, sha = refreshed_catalog(ctx)
    body = read(fixture(ctx, "AmazonEC2_offer_fixture.csv"))
    with serving({"/cut.csv": cut_halfway(body)}) as srv:
        r = run(ctx, "update", "--url", srv.url("/cut.csv"), "--retries", "1",
                "--pricing-db", db)
        assert_failed(r, "the transfer was cut off after")
        assert len(srv.requests("/cut.csv")) == 2
    assert_kept(ctx, db, sha)


def test_truncated_or_malformed_csv(ctx):
    d, db, sha = refreshed_catalog(ctx)
    body = read(fixture(ctx, "AmazonEC2_offer_fixture.csv"))
    m5 = body.index(SKU_M5.encode() + b'","JRTCKXETXF"')
    inside_quotes = body[:body.index(b"per On Demand", m5)]
    at_field_end = body[:body.index(b',"Hrs"', m5)]
    extra_fields = body[:body.index(b"\n", m5)] + b',"x","y"\n'
    routes = {"/quote.csv": offer(inside_quotes), "/fields.csv": offer(at_field_end),
              "/extra.csv": offer(extra_fields),
              "/html.csv": offer(b"<!DOCTYPE html>\n<html><body>Service Unavailable, "
                                 b"please retry later</body></html>\n")}
    with serving(routes) as srv:
        cases = [("/quote.csv", ":51:1: error: malformed CSV: the input ends inside the quoted "
                                "field that starts on line 51 (truncated file?)"),
                 ("/fields.csv", ":51:1: error: 8 fields, but the header on line 6 has 91 "
                                 "(truncated or malformed row)"),
                 ("/extra.csv", ":51:1: error: 93 fields, but the header on line 6 has 91"),
                 ("/html.csv", "not an AWS offer-file CSV")]
        for path, needle in cases:
            r = run(ctx, "update", "--url", srv.url(path), "--pricing-db", db)
            assert_failed(r, srv.url(path) + (needle if needle.startswith(":") else ""), needle)
    # the same from a local file
    bad = os.path.join(ctx.tmp(), "bad.csv")
    with open(bad, "wb") as f:
        f.write(inside_quotes)
    r = run(ctx, "update", "--file", bad, "--pricing-db", db)
    assert_failed(r, bad + ":51:1: error: malformed CSV")
    assert_kept(ctx, db, sha)


def test_unexpected_columns(ctx):
    d, db, sha = refreshed_catalog(ctx)
    text = read(fixture(ctx, "AmazonEC2_offer_fixture.csv")).decode()
    lines = text.split("\n")
    lines[5] = lines[5].replace('"Tenancy"', '"Tenancy Type"')  # renamed column
    renamed = "\n".join(lines).encode()
    sp = (b"FormatVersion,v1.0\nOfferCode,AWSComputeSavingsPlan\n"
          b"SKU,RateCode,Unit,EffectiveDate,DiscountedRate,Currency,DiscountedSKU\n")
    with serving({"/renamed.csv": offer(renamed), "/sp.csv": offer(sp)}) as srv:
        r = run(ctx, "update", "--url", srv.url("/renamed.csv"), "--pricing-db", db)
        assert_failed(r, ":6:1: error: unexpected columns: the header has no \"Tenancy\" column, "
                         "which AmazonEC2 offer files have (91 columns found")
        r = run(ctx, "update", "--url", srv.url("/sp.csv"), "--pricing-db", db)
        assert_failed(r, ":3:1: error: AWSComputeSavingsPlan offer files are not supported")
    assert_kept(ctx, db, sha)


def test_service_and_region_sanity_checks(ctx):
    d, db, sha = refreshed_catalog(ctx)
    ec2 = fixture(ctx, "AmazonEC2_offer_fixture.csv")
    r = run(ctx, "update", "--file", ec2, "--service", "AmazonRDS", "--pricing-db", db)
    assert_failed(r, "this is an AmazonEC2 offer file, but --service asked for AmazonRDS")
    r = run(ctx, "update", "--file", ec2, "--region", "us-east-1,eu-central-1", "--pricing-db", db)
    assert_failed(r, "--region eu-central-1 asked, but this AmazonEC2 offer file has no usable "
                     "price for it")
    r = run(ctx, "update", "--file", fixture(ctx, "AmazonEC2_global_offer_excerpt.csv"),
            "--pricing-db", db)
    assert_failed(r, "no usable prices: none of the 44 rows of this AmazonEC2 offer file")
    assert_kept(ctx, db, sha)


def test_size_cap(ctx):
    d, db, sha = refreshed_catalog(ctx)
    body = read(fixture(ctx, "AmazonEC2_offer_fixture.csv"))
    with serving({"/big.csv": offer(body)}) as srv:
        r = run(ctx, "update", "--url", srv.url("/big.csv"), "--max-size", "10K",
                "--pricing-db", db)
        assert_failed(r, "larger than the size cap of 10240 bytes")
    assert_kept(ctx, db, sha)


def test_tls_verification_is_always_on(ctx):
    if not shutil.which("openssl"):
        raise SkipTest("openssl is not installed (needed to make a self-signed certificate)")
    d, db, sha = refreshed_catalog(ctx)
    key, cert = os.path.join(d, "k.pem"), os.path.join(d, "c.pem")
    p = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                        "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1"], capture_output=True)
    if p.returncode != 0:
        raise SkipTest("openssl cannot make a certificate: " + p.stderr.decode()[-200:])
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    body = read(fixture(ctx, "AmazonEC2_offer_fixture.csv"))
    with serving({"/ec2.csv": offer(body)}, tls=tls) as srv:
        r = run(ctx, "update", "--url", srv.url("/ec2.csv"), "--pricing-db", db)
        assert_failed(r, "TLS verification failed (it is never switched off)")
    assert_kept(ctx, db, sha)


def _as_nobody():
    os.setgid(65534)
    os.setuid(65534)


def test_read_only_cache_directory(ctx):
    d, db, sha = refreshed_catalog(ctx)
    lam = os.path.join(d, "lambda.csv")
    shutil.copy(fixture(ctx, "AWSLambda_offer_fixture.csv"), lam)
    os.chmod(lam, 0o644)
    os.chmod(db, 0o644)
    # 1. as an unprivileged user (root ignores permissions): the directory is
    #    root's, 0755
    if os.geteuid() == 0:
        r = run(ctx, "update", "--file", lam, "--pricing-db", db, preexec_fn=_as_nobody)
        assert_failed(r, "cannot write a new catalog next to this one", "Permission denied")
        assert_kept(ctx, db, sha, preexec_fn=_as_nobody)  # still readable and used
        assert_kept(ctx, db, sha)
    # 2. for anyone: the catalog's parent is a regular file
    blocker = os.path.join(ctx.tmp(), "not-a-dir")
    with open(blocker, "w") as f:
        f.write("x")
    r = run(ctx, "update", "--file", lam, "--pricing-db", os.path.join(blocker, "pricing.db"))
    assert r.rc == 2 and "Not a directory" in r.err, r
    # reading still works there: the built-in list from memory, with a warning
    r = run(ctx, "show", "m5.large", "--region", "us-east-1", "--pricing-db",
            os.path.join(blocker, "pricing.db"))
    assert r.rc == 0 and "0.096 USD per Hrs" in r.out, r
    assert "using the built-in price list from memory" in r.err


def _file_size_limit(limit):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG, not a signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_full_cache_directory_simulated_with_a_file_size_limit(ctx):
    """A full disk, simulated without privileges: RLIMIT_FSIZE makes every
    write past 64 KiB fail (EFBIG) the way ENOSPC would."""
    d, db, sha = refreshed_catalog(ctx)
    r = run(ctx, "update", "--file", fixture(ctx, "AWSLambda_offer_fixture.csv"),
            "--pricing-db", db, preexec_fn=_file_size_limit(64 * 1024))
    assert_failed(r, "writing the new catalog failed: disk I/O error (is the disk full, or a "
                     "file size limit reached?)")
    assert_kept(ctx, db, sha)


def test_full_cache_directory_on_a_small_tmpfs(ctx):
    """A really full file system: a 1.5 MiB tmpfs in a private mount
    namespace (needs privileges; skipped where mounting is not allowed)."""
    if not shutil.which("unshare"):
        raise SkipTest("unshare is not installed")
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                            "d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs \"$d\""],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        raise SkipTest("cannot mount a tmpfs here: " + probe.stderr.strip()[-200:])
    d = ctx.tmp()
    out = os.path.join(d, "out")
    os.mkdir(out)
    script = """
set -u
mnt="$1"; out="$2"; bin="$3"; ec2="$4"; lam="$5"
mkdir -p "$mnt" && mount -t tmpfs -o size=1536k tmpfs "$mnt" || exit 90
db="$mnt/pricing.db"
STACKAUDIT_RETRY_BASE_MS=10 "$bin" pricing update --file "$ec2" --pricing-db "$db" >/dev/null 2>&1 || exit 91
sha256sum "$db" | cut -d' ' -f1 > "$out/before"
# leave about 200 KiB free: less than a new catalog needs
free=$(df -k --output=avail "$mnt" | tail -1)
dd if=/dev/zero of="$mnt/filler" bs=1k count=$((free - 200)) 2>/dev/null
"$bin" pricing update --file "$lam" --pricing-db "$db" > "$out/stdout" 2> "$out/stderr"
echo $? > "$out/rc"
sha256sum "$db" | cut -d' ' -f1 > "$out/after"
ls -a "$mnt" > "$out/ls"
"$bin" pricing show m5.large --region us-east-1 --pricing-db "$db" > "$out/show" 2>&1
"""
    p = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh",
                        os.path.join(d, "mnt"), out, ctx.binary,
                        fixture(ctx, "AmazonEC2_offer_fixture.csv"),
                        fixture(ctx, "AWSLambda_offer_fixture.csv")],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, (p.returncode, p.stderr)
    rc = int(read(os.path.join(out, "rc"), "r"))
    err = read(os.path.join(out, "stderr"), "r")
    assert rc == 2, err
    assert "database or disk is full" in err or "No space left on device" in err, err
    assert "the previous catalog is unchanged and still used" in err
    assert read(os.path.join(out, "before")) == read(os.path.join(out, "after"))
    assert ".new-" not in read(os.path.join(out, "ls"), "r")
    assert f"SKU {SKU_M5}" in read(os.path.join(out, "show"), "r")


def test_corrupted_cache_is_reported_and_rebuilt(ctx):
    d, db, sha = refreshed_catalog(ctx)
    # 1. garbage instead of a database
    with open(db, "wb") as f:
        f.write(b"\x00garbage, not SQLite\n" * 100)
    r = run(ctx, "status", "--pricing-db", db)
    assert r.rc == 0, r
    assert "warning: the price catalog was corrupted (file is not a database); moved it to " \
           f"{db}.corrupt and rebuilt it from the built-in price list" in r.err, r.err
    assert "total: 769 prices" in r.out and "builtin" in r.out
    assert read(db + ".corrupt").startswith(b"\x00garbage")
    # 2. damaged pages inside a real catalog: found by PRAGMA quick_check
    size = os.path.getsize(db)
    with open(db, "r+b") as f:
        f.seek((size // 2) & ~4095)
        f.write(b"\x5a" * 4096)
    r = show_m5(ctx, db)
    assert r.rc == 0, r
    assert "the price catalog was corrupted" in r.err and "rebuilt it" in r.err, r.err
    assert "0.096 USD per Hrs" in r.out and "built-in price list" in r.out
    # the rebuilt catalog is healthy: no warning the next time
    r = run(ctx, "status", "--pricing-db", db)
    assert r.rc == 0 and r.err == "", r


def test_other_sqlite_files_are_left_alone(ctx):
    db = os.path.join(ctx.tmp(), "mine.db")
    import sqlite3
    c = sqlite3.connect(db)
    c.execute("CREATE TABLE notes(x)")
    c.commit()
    c.close()
    sha = digest(db)
    r = run(ctx, "status", "--pricing-db", db)
    assert r.rc == 2 and "not a stackaudit price catalog; not touching it" in r.err, r
    r = run(ctx, "update", "--file", fixture(ctx, "AWSLambda_offer_fixture.csv"),
            "--pricing-db", db)
    assert r.rc == 2
    assert digest(db) == sha


def test_progress_bar_only_on_a_terminal(ctx):
    body = read(fixture(ctx, "AmazonEC2_offer_fixture.csv"))
    db = os.path.join(ctx.tmp(), "p.db")
    with serving({"/ec2.csv": offer(body, etag='"a"')}) as srv:
        r = run(ctx, "update", "--url", srv.url("/ec2.csv"), "--pricing-db", db)
        assert r.rc == 0 and "\r" not in r.err and "downloading" not in r.err, r
        master, slave = pty.openpty()
        try:
            r = run(ctx, "update", "--url", srv.url("/ec2.csv?again"), "--pricing-db", db,
                    stderr=slave)
        finally:
            os.close(slave)
        tty = clitest.read_pty(master)
        assert r.rc == 0, (r, tty)
        assert "\rdownloading [" in tty and "MB/s" in tty, tty
