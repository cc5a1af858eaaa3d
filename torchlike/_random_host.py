"""PyTorch's CPU generator on NumPy, bit for bit.

PyTorch's ``CPUGeneratorImpl`` is an mt19937 (``init_genrand`` of the low 32 bits of the seed)
plus a cached second Box-Muller sample. NumPy's ``MT19937`` bit generator runs the same
recurrence, so each sampler below draws the same 32-bit words as ATen's CPU kernels
(``aten/src/ATen/core/DistributionsHelper.h``, ``TransformationHelper.h``,
``native/cpu/DistributionTemplates.h``) and repeats their arithmetic in the same precision,
including the fused multiply-adds the compiler forms. Draws happen on the host; the arrays enter
programs as inputs like any other NumPy data.
"""

from __future__ import annotations

import functools
import math
import struct

import numpy as np

_M64 = (1 << 64) - 1
_N = 624
_F = np.float32
_D = np.float64


@functools.lru_cache(maxsize=64)
def _init_genrand(seed32: int) -> np.ndarray:
    key = np.empty(_N, np.uint32)
    s = seed32
    for i in range(_N):
        key[i] = s
        s = (1812433253 * (s ^ (s >> 30)) + i + 1) & 0xFFFFFFFF
    key.flags.writeable = False
    return key


class MTState:
    """One CPU generator's state: the mt19937 words, the 64-bit initial seed, and the cached
    normal sample of ``normal_distribution<double>``."""

    __slots__ = ("bits", "seed", "normal", "float_normal", "fresh")

    def __init__(self, seed: int):
        self.bits = np.random.MT19937(0)
        self.manual_seed(seed)

    def manual_seed(self, seed: int) -> None:
        self.seed = seed & _M64
        self._set(_init_genrand(self.seed & 0xFFFFFFFF), _N)
        self.normal = None
        self.float_normal = None
        self.fresh = True  # torch's engine says left=1, next=0 until the first draw

    def _set(self, key, pos) -> None:
        self.bits.state = {"bit_generator": "MT19937", "state": {"key": np.array(key, np.uint32), "pos": pos}}

    def copy(self) -> MTState:
        new = MTState.__new__(MTState)
        new.bits = np.random.MT19937(0)
        new.bits.state = self.bits.state
        new.seed, new.normal, new.float_normal, new.fresh = self.seed, self.normal, self.float_normal, self.fresh
        return new

    # -- draws -------------------------------------------------------------------------------------
    def u32(self, n: int) -> np.ndarray:
        """``n`` calls of ``random()``: 32-bit words (held in uint64)."""
        self.fresh = False
        return self.bits.random_raw(n)

    def u64(self, n: int) -> np.ndarray:
        """``n`` calls of ``random64()``: the first word is the high half."""
        r = self.u32(2 * n)
        return (r[0::2] << np.uint64(32)) | r[1::2]

    def skip(self, n: int) -> None:
        if n:
            self.fresh = False
            self.bits.random_raw(n, output=False)

    # -- torch.get_rng_state layout (CPUGeneratorImplState, 5056 bytes) ----------------------------
    def to_bytes(self) -> bytes:
        st = self.bits.state["state"]
        pos = int(st["pos"])
        left, nxt = (1, 0 if self.fresh else _N) if pos >= _N else (_N + 1 - pos, pos)
        y = self.normal if self.normal is not None else 0.0
        fy = self.float_normal if self.float_normal is not None else 0.0
        return b"".join((
            struct.pack("<QiiQ", self.seed, left, 1, nxt),
            np.asarray(st["key"], "<u8").tobytes(),
            struct.pack("<dddi4x", 0.0, y, 0.0, int(self.normal is not None)),
            struct.pack("<f?3x", fy, self.float_normal is not None),
        ))

    def load_bytes(self, raw: bytes) -> None:
        if len(raw) != 5056:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size 5056 but found the input RNG state size "
                               f"to be {len(raw)}")
        seed, left, seeded, nxt = struct.unpack_from("<QiiQ", raw, 0)
        if not (seeded and 0 < left <= _N and nxt <= _N):
            raise RuntimeError("Invalid mt19937 state")
        key = np.frombuffer(raw, "<u8", _N, 24).astype(np.uint32)
        _, y, _, valid = struct.unpack_from("<dddi", raw, 24 + 8 * _N)
        fy, fvalid = struct.unpack_from("<f?", raw, 5048)
        self._set(key, _N if left == 1 else nxt)
        self.seed, self.fresh = seed, left == 1 and nxt == 0
        self.normal = y if valid else None
        self.float_normal = fy if fvalid else None


# -- exact float arithmetic ---------------------------------------------------------------------------


def _fma32(a, b, c):
    """fmaf, correctly rounded: a*b is exact in double; a double sum that lands exactly halfway
    between two floats is nudged by the sum's rounding error before the final rounding."""
    p = np.asarray(a, _F).astype(_D) * np.asarray(b, _F).astype(_D)
    c = np.asarray(c, _F).astype(_D)
    s = p + c
    tie = (s.view(np.uint64) & np.uint64((1 << 29) - 1)) == np.uint64(1 << 28)
    if tie.any():
        s = s.copy()
        i = np.nonzero(tie)
        pi, ci = p[i], np.broadcast_to(c, s.shape)[i]
        si = s[i]
        t = si - pi
        err = (pi - (si - t)) + (ci - t)
        s[i] = np.where(err != 0, np.nextafter(si, np.where(err > 0, np.inf, -np.inf)), si)
    return s.astype(_F)


def _fma64(a, b, c):
    """fma in double: Dekker's exact product and a compensated sum (exact but in contrived ties)."""
    a, b, c = (np.asarray(v, _D) for v in (a, b, c))
    p = a * b
    split = 134217729.0
    ah = a * split - (a * split - a)
    bh = b * split - (b * split - b)
    pe = ((ah * bh - p) + ah * (b - bh) + (a - ah) * bh) + (a - ah) * (b - bh)
    s = p + c
    t = s - p
    se = (p - (s - t)) + (c - t)
    with np.errstate(invalid="ignore"):
        out = s + (pe + se)
    return np.where(np.isfinite(out), out, p + c)


# -- avx_mathfun's log256_ps and sincos256_ps (ATen's float Box-Muller), as GCC fuses them --------

_LOG_P = (7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
          -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1)


def _log256(x):
    xi = np.maximum(x, _F(1.17549435e-38)).view(np.int32)
    e = ((xi >> 23) - 0x7F).astype(_F) + _F(1)
    x = ((xi & ~0x7F800000) | np.int32(0x3F000000)).view(_F)
    small = x < _F(0.707106781186547524)
    x = (x - _F(1)) + np.where(small, x, _F(0))
    e = e - small.astype(_F)
    z = x * x
    y = np.full_like(x, _F(_LOG_P[0]))
    for p in _LOG_P[1:]:
        y = _fma32(y, x, _F(p))
    y = _fma32(y * x, z, e * _F(-2.12194440e-4))
    y = _fma32(-z, _F(0.5), y)
    return _fma32(e, _F(0.693359375), x + y)


def _sincos256(x):
    neg = x < 0
    x = np.abs(x)
    j = (x * _F(1.27323954473516)).astype(np.int32)
    j = (j + 1) & ~1
    y = j.astype(_F)
    for dp in (-0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8):
        x = _fma32(y, _F(dp), x)
    sin_neg = neg ^ ((j & 4) != 0)
    cos_neg = (~(j - 2) & 4) != 0
    first = (j & 2) == 0
    z = x * x
    yc = _fma32(_fma32(np.full_like(x, _F(2.443315711809948e-5)), z, _F(-1.388731625493765e-3)), z,
                _F(4.166664568298827e-2))
    yc = _fma32(yc * z, z, -(z * _F(0.5))) + _F(1)
    ys = _fma32(_fma32(np.full_like(x, _F(-1.9515295891e-4)), z, _F(8.3321608736e-3)), z, _F(-1.6666654611e-1))
    ys = _fma32(ys * z, x, x)
    s, c = np.where(first, ys, yc), np.where(first, yc, ys)
    return np.where(sin_neg, -s, s), np.where(cos_neg, -c, c)


def _box_muller16_f32(u, mean, std):
    """ATen's NormalFill16<float> (AVX2 build, also used on AVX512 CPUs) on rows of 16 uniforms."""
    radius = np.sqrt(_F(-2) * _log256(_F(1) - u[:, :8]))
    s, c = _sincos256(_F(2.0 * math.pi) * u[:, 8:])
    return np.concatenate([_fma32(radius * c, std, mean), _fma32(radius * s, std, mean)], axis=1)


def _libm(fn):
    """A double-precision function of the C library, element by element: NumPy's own SIMD
    log/sin/cos differ from glibc's (which ATen calls) in the last bit."""
    ufunc = np.frompyfunc(fn, 1, 1)
    return lambda x: ufunc(x).astype(_D) if np.size(x) else np.asarray(x, _D)


_log, _log1p, _sin, _cos = _libm(math.log), _libm(math.log1p), _libm(math.sin), _libm(math.cos)
_tan, _exp = _libm(math.tan), _libm(math.exp)


def _box_muller16_f64(u, mean, std):
    radius = np.sqrt(-2 * _log(1 - u[:, :8]))
    theta = (2.0 * math.pi) * u[:, 8:]
    return np.concatenate([_fma64(radius * _cos(theta), std, mean), _fma64(radius * _sin(theta), std, mean)],
                          axis=1)


# -- samplers: each returns a NumPy array of the requested shape and dtype --------------------------


def _opmath(dt) -> np.dtype:
    return np.dtype(_D) if dt == np.float64 else np.dtype(_F)


def uniform01(mt: MTState, n: int, opmath) -> np.ndarray:
    """``uniform_real_distribution<T>(0, 1)``: 24 bits of random() for float, 53 of random64()."""
    if opmath == _D:
        return (mt.u64(n) & np.uint64((1 << 53) - 1)).astype(_D) * _D(2.0**-53)
    return (mt.u32(n) & np.uint64((1 << 24) - 1)).astype(_F) * _F(2.0**-24)


def uniform(mt: MTState, shape, dt, low: float, high: float) -> np.ndarray:
    op = _opmath(dt)
    n = math.prod(shape)
    x = uniform01(mt, n, op)
    lo, hi = op.type(low), op.type(high)
    v = _fma64(x, hi - lo, lo) if op == _D else _fma32(x, hi - lo, lo)
    v = v.astype(dt)
    top, bottom = np.asarray(high).astype(dt), np.asarray(low).astype(dt)
    return np.where(v == top, bottom, v).reshape(shape)


def _normal_scalar(mt: MTState) -> float:
    """One ``normal_distribution<double>(0, 1)`` draw: Box-Muller on two random64 uniforms; the
    sine half is cached on the generator for the next scalar draw."""
    if mt.normal is not None:
        z, mt.normal = mt.normal, None
        return z
    u1, u2 = (int(v & ((1 << 53) - 1)) * 2.0**-53 for v in mt.u64(2))
    r = math.sqrt(-2.0 * math.log1p(-u2))
    theta = 2.0 * math.pi * u1
    mt.normal = r * math.sin(theta)
    return r * math.cos(theta)


def _boxes(box, u, mean, std):
    """``box`` over rows of 16 uniforms, a cache-sized chunk at a time (2x faster than one pass
    over a large array: the exact float arithmetic makes ~100 passes over its input)."""
    rows = 8192
    if len(u) <= rows:
        return box(u, mean, std)
    return np.concatenate([box(u[i : i + rows], mean, std) for i in range(0, len(u), rows)])


def normal(mt: MTState, shape, dt, mean: float, std: float) -> np.ndarray:
    n = math.prod(shape)
    if n < 16:
        z = np.array([_normal_scalar(mt) for _ in range(n)], _D)
        return _fma64(z, std, mean).astype(dt).reshape(shape)
    op = _opmath(dt)
    box = _box_muller16_f64 if op == _D else _box_muller16_f32
    m, std, mean = n // 16 * 16, op.type(std), op.type(mean)
    if dt == op:  # float/double: all n uniforms, then 16 fresh ones for a ragged tail
        out = uniform01(mt, n, op)
        out[:m] = _boxes(box, out[:m].reshape(-1, 16), mean, std).reshape(-1)
    else:  # half/bfloat16: blocks of 16 through a buffer
        out = np.empty(n, op)
        out[:m] = _boxes(box, uniform01(mt, m, op).reshape(-1, 16), mean, std).reshape(-1)
    if n % 16:
        out[n - 16:] = box(uniform01(mt, 16, op).reshape(1, 16), mean, std).reshape(-1)
    return out.astype(dt).reshape(shape)


def random_from_to(mt: MTState, shape, dt, low: int, high: int) -> np.ndarray:
    """``random_(low, high)`` / ``randint``: ``word % range + low``; 64-bit words once the range
    reaches 2**28."""
    n = math.prod(shape)
    span = (high - low) & _M64
    words = mt.u64(n) if span >= 1 << 28 else mt.u32(n)
    v = (words % np.uint64(span)) + np.uint64(low & _M64)
    return v.view(np.int64).astype(dt).reshape(shape)


def random_full(mt: MTState, shape, dt) -> np.ndarray:
    """``random_()`` with no bounds: ``uniform_int_distribution<T>``."""
    n = math.prod(shape)
    name = np.dtype(dt).name
    if name == "bool":
        return (mt.u32(n) & np.uint64(1)).astype(bool).reshape(shape)
    if name in ("int64", "float64"):
        mod = (1 << 63) if name == "int64" else (1 << 53) + 1
        return (mt.u64(n) % np.uint64(mod)).astype(dt).reshape(shape)
    digits = {"float32": 24, "float16": 11, "bfloat16": 8}.get(name)
    mod = (1 << digits) + 1 if digits else int(np.iinfo(dt).max) + 1
    return (mt.u32(n) % np.uint64(mod)).astype(dt).reshape(shape)


def randperm(mt: MTState, n: int, dt) -> np.ndarray:
    """randperm_cpu: a forward Fisher-Yates with ``random() % (n - i)``."""
    perm = list(range(n))
    if n > 1:
        offsets = (mt.u32(n - 1) % np.arange(n, 1, -1, dtype=np.uint64)).tolist()
        for i, z in enumerate(offsets):
            j = i + z
            perm[i], perm[j] = perm[j], perm[i]
    return np.array(perm, np.int64).astype(dt)


def _below(mt: MTState, n: int, p: float) -> np.ndarray:
    """``n`` draws of ``bernoulli_distribution<double>(p)``: a 53-bit random64 uniform ``u < p``,
    compared as integers (``k * 2**-53 < p`` exactly when ``k < ceil(p * 2**53)``), which is 3x
    cheaper than building the doubles."""
    r = mt.u32(2 * n).reshape(n, 2)
    k = ((r[:, 0] & np.uint64((1 << 21) - 1)) << np.uint64(32)) | r[:, 1]
    return k < np.uint64(math.ceil(min(max(p, 0.0), 1.0) * 2.0**53))


def bernoulli_scalar(mt: MTState, shape, dt, p: float) -> np.ndarray:
    """``bernoulli_(p)`` without MKL's stream (non-Intel CPUs): one random64 uniform per element."""
    return _below(mt, math.prod(shape), p).astype(dt).reshape(shape)


def bernoulli_tensor(mt: MTState, p: np.ndarray, dt) -> np.ndarray:
    """``bernoulli_(p_tensor)``: a float uniform against float p, a double one against double p."""
    op = _D if p.dtype == _D else _F
    u = uniform01(mt, p.size, np.dtype(op)).reshape(p.shape)
    return (u < p.astype(op)).astype(dt)


def exponential(mt: MTState, shape, dt, lambd: float) -> np.ndarray:
    n = math.prod(shape)
    u = uniform01(mt, n, _D)
    return ((-1.0 / lambd) * _log1p(-u)).astype(dt).reshape(shape)


def cauchy(mt: MTState, shape, dt, median: float, sigma: float) -> np.ndarray:
    """``cauchy_distribution<double>``: median + sigma * tan(pi * (u - 0.5)), one random64 each."""
    u = uniform01(mt, math.prod(shape), _D)
    return (median + sigma * _tan(math.pi * (u - 0.5))).astype(dt).reshape(shape)


def log_normal(mt: MTState, shape, dt, mean: float, std: float) -> np.ndarray:
    """``lognormal_distribution<double>``: exp of one scalar normal draw per element."""
    z = np.array([_normal_scalar(mt) for _ in range(math.prod(shape))], _D)
    return _exp(_fma64(z, std, mean)).astype(dt).reshape(shape)


def geometric(mt: MTState, shape, dt, p: float) -> np.ndarray:
    """``geometric_distribution<double>``: ceil(log(u) / log1p(-p))."""
    u = uniform01(mt, math.prod(shape), _D)
    return np.ceil(_log(u) / math.log1p(-p)).astype(dt).reshape(shape)


def _uniform_scalar(mt: MTState) -> float:
    """One ``uniform_real_distribution<double>(0, 1)`` draw."""
    return int(mt.u64(1)[0] & ((1 << 53) - 1)) * 2.0**-53


def poisson(mt: MTState, rates: np.ndarray) -> np.ndarray:
    """CPU ``poisson`` (``sample_poisson``): transformed rejection (Hoermann 1993) for rates of 10
    and more, products of uniforms below; one element after another."""
    out = np.empty(rates.size, np.float64)
    for n, lam in enumerate(rates.astype(np.float64).reshape(-1).tolist()):
        if lam < 0 or math.isnan(lam):
            raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
        if lam >= 10:
            slam, loglam = math.sqrt(lam), math.log(lam)
            b = 0.931 + 2.53 * slam
            a = -0.059 + 0.02483 * b
            invalpha = 1.1239 + 1.1328 / (b - 3.4)
            vr = 0.9277 - 3.6224 / (b - 2)
            while True:
                u = _uniform_scalar(mt) - 0.5
                v = _uniform_scalar(mt)
                us = 0.5 - abs(u)
                k = math.floor((2 * a / us + b) * u + lam + 0.43)
                if us >= 0.07 and v <= vr:
                    break
                if k < 0 or (us < 0.013 and v > us):
                    continue
                if math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b) <= (
                    -lam + k * loglam - math.lgamma(k + 1.0)
                ):
                    break
        elif lam == 0:
            k = 0
        else:
            k, prod, enlam = 0, 1.0, math.exp(-lam)
            while True:
                prod *= _uniform_scalar(mt)
                if prod <= enlam:
                    break
                k += 1
        out[n] = k
    return out.astype(rates.dtype).reshape(rates.shape)


def standard_gamma(mt: MTState, alpha: np.ndarray) -> np.ndarray:
    """CPU ``_standard_gamma`` (``sample_gamma``, Marsaglia and Tsang), in double, with ATen's float
    literals; at least the dtype's smallest normal number."""
    f32 = np.float32
    third, k331 = f32(1.0) / f32(3.0), float(f32(0.0331))
    single = alpha.dtype != np.float64  # alpha's own arithmetic is in its (float) type
    out = np.empty(alpha.size, np.float64)
    for n, a in enumerate(alpha.reshape(-1).tolist()):
        scale = 1.0
        if a < 1.0:
            if a == 0.0:
                out[n] = 0.0
                continue
            scale *= (1 - _uniform_scalar(mt)) ** (float(f32(1.0) / f32(a)) if single else 1.0 / a)
            a = float(f32(a) + f32(1.0)) if single else a + 1.0
        d = float(f32(a) - third) if single else a - float(third)
        c = 1.0 / math.sqrt(9.0 * d)
        while True:
            while True:
                x = _normal_scalar(mt)
                y = 1.0 + c * x
                if y > 0:
                    break
            v = y * y * y
            u = 1 - _uniform_scalar(mt)
            xx = x * x
            if u < 1.0 - k331 * xx * xx or math.log(u) < 0.5 * xx + d * (1.0 - v + math.log(v)):
                out[n] = scale * d * v
                break
    tiny = np.finfo(alpha.dtype).tiny
    return np.maximum(out.astype(alpha.dtype), tiny).reshape(alpha.shape)


def multinomial(mt: MTState, probs: np.ndarray, n: int, replacement: bool) -> np.ndarray:
    """CPU ``multinomial`` (``aten/src/ATen/native/Distributions.cpp``) on 1-d or 2-d ``probs``.

    Without replacement, or for one sample, it is the Gumbel-max trick as ATen writes it:
    ``argmax``/``topk`` of ``p / q`` with ``q = empty_like(p).exponential_(1)``. With replacement
    (``native/cpu/MultinomialKernel.cpp``), each row's cumulative sum is built sequentially in
    ``p``'s dtype (float for half/bfloat16) and divided by its total, its last bucket set to 1, and
    each sample is the first bucket ``>=`` a double uniform; rows are checked as they are drawn."""
    rows = probs.reshape(math.prod(probs.shape[:-1]), probs.shape[-1])
    if not replacement or n == 1:
        if not (np.all(rows < np.inf) and np.all(rows >= 0)):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if np.any(rows.sum(-1, dtype=_D) == 0):
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        q = exponential(mt, rows.shape, rows.dtype, 1.0)
        ratio = (rows / q).astype(rows.dtype)
        # topk of distinct values; equal ones (zero probabilities) come in index order here
        if n == 1:
            out = np.argmax(ratio, -1)[:, None]
        else:
            out = np.argsort(-ratio, -1, kind="stable")[:, :n]
        return out.astype(np.int64).reshape(probs.shape[:-1] + (n,))
    acc = _D if rows.dtype == _D else _F
    out = np.empty((len(rows), n), np.int64)
    for i, row in enumerate(rows.astype(acc)):
        bad = np.flatnonzero(~(row >= 0) | ~np.isfinite(row))
        if bad.size:  # the first offending entry names the error, as the kernel's loop finds it
            what = "< 0" if not row[bad[0]] >= 0 else "= infinity or NaN"
            raise RuntimeError(
                f"invalid multinomial distribution (encountering probability entry {what})"
            )
        cum = np.cumsum(row, dtype=acc)  # sequential, as the kernel's loop
        total = cum[-1] if cum.size else acc(0)
        if not total > 0:
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        cum = cum / total
        cum[-1] = 1
        out[i] = np.searchsorted(cum.astype(_D), uniform01(mt, n, np.dtype(_D)), side="left")
    return out.reshape(probs.shape[:-1] + (n,))


@functools.lru_cache(maxsize=1)
def mkl_bernoulli() -> bool:
    """Whether torch's ``bernoulli_(p)`` takes MKL's path (Intel CPUs): one random() per call."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("vendor_id"):
                    return "GenuineIntel" in line
    except OSError:
        pass
    return False


_SELU_ALPHA_PRIME = 1.7580993408473766  # -scale * alpha of SELU: the value a dropped unit takes


def dropout_noise(mt: MTState, shape, dt, p: float) -> np.ndarray:
    """CPU ``_dropout``'s noise (``aten/src/ATen/native/Dropout.cpp``): ``bernoulli_(1 - p)`` into
    a tensor of the input's dtype, then ``div_(1 - p)`` in its opmath type. The caller multiplies."""
    op = _opmath(dt)
    keep = _below(mt, math.prod(shape), 1 - p).reshape(shape)
    return np.where(keep, (op.type(1) / op.type(1 - p)).astype(dt), np.zeros((), dt))


def alpha_dropout_noise(mt: MTState, shape, dt, p: float) -> tuple[np.ndarray, np.ndarray]:
    """CPU alpha dropout's (noise, b), the output being ``input * noise + b``: ``b =
    noise.add(-1).mul_(alpha * a).add_(alpha * a * p)`` and then ``noise.mul_(a)``, each op
    rounded to the dtype (two values each, so worked out on scalars)."""
    op = _opmath(dt)
    keep = _below(mt, math.prod(shape), 1 - p).reshape(shape)
    a = 1.0 / math.sqrt((_SELU_ALPHA_PRIME**2 * p + 1) * (1 - p))
    scale, shift = op.type(_SELU_ALPHA_PRIME * a), op.type(_SELU_ALPHA_PRIME * a * p)

    def step(v):  # one ATen op: computed in opmath, stored in the dtype
        return op.type(v).astype(dt).astype(op)

    kept, dropped = step(step(op.type(0) * scale) + shift), step(step(op.type(-1) * scale) + shift)
    noise = np.where(keep, op.type(a).astype(dt), np.zeros((), dt))
    return noise, np.where(keep, kept.astype(dt), dropped.astype(dt))


def skip_bernoulli_scalar(mt: MTState, n: int) -> None:
    """Advance as ``bernoulli_(p)`` on ``n`` elements would (dropout's mask on the CPU)."""
    if n:
        mt.skip(1 if mkl_bernoulli() else 2 * n)
