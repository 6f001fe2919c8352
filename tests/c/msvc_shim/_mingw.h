/* For the clang-cl configuration only (run_harness.py): mingw-w64's headers
 * stand in for the Windows SDK there, and for a compiler that is not GCC
 * their _mingw.h defines __attribute__ away, which breaks clang's own
 * intrinsic headers. Let clang see attributes again; and its MSVC spellings
 * of noreturn / deprecated (__declspec after the declarator, where
 * stdlib.h puts them) are not C, so use the attribute forms there too. */
#include_next <_mingw.h>
#undef __attribute__
#undef __MINGW_ATTRIB_NORETURN
#define __MINGW_ATTRIB_NORETURN __attribute__((__noreturn__))
#undef __MINGW_ATTRIB_DEPRECATED
#define __MINGW_ATTRIB_DEPRECATED __attribute__((__deprecated__))
