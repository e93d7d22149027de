/* yaml_errors.c - libyaml's error report -> one diagnostic a user can act on.
 *
 * Guarantees: the diagnostic names the exact line and column (1-based,
 * characters) of the problem. Common mistakes get a plain message:
 *   - a tab in the indentation of the problem line:
 *       "tab character used for indentation; YAML allows spaces only"
 *     (at the tab);
 *   - end of file or a document marker inside a quoted scalar:
 *       "unterminated quoted string starting at line N" (at the opening quote);
 *   - bytes that are not UTF-8: "invalid UTF-8 (byte 0xFF at offset N)";
 *   - control characters: "control character U+0001 is not allowed in YAML".
 * Anything else keeps libyaml's wording plus where the enclosing construct
 * started, and a hint for the usual indentation mistakes. */
#include <string.h>

#include "analyzers/yaml_internal.h"

/* Offset of the first tab in the indentation of the 1-based line, if any. */
static bool indentation_tab(const src_file *f, uint32_t line, size_t *tab)
{
    if (line == 0 || line > f->nlines)
        return false;
    for (size_t i = f->line_starts[line - 1]; i < f->len; i++) {
        if (f->data[i] == '\t') {
            *tab = i;
            return true;
        }
        if (f->data[i] != ' ')
            return false;
    }
    return false;
}

static void report_reader_error(yaml_ctx *ctx, const yaml_parser_t *p)
{
    const src_file *f = ctx->f;
    size_t off = p->problem_offset < f->len ? p->problem_offset : f->len;
    src_pos pos = src_pos_at(f, off);
    const char *problem = p->problem ? p->problem : "unreadable input";
    if (strstr(problem, "control character")) {
        yaml_error_at(ctx, pos, "control character U+%04X is not allowed in YAML",
                      (unsigned)p->problem_value);
    } else if (strstr(problem, "UTF-8") || strstr(problem, "Unicode")) {
        unsigned byte = off < f->len ? (unsigned char)f->data[off] : 0;
        yaml_error_at(ctx, pos, "invalid UTF-8 (byte 0x%02X at offset %zu)", byte, off);
    } else {
        yaml_error_at(ctx, pos, "cannot read YAML input: %s", problem);
    }
}

static const char *hint_for(const char *problem)
{
    if (!strcmp(problem, "mapping values are not allowed in this context"))
        return "; check the indentation, or quote a value that contains ': '";
    if (!strcmp(problem, "did not find expected key") ||
        !strcmp(problem, "did not find expected '-' indicator"))
        return "; check the indentation";
    if (!strcmp(problem, "found character that cannot start any token"))
        return "; quote values that start with '@', '`' or '%'";
    if (!strcmp(problem, "found incompatible YAML document"))
        return " (only %YAML 1.1 and 1.2 are supported)";
    return "";
}

void yaml_report_libyaml_error(yaml_ctx *ctx, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR) {
        diag_add(ctx->diags, DIAG_ERROR, ctx->f->path, 0, 0, "out of memory while parsing YAML");
        return;
    }
    if (p->error == YAML_READER_ERROR) {
        report_reader_error(ctx, p);
        return;
    }
    const char *problem = p->problem ? p->problem : "invalid YAML";
    const char *context = p->context;
    src_pos ppos = pos_cursor_at_char(&ctx->cur, p->problem_mark.index);
    src_pos cpos = context ? pos_cursor_at_char(&ctx->cur, p->context_mark.index) : ppos;

    if (context && !strcmp(context, "while scanning a quoted scalar") &&
        (strstr(problem, "end of stream") || strstr(problem, "document indicator"))) {
        yaml_error_at(ctx, cpos, "unterminated quoted string starting at line %u", cpos.line);
        return;
    }
    size_t tab;
    if (indentation_tab(ctx->f, ppos.line, &tab)) {
        yaml_error_at(ctx, src_pos_at(ctx->f, tab),
                      "tab character used for indentation; YAML allows spaces only");
        return;
    }
    if (strstr(problem, "tab character")) {
        yaml_error_at(ctx, ppos, "tab character used for indentation; YAML allows spaces only");
        return;
    }
    const char *hint = hint_for(problem);
    if (context && cpos.offset != ppos.offset)
        yaml_error_at(ctx, ppos, "%s (%s started at line %u, column %u)%s", problem, context,
                      cpos.line, cpos.col, hint);
    else if (context)
        yaml_error_at(ctx, ppos, "%s (%s)%s", problem, context, hint);
    else
        yaml_error_at(ctx, ppos, "%s%s", problem, hint);
}
