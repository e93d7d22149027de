/* tf_exposure.h - what a rule that admits the whole internet exposes, for
 * the network checks (rules/checks_tf_network.c): the class of a port range
 * and protocol, of a named rule of the terraform-aws-modules security-group
 * module ("ssh-tcp"), of a CIDR variable's name ("ssh_ingress_cidrs"), and
 * of a security-group-like object (from_port/to_port/protocol, port, ports,
 * rule); which keys hold source CIDRs; whether a value admits 0.0.0.0/0 or
 * ::/0.
 *
 * Guarantees: pure functions; every rule gets exactly one class, the most
 * severe it covers (all ports > SSH > RDP > database > other); ICMP and
 * ports that are not literal give EXPO_NONE; 80/443 alone give EXPO_WEB,
 * which no check reports. */
#ifndef SA_TF_EXPOSURE_H
#define SA_TF_EXPOSURE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/doc.h"

typedef enum expo {
    EXPO_NONE, /* not an exposure we report (ICMP, unknown ports) */
    EXPO_WEB,  /* 80 or 443 only: meant to face the internet */
    EXPO_OTHER,
    EXPO_DB,
    EXPO_RDP,
    EXPO_SSH,
    EXPO_ALL
} expo;

typedef struct exposure {
    expo cls;
    int lo, hi;   /* port range when known, else -1 */
    int db_port;  /* the database port the range covers */
    bool by_name; /* classified from a variable name, not from ports */
} exposure;

typedef enum proto { PROTO_TCP, PROTO_UDP, PROTO_ALL, PROTO_ICMP, PROTO_OTHER } proto;

/* The protocol a node names; absent or an expression reads as TCP. */
proto expo_proto_of(const doc_node *n);
/* A range counts as a database exposure when it covers a database port and
 * is narrow (<= 100 ports); wider ranges are judged as "other". */
exposure expo_of_ports(int lo, int hi, proto p);
/* Rule names of the security-group module: "ssh-tcp", "postgresql-tcp",
 * "https-443-tcp", "all-all". */
exposure expo_of_rule_name(const char *name);
/* Exposure named by a key or path (lower-cased): "ssh_ingress_cidrs" -> SSH. */
exposure expo_of_words(const char *lk);
/* Exposure of a security-group-like rule object (ingress block, rule
 * resource body, tfvars object); EXPO_NONE when its ports are not literal. */
exposure expo_of_rule(const doc_node *m);

/* The most severe of two exposures. */
static inline exposure expo_worse(exposure a, exposure b)
{
    return b.cls > a.cls ? b : a;
}

/* "all ports (ports 0-65535)", "SSH (port 22)", "database port 5432" ... */
void expo_describe(const exposure *x, char *out, size_t cap);

/* Is a key (lower-cased) one that holds CIDR blocks? */
bool expo_cidr_key(const char *lk);
/* Keys (lower-cased) that hold destinations, not sources (egress rules,
 * routes), or that another rule judges (EKS public access CIDRs). */
bool expo_not_ingress_key(const char *lk);
/* A rule object whose type or direction is egress/outbound. */
bool expo_outbound_rule(const doc_node *m);
/* A map shaped like a security group rule: a port/protocol/named-rule
 * field and a field holding source CIDRs. */
bool expo_rule_like(const doc_node *m);

/* "0.0.0.0/0" or "::/0" when text (a CIDR, or a comma- or space-separated
 * list of them) contains the whole address space; NULL otherwise. */
const char *expo_world_in(const char *text);

#endif
