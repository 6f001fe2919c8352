"""Every sampler of both namespaces against the field, in one run.

    python bench/breadth.py [--n N] [--rounds R] [--one-cpu] [--only a,b]
                            [--save | --out FILE.md]

For each sampler (keyrand.jax and the MLX-style top level, float32 and
float64), the same call is timed for keyrand on 1 thread and on all threads,
jitted jax.random, mlx.core.random and NumPy's nearest Generator method,
round-robin for R rounds (bench/run.py's `measure`), at N elements (the
rejection family at N / 100, the index and vector samplers at N / 10) and at shape (3,)
(the per-call cost). The table gives ns per element (large calls), us per
call (small calls), and each peer's time over keyrand's on one thread: above
1 means keyrand is faster. `--one-cpu` pins the whole process to one CPU, so
JAX and MLX run single-threaded too (otherwise they use their own pools).
Libraries that are not installed are left out. `--save` writes
bench/results/<cpu>-breadth.md.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import warnings
from pathlib import Path

import numpy as np

import keyrand as kr
from keyrand import jax as jr

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import cpu_name, default_name, measure  # noqa: E402

F32, F64 = np.float32, np.float64
# (name, call, numpy's nearest): a call takes (module, key, shape, dtype) and runs
# for keyrand.jax and jax.random alike; numpy's takes (Generator, shape).
JAX_ROWS = [
    ("uniform", lambda m, k, s, d: m.uniform(k, s, d), lambda g, s: g.random(s, F32)),
    ("normal", lambda m, k, s, d: m.normal(k, s, d), lambda g, s: g.standard_normal(s, F32)),
    ("exponential", lambda m, k, s, d: m.exponential(k, s, d),
     lambda g, s: g.standard_exponential(s, F32)),
    ("gumbel", lambda m, k, s, d: m.gumbel(k, s, d), lambda g, s: g.gumbel(size=s)),
    ("laplace", lambda m, k, s, d: m.laplace(k, s, d), lambda g, s: g.laplace(size=s)),
    ("logistic", lambda m, k, s, d: m.logistic(k, s, d), lambda g, s: g.logistic(size=s)),
    ("cauchy", lambda m, k, s, d: m.cauchy(k, s, d), lambda g, s: g.standard_cauchy(s)),
    ("lognormal", lambda m, k, s, d: m.lognormal(k, 0.5, s, d),
     lambda g, s: g.lognormal(0, 0.5, s)),
    ("pareto", lambda m, k, s, d: m.pareto(k, 3.0, s, d), lambda g, s: g.pareto(3.0, s)),
    ("rayleigh", lambda m, k, s, d: m.rayleigh(k, 2.0, s, d), lambda g, s: g.rayleigh(2.0, s)),
    ("maxwell", lambda m, k, s, d: m.maxwell(k, s, d), None),
    ("double_sided_maxwell", lambda m, k, s, d: m.double_sided_maxwell(k, 0.0, 1.0, s, d), None),
    ("weibull_min", lambda m, k, s, d: m.weibull_min(k, 2.0, 1.5, s, d),
     lambda g, s: g.weibull(1.5, s)),
    ("triangular", lambda m, k, s, d: m.triangular(k, 0.0, 0.3, 1.0, s, d),
     lambda g, s: g.triangular(0.0, 0.3, 1.0, s)),
    ("wald", lambda m, k, s, d: m.wald(k, 1.5, s, d), lambda g, s: g.wald(1.5, 1.0, s)),
    ("truncated_normal", lambda m, k, s, d: m.truncated_normal(k, -1.0, 2.0, s, d), None),
    ("rademacher", lambda m, k, s, d: m.rademacher(k, s), None),
    ("bernoulli", lambda m, k, s, d: m.bernoulli(k, 0.3, s), lambda g, s: g.random(s) < 0.3),
    ("randint", lambda m, k, s, d: m.randint(k, s, 0, 1000),
     lambda g, s: g.integers(0, 1000, s, np.int32)),
    ("geometric", lambda m, k, s, d: m.geometric(k, 0.3, s), lambda g, s: g.geometric(0.3, s)),
]
REJECTION_ROWS = [
    ("gamma(2.5)", lambda m, k, s, d: m.gamma(k, 2.5, s, d), lambda g, s: g.standard_gamma(2.5, s)),
    ("gamma(0.3)", lambda m, k, s, d: m.gamma(k, 0.3, s, d), lambda g, s: g.standard_gamma(0.3, s)),
    ("beta(2, 3)", lambda m, k, s, d: m.beta(k, 2.0, 3.0, s, d), lambda g, s: g.beta(2.0, 3.0, s)),
    ("chisquare(3)", lambda m, k, s, d: m.chisquare(k, 3.0, s, d), lambda g, s: g.chisquare(3.0, s)),
    ("t(5)", lambda m, k, s, d: m.t(k, 5.0, s, d), lambda g, s: g.standard_t(5.0, s)),
    ("poisson(4)", lambda m, k, s, d: m.poisson(k, 4.0, s), lambda g, s: g.poisson(4.0, s)),
    ("poisson(50)", lambda m, k, s, d: m.poisson(k, 50.0, s), lambda g, s: g.poisson(50.0, s)),
    ("binomial(20, 0.3)", lambda m, k, s, d: m.binomial(k, 20.0, 0.3, s),
     lambda g, s: g.binomial(20, 0.3, s)),
]
P1000 = np.random.default_rng(1).dirichlet(np.ones(1000)).astype(F32)
P4 = np.array([0.1, 0.2, 0.3, 0.4], F32)
ALPHA4 = np.array([0.5, 1.0, 2.0, 3.0], F32)
# Index, sorting and vector samplers, at N / 10: "n" counts the output's elements
# (categorical: the logits', 100 per draw).
INDEX_ROWS = [
    ("permutation", lambda m, k, s, d: m.permutation(k, s[0]), lambda g, s: g.permutation(s[0])),
    ("choice(2n, replace=False)", lambda m, k, s, d: m.choice(k, 2 * s[0], s, replace=False),
     lambda g, s: g.choice(2 * s[0], s, replace=False)),
    ("choice(1000, p)", lambda m, k, s, d: m.choice(k, 1000, s, p=P1000),
     lambda g, s: g.choice(1000, s, p=P1000)),
    ("categorical(100 logits)", lambda m, k, s, d: m.categorical(
        k, np.zeros((max(1, s[0] // 100), 100), F32)), None),
    ("multinomial(10, 4 cells)", lambda m, k, s, d: m.multinomial(
        k, 10.0, P4, shape=(max(1, s[0] // 4), 4)),
     lambda g, s: g.multinomial(10, P4, max(1, s[0] // 4))),
    ("dirichlet(4)", lambda m, k, s, d: m.dirichlet(k, ALPHA4, (max(1, s[0] // 4),)),
     lambda g, s: g.dirichlet(ALPHA4, max(1, s[0] // 4))),
    ("ball(3)", lambda m, k, s, d: m.ball(k, 3, shape=(max(1, s[0] // 3),)), None),
]
FLOAT64_JAX = {"uniform", "normal", "exponential", "gumbel", "laplace", "logistic",
               "lognormal", "wald", "triangular", "truncated_normal", "gamma(2.5)", "beta(2, 3)"}
# (name, keyrand / mlx call taking (module, key, shape, dtype), numpy call)
MLX_ROWS = [
    ("uniform", lambda m, k, s, d: m.uniform(shape=s, dtype=d, key=k),
     lambda g, s: g.random(s, F32)),
    ("normal", lambda m, k, s, d: m.normal(s, dtype=d, key=k),
     lambda g, s: g.standard_normal(s, F32)),
    ("normal(loc, scale arrays)", None, None),
    ("randint", lambda m, k, s, d: m.randint(0, 1000, s, key=k),
     lambda g, s: g.integers(0, 1000, s, np.int32)),
    ("bernoulli", lambda m, k, s, d: m.bernoulli(0.3, s, key=k), lambda g, s: g.random(s) < 0.3),
    ("truncated_normal", lambda m, k, s, d: m.truncated_normal(-1.0, 2.0, s, dtype=d, key=k),
     None),
    ("gumbel", lambda m, k, s, d: m.gumbel(s, dtype=d, key=k), lambda g, s: g.gumbel(size=s)),
    ("laplace", lambda m, k, s, d: m.laplace(s, dtype=d, key=k), lambda g, s: g.laplace(size=s)),
    ("permutation", lambda m, k, s, d: m.permutation(s[0], key=k),
     lambda g, s: g.permutation(s[0])),
]
FLOAT64_MLX = {"normal", "laplace"}  # what MLX computes in float64


def _jax():
    if importlib.util.find_spec("jax") is None:
        return None
    import jax
    return jax


def _mlx():
    if importlib.util.find_spec("mlx") is None:
        return None
    import mlx.core as mx
    mx.set_default_device(mx.cpu)
    return mx


def keyrand_on(threads, fn, x64=False):
    def run():
        kr.set_num_threads(threads)
        with jr.enable_x64(x64):  # float64 rows: keyrand.jax in 64-bit mode, as JAX
            return fn()
    return run


def jax_row(name, call, np_call, shape, dtype, threads, jax, gen):
    key = jr.PRNGKey(0)
    x64 = dtype == F64
    entries = {"keyrand 1 thread": keyrand_on(1, lambda: call(jr, key, shape, dtype), x64)}
    if threads > 1:
        entries[f"keyrand {threads} threads"] = keyrand_on(
            threads, lambda: call(jr, key, shape, dtype), x64)
    if jax is not None:
        jax.config.update("jax_enable_x64", x64)
        jk = jax.numpy.asarray(key)
        fn = jax.jit(lambda k: call(jax.random, k, shape, dtype))
        fn(jk).block_until_ready()

        def run_jax(fn=fn, x64=x64):
            jax.config.update("jax_enable_x64", x64)
            return fn(jk).block_until_ready()
        entries["jax jit"] = run_jax
    if np_call is not None:
        entries["numpy"] = lambda: np_call(gen, shape)
    return entries


def _loc_scale(mod, shape):
    loc = np.linspace(-1.0, 1.0, int(np.prod(shape)), dtype=F32).reshape(shape)
    if mod is kr:
        return loc, loc + 2.0
    mx = _mlx()
    return mx.array(loc), mx.array(loc + 2.0)


def mlx_row(name, call, np_call, shape, dtype, threads, mx, gen):
    if call is None:  # array parameters, as MLX broadcasts them
        def call(m, k, s, d):
            loc, scale = _loc_scale(m, s)
            return m.normal(s, dtype=d, loc=loc, scale=scale, key=k)
    key = kr.key(0)
    entries = {"keyrand 1 thread": keyrand_on(1, lambda: call(kr, key, shape, dtype))}
    if threads > 1:
        entries[f"keyrand {threads} threads"] = keyrand_on(
            threads, lambda: call(kr, key, shape, dtype))
    if mx is not None and (dtype == F32 or name in FLOAT64_MLX):
        mk = mx.random.key(0)
        mdt = mx.float64 if dtype == F64 else mx.float32

        def run_mlx():
            out = call(mx.random, mk, shape, mdt)
            mx.eval(out)
            return np.array(out, copy=False)
        entries["mlx"] = run_mlx
    if np_call is not None:
        entries["numpy"] = lambda: np_call(gen, shape)
    return entries


def rows(args, threads, jax, mx):
    gen = np.random.default_rng(0)
    only = set(args.only.split(",")) if args.only else None
    for namespace, table, f64 in (("jax", JAX_ROWS + REJECTION_ROWS + INDEX_ROWS, FLOAT64_JAX),
                                  ("top", MLX_ROWS, FLOAT64_MLX | {"uniform", "gumbel",
                                                                   "truncated_normal"})):
        for name, call, np_call in table:
            if only and name.split("(")[0] not in only:
                continue
            for dtype in (F32, F64) if name.split("(")[0] in f64 or name in f64 else (F32,):
                big = args.n // 100 if (name, call, np_call) in REJECTION_ROWS else \
                    args.n // 10 if (name, call, np_call) in INDEX_ROWS else args.n
                for n in (big, 3):
                    build = jax_row if namespace == "jax" else mlx_row
                    entries = build(name, call, np_call, (n,), dtype, threads,
                                    jax if namespace == "jax" else mx, gen)
                    yield namespace, name, np.dtype(dtype).name, n, entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10**6)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--one-cpu", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated sampler names")
    parser.add_argument("--save", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.one_cpu:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    threads = kr.get_num_threads()
    warnings.simplefilter("ignore")
    jax, mx = _jax(), _mlx()
    lines = [f"# Every sampler against the field on {cpu_name()}", "",
             f"`python bench/breadth.py --n {args.n} --rounds {args.rounds}"
             f"{' --one-cpu' if args.one_cpu else ''}`: keyrand {kr.__version__}, kernel "
             f"{kr.simd_kernel()}, {threads} thread(s) available"
             f"{', process pinned to one CPU' if args.one_cpu else ''}; "
             f"jax {jax.__version__ if jax else '-'}, mlx {mx.__version__ if mx else '-'}, "
             f"numpy {np.__version__}. Large calls in ns per element, small calls "
             "(shape (3,)) in us per call; `x` columns: the peer's time over keyrand's "
             "on one thread (> 1: keyrand is faster).", "",
             "| namespace | sampler | dtype | n | keyrand 1 thread | keyrand all | jax jit | "
             "mlx | numpy | jax / keyrand | mlx / keyrand | numpy / keyrand |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    print("\n".join(lines), flush=True)
    for namespace, name, dtype, n, entries in rows(args, threads, jax, mx):
        med = measure(entries, n, args.rounds)
        unit, scale = ("us", 1e6) if n <= 3 else ("ns", 1e9 / n)
        ref = med["keyrand 1 thread"]
        all_key = next((k for k in med if k.startswith("keyrand ") and "threads" in k), None)

        def cell(key):
            return f"{med[key] * scale:.3g} {unit}" if key in med else "-"

        def ratio(key):
            return f"{med[key] / ref:.2f}" if key in med else "-"
        line = (f"| {namespace} | {name} | {dtype} | {n:,} | {cell('keyrand 1 thread')} | "
                f"{cell(all_key) if all_key else '-'} | {cell('jax jit')} | {cell('mlx')} | "
                f"{cell('numpy')} | {ratio('jax jit')} | {ratio('mlx')} | {ratio('numpy')} |")
        lines.append(line)
        print(line, flush=True)
    kr.set_num_threads(threads)
    out = args.out or (Path(__file__).resolve().parent / "results" / f"{default_name()}-breadth.md"
                       if args.save else None)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n".join(lines) + "\n")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
