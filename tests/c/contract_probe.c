/* For the clang-cl configuration (run_harness.py): a multiply-add written as
 * two operations. With fused.h it must compile to a multiply and an add under
 * build.json's msvc flags and /arch:AVX2 (or on ARM64); built with
 * -DKR_PROBE_WITHOUT_FUSED, the control, clang-cl fuses it. */
#ifndef KR_PROBE_WITHOUT_FUSED
#include "fused.h"
#endif

double kr_probe_multiply_add(double a, double b, double c);

double kr_probe_multiply_add(double a, double b, double c) { return a * b + c; }
