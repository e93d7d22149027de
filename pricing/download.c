/* download.c - streamed HTTP(S) GET with libcurl; see download.h.
 *
 * libcurl is opened when the first download starts instead of being
 * linked: with its TLS, Kerberos and LDAP libraries it made every start of
 * the binary ~17 ms slower (a no-op program linked with it: 25 ms of CPU
 * against 8), and only `pricing update` downloads. */
#include "download.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define USER_AGENT "stackaudit-pricing/1 (+https://github.com/stackaudit)"

#define LIBCURL_SONAME "libcurl.so.4"

/* The libcurl functions used, from the library opened once. */
static struct {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *h, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *h);
    CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
    const char *(*easy_strerror)(CURLcode rc);
    void (*easy_cleanup)(CURL *h);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
    void (*slist_free_all)(struct curl_slist *list);
} lib;

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static char init_error[512]; /* "" once libcurl is loaded and initialised */

static bool load_symbol(void *handle, const char *name, void *fn_ptr)
{
    void *sym = dlsym(handle, name);
    if (!sym) {
        snprintf(init_error, sizeof init_error, "cannot load libcurl: %s has no %s", LIBCURL_SONAME,
                 name);
        return false;
    }
    memcpy(fn_ptr, &sym, sizeof sym); /* POSIX: a function's address fits in a void * */
    return true;
}

static void global_init(void)
{
    void *h = dlopen(LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(init_error, sizeof init_error, "cannot load libcurl (%s): %s", LIBCURL_SONAME,
                 dlerror());
        return;
    }
    if (!load_symbol(h, "curl_global_init", &lib.global_init) ||
        !load_symbol(h, "curl_easy_init", &lib.easy_init) ||
        !load_symbol(h, "curl_easy_setopt", &lib.easy_setopt) ||
        !load_symbol(h, "curl_easy_perform", &lib.easy_perform) ||
        !load_symbol(h, "curl_easy_getinfo", &lib.easy_getinfo) ||
        !load_symbol(h, "curl_easy_strerror", &lib.easy_strerror) ||
        !load_symbol(h, "curl_easy_cleanup", &lib.easy_cleanup) ||
        !load_symbol(h, "curl_slist_append", &lib.slist_append) ||
        !load_symbol(h, "curl_slist_free_all", &lib.slist_free_all))
        return; /* the library stays open: nothing else would use it */
    CURLcode rc = lib.global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK)
        snprintf(init_error, sizeof init_error, "cannot initialise libcurl: %s",
                 lib.easy_strerror(rc));
}

typedef struct transfer {
    download_sink sink;
    void *ud;
    download_result *res;
    uint64_t max_bytes;
    bool too_big;
    bool sink_failed;
    bool progress;
    bool drew;
    const char *label;
    double last_draw;
    double started;
} transfer;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
    transfer *t = ud;
    size_t n = size * nmemb;
    if (t->max_bytes && t->res->bytes + n > t->max_bytes) {
        t->too_big = true;
        return 0;
    }
    if (t->sink(t->ud, ptr, n) != 0) {
        t->sink_failed = true;
        return 0;
    }
    t->res->bytes += n;
    return n;
}

/* Copies the value of "Name: value\r\n" when the header is name. */
static bool header_value(const char *line, size_t len, const char *name, char *out, size_t outsz)
{
    size_t nl = strlen(name);
    if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
        return false;
    const char *v = line + nl + 1, *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    snprintf(out, outsz, "%.*s", (int)(end - v), v);
    return true;
}

static size_t on_header(char *line, size_t size, size_t nitems, void *ud)
{
    transfer *t = ud;
    size_t len = size * nitems;
    if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) { /* a new response (redirects) */
        t->res->etag[0] = '\0';
        t->res->last_modified[0] = '\0';
    }
    header_value(line, len, "ETag", t->res->etag, sizeof t->res->etag);
    header_value(line, len, "Last-Modified", t->res->last_modified,
                 sizeof t->res->last_modified);
    return len;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)ultotal;
    (void)ulnow;
    transfer *t = ud;
    double now = now_seconds();
    if (!t->progress || now - t->last_draw < 0.2 || dlnow == 0)
        return 0;
    t->last_draw = now;
    t->drew = true;
    double mb = (double)dlnow / 1e6, rate = mb / (now - t->started > 0 ? now - t->started : 1);
    if (dltotal > 0) {
        int width = 24, done = (int)((double)dlnow * width / (double)dltotal);
        char bar[32];
        for (int i = 0; i < width; i++)
            bar[i] = i < done ? '#' : '.';
        bar[width] = '\0';
        fprintf(stderr, "\r%s [%s] %7.1f / %.1f MB %5.1f MB/s ", t->label, bar, mb,
                (double)dltotal / 1e6, rate);
    } else {
        fprintf(stderr, "\r%s %7.1f MB %5.1f MB/s ", t->label, mb, rate);
    }
    fflush(stderr);
    return 0;
}

static void set_error(download_result *res, bool transient, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_error(download_result *res, bool transient, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->error, sizeof res->error, fmt, ap);
    va_end(ap);
    res->transient = transient;
}

static bool http_transient(long status)
{
    return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

download_status download_url(const char *url, const download_options *o, download_sink sink,
                             void *ud, download_result *res)
{
    memset(res, 0, sizeof *res);
    pthread_once(&init_once, global_init);
    if (init_error[0]) {
        set_error(res, false, "%s", init_error);
        return DOWNLOAD_FAILED;
    }
    CURL *h = lib.easy_init();
    if (!h) {
        set_error(res, false, "cannot initialise libcurl");
        return DOWNLOAD_FAILED;
    }
    transfer t = {.sink = sink,
                  .ud = ud,
                  .res = res,
                  .max_bytes = o->max_bytes,
                  .progress = o->progress,
                  .label = o->label ? o->label : "downloading",
                  .started = now_seconds()};
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers = NULL;
    char line[512];
    if (o->etag && *o->etag) {
        snprintf(line, sizeof line, "If-None-Match: %s", o->etag);
        headers = lib.slist_append(headers, line);
    }
    if (o->last_modified && *o->last_modified) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", o->last_modified);
        headers = lib.slist_append(headers, line);
    }

    lib.easy_setopt(h, CURLOPT_URL, url);
    lib.easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    lib.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    lib.easy_setopt(h, CURLOPT_USERAGENT, USER_AGENT);
#if LIBCURL_VERSION_NUM >= 0x075500
    lib.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    lib.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    lib.easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    lib.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    lib.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    lib.easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    lib.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    lib.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    lib.easy_setopt(h, CURLOPT_CONNECTTIMEOUT,
                    o->connect_timeout_s > 0 ? o->connect_timeout_s : 30L);
    lib.easy_setopt(h, CURLOPT_TIMEOUT, o->total_timeout_s > 0 ? o->total_timeout_s : 3600L);
    lib.easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    lib.easy_setopt(h, CURLOPT_LOW_SPEED_TIME,
                    o->low_speed_seconds > 0 ? o->low_speed_seconds : 120L);
    lib.easy_setopt(h, CURLOPT_FAILONERROR, 1L);
    lib.easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    if (o->max_bytes)
        lib.easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
    if (headers)
        lib.easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    lib.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    lib.easy_setopt(h, CURLOPT_WRITEDATA, &t);
    lib.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    lib.easy_setopt(h, CURLOPT_HEADERDATA, &t);
    if (o->progress) {
        lib.easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
        lib.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
        lib.easy_setopt(h, CURLOPT_XFERINFODATA, &t);
    }

    CURLcode rc = lib.easy_perform(h);
    lib.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &res->http_status);
    if (t.drew)
        fprintf(stderr, "\n");
    const char *detail = errbuf[0] ? errbuf : lib.easy_strerror(rc);
    download_status status = DOWNLOAD_FAILED;
    if (rc == CURLE_OK) {
        status = res->http_status == 304 ? DOWNLOAD_NOT_MODIFIED : DOWNLOAD_OK;
    } else if (t.sink_failed) {
        status = DOWNLOAD_SINK_FAILED;
    } else if (t.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        set_error(res, false, "the file is larger than the size cap of %llu bytes (--max-size)",
                  (unsigned long long)o->max_bytes);
    } else {
        switch (rc) {
        case CURLE_HTTP_RETURNED_ERROR:
            set_error(res, http_transient(res->http_status), "HTTP %ld from the server (%s)",
                      res->http_status, detail);
            break;
        case CURLE_COULDNT_CONNECT:
            set_error(res, true, "cannot connect: %s", detail);
            break;
        case CURLE_OPERATION_TIMEDOUT:
            set_error(res, true, "timed out: %s", detail);
            break;
        case CURLE_PARTIAL_FILE:
            set_error(res, true, "the transfer was cut off after %llu bytes: %s",
                      (unsigned long long)res->bytes, detail);
            break;
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING:
            set_error(res, true, "the connection failed after %llu bytes: %s",
                      (unsigned long long)res->bytes, detail);
            break;
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_SSL_CACERT_BADFILE:
            set_error(res, false, "TLS verification failed (it is never switched off): %s",
                      detail);
            break;
        case CURLE_UNSUPPORTED_PROTOCOL:
            set_error(res, false, "only http:// and https:// URLs are accepted (%s)", detail);
            break;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
            set_error(res, false, "cannot resolve the host name: %s", detail);
            break;
        default:
            set_error(res, false, "%s", detail);
            break;
        }
    }
    lib.slist_free_all(headers);
    lib.easy_cleanup(h);
    return status;
}
