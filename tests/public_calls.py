"""A valid call of every public function of keyrand, keyrand.jax and
keyrand.dask (arguments by name), the global switches and contexts, and the
functions without arguments: the table test_fuzz.py makes hostile one
argument at a time and test_threads.py replays. Kept apart from test_fuzz so
suites without Hypothesis (the reduced aarch64 run) can import it."""
import numpy as np

import keyrand as kr
from keyrand import jax as jr

K = kr.key(1)
CHUNKS = {"chunks": 2}

# A valid call of every public function (arguments by name).
CASES = [
    (kr.key, dict(seed=1)), (kr.split, dict(key=K, num=3)), (kr.fold_in, dict(key=K, data=3)),
    (kr.bits, dict(shape=(3,), width=4, key=K)),
    (kr.uniform, dict(low=0.0, high=1.0, shape=(3,), dtype=np.float32, key=K)),
    (kr.normal, dict(shape=(3,), dtype=np.float32, loc=0.0, scale=1.0, key=K)),
    (kr.randint, dict(low=0, high=10, shape=(3,), dtype=np.int32, key=K)),
    (kr.bernoulli, dict(p=0.5, shape=(3,), key=K)),
    (kr.truncated_normal, dict(lower=-1.0, upper=1.0, shape=(3,), dtype=np.float32, key=K)),
    (kr.gumbel, dict(shape=(3,), dtype=np.float32, key=K)),
    (kr.laplace, dict(shape=(3,), dtype=np.float32, loc=0.0, scale=1.0, key=K)),
    (kr.categorical, dict(logits=[[0.0, 1.0, 2.0]], axis=-1, shape=None, num_samples=2, key=K)),
    (kr.multivariate_normal, dict(mean=np.zeros(2), cov=np.eye(2), shape=(3,), key=K)),
    (kr.permutation, dict(x=5, axis=0, key=K)),
    (kr.block, dict(fn=kr.normal, index=np.s_[1:3], shape=(5,), key=K)),
    (kr.dask.uniform, dict(low=0.0, high=1.0, shape=(4,), key=K, **CHUNKS)),
    (kr.dask.normal, dict(shape=(4,), loc=1.0, scale=2.0, key=K, **CHUNKS)),
    (kr.dask.randint, dict(low=0, high=9, shape=(4,), key=K, **CHUNKS)),
    (kr.dask.bits, dict(shape=(4,), width=2, key=K, **CHUNKS)),
    (kr.dask.bernoulli, dict(p=0.3, shape=(4,), key=K, **CHUNKS)),
    (kr.dask.gumbel, dict(shape=(4,), key=K, **CHUNKS)),
    (kr.dask.laplace, dict(shape=(4,), key=K, **CHUNKS)),
    (kr.dask.truncated_normal, dict(lower=0.0, upper=1.0, shape=(4,), key=K, **CHUNKS)),
    (kr.dask.from_sampler, dict(fn=jr.normal, key=K, shape=(4,), **CHUNKS)),
    (jr.PRNGKey, dict(seed=1)), (jr.key, dict(seed=1)), (jr.key_data, dict(keys=K)),
    (jr.wrap_key_data, dict(key_bits_array=K)), (jr.clone, dict(key=K)),
    (jr.key_impl, dict(keys=K)), (jr.key_dtype, dict(impl_spec="threefry2x32")),
    (jr.split, dict(key=K, num=2)), (jr.fold_in, dict(key=K, data=3)),
    (jr.bits, dict(key=K, shape=(3,), dtype=np.uint32)),
    (jr.uniform, dict(key=K, shape=(3,), dtype=np.float32, minval=0.0, maxval=1.0)),
    (jr.normal, dict(key=K, shape=(3,), dtype=np.float32)),
    (jr.randint, dict(key=K, shape=(3,), minval=0, maxval=10, dtype=np.int32)),
    (jr.bernoulli, dict(key=K, p=0.5, shape=(3,))),
    (jr.categorical, dict(key=K, logits=np.array([0.0, 1.0, 2.0]), axis=-1, shape=(2,))),
    (jr.choice, dict(key=K, a=5, shape=(2,), replace=False, p=None, axis=0)),
    (jr.permutation, dict(key=K, x=5, axis=0, independent=False)),
    (jr.truncated_normal, dict(key=K, lower=-1.0, upper=1.0, shape=(3,), dtype=np.float32)),
    (jr.gumbel, dict(key=K, shape=(3,), dtype=np.float32)),
    (jr.laplace, dict(key=K, shape=(3,), dtype=np.float32)),
    (jr.logistic, dict(key=K, shape=(3,), dtype=np.float32)),
    (jr.exponential, dict(key=K, shape=(3,), dtype=np.float32)),
    (jr.cauchy, dict(key=K, shape=(3,), dtype=np.float32)),
    (jr.rademacher, dict(key=K, shape=(3,), dtype=np.int32)),
    (jr.lognormal, dict(key=K, sigma=1.0, shape=(3,), dtype=np.float32)),
    (jr.pareto, dict(key=K, b=2.0, shape=(3,), dtype=np.float32)),
    (jr.rayleigh, dict(key=K, scale=1.0, shape=(3,), dtype=np.float32)),
    (jr.maxwell, dict(key=K, shape=(3,), dtype=np.float32)),
    (jr.double_sided_maxwell, dict(key=K, loc=0.0, scale=1.0, shape=(3,), dtype=np.float32)),
    (jr.weibull_min, dict(key=K, scale=1.0, concentration=2.0, shape=(3,), dtype=np.float32)),
    (jr.triangular, dict(key=K, left=0.0, mode=1.0, right=2.0, shape=(3,), dtype=np.float32)),
    (jr.wald, dict(key=K, mean=1.0, shape=(3,), dtype=np.float32)),
    (jr.generalized_normal, dict(key=K, p=2.0, shape=(3,), dtype=np.float32)),
    (jr.multivariate_normal, dict(key=K, mean=np.zeros(2), cov=np.eye(2), shape=(3,))),
    (jr.orthogonal, dict(key=K, n=3, shape=(), dtype=np.float32)),
    (jr.ball, dict(key=K, d=3, p=2, shape=(2,), dtype=np.float32)),
    (jr.geometric, dict(key=K, p=0.3, shape=(3,), dtype=np.int32)),
    (jr.gamma, dict(key=K, a=2.0, shape=(3,), dtype=np.float32)),
    (jr.loggamma, dict(key=K, a=2.0, shape=(3,), dtype=np.float32)),
    (jr.beta, dict(key=K, a=2.0, b=3.0, shape=(3,), dtype=np.float32)),
    (jr.dirichlet, dict(key=K, alpha=np.array([1.0, 2.0]), shape=(3,), dtype=np.float32)),
    (jr.chisquare, dict(key=K, df=3.0, shape=(3,), dtype=np.float32)),
    (jr.f, dict(key=K, dfnum=3.0, dfden=4.0, shape=(3,), dtype=np.float32)),
    (jr.t, dict(key=K, df=3.0, shape=(3,), dtype=np.float32)),
    (jr.poisson, dict(key=K, lam=3.0, shape=(3,), dtype=np.int32)),
    (jr.binomial, dict(key=K, n=10.0, p=0.3, shape=(3,), dtype=np.float32)),
    (jr.multinomial, dict(key=K, n=10.0, p=np.array([0.2, 0.3, 0.5]), shape=(3,))),
]
# Global switches: fuzzed too, their state restored after each call.
SWITCHES = [
    (kr.seed, dict(seed=1)), (kr.set_num_threads, dict(n=1)),
    (kr.set_simd_kernel, dict(name="scalar")),
    (jr.set_threefry_partitionable, dict(flag=True)), (jr.set_enable_x64, dict(flag=False)),
    (jr.set_host_profile, dict(fp16=False, rsqrt_steps=0)),
]
CONTEXTS = [(jr.threefry_partitionable, dict(flag=False)), (jr.enable_x64, dict(flag=True)),
            (jr.host_profile_override, dict(fp16=True, rsqrt_steps=0))]
NO_ARGUMENTS = [kr.available_simd_kernels, kr.get_include, kr.get_num_threads, kr.simd_kernel,
                kr.supported_samplers, jr.is_threefry_partitionable, jr.x64_enabled,
                jr.host_profile]
