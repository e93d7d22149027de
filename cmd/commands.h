/* commands.h - one entry point per subcommand (cmd/<name>.c). Adding a
 * command touches two places: its file and the table in cmd/main.c. */
#ifndef SA_CMD_COMMANDS_H
#define SA_CMD_COMMANDS_H

int cmd_inspect(int argc, char **argv);
int cmd_pricing(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_rules(int argc, char **argv);

#endif
