/* checks_kubernetes.c - built-in C checks for kubernetes that need the whole model
 * (rules with `check: NAME` in rules/builtin/). */
#include "rules/checks.h"
#include "rules/engine.h"

const check_entry checks_kubernetes[] = {
    {NULL, NULL},
};
