/* inspect.c - `stackaudit inspect`: prints, as JSON, what the tool
 * understood of each file: its format, entities with their attributes and
 * spans (default) or the raw document tree (--tree), comments and
 * diagnostics. The shape is documented in docs/inspect.md. */
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/common.h"
#include "core/doc_json.h"

#define INSPECT_JSON_VERSION 1

static const char inspect_help[] =
    "Usage: stackaudit inspect [OPTIONS] PATH...\n\n"
    "Print what stackaudit understood of each file as JSON (schema: docs/inspect.md):\n"
    "its detected format, the entities (containers, workloads, networks, Terraform\n"
    "variables...) with their attributes and exact source spans, and diagnostics.\n\n"
    "Options:\n"
    "      --tree            print the raw document tree instead of entities\n"
    "      --compact         one line of JSON instead of indented output\n" COMMON_INPUT_HELP;

/* with_path: top-level (walk) diagnostics say which path they are about */
static void write_diags(json_out *j, const diag_list *d, bool with_path)
{
    json_begin_array(j);
    for (size_t i = 0; i < d->count; i++) {
        json_begin_object(j);
        if (with_path) {
            json_key(j, "path");
            json_string(j, d->items[i].path);
        }
        json_key(j, "level");
        json_string(j, diag_level_name(d->items[i].level));
        json_key(j, "line");
        json_int(j, d->items[i].line);
        json_key(j, "col");
        json_int(j, d->items[i].col);
        json_key(j, "message");
        json_string(j, d->items[i].message);
        json_end_object(j);
    }
    json_end_array(j);
}

static void write_comments(json_out *j, const src_file *f)
{
    static const char *styles[] = {"hash", "slash", "block"};
    json_begin_array(j);
    for (size_t i = 0; f && i < f->ncomments; i++) {
        json_begin_object(j);
        json_key(j, "span");
        doc_json_span(j, f->comments[i].span);
        json_key(j, "style");
        json_string(j, styles[f->comments[i].style]);
        json_key(j, "text");
        json_string(j, f->comments[i].text);
        json_end_object(j);
    }
    json_end_array(j);
}

static void write_entity(json_out *j, const entity *e)
{
    json_begin_object(j);
    json_key(j, "kind");
    json_string(j, e->kind);
    json_key(j, "platform");
    json_string(j, platform_name(e->platform));
    json_key(j, "name");
    json_string(j, e->name);
    if (e->ns) {
        json_key(j, "namespace");
        json_string(j, e->ns);
    }
    if (e->owner) {
        json_key(j, "owner");
        json_string(j, e->owner);
    }
    if (e->source) {
        json_key(j, "span");
        doc_json_span(j, e->source->span);
    }
    json_key(j, "attrs");
    doc_json_value(j, e->attrs);
    json_key(j, "spans");
    doc_json_span_table(j, e->attrs);
    json_end_object(j);
}

static void write_file(json_out *j, const input_file *in, bool tree)
{
    json_begin_object(j);
    json_key(j, "path");
    json_string(j, in->path);
    json_key(j, "format");
    json_string(j, input_format_name(in->format));
    json_key(j, "status");
    json_string(j, in->failed ? "error" : in->skip_reason ? "skipped" : "ok");
    if (in->skip_reason && !in->failed) {
        json_key(j, "skip_reason");
        json_string(j, in->skip_reason);
    }
    if (tree) {
        json_key(j, "documents");
        json_begin_array(j);
        for (size_t i = 0; i < in->docs.count; i++)
            doc_json_tree(j, in->docs.docs[i]);
        json_end_array(j);
        json_key(j, "comments");
        write_comments(j, in->src);
    } else {
        json_key(j, "documents");
        json_int(j, (int64_t)in->docs.count);
        json_key(j, "entities");
        json_begin_array(j);
        for (size_t i = 0; i < in->entities.count; i++)
            write_entity(j, in->entities.items[i]);
        json_end_array(j);
    }
    json_key(j, "diagnostics");
    write_diags(j, &in->diags, false);
    json_end_object(j);
}

typedef struct inspect_state {
    bool tree;
    bool verbose;
    bool errors;
    size_t nfiles;
    strbuf sb;
    json_out j;
} inspect_state;

static void flush(inspect_state *st)
{
    fwrite(st->sb.buf, 1, st->sb.len, stdout);
    sb_reset(&st->sb);
}

/* Prints one file (as an element of the "files" array) and its diagnostics. */
static void inspect_one(const input_file *in, void *ud)
{
    inspect_state *st = ud;
    bool pretty = st->j.pretty;
    json_init(&st->j, &st->sb, pretty);
    st->j.depth = 2; /* inside {"files": [ */
    st->j.first[2] = st->nfiles == 0;
    write_file(&st->j, in, st->tree);
    st->nfiles++;
    flush(st);
    for (size_t i = 0; i < in->diags.count; i++) {
        if (in->diags.items[i].level == DIAG_NOTE && !st->verbose)
            continue;
        diag_print(stderr, &in->diags.items[i]);
        st->errors |= in->diags.items[i].level == DIAG_ERROR;
    }
    if (st->verbose && in->skip_reason && !in->failed)
        fprintf(stderr, "%s: note: skipped: %s\n", in->path, in->skip_reason);
}

int cmd_inspect(int argc, char **argv)
{
    enum { OPT_TREE = OPT_FIRST_COMMAND_OPTION, OPT_COMPACT };
    static const struct option longopts[] = {
        COMMON_INPUT_OPTIONS,
        {"tree", no_argument, NULL, OPT_TREE},
        {"compact", no_argument, NULL, OPT_COMPACT},
        {NULL, 0, NULL, 0},
    };
    input_args args;
    input_args_init(&args);
    bool tree = false, compact = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "j:vh", longopts, NULL)) != -1) {
        int r = input_args_option(&args, opt, optarg, "inspect");
        if (r < 0) {
            input_args_free(&args);
            return EXIT_USAGE;
        }
        if (r > 0)
            continue;
        switch (opt) {
        case OPT_TREE:
            tree = true;
            break;
        case OPT_COMPACT:
            compact = true;
            break;
        case 'h':
            fputs(inspect_help, stdout);
            input_args_free(&args);
            return EXIT_CLEAN;
        default:
            input_args_free(&args);
            return usage_error("inspect", "unknown option");
        }
    }
    if (optind >= argc) {
        input_args_free(&args);
        return usage_error("inspect", "no PATH given");
    }
    args.scan.load.build_entities = !tree;
    inspect_state st = {.tree = tree, .verbose = args.verbose};
    json_init(&st.j, &st.sb, !compact);
    sb_init(&st.sb);
    sb_adds(&st.sb, compact ? "{\"version\":" : "{\n  \"version\": ");
    sb_addf(&st.sb, "%d,%s\"files\":%s[", INSPECT_JSON_VERSION, compact ? "" : "\n  ",
            compact ? "" : " ");
    flush(&st);
    diag_list walk_diags;
    diag_list_init(&walk_diags);
    scan_each((const char **)argv + optind, (size_t)(argc - optind), &args.scan, inspect_one, &st,
              &walk_diags);
    /* the file array and the walk diagnostics close the object */
    json_init(&st.j, &st.sb, !compact);
    st.j.depth = 1;
    st.j.first[1] = false;
    sb_adds(&st.sb, compact ? "]" : "\n  ]");
    json_key(&st.j, "diagnostics");
    write_diags(&st.j, &walk_diags, true);
    sb_adds(&st.sb, compact ? "}\n" : "\n}\n");
    flush(&st);
    bool errors = st.errors;
    for (size_t i = 0; i < walk_diags.count; i++) {
        diag_print(stderr, &walk_diags.items[i]);
        errors |= walk_diags.items[i].level == DIAG_ERROR;
    }
    diag_list_free(&walk_diags);
    sb_free(&st.sb);
    input_args_free(&args);
    return errors ? EXIT_USAGE : EXIT_CLEAN;
}
