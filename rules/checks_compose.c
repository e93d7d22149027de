/* checks_compose.c - built-in C checks for compose that need the whole model
 * (rules with `check: NAME` in rules/builtin/). */
#include "rules/checks.h"
#include "rules/engine.h"

const check_entry checks_compose[] = {
    {NULL, NULL},
};
