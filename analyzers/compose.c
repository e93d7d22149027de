/* compose.c - a docker compose file -> entities: one "container" per service,
 * "compose_network" per network (plus the implicit "default" one),
 * "compose_volume" per top-level volume (docs/entities.md).
 *
 * Guarantees: the file is interpolated first, as docker compose does (values
 * from the process environment when enabled, then the .env file beside the
 * compose file); entities are built from the interpolated tree, so every
 * attribute holds the value compose would use while its span points at the
 * text the user wrote; each entity whose attributes came from interpolated
 * text gets an "interpolated" map (attribute path -> the template as written).
 * Entities are appended in source order; problems are warnings only. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/compose_fields.h"
#include "analyzers/compose_interp.h"
#include "analyzers/compose_ports.h"
#include "analyzers/container.h"
#include "analyzers/input.h"
#include "core/strbuf.h"

/* State of the walk that finds an entity's interpolated attributes. */
typedef struct interp_walk {
    arena *a;
    interp_tree_ctx *interp;
    const unsigned char *lines; /* interp_tree_lines() of the document */
    size_t nlines;
    const doc_node *attrs; /* the entity's attributes (span of *out) */
    doc_node *out;         /* path -> template; NULL until the first one */
    strbuf text;
} interp_walk;

typedef struct compose_build {
    arena *a;
    input_file *in;
    interp_tree_ctx *interp;
    const doc_node *networks; /* top-level sections, NULL when absent */
    const doc_node *volumes;
    interp_walk walk;
} compose_build;

/* The bool value n of field key (NULL when absent or invalid). */
static doc_node *bool_field(compose_build *cb, const doc_node *n, const char *key)
{
    if (!attr_present(n))
        return NULL;
    doc_node *b = attr_as_bool(cb->a, n);
    if (!b)
        attr_warn(&cb->in->diags, n, "%s must be true or false; ignored", key);
    return b;
}

/* "host" in network_mode / pid / ipc -> the derived bool, span of the value. */
static doc_node *is_host_mode(compose_build *cb, const doc_node *mode)
{
    if (!mode)
        return NULL;
    return doc_new_bool(cb->a, mode->file, mode->span, strcmp(mode->u.scalar.text, "host") == 0);
}

static doc_node *service_ports(compose_build *cb, const doc_node *ports,
                               const doc_node *expose)
{
    if (!attr_present(ports) && !attr_present(expose))
        return NULL;
    doc_node *seq = attr_seq_new(cb->a, attr_present(ports) ? ports : expose);
    const doc_node *lists[2] = {ports, expose};
    for (int l = 0; l < 2; l++) {
        const doc_node *list = lists[l];
        if (!attr_present(list))
            continue;
        if (list->kind != DOC_SEQ) {
            attr_warn(&cb->in->diags, list, "%s must be a list; ignored", l ? "expose" : "ports");
            continue;
        }
        for (size_t i = 0; i < list->u.seq.count; i++) {
            const doc_node *e = list->u.seq.items[i];
            attr_push(cb->a, seq, l ? compose_expose_node(cb->a, e, &cb->in->diags)
                                    : compose_port_node(cb->a, e, &cb->in->diags));
        }
    }
    return seq;
}

static bool section_declares(const doc_node *section, const char *name)
{
    if (!section || section->kind != DOC_MAP)
        return false;
    for (size_t i = 0; i < section->u.map.count; i++)
        if (doc_str_eq(section->u.map.pairs[i].key, name))
            return true;
    return false;
}

static void check_references(compose_build *cb, const char *service, const doc_node *networks,
                             const doc_node *volumes)
{
    for (size_t i = 0; networks && networks->kind == DOC_SEQ && i < networks->u.seq.count; i++) {
        const doc_node *n = networks->u.seq.items[i];
        if (!doc_str_eq(n, "default") && !section_declares(cb->networks, n->u.scalar.text))
            attr_warn(&cb->in->diags, n,
                      "service %s uses network \"%s\", which is not declared under the "
                      "top-level networks",
                      service, n->u.scalar.text);
    }
    for (size_t i = 0; volumes && i < volumes->u.seq.count; i++) {
        const doc_node *v = volumes->u.seq.items[i];
        const doc_node *src = doc_get(v, "source");
        if (doc_str_eq(doc_get(v, "type"), "volume") && src &&
            !section_declares(cb->volumes, src->u.scalar.text))
            attr_warn(&cb->in->diags, src,
                      "service %s uses volume \"%s\", which is not declared under the "
                      "top-level volumes",
                      service, src->u.scalar.text);
    }
}

/* The keys of a service that build_service reads or records as written. */
#define SERVICE_FIELDS(X)                                                                       \
    COMPOSE_WRITTEN_FIELDS(X) X(image) X(build) X(command) X(entrypoint) X(user) X(privileged) \
    X(read_only) X(cap_add) X(cap_drop) X(security_opt) X(network_mode) X(pid) X(ipc) \
    X(userns_mode) X(ports) X(expose) X(environment) X(env_file) X(volumes) X(tmpfs) \
    X(networks) X(devices) X(healthcheck) X(restart) X(deploy) X(secrets) \
    X(container_name) X(hostname) X(scale) X(labels) X(cpus) X(mem_limit) X(pids_limit) \
    X(mem_reservation)

enum service_field {
#define SF_ENUM(f) SF_##f,
    SERVICE_FIELDS(SF_ENUM)
#undef SF_ENUM
    SF_COUNT
};

static const struct {
    const char *name;
    size_t len;
} service_fields[SF_COUNT] = {
#define SF_NAME(f) {#f, sizeof #f - 1},
    SERVICE_FIELDS(SF_NAME)
#undef SF_NAME
};

_Static_assert(SF_COUNT <= 64, "service fields are a 64-bit set");

/* For each first byte, the fields whose name starts with it (bit j: field
 * j); built once, before the first service. */
static uint64_t fields_by_first[256];
static pthread_once_t fields_by_first_once = PTHREAD_ONCE_INIT;

static void fields_by_first_make(void)
{
    for (size_t j = 0; j < SF_COUNT; j++)
        fields_by_first[(unsigned char)service_fields[j].name[0]] |= (uint64_t)1 << j;
}

/* What doc_get(s, name) gives for every field name, in one pass over the
 * service mapping s: scalar keys whose text is the name, the last one wins,
 * HCL blocks never match. A key is compared in full only with the names
 * that start with its first byte. */
static void service_index(const doc_node *s, const doc_node *f[SF_COUNT])
{
    pthread_once(&fields_by_first_once, fields_by_first_make);
    memset(f, 0, SF_COUNT * sizeof *f);
    for (size_t i = 0; i < s->u.map.count; i++) {
        const doc_pair *p = &s->u.map.pairs[i];
        if (!p->key || p->key->kind != DOC_SCALAR || (p->value && p->value->kind == DOC_BLOCK))
            continue;
        uint64_t candidates = fields_by_first[(unsigned char)p->key->u.scalar.text[0]];
        for (; candidates; candidates &= candidates - 1) {
            int j = __builtin_ctzll(candidates);
            if (doc_key_is(p->key, service_fields[j].name, service_fields[j].len)) {
                f[j] = p->value;
                break;
            }
        }
    }
}

/* The record of a service's COMPOSE_WRITTEN_FIELDS, from its index f. */
static const compose_written *service_written(arena *a, const doc_node *const f[SF_COUNT])
{
    compose_written *w = arena_alloc_uninit(a, sizeof *w);
#define CW_SET(k) w->k = f[SF_##k];
    COMPOSE_WRITTEN_FIELDS(CW_SET)
#undef CW_SET
    return w;
}

/* Builds the container entity of one service; returns whether the service
 * joins the implicit "default" network. */
static bool build_service(compose_build *cb, const doc_pair *p)
{
    arena *a = cb->a;
    diag_list *diags = &cb->in->diags;
    const char *name = doc_str(p->key);
    const doc_node *s = p->value;
    if (!name)
        return false;
    if (!s || s->kind != DOC_MAP) {
        attr_warn(diags, p->key, "service %s has no configuration (expected a mapping); skipped",
                  name);
        return false;
    }
    entity *e = entity_add(a, &cb->in->entities, "container", PLATFORM_COMPOSE, name, s);
    e->name_node = p->key;
    attr_draft draft;
    doc_node *m = attr_draft_begin(&draft, e->attrs);
    const doc_node *f[SF_COUNT];
    service_index(s, f);
    e->written = service_written(a, f);
    ATTR_SET(a, m, "image", attr_as_str(a, f[SF_image]));
    const doc_node *build = f[SF_build];
    ATTR_SET(a, m, "build", attr_present(build) ? (doc_node *)build : NULL);
    ATTR_SET(a, m, "command", compose_command(a, f[SF_command], diags));
    ATTR_SET(a, m, "entrypoint", compose_command(a, f[SF_entrypoint], diags));
    ATTR_SET(a, m, "user", attr_as_str(a, f[SF_user]));
    ATTR_SET(a, m, "privileged", bool_field(cb, f[SF_privileged], "privileged"));
    ATTR_SET(a, m, "read_only", bool_field(cb, f[SF_read_only], "read_only"));
    ATTR_SET(a, m, "cap_add", container_cap_seq(a, f[SF_cap_add]));
    ATTR_SET(a, m, "cap_drop", container_cap_seq(a, f[SF_cap_drop]));
    compose_security_opts(a, m, f[SF_security_opt], diags);
    doc_node *network_mode = attr_as_str(a, f[SF_network_mode]);
    doc_node *pid = attr_as_str(a, f[SF_pid]);
    doc_node *ipc = attr_as_str(a, f[SF_ipc]);
    ATTR_SET(a, m, "network_mode", network_mode);
    ATTR_SET(a, m, "host_network", is_host_mode(cb, network_mode));
    ATTR_SET(a, m, "pid", pid);
    ATTR_SET(a, m, "host_pid", is_host_mode(cb, pid));
    ATTR_SET(a, m, "ipc", ipc);
    ATTR_SET(a, m, "host_ipc", is_host_mode(cb, ipc));
    ATTR_SET(a, m, "userns_mode", attr_as_str(a, f[SF_userns_mode]));
    ATTR_SET(a, m, "ports", service_ports(cb, f[SF_ports], f[SF_expose]));
    ATTR_SET(a, m, "environment", compose_environment(a, f[SF_environment], diags));
    ATTR_SET(a, m, "env_file", compose_env_files(a, f[SF_env_file]));
    doc_node *volumes = compose_volume_mounts(a, f[SF_volumes], f[SF_tmpfs], diags);
    ATTR_SET(a, m, "volumes", volumes);
    const doc_node *nets = f[SF_networks];
    doc_node *networks = compose_name_list(a, nets);
    bool joins_default = false;
    if (!networks && !network_mode) {
        networks = attr_seq_new(a, p->key);
        doc_seq_add(a, networks, doc_new_str(a, p->key->file, p->key->span, "default"));
        joins_default = true;
    } else if (networks) {
        for (size_t i = 0; i < networks->u.seq.count; i++)
            joins_default |= doc_str_eq(networks->u.seq.items[i], "default");
    }
    ATTR_SET(a, m, "networks", networks);
    check_references(cb, name, attr_present(nets) ? networks : NULL, volumes);
    ATTR_SET(a, m, "devices", compose_name_list(a, f[SF_devices]));
    ATTR_SET(a, m, "healthcheck", compose_healthcheck(a, f[SF_healthcheck]));
    doc_node *restart = attr_as_str(a, f[SF_restart]);
    if (!restart) /* swarm-style deploy.restart_policy.condition counts too */
        restart = attr_as_str(a, doc_path(f[SF_deploy], "restart_policy.condition"));
    ATTR_SET(a, m, "restart", restart);
    ATTR_SET(a, m, "depends_on", compose_name_list(a, f[SF_depends_on]));
    compose_resource_fields res = {f[SF_deploy], f[SF_cpus], f[SF_mem_limit], f[SF_pids_limit],
                                   f[SF_mem_reservation]};
    compose_resources(a, m, &res);
    ATTR_SET(a, m, "secrets", compose_secrets(a, f[SF_secrets]));
    ATTR_SET(a, m, "container_name", attr_as_str(a, f[SF_container_name]));
    ATTR_SET(a, m, "hostname", attr_as_str(a, f[SF_hostname]));
    doc_node *replicas = attr_as_int(a, doc_path(f[SF_deploy], "replicas"));
    if (!replicas)
        replicas = attr_as_int(a, f[SF_scale]);
    ATTR_SET(a, m, "replicas", replicas);
    ATTR_SET(a, m, "labels", compose_labels(a, f[SF_labels], diags));
    attr_draft_finish(a, &draft, e->attrs, 1); /* room for "interpolated" */
    return joins_default;
}

/* compose_network / compose_volume from one top-level entry. */
static void build_section_entry(compose_build *cb, const doc_pair *p, const char *kind)
{
    arena *a = cb->a;
    const char *name = doc_str(p->key);
    if (!name)
        return;
    const doc_node *v = attr_present(p->value) ? p->value : NULL;
    entity *e = entity_add(a, &cb->in->entities, kind, PLATFORM_COMPOSE, name,
                           v ? v : p->key);
    e->name_node = p->key;
    if (!v)
        return;
    if (v->kind != DOC_MAP) {
        attr_warn(&cb->in->diags, v, "%s %s must be a mapping; its settings are ignored",
                  strcmp(kind, "compose_network") == 0 ? "network" : "volume", name);
        return;
    }
    enum {
        NAME, DRIVER, EXTERNAL, INTERNAL, ATTACHABLE, ENABLE_IPV6, DRIVER_OPTS, LABELS, NFIELDS
    };
    static const attr_field fields[NFIELDS] = {
        ATTR_FIELD("name"),       ATTR_FIELD("driver"),      ATTR_FIELD("external"),
        ATTR_FIELD("internal"),   ATTR_FIELD("attachable"),  ATTR_FIELD("enable_ipv6"),
        ATTR_FIELD("driver_opts"), ATTR_FIELD("labels")};
    const doc_node *f[NFIELDS];
    attr_fields(v, fields, NFIELDS, f);
    attr_draft draft;
    doc_node *m = attr_draft_begin(&draft, e->attrs);
    ATTR_SET(a, m, "name", attr_as_str(a, f[NAME]));
    ATTR_SET(a, m, "driver", attr_as_str(a, f[DRIVER]));
    const doc_node *ext = f[EXTERNAL];
    if (ext && ext->kind == DOC_MAP) /* legacy external: {name: x} */
        ATTR_SET(a, m, "external", doc_new_bool(a, ext->file, ext->span, true));
    else
        ATTR_SET(a, m, "external", bool_field(cb, ext, "external"));
    if (strcmp(kind, "compose_network") == 0) {
        ATTR_SET(a, m, "internal", bool_field(cb, f[INTERNAL], "internal"));
        ATTR_SET(a, m, "attachable", bool_field(cb, f[ATTACHABLE], "attachable"));
        ATTR_SET(a, m, "enable_ipv6", bool_field(cb, f[ENABLE_IPV6], "enable_ipv6"));
    }
    const doc_node *opts = f[DRIVER_OPTS];
    ATTR_SET(a, m, "driver_opts", attr_present(opts) ? (doc_node *)opts : NULL);
    ATTR_SET(a, m, "labels", compose_labels(a, f[LABELS], &cb->in->diags));
    attr_draft_finish(a, &draft, e->attrs, 1); /* room for "interpolated" */
}

/* Where walk_interpolated is in an entity's attributes: one segment per
 * level on the C stack, turned into a path string only for the scalars
 * that were interpolated. */
typedef struct attr_path {
    const struct attr_path *up; /* NULL at the attributes' root */
    const char *key;            /* NULL: a list index */
    size_t index;
} attr_path;

/* Appends "a.b[2].c" to sb: keys joined by '.', except at the start of the
 * text, list indexes as "[N]". One piece per level, written in place. */
static void attr_path_text(strbuf *sb, const attr_path *p)
{
    if (!p)
        return;
    attr_path_text(sb, p->up);
    char index[24]; /* "[N]", ending at the end */
    const char *piece = p->key;
    size_t n;
    if (piece) {
        n = strlen(piece);
    } else {
        char *d = index + sizeof index;
        *--d = ']';
        size_t v = p->index;
        do {
            *--d = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        *--d = '[';
        piece = d;
        n = (size_t)(index + sizeof index - d);
    }
    char *w = sb_room(sb, n + 1);
    if (p->key && sb->len)
        *w++ = '.';
    memcpy(w, piece, n);
    sb_commit(sb, w + n);
}

/* True when walk_interpolated has nothing to do at n: an absent node, a
 * scalar whose first line holds no interpolated text (so it has no
 * original), or an HCL block or expression. Tested before the call, as
 * most scalars are such. */
static inline bool walk_skips(const interp_walk *w, const doc_node *n)
{
    if (!n)
        return true;
    if (n->kind == DOC_SCALAR)
        return n->span.start.line >= w->nlines || !w->lines[n->span.start.line];
    return n->kind != DOC_MAP && n->kind != DOC_SEQ;
}

/* n: a node walk_skips() let through. */
static void walk_interpolated(interp_walk *w, const doc_node *n, const attr_path *path)
{
    if (n->kind == DOC_SCALAR) {
        const doc_node *orig = interp_tree_original(w->interp, n->span);
        if (!orig)
            return;
        if (!w->out)
            w->out = attr_map_new(w->a, w->attrs);
        sb_reset(&w->text);
        attr_path_text(&w->text, path);
        doc_map_setn(w->a, w->out, w->text.buf, w->text.len, (doc_node *)orig);
        return;
    }
    attr_path seg = {.up = path};
    if (n->kind == DOC_MAP) {
        for (size_t i = 0; i < n->u.map.count; i++) {
            const doc_pair *p = &n->u.map.pairs[i];
            if (walk_skips(w, p->value))
                continue;
            seg.key = p->key && p->key->kind == DOC_SCALAR ? p->key->u.scalar.text : "?";
            walk_interpolated(w, p->value, &seg);
        }
    } else {
        for (size_t i = 0; i < n->u.seq.count; i++) {
            if (walk_skips(w, n->u.seq.items[i]))
                continue;
            seg.index = i;
            walk_interpolated(w, n->u.seq.items[i], &seg);
        }
    }
}

/* Gives the entities from first_entity on their "interpolated" map. Called
 * as soon as they are built, while their nodes are still in cache. An entity
 * read from a dollar_free node is skipped: its attribute scalars lie in that
 * node's text (or are keys), where nothing was interpolated. */
static void record_interpolated(compose_build *cb, size_t first_entity)
{
    interp_walk *w = &cb->walk;
    if (!w->lines)
        return;
    for (size_t i = first_entity; i < cb->in->entities.count; i++) {
        entity *e = cb->in->entities.items[i];
        if (e->source && e->source->dollar_free)
            continue;
        w->attrs = e->attrs;
        w->out = NULL;
        if (!walk_skips(w, e->attrs))
            walk_interpolated(w, e->attrs, NULL);
        ATTR_SET(cb->a, e->attrs, "interpolated", w->out);
    }
}

static void build_document(compose_build *cb, const doc_node *root)
{
    cb->walk.lines = interp_tree_lines(cb->interp, &cb->walk.nlines);
    cb->networks = doc_get(root, "networks");
    cb->volumes = doc_get(root, "volumes");
    for (size_t i = 0; i < root->u.map.count; i++) {
        const doc_pair *top = &root->u.map.pairs[i];
        const doc_node *v = top->value;
        if (!v || v->kind != DOC_MAP) {
            if (attr_present(v) &&
                (doc_str_eq(top->key, "services") || doc_str_eq(top->key, "networks") ||
                 doc_str_eq(top->key, "volumes")))
                attr_warn(&cb->in->diags, v, "%s must be a mapping; ignored",
                          doc_str(top->key));
            continue;
        }
        if (doc_str_eq(top->key, "services")) {
            bool joins_default = false;
            for (size_t j = 0; j < v->u.map.count; j++) {
                size_t first = cb->in->entities.count;
                joins_default |= build_service(cb, &v->u.map.pairs[j]);
                record_interpolated(cb, first);
            }
            if (joins_default && !section_declares(cb->networks, "default")) {
                size_t first = cb->in->entities.count;
                entity *e = entity_add(cb->a, &cb->in->entities, "compose_network",
                                       PLATFORM_COMPOSE, "default", top->key);
                ATTR_SET(cb->a, e->attrs, "implicit",
                         doc_new_bool(cb->a, top->key->file, top->key->span, true));
                record_interpolated(cb, first);
            }
        } else if (doc_str_eq(top->key, "networks") || doc_str_eq(top->key, "volumes")) {
            const char *kind = doc_str_eq(top->key, "networks") ? "compose_network"
                                                                : "compose_volume";
            for (size_t j = 0; j < v->u.map.count; j++) {
                size_t first = cb->in->entities.count;
                build_section_entry(cb, &v->u.map.pairs[j], kind);
                record_interpolated(cb, first);
            }
        }
    }
}

void compose_build_entities(input_file *in, const load_options *opts)
{
    parse_limits limits = opts ? opts->limits : parse_limits_default();
    interp_vars vars;
    interp_vars_init(&vars, opts && opts->use_environment);
    if (!opts || !opts->no_dotenv_beside)
        interp_dotenv_load(in->arena, &vars, in->src->path, &limits, &in->diags);
    compose_build cb = {.a = in->arena, .in = in};
    cb.interp = interp_tree_new(in->arena, &vars, &in->diags);
    cb.walk.a = in->arena;
    cb.walk.interp = cb.interp;
    sb_init(&cb.walk.text);
    for (size_t i = 0; i < in->docs.count; i++) {
        doc_node *doc = in->docs.docs[i];
        if (!doc || doc->kind != DOC_MAP)
            continue;
        build_document(&cb, interp_tree(cb.interp, doc));
    }
    sb_free(&cb.walk.text);
    interp_tree_free(cb.interp);
}
