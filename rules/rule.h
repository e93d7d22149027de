/* rule.h - a lint rule: metadata, what it applies to, its condition, and
 * its documentation and examples, loaded from the YAML rule format
 * (docs/rules.md). Checks that need the whole model are C functions named
 * by `check:` in the same record (rules/checks_*.c).
 *
 * Guarantees: a loaded rule_set is immutable and safe to share between
 * threads (regexes are compiled once, at load, and JIT-compiled on their
 * first match into a copy published atomically; match data is per
 * evaluation). Paths, `each` selectors, message templates and port/CIDR
 * arguments are parsed once, at load; the text they came from is kept
 * alongside. Each pack's conditions are laid out one rule after another. */
#ifndef SA_RULE_H
#define SA_RULE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzers/entity.h"
#include "core/diag.h"
#include "core/doc.h"
#include "core/finding.h"

/* A path of a rule (docs/rules.md "Paths") split once, when the rule is
 * loaded (eval_path_compile), so that evaluation only walks it. */
typedef enum path_base {
    PATH_ITEM,      /* dotted names from the current item ("", "." and $value: the item) */
    PATH_ENTITY,    /* $entity.PATH: from the entity's attributes */
    PATH_VAR,       /* $var.NAME.PATH: from Terraform variable NAME */
    PATH_NAME,      /* $name */
    PATH_NAMESPACE, /* $namespace */
    PATH_OWNER,     /* $owner */
    PATH_KIND,      /* $kind */
    PATH_KEY,       /* $key */
    PATH_PLATFORM,  /* $platform */
    PATH_PATH,      /* $path */
    PATH_FILE,      /* $file */
    PATH_NOTHING    /* an unknown pseudo-path or an over-long name: never set */
} path_base;

typedef struct rule_path_seg {
    const char *key; /* the segment, NUL-terminated */
    size_t len;      /* strlen(key) */
    uint64_t sig;    /* doc_text_sig(key, len) */
    long index;      /* the segment read as a list index, or -1 */
} rule_path_seg;

typedef struct rule_path {
    path_base base;
    const char *var; /* PATH_VAR: the variable's name */
    rule_path_seg *segs;  /* walked from the base, one step each */
    size_t nsegs;
} rule_path;

/* A message template split into literal text and {expressions}. */
typedef enum msg_part_kind {
    MSG_TEXT,  /* text[0..len) as written */
    MSG_VALUE, /* {PATH}: the value at path */
    MSG_MASK   /* {PATH|mask}: the secret mask */
} msg_part_kind;

typedef struct msg_part {
    msg_part_kind kind;
    const char *text;
    size_t len;
    rule_path path;
} msg_part;

typedef struct rule_template {
    msg_part *parts;
    size_t nparts;
} rule_template;

/* A rule's `each` split once: rules with the same `each` share one (the
 * items of an entity are then selected once for all of them). */
typedef struct rule_each {
    const char *text;    /* as written */
    bool deep;           /* "BASE.**": every descendant of BASE */
    const char *base;    /* without ".**" */
    const char *lastkey; /* BASE's last dotted name */
    rule_path base_path;
    bool has_parent;     /* BASE has a dot */
    rule_path parent_path; /* BASE up to its last dot */
} rule_each;

typedef enum cond_op {
    COND_ALL,
    COND_ANY,
    COND_NONE,
    COND_NOT,
    COND_EXISTS,     /* exists: true|false */
    COND_IS,         /* is: true|false (truthiness; is: false needs the attribute present) */
    COND_EQUALS,
    COND_NOT_EQUALS,
    COND_IN,
    COND_NOT_IN,
    COND_REGEX,
    COND_NOT_REGEX,
    COND_LT,
    COND_LE,
    COND_GT,
    COND_GE,
    COND_CIDR_ANY,      /* cidr: any */
    COND_CIDR_CONTAINS, /* value contains the argument block */
    COND_CIDR_WITHIN,   /* value lies inside the argument block */
    COND_CIDR_OVERLAPS,
    COND_PORT_IN,       /* port (range) overlaps any listed port/range */
    COND_CONTAINS_ANY,  /* list has an item equal (case-insensitive) to any argument */
    COND_EMPTY,         /* empty: true|false (missing, "", [] or {}) */
    COND_LIST_ANY,      /* attr: LIST, any_item: COND */
    COND_LIST_ALL,
    COND_LIST_NONE
} cond_op;

/* A condition's regex: compiled when its rule is loaded (errors show
 * then), JIT-compiled on its first match, since a run matches few of the
 * rules' regexes (JIT compiling all of them took longer than most runs'
 * matching, and a system call or more each). */
typedef struct rule_regex {
    void *code;          /* pcre2_code* */
    _Atomic(void *) jit; /* what matches use: a JIT-compiled copy of code, or code
                            itself when JIT fails; NULL until the first match */
} rule_regex;

typedef struct cond cond;
struct cond {
    cond_op op;
    const char *attr;      /* path relative to the item; NULL for combinators */
    rule_path path;        /* attr, compiled */
    rule_path end_path;    /* COND_PORT_IN: attr + "_end" (a range's upper end) */
    const doc_node *arg;   /* argument node (scalar or sequence) */
    bool flag;             /* exists/is/empty/ignore_case */
    int unit;              /* quantity_kind for comparisons */
    double number;         /* parsed numeric argument */
    rule_regex *regex;     /* COND_REGEX/NOT_REGEX */
    struct port_range *ports; /* COND_PORT_IN: the argument list, parsed (rules/values.h) */
    struct cidr *block;       /* COND_CIDR_CONTAINS/WITHIN/OVERLAPS: the argument, parsed */
    cond **kids;
    size_t nkids;
    const doc_node *where; /* the condition's own source (errors) */
};

typedef struct rule_example {
    const char *platform; /* compose, kubernetes, terraform (tfvars) or "tf" (.tf) */
    const char *fail;     /* input text that must be flagged */
    int fail_line;        /* 1-based line the finding must start on */
    const char *pass;     /* input text that must not be flagged */
} rule_example;

typedef struct lint_context lint_context;
typedef struct rule rule;

/* A C check: inspects the inputs of ctx and reports through lint_report(). */
typedef void (*rule_check_fn)(const rule *r, lint_context *ctx);

/* For a check that needs every input of its platform: what it records of
 * one input while that input's tree is loaded (rules/k8s_digest.h), so the
 * tree, and in a JSON report the source text, can be released before the
 * check runs: the check then reads only what was recorded. Runs within
 * lint_run_file. */
typedef void (*rule_collect_fn)(const rule *r, lint_context *one);

/* Which inputs a C check must see at once. A per-file check runs on each
 * input by itself, right after that input's data rules; the others run once
 * the whole scan is loaded, over every input of their platform, so lint
 * keeps those inputs' trees until then and releases the rest early. */
typedef enum check_scope {
    CHECK_PER_FILE,
    CHECK_ALL_KUBERNETES, /* every Kubernetes input together */
    CHECK_ALL_TERRAFORM   /* every .tf, .tfvars and .tfvars.json input together */
} check_scope;

/* The input formats (input_format) a C check can report on or collect
 * from, as a set of CHECK_FORMAT bits; 0: every format. Lint runs a
 * per-file check and a collect function only on inputs of these formats:
 * on the others they give nothing (tests/unit/test_check_formats.c). */
#define CHECK_FORMAT(fmt) (1u << (fmt))

struct rule {
    const char *id;
    const char *title;
    severity sev;
    const char *category; /* security, isolation, reliability, cost-hygiene */
    const char *target;   /* entity kind ("container", "k8s_workload", "tf_variable_value"...) */
    unsigned platforms;   /* bit (1 << platform); 0 = every platform */
    const char *each;     /* iterate items under this path; "PATH.**" = every descendant */
    const rule_each *each_sel; /* each, compiled (NULL without each) */
    cond *when;
    const char *at;       /* path (relative to the item) whose span the finding points at */
    rule_path at_path;
    const char *message;  /* template: {path}, {path|mask}, {$name}, {$key}, {$value} ... */
    rule_template message_tmpl;
    const char *rationale;
    const char *remediation;
    const char **references;
    size_t nreferences;
    rule_example *examples;
    size_t nexamples;
    const doc_node *fix;  /* fix description (data), consumed by `stackaudit fix` */
    const char *check_name;
    rule_check_fn check;
    check_scope check_scope;
    rule_collect_fn collect; /* NULL: the check reads the inputs' trees */
    unsigned check_formats;  /* CHECK_FORMAT bits; 0: every format */
    const char *mask;     /* path whose value is a secret: masked in every output */
    rule_path mask_path;
    const char *source;   /* rule file it came from */
    unsigned line;        /* line of its id in that file */
    bool builtin;
    finding_rule found_as; /* what its findings say of it (id, category,
                              severity, fix), unless the lint options
                              override it (lint_options.found_as) */
};

/* The data rules that run on the entities of one kind and platform: a
 * rule with `when` whose target is kind and whose platforms hold plat. */
typedef struct rule_group {
    const char *kind;
    platform plat;
    size_t first; /* into rule_set.grouped */
    size_t count;
} rule_group;

typedef struct rule_set {
    rule **items;
    size_t count;
    size_t cap;
    arena *arena; /* rule records, their source files and doc nodes */
    /* What runs where, as indexes into items in rule order, kept current by
     * every function that changes the set (lint then visits only the rules
     * it runs, not every rule record per file or entity): */
    rule_group *groups;
    size_t ngroups;
    size_t *grouped; /* the data rules of each group, one group after another */
    size_t *checks;  /* the rules with a C check */
    size_t nchecks;
} rule_set;

/* Loads every embedded rule pack (rules/builtin/NAME.yaml). Errors name the pack,
 * line and column; returns false if any rule failed to load. */
bool rule_set_load_builtin(rule_set *rs, diag_list *diags);
/* Loads every *.yaml / *.yml file in dir (or dir itself when a file). */
bool rule_set_load_path(rule_set *rs, const char *path, diag_list *diags);
/* Loads one rule pack from text (tests, embedded packs). */
bool rule_set_load_text(rule_set *rs, const char *name, const char *text, size_t len,
                        bool builtin, diag_list *diags);
void rule_set_init(rule_set *rs);
void rule_set_free(rule_set *rs);
rule *rule_set_find(const rule_set *rs, const char *id);
void rule_set_sort(rule_set *rs);

const char *rule_platforms_text(const rule *r, char *buf, size_t size);

#endif
