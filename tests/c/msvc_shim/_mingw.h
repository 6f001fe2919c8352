/* For the clang-cl configuration only (run_harness.py): mingw-w64's headers
 * stand in for the Windows SDK there, and for a compiler that is not GCC
 * their _mingw.h defines __attribute__ away, which breaks clang's own
 * intrinsic headers. Let clang see attributes again. */
#include_next <_mingw.h>
#undef __attribute__
