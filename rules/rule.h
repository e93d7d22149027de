/* rule.h - a lint rule: metadata, what it applies to, its condition, and
 * its documentation and examples, loaded from the YAML rule format
 * (docs/rules.md). Checks that need the whole model are C functions named
 * by `check:` in the same record (rules/checks_*.c).
 *
 * Guarantees: a loaded rule_set is immutable and safe to share between
 * threads (regexes are compiled once; match data is per evaluation). */
#ifndef SA_RULE_H
#define SA_RULE_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzers/entity.h"
#include "core/diag.h"
#include "core/doc.h"
#include "core/finding.h"

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

typedef struct cond cond;
struct cond {
    cond_op op;
    const char *attr;      /* path relative to the item; NULL for combinators */
    const doc_node *arg;   /* argument node (scalar or sequence) */
    bool flag;             /* exists/is/empty/ignore_case */
    int unit;              /* quantity_kind for comparisons */
    double number;         /* parsed numeric argument */
    void *regex;           /* pcre2_code* for COND_REGEX/NOT_REGEX */
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
 * tree can be released before the check runs. Runs within lint_run_file. */
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

struct rule {
    const char *id;
    const char *title;
    severity sev;
    const char *category; /* security, isolation, reliability, cost-hygiene */
    const char *target;   /* entity kind ("container", "k8s_workload", "tf_variable_value"...) */
    unsigned platforms;   /* bit (1 << platform); 0 = every platform */
    const char *each;     /* iterate items under this path; "PATH.**" = every descendant */
    cond *when;
    const char *at;       /* path (relative to the item) whose span the finding points at */
    const char *message;  /* template: {path}, {path|mask}, {$name}, {$key}, {$value} ... */
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
    const char *mask;     /* path whose value is a secret: masked in every output */
    const char *source;   /* rule file it came from */
    unsigned line;        /* line of its id in that file */
    bool builtin;
};

typedef struct rule_set {
    rule **items;
    size_t count;
    size_t cap;
    arena *arena; /* rule records, their source files and doc nodes */
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
