/* huge_pages.h - ask glibc to back the heap with transparent huge pages. */
#ifndef SA_HUGE_PAGES_H
#define SA_HUGE_PAGES_H

/* Re-executes the running binary once with glibc.malloc.hugetlb=1 added to
 * GLIBC_TUNABLES (see huge_pages.c). Returns only when it does not (already
 * set, not wanted, or the exec failed): the run then goes on as it is. */
void huge_pages_reexec(char **argv);

#endif
