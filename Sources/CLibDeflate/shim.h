#ifndef CLIBDEFLATE_SHIM_H
#define CLIBDEFLATE_SHIM_H
// Debian's libdeflate-dev (1.14) installs the header in /usr/include and a libdeflate.pc.
#include <libdeflate.h>
#endif
