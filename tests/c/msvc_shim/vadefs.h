/* For the clang-cl configuration only (run_harness.py): mingw-w64 10's
 * vadefs.h knows ARM64 only under GCC. Windows on ARM64 passes varargs as a
 * char pointer; the macros are clang's builtins (its own vadefs.h, which
 * includes this, maps them the same way). */
#if defined(_M_ARM64) && !defined(__GNUC__)
#ifndef _INC_VADEFS
#define _INC_VADEFS
#include <_mingw.h>
#ifndef _VA_LIST_DEFINED
#define _VA_LIST_DEFINED
typedef char *va_list;
#endif
#define _crt_va_start(v, l) __builtin_va_start(v, l)
#define _crt_va_arg(v, t) __builtin_va_arg(v, t)
#define _crt_va_end(v) __builtin_va_end(v)
#define _crt_va_copy(d, s) __builtin_va_copy(d, s)
#endif
#else
#include_next <vadefs.h>
#endif
