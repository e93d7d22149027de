/* huge_pages.c - lint keeps what it found in every file until the report
 * (findings, messages, source text): hundreds of MB on a large
 * repository. In 4 KiB pages the kernel faults that memory in page by page,
 * which measured about 12% of a large lint run (and more TLB misses).
 * glibc can ask for transparent huge pages for its heap, but reads that
 * switch (GLIBC_TUNABLES=glibc.malloc.hugetlb=1) only when a process
 * starts; so the command re-executes itself once with it added.
 *
 * Guarantees: at most one re-exec (the variable it sets stops the next);
 * arguments and the rest of the environment are unchanged; nothing happens
 * when GLIBC_TUNABLES already mentions glibc.malloc.hugetlb, when
 * STACKAUDIT_NO_HUGE_PAGES is set, or under valgrind (an exec would leave
 * the tool); if the exec fails the run simply continues. Without glibc's
 * support the setting is ignored and behaviour is unchanged. */
#include "cmd/huge_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HUGE_PAGES_TUNABLE "glibc.malloc.hugetlb=1"

void huge_pages_reexec(char **argv)
{
    const char *tunables = getenv("GLIBC_TUNABLES");
    const char *preload = getenv("LD_PRELOAD");
    if (getenv("STACKAUDIT_NO_HUGE_PAGES") || (tunables && strstr(tunables, "glibc.malloc.hugetlb")) ||
        (preload && strstr(preload, "vgpreload")))
        return;
    char value[1024];
    int n = tunables && *tunables
                ? snprintf(value, sizeof value, "%s:%s", tunables, HUGE_PAGES_TUNABLE)
                : snprintf(value, sizeof value, "%s", HUGE_PAGES_TUNABLE);
    if (n < 0 || (size_t)n >= sizeof value || setenv("GLIBC_TUNABLES", value, 1) != 0)
        return;
    execv("/proc/self/exe", argv); /* returns only on failure: go on as we are */
}
