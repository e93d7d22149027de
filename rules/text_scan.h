/* text_scan.h - shape detectors over the source text of a configuration
 * value, for the C checks: credentials recognisable by their form (a
 * password inside a URL, an AWS access key id, a PEM private key), variable
 * names that announce a secret, interpolations (${VAR}, $VAR, $(VAR)), and
 * IPv4 addresses that locate a service.
 *
 * Guarantees: pure functions over (text, len) with no allocation; offsets
 * are relative to text, so a caller that passes the bytes at a node's span
 * gets byte ranges it can turn into exact spans and masks. Every detector
 * prefers missing a case to reporting something it does not recognise. */
#ifndef SA_TEXT_SCAN_H
#define SA_TEXT_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum secret_kind {
    SECRET_URL_PASSWORD, /* the password of scheme://user:PASSWORD@host */
    SECRET_AWS_KEY_ID,   /* AKIA / ASIA followed by 16 upper-case letters or digits */
    SECRET_PRIVATE_KEY   /* from -----BEGIN ... PRIVATE KEY----- to the end of the text */
} secret_kind;

typedef struct secret_match {
    secret_kind kind;
    size_t start; /* byte range of the secret itself, relative to the text */
    size_t end;
} secret_match;

/* Finds credentials by shape in text[0, len), in order of position; stores
 * at most max of them in out and returns how many were found (possibly more
 * than max). Passwords that are interpolations are not credentials. */
size_t text_find_credentials(const char *text, size_t len, secret_match *out, size_t max);
const char *secret_kind_text(secret_kind k);

/* True when an environment variable called name holds a secret by
 * convention: PASSWORD, PASSWD, SECRET, TOKEN, API_KEY, PRIVATE_KEY ... in
 * the name, unless the name is about the secret rather than the secret
 * itself (..._FILE, ..._PATH, ..._ID, ..._LENGTH, ..._URL, ..._USER ...). */
bool text_name_is_secret(const char *name);

/* True when text contains an interpolation: ${...}, $NAME (compose) or
 * $(NAME) (Kubernetes); "$$" is an escaped dollar, not one. */
bool text_has_interpolation(const char *text, size_t len);
/* True when offset lies inside a ${...} of text. */
bool text_in_interpolation(const char *text, size_t len, size_t offset);

/* True when every byte of text[0, len) is ASCII (below 0x80). */
bool text_is_ascii(const char *text, size_t len);

/* A value that only switches something on or off (true/false/yes/no/on/off). */
bool text_is_boolean_word(const char *text);

typedef struct ipv4_match {
    size_t start; /* byte range of the dotted address, relative to the text */
    size_t end;
    uint8_t octet[4];
} ipv4_match;

/* Finds dotted IPv4 addresses standing alone in text (not part of a longer
 * dotted number such as a version, not followed by a /prefix); returns how
 * many were found, storing at most max. */
size_t text_find_ipv4(const char *text, size_t len, ipv4_match *out, size_t max);
/* True when the address can locate a service: not unspecified, loopback,
 * link-local, multicast/reserved, a network (x.x.x.0) or broadcast
 * (x.x.x.255) address, nor a well-known public DNS resolver. */
bool ipv4_is_service_address(const ipv4_match *m);

#endif
