/* checks_terraform.c - built-in C checks for terraform that need the whole model
 * (rules with `check: NAME` in rules/builtin/). */
#include "rules/checks.h"
#include "rules/engine.h"

const check_entry checks_terraform[] = {
    {NULL, NULL},
};
