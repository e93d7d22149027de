/* pricing.c - `stackaudit pricing`: placeholder until the pricing issue lands. */
#include <stdio.h>

#include "cmd/commands.h"
#include "cmd/common.h"

int cmd_pricing(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "stackaudit pricing: not implemented yet\n");
    return EXIT_INTERNAL;
}
