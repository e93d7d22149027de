/* main.c - the command table and top-level help. Nothing below cmd/ exits
 * the process; every command returns its exit code here. */
#include <stdio.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/common.h"
#include "cmd/huge_pages.h"

#define STACKAUDIT_VERSION "0.1.0"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"lint", cmd_lint, "check files against security and tenant-isolation rules"},
    {"rules", cmd_rules, "list the rules and explain one"},
    {"inspect", cmd_inspect, "print what stackaudit understood of files (entities or raw tree) as JSON"},
    {"pricing", cmd_pricing, "build, refresh and inspect the local AWS price catalog (SQLite)"},
};

static void print_help(FILE *out)
{
    fprintf(out,
            "stackaudit %s - security, isolation and cost checks for Terraform, docker compose\n"
            "and Kubernetes files.\n\n"
            "Usage: stackaudit COMMAND [OPTIONS] [PATH...]\n\nCommands:\n",
            STACKAUDIT_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun 'stackaudit COMMAND --help' for a command's options.\n"
                 "Exit codes: 0 clean, 1 findings at/above --fail-on, 2 usage or input errors,\n"
                 "3 internal failure.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "-h") || !strcmp(name, "--help") || !strcmp(name, "help")) {
        if (argc > 2 && strcmp(name, "help") == 0) {
            for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
                if (!strcmp(commands[i].name, argv[2])) {
                    char *args[] = {argv[2], "--help", NULL};
                    return commands[i].run(2, args);
                }
        }
        print_help(stdout);
        return EXIT_CLEAN;
    }
    if (!strcmp(name, "--version") || !strcmp(name, "version")) {
        printf("stackaudit %s\n", STACKAUDIT_VERSION);
        return EXIT_CLEAN;
    }
    if (!strcmp(name, "lint"))
        huge_pages_reexec(argv); /* it keeps what every file yields: see huge_pages.c */
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(commands[i].name, name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "stackaudit: unknown command '%s'\n\n", name);
    print_help(stderr);
    return EXIT_USAGE;
}
