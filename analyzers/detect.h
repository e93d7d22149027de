/* detect.h - which kind of infrastructure file a path is.
 *
 * Guarantees: detection by name is pure string work (no I/O); detection by
 * content looks only at parsed YAML documents. Kubernetes wins over compose
 * when a stream has documents with apiVersion and kind. */
#ifndef SA_DETECT_H
#define SA_DETECT_H

#include <stdbool.h>

#include "analyzers/frontend.h"
#include "analyzers/input.h"

typedef enum name_class {
    NAME_OTHER,          /* not a file type we read */
    NAME_YAML,           /* .yaml/.yml: content decides */
    NAME_COMPOSE_YAML,   /* compose.yaml, docker-compose*.yml, ... */
    NAME_TERRAFORM,      /* .tf */
    NAME_TFVARS,         /* .tfvars, .auto.tfvars */
    NAME_TFVARS_JSON     /* .tfvars.json */
} name_class;

name_class detect_by_name(const char *path);
/* True for files a directory walk should pick up. */
bool detect_is_candidate(const char *path);
/* Format of a parsed YAML stream; on FMT_UNKNOWN *reason says why. */
input_format detect_yaml_content(name_class nc, const doc_stream *docs, const char **reason);

#endif
