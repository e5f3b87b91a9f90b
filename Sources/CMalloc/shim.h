#ifndef CMALLOC_SHIM_H
#define CMALLOC_SHIM_H
#include <malloc.h>

// glibc's malloc tuning (mallopt and its M_* macros): Swift's Glibc module does not include <malloc.h>.
// At most `count` arenas for the rest of the process; 0 when glibc refused.
static inline int cmalloc_limit_arenas(int count) {
    return mallopt(M_ARENA_MAX, count);
}
#endif
