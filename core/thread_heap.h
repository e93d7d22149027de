/* thread_heap.h - transparent huge pages for the malloc heaps of worker
 * threads (see thread_heap.c). */
#ifndef SA_THREAD_HEAP_H
#define SA_THREAD_HEAP_H

/* Asks for transparent huge pages on the glibc thread heap that holds
 * block (a live malloc'd block of the calling thread), once per heap; cheap
 * enough to call once per file. Does nothing for the main heap, for blocks
 * that are not in a thread heap, without glibc on Linux, or when
 * STACKAUDIT_NO_HUGE_PAGES is set. */
void thread_heap_want_huge_pages(const void *block);

#endif
