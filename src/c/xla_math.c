/* float64 math as XLA's CPU backend computes it (see xla_math.h). */
#include "xla_math.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "fused.h"
#include "libm_exact.h"

static inline double kr_f64_from_bits(uint64_t u)
{
    double d;
    memcpy(&d, &u, 8);
    return d;
}

/* FTZ / DAZ on values: a subnormal reads as (and rounds to) a signed zero. */
static inline double kr_flush(double x)
{
    return fabs(x) < DBL_MIN ? copysign(0.0, x) : x;
}

double kr_xla_log_f64(double x)
{
    if (x != x) return kr_log(x);
    x = kr_flush(x);
    if (x == 0.0) return -INFINITY;
    if (x < 0.0) return kr_f64_from_bits(0x7FF8000000000000ull); /* positive quiet NaN */
    return kr_log(x);
}

double kr_xla_erf_f64(double x)
{
    return kr_erf(kr_flush(x));
}

/* Coefficients, highest degree first. */
static const double kr_log1p_den[6] = {
    15.062909083469192043167, 83.047565967967209469434, 221.76239823732856465394,
    309.09872225312059774938, 216.42788614495947685003, 60.118660497603843919306,
};
static const double kr_log1p_num[7] = {
    4.5270000862445199635215e-5, 0.49854102823193375972212, 6.5787325942061044846969,
    29.911919328553073277375, 60.949667980987787057556, 57.112963590585538103336,
    20.039553499201281259648,
};

double kr_xla_log1p_f64(double x)
{
    x = kr_flush(x);
    if (!(fabs(x) < kr_f64_from_bits(0x3FDA827999FCEF32ull))) /* sqrt(2) - 1 */
        return kr_xla_log_f64(x + 1.0);
    /* Both Horner chains start from x * 0, which XLA keeps (it is NaN for inf). */
    const double zero = x * 0.0;
    double den = zero + 1.0;
    for (int i = 0; i < 6; i++) den = kr_fma(den, x, kr_log1p_den[i]);
    double num = zero + kr_log1p_num[0];
    for (int i = 1; i < 7; i++) num = kr_fma(num, x, kr_log1p_num[i]);
    const double x2 = x * x;
    return x + kr_fma(x2, -0.5, (x * x2) * (num / den));
}

/* Giles (2010), "Approximating the erfinv function", double precision. */
static const double kr_erfinv_central[23] = { /* w < 6.25, t = w - 3.125 */
    -3.6444120640178196996e-21, -1.685059138182016589e-19, 1.2858480715256400167e-18,
    1.115787767802518096e-17, -1.333171662854620906e-16, 2.0972767875968561637e-17,
    6.6376381343583238325e-15, -4.0545662729752068639e-14, -8.1519341976054721522e-14,
    2.6335093153082322977e-12, -1.2975133253453532498e-11, -5.4154120542946279317e-11,
    1.051212273321532285e-09, -4.1126339803469836976e-09, -2.9070369957882005086e-08,
    4.2347877827932403518e-07, -1.3654692000834678645e-06, -1.3882523362786468719e-05,
    0.0001867342080340571352, -0.00074070253416626697512, -0.0060336708714301490533,
    0.24015818242558961693, 1.6536545626831027356,
};
static const double kr_erfinv_tail[19] = { /* w < 16, t = sqrt(w) - 3.25 */
    2.2137376921775787049e-09, 9.0756561938885390979e-08, -2.7517406297064545428e-07,
    1.8239629214389227755e-08, 1.5027403968909827627e-06, -4.013867526981545969e-06,
    2.9234449089955446044e-06, 1.2475304481671778723e-05, -4.7318229009055733981e-05,
    6.8284851459573175448e-05, 2.4031110387097893999e-05, -0.0003550375203628474796,
    0.00095328937973738049703, -0.0016882755560235047313, 0.0024914420961078508066,
    -0.0037512085075692412107, 0.005370914553590063617, 1.0052589676941592334,
    3.0838856104922207635,
};
static const double kr_erfinv_far[17] = { /* otherwise, t = sqrt(w) - 5 */
    -2.7109920616438573243e-11, -2.5556418169965252055e-10, 1.5076572693500548083e-09,
    -3.7894654401267369937e-09, 7.6157012080783393804e-09, -1.4960026627149240478e-08,
    2.9147953450901080826e-08, -6.7711997758452339498e-08, 2.2900482228026654717e-07,
    -9.9298272942317002539e-07, 4.5260625972231537039e-06, -1.9681778105531670567e-05,
    7.5995277030017761139e-05, -0.00021503011930044477347, -0.00013871931833623122026,
    1.0103004648645343977, 4.8499064014085844221,
};

double kr_xla_erfinv_f64(double x)
{
    x = kr_flush(x);
    const double w = -kr_xla_log1p_f64(x * -x);
    const double *c;
    int count;
    double t;
    if (w < 6.25) {
        c = kr_erfinv_central, count = 23, t = w - 3.125;
    } else if (w < 16.0) {
        c = kr_erfinv_tail, count = 19, t = sqrt(w) - 3.25;
    } else { /* also NaN w, from |x| > 1: the result is NaN either way */
        c = kr_erfinv_far, count = 17, t = sqrt(w) - 5.0;
    }
    double p = c[0];
    for (int i = 1; i < count; i++) p = kr_fma(p, t, c[i]);
    if (fabs(x) == 1.0) return x * INFINITY;
    return kr_flush(p * x);
}

double kr_xla_exp_f64(double x)
{
    const double hi = kr_f64_from_bits(0x40862E42FEFA39EFull);  /*  709.78...: exp overflows above */
    const double lo = kr_f64_from_bits(0xC086232BDD7ABCD2ull);  /* -708.39...: exp is subnormal below */
    if (x != x) return x + x;
    x = kr_flush(x);
    const double xc = x < hi ? (x > lo ? x : lo) : hi;
    /* x = n ln2 + g with ln2 in two parts; e^g = 1 + 2p / (q - p). */
    const double n = floor(kr_fma(xc, 1.4426950408889634073599, 0.5));
    double g = kr_fma(-n, 0.693145751953125, xc);
    g = kr_fma(-n, 1.42860682030941723212e-6, g);
    const double g2 = g * g;
    const double p = kr_fma(kr_fma(g2, 1.26177193074810590878e-4, 3.02994407707441961300e-2), g2, 1.0) * g;
    const double q = kr_fma(kr_fma(kr_fma(g2, 3.00198505138664455042e-6, 2.52448340349684104192e-3), g2,
                             2.27265548208155028766e-1), g2, 2.0);
    const double e = kr_fma(p / (q - p), 2.0, 1.0);
    /* e * 2^n in four factors so no factor overflows, as XLA scales. */
    int64_t k = (int64_t)n;
    k = k < -2099 ? -2099 : (k > 2099 ? 2099 : k);
    const int64_t b = k >> 2; /* floor(k / 4) */
    const double s1 = kr_f64_from_bits((uint64_t)(b + 1023) << 52);
    const double s2 = kr_f64_from_bits((uint64_t)(k - 3 * b + 1023) << 52);
    if (x < lo) return 0.0;
    if (x > hi) return INFINITY;
    return kr_flush(e * s1 * s1 * s1 * s2);
}

void kr_xla_f64_array(kr_xla_fn fn, const double *x, size_t n, double *out)
{
    double (*f)(double);
    switch (fn) {
    case KR_XLA_LOG: f = kr_xla_log_f64; break;
    case KR_XLA_LOG1P: f = kr_xla_log1p_f64; break;
    case KR_XLA_ERF: f = kr_xla_erf_f64; break;
    case KR_XLA_ERFINV: f = kr_xla_erfinv_f64; break;
    default: f = kr_xla_exp_f64; break;
    }
    for (size_t i = 0; i < n; i++) out[i] = f(x[i]);
}
