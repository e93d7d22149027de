/* compose_ports.c - docker compose port specs (short and long syntax) ->
 * the shared port shape; see compose_ports.h for the guarantees. */
#include "compose_ports.h"

#include <arpa/inet.h>
#include <string.h>

#include "analyzers/container.h"

static bool parse_number(const char *s, size_t off, size_t len, port_part *out,
                         const char **error, size_t *error_off)
{
    if (len == 0 || len > 5) {
        *error = len ? "port number out of range (1-65535)" : "missing port number";
        *error_off = off;
        return false;
    }
    uint32_t v = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[off + i];
        if (c < '0' || c > '9') {
            *error = "port is not a number";
            *error_off = off + i;
            return false;
        }
        v = v * 10 + (uint32_t)(c - '0');
    }
    if (v > 65535) {
        *error = "port number out of range (1-65535)";
        *error_off = off;
        return false;
    }
    out->present = true;
    out->value = v;
    out->off = off;
    out->len = len;
    return true;
}

/* "N" or "N-M" at s[off, off+len). */
static bool parse_range(const char *s, size_t off, size_t len, port_part *start, port_part *end,
                        const char **error, size_t *error_off)
{
    const char *dash = memchr(s + off, '-', len);
    if (!dash)
        return parse_number(s, off, len, start, error, error_off);
    size_t d = (size_t)(dash - s);
    if (!parse_number(s, off, d - off, start, error, error_off) ||
        !parse_number(s, d + 1, off + len - d - 1, end, error, error_off))
        return false;
    if (end->value < start->value) {
        *error = "port range ends before it starts";
        *error_off = off;
        return false;
    }
    return true;
}

bool compose_port_range_parse(const char *s, size_t len, port_part *start, port_part *end,
                              const char **error, size_t *error_off)
{
    memset(start, 0, sizeof *start);
    memset(end, 0, sizeof *end);
    return parse_range(s, 0, len, start, end, error, error_off);
}

static bool valid_ip(const char *s, size_t len)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    unsigned char addr[16];
    return inet_pton(AF_INET, buf, addr) == 1 || inet_pton(AF_INET6, buf, addr) == 1;
}

bool compose_port_parse(const char *s, size_t len, port_spec *out, const char **error,
                        size_t *error_off)
{
    memset(out, 0, sizeof *out);
    *error_off = 0;
    if (len == 0) {
        *error = "empty port specification";
        return false;
    }
    /* protocol after the first '/' */
    size_t body = len;
    const char *slash = memchr(s, '/', len);
    if (slash) {
        body = (size_t)(slash - s);
        size_t ps = body + 1, pl = len - ps;
        if (pl) {
            out->protocol = (port_part){.present = true, .off = ps, .len = pl};
            if (!((pl == 3 && (!strncmp(s + ps, "tcp", 3) || !strncmp(s + ps, "udp", 3))) ||
                  (pl == 4 && !strncmp(s + ps, "sctp", 4)))) {
                *error = "unknown protocol (expected tcp, udp or sctp)";
                *error_off = ps;
                return false;
            }
        }
        if (body == 0) {
            *error = "missing container port";
            return false;
        }
    }
    /* the last two ':' separate host ip, host port and container port */
    size_t last = body, prev = body;
    for (size_t i = body; i-- > 0;) {
        if (s[i] != ':')
            continue;
        if (last == body) {
            last = i;
        } else {
            prev = i;
            break;
        }
    }
    size_t cs = last == body ? 0 : last + 1;
    if (!parse_range(s, cs, body - cs, &out->container_port, &out->container_port_end, error,
                     error_off))
        return false;
    if (last != body) {
        size_t hs = prev == body ? 0 : prev + 1;
        size_t hl = last - hs;
        if (hl && !parse_range(s, hs, hl, &out->host_port, &out->host_port_end, error, error_off))
            return false;
        if (prev != body) {
            size_t is = 0, il = prev;
            if (il >= 2 && s[0] == '[' && s[il - 1] == ']') {
                is = 1;
                il -= 2;
            }
            if (il) {
                if (!valid_ip(s + is, il)) {
                    *error = "invalid host IP address";
                    *error_off = is;
                    return false;
                }
                out->host_ip = (port_part){.present = true, .off = is, .len = il};
            }
        }
    }
    if (out->container_port.value == 0) {
        *error = "container port must be between 1 and 65535";
        *error_off = out->container_port.off;
        return false;
    }
    if (out->container_port_end.present) {
        uint32_t csize = out->container_port_end.value - out->container_port.value;
        uint32_t hsize = out->host_port_end.present
                             ? out->host_port_end.value - out->host_port.value
                             : 0;
        if (out->host_port.present && csize != hsize) {
            *error = "host and container port ranges have different sizes";
            *error_off = out->host_port.off;
            return false;
        }
    }
    return true;
}

static doc_node *part_int(arena *a, const doc_node *n, const char *text, size_t len,
                          const port_part *p)
{
    if (!p->present)
        return NULL;
    src_span sp = attr_sub_span(n, text, len, p->off, p->off + p->len);
    return doc_new_int(a, n->file, sp, p->value);
}

static doc_node *part_str(arena *a, const doc_node *n, const char *text, size_t len,
                          const port_part *p)
{
    if (!p->present)
        return NULL;
    return attr_sub_str(a, n, text, len, p->off, p->off + p->len);
}

static doc_node *short_port(arena *a, const doc_node *entry, bool published, diag_list *diags)
{
    const char *text = entry->u.scalar.text;
    size_t len = entry->u.scalar.len;
    port_spec spec;
    const char *err;
    size_t eoff;
    if (!compose_port_parse(text, len, &spec, &err, &eoff)) {
        attr_warn_at(diags, entry->file, attr_sub_pos(entry, text, len, eoff),
                     "invalid port \"%s\": %s; entry ignored", text, err);
        return NULL;
    }
    if (!published && (spec.host_port.present || spec.host_ip.present)) {
        attr_warn(diags, entry, "expose takes container ports only, not \"%s\"; entry ignored",
                  text);
        return NULL;
    }
    port_fields pf = {0};
    pf.host_ip = part_str(a, entry, text, len, &spec.host_ip);
    pf.host_port = part_int(a, entry, text, len, &spec.host_port);
    pf.host_port_end = part_int(a, entry, text, len, &spec.host_port_end);
    pf.container_port = part_int(a, entry, text, len, &spec.container_port);
    pf.container_port_end = part_int(a, entry, text, len, &spec.container_port_end);
    pf.protocol = spec.protocol.present ? part_str(a, entry, text, len, &spec.protocol)
                                        : doc_new_str(a, entry->file, entry->span, "tcp");
    pf.published = doc_new_bool(a, entry->file, entry->span, published);
    return container_port_map(a, entry, &pf);
}

static doc_node *long_port(arena *a, const doc_node *entry, diag_list *diags)
{
    enum { TARGET, PUBLISHED, HOST_IP, PROTOCOL, MODE, NAME, NFIELDS };
    static const attr_field fields[NFIELDS] = {ATTR_FIELD("target"),   ATTR_FIELD("published"),
                                               ATTR_FIELD("host_ip"),  ATTR_FIELD("protocol"),
                                               ATTR_FIELD("mode"),     ATTR_FIELD("name")};
    const doc_node *f[NFIELDS];
    attr_fields(entry, fields, NFIELDS, f);
    port_fields pf = {0};
    const doc_node *target = f[TARGET];
    pf.container_port = attr_as_int(a, target);
    if (!pf.container_port || pf.container_port->u.scalar.i < 1 ||
        pf.container_port->u.scalar.i > 65535) {
        attr_warn(diags, target ? target : entry,
                  "port entry needs a target between 1 and 65535; entry ignored");
        return NULL;
    }
    const doc_node *pub = f[PUBLISHED];
    if (attr_present(pub)) {
        if (pub->kind != DOC_SCALAR) {
            attr_warn(diags, pub, "published must be a port or a range; entry ignored");
            return NULL;
        }
        const char *t = pub->u.scalar.text;
        size_t l = pub->u.scalar.len;
        port_part ps, pe;
        const char *err;
        size_t eoff;
        if (!compose_port_range_parse(t, l, &ps, &pe, &err, &eoff)) {
            attr_warn_at(diags, pub->file, attr_sub_pos(pub, t, l, eoff),
                         "invalid published port \"%s\": %s; entry ignored", t, err);
            return NULL;
        }
        pf.host_port = pub->u.scalar.type == SCALAR_INT ? (doc_node *)pub : part_int(a, pub, t, l, &ps);
        pf.host_port_end = part_int(a, pub, t, l, &pe);
    }
    const doc_node *ip = f[HOST_IP];
    if (attr_present(ip)) {
        const char *t = doc_str(ip);
        if (!t || !valid_ip(t, strlen(t))) {
            attr_warn(diags, ip, "invalid host_ip \"%s\"; entry ignored", t ? t : "");
            return NULL;
        }
        pf.host_ip = attr_as_str(a, ip);
    }
    pf.protocol = container_protocol(a, f[PROTOCOL]);
    if (!pf.protocol)
        pf.protocol = doc_new_str(a, entry->file, entry->span, "tcp");
    pf.mode = attr_as_str(a, f[MODE]);
    pf.name = attr_as_str(a, f[NAME]);
    pf.published = doc_new_bool(a, entry->file, entry->span, true);
    return container_port_map(a, entry, &pf);
}

doc_node *compose_port_node(arena *a, const doc_node *entry, diag_list *diags)
{
    if (!attr_present(entry))
        return NULL;
    if (entry->kind == DOC_MAP)
        return long_port(a, entry, diags);
    if (entry->kind != DOC_SCALAR || (entry->u.scalar.type != SCALAR_STR &&
                                      entry->u.scalar.type != SCALAR_INT)) {
        attr_warn(diags, entry, "a port is a string, an integer or a mapping; entry ignored");
        return NULL;
    }
    return short_port(a, entry, true, diags);
}

doc_node *compose_expose_node(arena *a, const doc_node *entry, diag_list *diags)
{
    if (!attr_present(entry))
        return NULL;
    if (entry->kind != DOC_SCALAR || (entry->u.scalar.type != SCALAR_STR &&
                                      entry->u.scalar.type != SCALAR_INT)) {
        attr_warn(diags, entry, "an exposed port is a string or an integer; entry ignored");
        return NULL;
    }
    return short_port(a, entry, false, diags);
}
