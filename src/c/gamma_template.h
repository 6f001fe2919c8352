/* One block of jax.random.gamma (sample_gamma.h) in one float type: the
 * Marsaglia-Tsang loop runs over the block's still-active elements only;
 * each round gathers their keys, so the kernel hashes every lane's key chain
 * and computes the round's normals side by side.
 *
 * Required before inclusion (rejection_template.h, once per type):
 *   KR_G_FN(name)     name suffix for the type
 *   KR_G_T            float or double; KR_G_WORD_T: its draws' word type
 *   KR_G_WORDS(part, keys, n, w)   the words of 0-d draws from n keys
 *   KR_G_NORMALS(job, w, n, out)   normal(s) of n words w[i] (the kernel's)
 *   KR_G_UNIT(w)      uniform(s) in [0, 1) from its word
 *   KR_G_RSQRT(job, d, n, out)     XLA's rsqrt of d[0..n)
 *   KR_G_LOG, KR_G_LOG1P, KR_G_POW, KR_G_FMA, KR_G_TINY (smallest normal) */

static int KR_G_FN(kr_gamma_more)(KR_G_T X, KR_G_T V, KR_G_T U, KR_G_T d)
{
    const KR_G_T squeeze = (KR_G_T)0.0331, one = 1, half = (KR_G_T)0.5;
    const KR_G_T bound = one - squeeze * (X * X);
    const KR_G_T lhs = X * half + d * ((one - V) + KR_G_LOG(V));
    return U >= bound && KR_G_LOG(U) >= lhs;
}

/* Values of m elements from their keys (overwritten) and alpha[i]. Inside a
 * round, arrays indexed by j follow the round's active elements. */
static void KR_G_FN(kr_gamma_values)(const kr_gamma_job *job, kr_lanes *key,
                                    const KR_G_T *alpha, size_t m, KR_G_T *out)
{
    const int part = job->part;
    const KR_G_T one = 1, zero = 0, third = (KR_G_T)(1.0 / 3.0);
    kr_lanes sub, xk, uk, g, s;
    KR_G_T d[KR_GAMMA_BLOCK] = {0}; /* all read by KR_G_RSQRT: GCC cannot see m > 0 */
    KR_G_T c[KR_GAMMA_BLOCK], x[KR_GAMMA_BLOCK], v[KR_GAMMA_BLOCK];
    KR_G_T V[KR_GAMMA_BLOCK], z[KR_GAMMA_BLOCK];
    KR_G_WORD_T w[KR_GAMMA_BLOCK];
    uint16_t active[KR_GAMMA_BLOCK], inner[KR_GAMMA_BLOCK];

    kr_lanes *const first[2] = {key, &sub}, *const round[3] = {&g, &xk, &uk},
                    *const normal[2] = {&g, &s};
    kr_lanes_split(KR_FN(kr_keyed), part, key, m, 2, first);
    for (size_t i = 0; i < m; i++) {
        d[i] = (alpha[i] >= one ? alpha[i] : alpha[i] + one) - third;
        V[i] = one;
    }
    KR_G_RSQRT(job, d, m, c);
    size_t na = 0;
    for (size_t i = 0; i < m; i++) {
        c[i] = third * c[i];
        if (KR_G_FN(kr_gamma_more)(zero, one, (KR_G_T)2, d[i])) active[na++] = (uint16_t)i;
    }
    while (na) {
        kr_gather(key, active, na, &g);
        kr_lanes_split(KR_FN(kr_keyed), part, &g, na, 3, round);
        kr_scatter(&g, active, na, key);
        size_t ni = na;
        for (size_t j = 0; j < na; j++) inner[j] = (uint16_t)j;
        while (ni) {
            kr_gather(&xk, inner, ni, &g);
            kr_lanes_split(KR_FN(kr_keyed), part, &g, ni, 2, normal);
            kr_scatter(&g, inner, ni, &xk);
            KR_G_WORDS(part, &s, ni, w);
            KR_G_NORMALS(job, w, ni, z);
            size_t keep = 0;
            for (size_t t = 0; t < ni; t++) {
                const size_t j = inner[t];
                x[j] = z[t];
                v[j] = KR_G_FMA(x[j], c[active[j]], one);
                if (v[j] <= zero) inner[keep++] = (uint16_t)j;
            }
            ni = keep;
        }
        KR_G_WORDS(part, &uk, na, w);
        size_t keep = 0;
        for (size_t j = 0; j < na; j++) {
            const size_t i = active[j];
            const KR_G_T X = x[j] * x[j];
            V[i] = (v[j] * v[j]) * v[j];
            if (KR_G_FN(kr_gamma_more)(X, V[i], KR_G_UNIT(w[j]), d[i])) active[keep++] = (uint16_t)i;
        }
        na = keep;
    }
    KR_G_WORDS(part, &sub, m, w);
    for (size_t i = 0; i < m; i++) {
        const int boost = alpha[i] >= one;
        const KR_G_T inv = one / alpha[i], u = KR_G_UNIT(w[i]);
        KR_G_T r;
        if (job->log_space) {
            const KR_G_T l = KR_G_LOG1P(-u);
            r = (KR_G_LOG(d[i]) + KR_G_LOG(V[i])) + (boost || l == zero ? zero : l * inv);
        } else {
            r = (d[i] * V[i]) * (boost ? one : KR_G_POW(one - u, inv));
        }
        out[i] = r < KR_G_TINY && r > -KR_G_TINY ? zero : r;
    }
}
