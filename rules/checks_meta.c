/* checks_meta.c - checks about stackaudit's own directives in the scanned
 * files: a suppression without a reason is reported (info) so that every
 * silenced finding says why. */
#include <string.h>

#include "rules/checks.h"
#include "rules/engine.h"
#include "rules/suppress.h"

static void check_suppression_without_reason(const rule *r, lint_context *ctx)
{
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const src_file *f = ctx->inputs[i]->src;
        if (ctx->inputs[i]->failed || !f)
            continue;
        for (size_t c = 0; c < f->ncomments; c++) {
            suppression s;
            if (!suppression_parse(f, &f->comments[c], &s) || s.has_reason)
                continue;
            /* point at the comment: a synthesized node with its span */
            doc_node at = {.kind = DOC_SCALAR, .file = f, .span = f->comments[c].span};
            lint_report(ctx, r, &at,
                        "suppression of %s gives no reason; add why after the rule id "
                        "(# stackaudit:ignore%s %s REASON)",
                        s.rules, s.whole_file ? "-file" : "", s.rules);
        }
    }
}

const check_entry checks_meta[] = {
    {"suppression-without-reason", check_suppression_without_reason, CHECK_PER_FILE},
    {NULL, NULL},
};
