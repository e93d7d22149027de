/* compose_ports.h - docker compose port specifications.
 *
 * Short syntax, as docker parses it:
 *   [HOST_IP:][HOST_PORT[-END]:]CONTAINER_PORT[-END][/PROTOCOL]
 * with IPv6 host addresses bracketed or not ("[::1]:80:80"), an empty host
 * port meaning an ephemeral one ("127.0.0.1::80"), and protocols tcp, udp,
 * sctp. Long syntax: target, published (number or "8000-8010"), host_ip,
 * protocol, mode, name.
 *
 * Guarantees: compose_port_parse is a pure function that either fills every
 * component with its value and its byte range in the input, or returns false
 * with a message and the offset of the offending part; it accepts exactly
 * what docker accepts for ranges (a container range needs a host range of
 * the same size). compose_port_node builds the shared port shape
 * (container.h) with exact spans and never fails the file: invalid specs
 * are reported as warnings and skipped. */
#ifndef SA_COMPOSE_PORTS_H
#define SA_COMPOSE_PORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/doc.h"

typedef struct port_part {
    bool present;
    uint32_t value; /* numbers only */
    size_t off;     /* byte range in the spec text */
    size_t len;
} port_part;

typedef struct port_spec {
    port_part host_ip; /* without brackets */
    port_part host_port;
    port_part host_port_end; /* present only for ranges */
    port_part container_port;
    port_part container_port_end;
    port_part protocol; /* absent means tcp */
} port_spec;

/* Parses a short-syntax spec. On failure *error is a static message and
 * *error_off the offset it refers to. */
bool compose_port_parse(const char *s, size_t len, port_spec *out, const char **error,
                        size_t *error_off);

/* Parses "N" or "N-M" (a published range in the long syntax). */
bool compose_port_range_parse(const char *s, size_t len, port_part *start, port_part *end,
                              const char **error, size_t *error_off);

/* One entry of a service's ports (short string, YAML int, or long-syntax
 * map) -> the shared port map; NULL (with a warning) when invalid. */
doc_node *compose_port_node(arena *a, const doc_node *entry, diag_list *diags);

/* One entry of a service's expose list ("80", "8000-8010/udp", 80) -> the
 * shared port map with published false (no host side). */
doc_node *compose_expose_node(arena *a, const doc_node *entry, diag_list *diags);

#endif
