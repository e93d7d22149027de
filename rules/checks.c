/* checks.c - finds a built-in C check by name in the per-platform tables;
 * see checks.h. */
#include "rules/checks.h"

#include <string.h>

static const check_entry *const check_tables[] = {checks_compose, checks_kubernetes,
                                                  checks_terraform, checks_meta};

const check_entry *checks_find(const char *name)
{
    for (size_t t = 0; t < sizeof check_tables / sizeof *check_tables; t++)
        for (const check_entry *e = check_tables[t]; e->name; e++)
            if (!strcmp(e->name, name))
                return e;
    return NULL;
}
