/* Run-time choice of kernel. The CPU is asked once which instruction sets it
 * has AND whether the OS saves their registers (xgetbv); a kernel is offered
 * only when both hold and the build contains it. */
#include "dispatch.h"

#include <string.h>

#if KR_HAVE_X86_KERNELS
#if defined(_MSC_VER)
#include <intrin.h>
#else
#include <cpuid.h>
#endif
#endif

static const kr_kernel_table kr_tables[KR_ISA_COUNT] = {
    KR_KERNEL_TABLE("scalar", KR_ISA_SCALAR, scalar),
#if KR_HAVE_X86_KERNELS
    KR_KERNEL_TABLE("avx2", KR_ISA_AVX2, avx2),
    KR_KERNEL_TABLE("avx512", KR_ISA_AVX512, avx512),
#else
    {.name = "avx2", .isa = KR_ISA_AVX2},     /* not built: no functions */
    {.name = "avx512", .isa = KR_ISA_AVX512},
#endif
#if KR_HAVE_NEON_KERNELS
    KR_KERNEL_TABLE("neon", KR_ISA_NEON, neon),
#else
    {.name = "neon", .isa = KR_ISA_NEON},
#endif
};

#if KR_HAVE_X86_KERNELS
static void kr_cpuid(unsigned leaf, unsigned sub, unsigned r[4])
{
#if defined(_MSC_VER)
    int regs[4];
    __cpuidex(regs, (int)leaf, (int)sub);
    for (int i = 0; i < 4; i++) r[i] = (unsigned)regs[i];
#else
    if (!__get_cpuid_count(leaf, sub, &r[0], &r[1], &r[2], &r[3]))
        r[0] = r[1] = r[2] = r[3] = 0;
#endif
}

static uint64_t kr_xgetbv0(void)
{
#if defined(_MSC_VER)
    return _xgetbv(0);
#else
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
#endif
}

static unsigned kr_detect(void)
{
    unsigned mask = 1u << KR_ISA_SCALAR;
    unsigned r[4];
    kr_cpuid(0, 0, r);
    const unsigned max_leaf = r[0];
    if (max_leaf < 7) return mask;
    kr_cpuid(1, 0, r);
    const unsigned ecx1 = r[2];
    const int osxsave = (ecx1 >> 27) & 1, avx = (ecx1 >> 28) & 1, fma = (ecx1 >> 12) & 1;
    if (!osxsave || !avx) return mask;
    const uint64_t xcr0 = kr_xgetbv0();
    const int ymm_state = (xcr0 & 0x6) == 0x6;           /* SSE + AVX state */
    const int zmm_state = (xcr0 & 0xE6) == 0xE6;         /* + opmask, ZMM0-15 hi, ZMM16-31 */
    kr_cpuid(7, 0, r);
    const unsigned ebx7 = r[1];
    const int avx2 = (ebx7 >> 5) & 1;
    const int avx512f = (ebx7 >> 16) & 1, avx512dq = (ebx7 >> 17) & 1;
    const int avx512bw = (ebx7 >> 30) & 1, avx512vl = (ebx7 >> 31) & 1;
    /* FMA is required along with AVX2 because the float transforms use it. */
    if (ymm_state && avx2 && fma) mask |= 1u << KR_ISA_AVX2;
    if (zmm_state && avx2 && fma && avx512f && avx512dq && avx512bw && avx512vl)
        mask |= 1u << KR_ISA_AVX512;
    return mask;
}

static unsigned kr_detect_host(void)
{
    unsigned f = KR_HOST_X86;
    unsigned r[4];
    kr_cpuid(0x80000000u, 0, r);
    if (r[0] >= 0x80000001u) {
        kr_cpuid(0x80000001u, 0, r);
        if ((r[2] >> 6) & 1) f |= KR_HOST_SSE4A;
    }
    kr_cpuid(0, 0, r);
    const unsigned max_leaf = r[0];
    kr_cpuid(1, 0, r);
    const unsigned ecx1 = r[2];
    if (!((ecx1 >> 27) & 1) || !((ecx1 >> 28) & 1)) return f; /* no OSXSAVE or no AVX */
    const uint64_t xcr0 = kr_xgetbv0();
    if ((xcr0 & 0x6) != 0x6) return f;
    f |= KR_HOST_AVX;
    if ((ecx1 >> 29) & 1) f |= KR_HOST_F16C;
    if (max_leaf < 7 || (xcr0 & 0xE6) != 0xE6) return f;
    kr_cpuid(7, 0, r);
    if (!((r[1] >> 16) & 1)) return f;
    f |= KR_HOST_AVX512F;
    if ((r[3] >> 23) & 1) f |= KR_HOST_FP16;   /* leaf 7.0 EDX: AVX512-FP16 */
    kr_cpuid(7, 1, r);
    if ((r[0] >> 5) & 1) f |= KR_HOST_BF16;    /* leaf 7.1 EAX: AVX512-BF16 */
    return f;
}
#elif KR_HAVE_NEON_KERNELS
#if defined(__linux__)
#include <sys/auxv.h>
#endif
static unsigned kr_detect_host(void)
{
#if defined(__APPLE__)
    return KR_HOST_FP16; /* every arm64 Mac (M1 on) has FEAT_FP16 */
#elif defined(__linux__)
    /* HWCAP_FPHP | HWCAP_ASIMDHP: scalar and vector half-precision arithmetic */
    const unsigned long hw = getauxval(AT_HWCAP);
    return ((hw >> 9) & 1) && ((hw >> 10) & 1) ? KR_HOST_FP16 : 0;
#else
    return 0;
#endif
}

static unsigned kr_detect(void)
{
    return (1u << KR_ISA_SCALAR) | (1u << KR_ISA_NEON); /* NEON is baseline on aarch64 */
}
#else
static unsigned kr_detect(void) { return 1u << KR_ISA_SCALAR; }
static unsigned kr_detect_host(void) { return 0; }
#endif

/* The caches are written with the same values by whichever thread gets there
 * first; relaxed atomics keep that benign race well defined. */
static int kr_mask_cache = -1;
static const kr_kernel_table *kr_active_table = NULL;

static int kr_load_int(const int *p)
{
#if defined(_MSC_VER)
    return *(volatile const int *)p;
#else
    return __atomic_load_n(p, __ATOMIC_RELAXED);
#endif
}

static void kr_store_int(int *p, int v)
{
#if defined(_MSC_VER)
    *(volatile int *)p = v;
#else
    __atomic_store_n(p, v, __ATOMIC_RELAXED);
#endif
}

static const kr_kernel_table *kr_load_table(void)
{
#if defined(_MSC_VER)
    return *(const kr_kernel_table *volatile *)&kr_active_table;
#else
    return __atomic_load_n(&kr_active_table, __ATOMIC_ACQUIRE);
#endif
}

static void kr_store_table(const kr_kernel_table *t)
{
#if defined(_MSC_VER)
    *(const kr_kernel_table *volatile *)&kr_active_table = t;
#else
    __atomic_store_n(&kr_active_table, t, __ATOMIC_RELEASE);
#endif
}

/* A detection result, computed on first use. */
static unsigned kr_cached(int *cache, unsigned (*detect)(void))
{
    int value = kr_load_int(cache);
    if (value < 0) {
        value = (int)detect();
        kr_store_int(cache, value);
    }
    return (unsigned)value;
}

static int kr_host_cache = -1;

unsigned kr_supported_isas(void)
{
    return kr_cached(&kr_mask_cache, kr_detect);
}

unsigned kr_host_features(void)
{
    return kr_cached(&kr_host_cache, kr_detect_host);
}

kr_isa kr_best_isa(void)
{
    const unsigned mask = kr_supported_isas();
    if (mask & (1u << KR_ISA_AVX512)) return KR_ISA_AVX512;
    if (mask & (1u << KR_ISA_AVX2)) return KR_ISA_AVX2;
    if (mask & (1u << KR_ISA_NEON)) return KR_ISA_NEON;
    return KR_ISA_SCALAR;
}

int kr_isa_from_name(const char *name)
{
    for (int i = 0; i < KR_ISA_COUNT; i++)
        if (strcmp(name, kr_tables[i].name) == 0) return i;
    return -1;
}

const char *kr_isa_name(kr_isa isa)
{
    return ((unsigned)isa < KR_ISA_COUNT) ? kr_tables[isa].name : "unknown";
}

int kr_isa_compiled(kr_isa isa)
{
    return (unsigned)isa < KR_ISA_COUNT && kr_tables[isa].pairs != NULL;
}

int kr_select_isa(kr_isa isa)
{
    if ((unsigned)isa >= KR_ISA_COUNT || !kr_isa_compiled(isa)) return -1;
    if (!(kr_supported_isas() & (1u << isa))) return -2;
    kr_store_table(&kr_tables[isa]);
    return 0;
}

const kr_kernel_table *kr_kernel_table_for(kr_isa isa)
{
    if ((unsigned)isa >= KR_ISA_COUNT || !kr_isa_compiled(isa)) return NULL;
    if (!(kr_supported_isas() & (1u << isa))) return NULL;
    return &kr_tables[isa];
}

const kr_kernel_table *kr_kernels(void)
{
    const kr_kernel_table *t = kr_load_table();
    if (t == NULL) {
        t = &kr_tables[kr_best_isa()];
        kr_store_table(t);
    }
    return t;
}

int kr_build_sanitized(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return 1;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return 1;
#else
    return 0;
#endif
#else
    return 0;
#endif
}

const char *kr_build_compiler(void)
{
#if defined(__clang__)
    return "clang " __clang_version__;
#elif defined(__GNUC__)
    return "gcc " __VERSION__;
#elif defined(_MSC_VER)
#define KR_STR_(x) #x
#define KR_STR(x) KR_STR_(x)
    return "msvc " KR_STR(_MSC_FULL_VER);
#else
    return "unknown C compiler";
#endif
}
