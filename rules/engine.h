/* engine.h - runs rules over loaded inputs and produces findings.
 *
 * lint_run_file runs everything that needs one input only: the data rules,
 * the per-file C checks, and the collect step of the whole-platform checks
 * (it is thread-safe: each call only reads the rule set, apart from
 * publishing a regex's JIT-compiled copy atomically (rule.h), writes its
 * own finding list and changes nothing but its own input).
 * lint_run_checks runs the C checks that need every input of a platform at
 * once, after all files are loaded. Guarantees: a finding always points at a
 * span inside the file it names; secrets named by a rule's `mask` never
 * appear in a message; the two calls together report each finding once. */
#ifndef SA_ENGINE_H
#define SA_ENGINE_H

#include "analyzers/input.h"
#include "core/finding.h"
#include "rules/rule.h"

typedef struct lint_options {
    const bool *enabled;   /* per rule index; NULL = every rule */
    const finding_rule *found_as; /* per rule index, what its findings say
                                     (a configured severity); NULL = each
                                     rule's own (rule.found_as) */
} lint_options;

struct lint_context {
    const rule_set *rules;
    const lint_options *opts;
    input_file *const *inputs;
    size_t ninputs;
    finding_list findings;
    const doc_node *settings; /* `settings:` of .stackaudit.yaml (check parameters), or NULL */
};

void lint_run_file(const rule_set *rs, const lint_options *opts, const doc_node *settings,
                   input_file *in, finding_list *out);
/* Whether lint_run_checks still needs the tree and entities of an input of
 * format fmt: an enabled whole-platform check without a collect function
 * reads them (when not, they can be released once lint_run_file is done). */
bool lint_keeps_model(const rule_set *rs, const lint_options *opts, input_format fmt);
void lint_run_checks(lint_context *ctx);
/* The same on up to `threads` threads; findings come out in the same order. */
void lint_run_checks_parallel(lint_context *ctx, int threads);

/* For C checks: reports a finding of rule r at node (its file and span). */
void lint_report(lint_context *ctx, const rule *r, const doc_node *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Same, masking bytes [mask_start, mask_end) of at's file in every output. */
void lint_report_masked(lint_context *ctx, const rule *r, const doc_node *at, size_t mask_start,
                        size_t mask_end, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* For whole-platform checks that report about inputs whose tree (and, in a
 * JSON report, source text) is gone, from what they kept while it was
 * loaded: the fingerprint r's finding at span of in (still loaded) gets;
 * what of that span's text the fingerprint reads (a malloc'd copy, *len
 * bytes and a NUL), from which lint_fingerprint_text gives the same
 * fingerprint later; and a report of r at span of in with a message as is
 * and a fingerprint so computed. */
uint64_t lint_fingerprint_span(const rule *r, const input_file *in, src_span span);
char *lint_fingerprint_text_of(const input_file *in, src_span span, size_t *len);
uint64_t lint_fingerprint_text(const rule *r, const char *path, const char *text, size_t len);
void lint_report_fingerprinted(lint_context *ctx, const rule *r, const input_file *in,
                               src_span span, uint64_t fingerprint, const char *message);
/* Index of r in the rule set (for per-rule option arrays). */
size_t lint_rule_index(const rule_set *rs, const rule *r);
bool lint_rule_enabled(const lint_context *ctx, const rule *r);

/* Masks a secret for messages: never shows more than nothing. */
#define SECRET_MASK "********"

#endif
