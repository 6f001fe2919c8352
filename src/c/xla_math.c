/* float64 math as XLA's CPU backend computes it (see xla_math.h); the
 * definitions are the inline ones of xla_f64.h, which the kernels use. */
#include "xla_math.h"

#include <math.h>

#include "libm_exact.h"
#include "xla_f64.h"

double kr_xla_log_f64(double x) { return kr_xla_log64(x); }
double kr_xla_log1p_f64(double x) { return kr_xla_log1p64(x); }
double kr_xla_exp_f64(double x) { return kr_xla_exp64(x); }
double kr_xla_erf_f64(double x) { return kr_erf(kr_xla_flush64(x)); }
double kr_xla_tan_f64(double x) { return kr_xla_flush64(tan(kr_xla_flush64(x))); }

double kr_xla_pow_f64(double x, double y)
{
    return kr_xla_flush64(pow(kr_xla_flush64(x), kr_xla_flush64(y)));
}

/* Giles (2010), "Approximating the erfinv function", double precision: the
 * tail regions (the central one is in xla_f64.h). */
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
    int tail;
    const double central = kr_xla_erfinv64_central(x, &tail);
    if (!tail) return central;
    x = kr_xla_flush64(x);
    if (fabs(x) == 1.0) return x * INFINITY;
    const double w = -kr_xla_log1p64(x * -x);
    const double *c;
    int count;
    double t;
    if (w < 16.0) {
        c = kr_erfinv_tail, count = 19, t = sqrt(w) - 3.25;
    } else { /* also NaN w, from |x| > 1: the result is NaN either way */
        c = kr_erfinv_far, count = 17, t = sqrt(w) - 5.0;
    }
    double p = c[0];
    for (int i = 1; i < count; i++) p = kr_fma(p, t, c[i]);
    return kr_xla_flush64(p * x);
}

void kr_xla_f64_array(kr_xla_fn fn, const double *x, size_t n, double *out)
{
    switch (fn) {
    case KR_XLA_LOG: for (size_t i = 0; i < n; i++) out[i] = kr_xla_log64(x[i]); break;
    case KR_XLA_LOG1P: for (size_t i = 0; i < n; i++) out[i] = kr_xla_log1p64(x[i]); break;
    case KR_XLA_ERF: for (size_t i = 0; i < n; i++) out[i] = kr_xla_erf_f64(x[i]); break;
    case KR_XLA_ERFINV: for (size_t i = 0; i < n; i++) out[i] = kr_xla_erfinv_f64(x[i]); break;
    case KR_XLA_TAN: for (size_t i = 0; i < n; i++) out[i] = kr_xla_tan_f64(x[i]); break;
    default: for (size_t i = 0; i < n; i++) out[i] = kr_xla_exp64(x[i]); break;
    }
}

void kr_xla_pow_f64_array(const double *x, const double *y, size_t n, double *out)
{
    for (size_t i = 0; i < n; i++) out[i] = kr_xla_pow_f64(x[i], y[i]);
}
