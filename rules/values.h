/* values.h - typed readings of configuration values for rule conditions:
 * quantities with units (CPU "500m", memory "512Mi"/"1G"/"1g"), CIDR blocks
 * (IPv4 and IPv6) and port ranges.
 *
 * Guarantees: pure functions, no allocation; every parser returns false on
 * input it does not fully understand (a condition on such a value is then
 * false, never a guess). */
#ifndef SA_RULE_VALUES_H
#define SA_RULE_VALUES_H

#include <stdbool.h>
#include <stdint.h>

typedef enum quantity_kind {
    QTY_NUMBER, /* plain number, k8s suffixes: m (milli), K M G T (1000^n), Ki Mi Gi Ti (1024^n) */
    QTY_BYTES_DOCKER /* docker/compose memory: b k m g (1024^n), case-insensitive */
} quantity_kind;

/* Parses a quantity; for QTY_BYTES_DOCKER the result is in bytes. */
bool quantity_parse(const char *s, quantity_kind kind, double *out);

typedef struct cidr {
    int family; /* 4 or 6 */
    uint8_t addr[16];
    int prefix; /* 0..32 / 0..128 */
} cidr;

/* Parses "10.0.0.0/16", "0.0.0.0/0", "::/0", a bare address (a /32 or /128). */
bool cidr_parse(const char *s, cidr *out);
/* True for 0.0.0.0/0 and ::/0. */
bool cidr_is_any(const cidr *c);
/* True when every address of inner is inside outer. */
bool cidr_contains(const cidr *outer, const cidr *inner);
bool cidr_overlaps(const cidr *a, const cidr *b);

typedef struct port_range {
    int lo;
    int hi;
} port_range;

/* Parses "22", "8000-8010", "5432/tcp" (the protocol is ignored). */
bool port_range_parse(const char *s, port_range *out);
bool port_range_overlaps(port_range a, port_range b);

#endif
