/* download.h - one HTTP(S) GET streamed into a callback, with libcurl.
 *
 * Guarantees:
 *  - TLS peer and host verification are always on (never switched off);
 *  - only http and https, also across redirects (at most 5);
 *  - connect and total timeouts, and a stall limit (less than 1 KiB/s for
 *    low_speed_seconds aborts);
 *  - a size cap: a Content-Length above max_bytes is refused before any
 *    body is read, and a body that grows past it is cut off;
 *  - conditional requests: with a stored ETag / Last-Modified the request
 *    carries If-None-Match / If-Modified-Since, and a 304 answer is
 *    reported as not modified with no body read;
 *  - proxies come from the usual environment variables (http_proxy,
 *    https_proxy, HTTPS_PROXY, no_proxy), which libcurl reads itself;
 *  - a progress bar on stderr only when the caller asks for it (the
 *    command asks when stderr is a terminal);
 *  - the body goes to the sink in chunks as it arrives, never held whole;
 *  - one attempt per call: the caller retries (download_result.transient
 *    says whether a retry could help: connection failures, timeouts, a
 *    transfer cut off, HTTP 408/429/5xx). */
#ifndef SA_PRICING_DOWNLOAD_H
#define SA_PRICING_DOWNLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct download_options {
    long connect_timeout_s;  /* 0: 30 */
    long total_timeout_s;    /* 0: 3600 */
    long low_speed_seconds;  /* 0: 120 */
    uint64_t max_bytes;      /* 0: no cap */
    bool progress;           /* draw a progress bar on stderr */
    const char *label;       /* shown before the progress bar */
    const char *etag;        /* validators from the previous download, or NULL */
    const char *last_modified;
} download_options;

typedef enum download_status {
    DOWNLOAD_OK,
    DOWNLOAD_NOT_MODIFIED, /* 304 to a conditional request */
    DOWNLOAD_FAILED,       /* see error, http_status, transient */
    DOWNLOAD_SINK_FAILED   /* the sink returned non-zero (it reports why) */
} download_status;

typedef struct download_result {
    long http_status;     /* 0 when no HTTP answer */
    bool transient;       /* worth retrying */
    uint64_t bytes;       /* body bytes passed to the sink */
    char etag[256];       /* validators of a 200 answer ("" when absent) */
    char last_modified[128];
    char error[512];      /* DOWNLOAD_FAILED: what went wrong, for a user */
} download_result;

/* Returns 0 to go on, non-zero to abort the transfer. */
typedef int (*download_sink)(void *ud, const char *data, size_t len);

download_status download_url(const char *url, const download_options *o, download_sink sink,
                             void *ud, download_result *res);

#endif
