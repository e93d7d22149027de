/* detect.c - format detection by file name and YAML content; see detect.h. */
#include "detect.h"

#include <fnmatch.h>
#include <string.h>

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

name_class detect_by_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (ends_with(base, ".tfvars.json"))
        return NAME_TFVARS_JSON;
    if (ends_with(base, ".tfvars"))
        return NAME_TFVARS;
    if (ends_with(base, ".tf"))
        return NAME_TERRAFORM;
    if (!ends_with(base, ".yaml") && !ends_with(base, ".yml"))
        return NAME_OTHER;
    static const char *compose_globs[] = {"compose.y*ml", "compose.*.y*ml", "docker-compose*.y*ml",
                                          "*.compose.y*ml", "docker-stack*.y*ml"};
    for (size_t i = 0; i < sizeof compose_globs / sizeof *compose_globs; i++)
        if (fnmatch(compose_globs[i], base, 0) == 0)
            return NAME_COMPOSE_YAML;
    return NAME_YAML;
}

bool detect_is_candidate(const char *path)
{
    return detect_by_name(path) != NAME_OTHER;
}

static bool is_k8s_doc(const doc_node *d)
{
    return d && d->kind == DOC_MAP && doc_str(doc_get(d, "apiVersion")) &&
           doc_str(doc_get(d, "kind"));
}

input_format detect_yaml_content(name_class nc, const doc_stream *docs, const char **reason)
{
    for (size_t i = 0; i < docs->count; i++)
        if (is_k8s_doc(docs->docs[i]))
            return FMT_KUBERNETES;
    const doc_node *first = docs->count ? docs->docs[0] : NULL;
    if (first && first->kind == DOC_MAP) {
        const doc_node *services = doc_get(first, "services");
        if (services && (services->kind == DOC_MAP ||
                         (services->kind == DOC_SCALAR && services->u.scalar.type == SCALAR_NULL)))
            return FMT_COMPOSE;
    }
    if (nc == NAME_COMPOSE_YAML && first && first->kind == DOC_MAP)
        return FMT_COMPOSE; /* compose file by name (may hold only networks/volumes/include) */
    *reason = "YAML without Kubernetes apiVersion/kind or a top-level 'services' mapping";
    return FMT_UNKNOWN;
}
