"""The two-head MLP training step of bench/model.ts, written in numpy: forward, the same hand-derived
backward (intended head on the large batch, consistency on the small batch with the intended head held
fixed, prior towards the initialisation) and AdamW. Then the step's eleven matrix products alone, on the
same arrays, for numpy's own speed on these shapes. Prints, as JSON, the milliseconds per step and per
set of products, and which OpenBLAS kernel ran with how many threads.

Usage: numpy_step.py D H K B STEPS"""
import ctypes
import glob
import json
import os
import sys
import time

import numpy as np

D, H, K, B, STEPS = (int(v) for v in sys.argv[1:6])
rng = np.random.default_rng(0)
f32 = np.float32


def openblas():
    """The OpenBLAS numpy runs: its core (kernel) name, configuration and threads."""
    try:
        from threadpoolctl import threadpool_info

        for pool in threadpool_info():
            if pool.get("internal_api") == "openblas":
                return {"corename": pool.get("architecture"), "threads": pool.get("num_threads"), "config": pool.get("version"), "via": "threadpoolctl"}
    except ImportError:
        pass
    # numpy's wheels bundle scipy-openblas (64-bit interface, symbols prefixed scipy_ and suffixed 64_).
    here = os.path.dirname(np.__file__)
    for path in glob.glob(os.path.join(here, "..", "numpy.libs", "*openblas*")) + glob.glob(os.path.join(here, ".dylibs", "*openblas*")):
        lib = ctypes.CDLL(path)
        for prefix, suffix in (("scipy_", "64_"), ("scipy_", ""), ("", "64_"), ("", "")):
            try:
                corename = getattr(lib, f"{prefix}openblas_get_corename{suffix}")
                config = getattr(lib, f"{prefix}openblas_get_config{suffix}")
                threads = getattr(lib, f"{prefix}openblas_get_num_threads{suffix}")
            except AttributeError:
                continue
            corename.restype = config.restype = ctypes.c_char_p
            threads.restype = ctypes.c_int
            return {"corename": corename().decode(), "threads": threads(), "config": config().decode(), "via": os.path.basename(path)}
    return {"corename": None, "threads": None, "config": None, "via": None}


def init(shape, fan_in):
    return (rng.standard_normal(shape) * np.sqrt(2 / fan_in)).astype(f32)


params = {
    "W1": init((D, H), D), "b1": np.zeros(H, f32),
    "Wi": init((H, K), H + K), "bi": np.zeros(K, f32),
    "Ws": init((H, K), H + K), "bs": np.zeros(K, f32),
}
start = {k: v.copy() for k, v in params.items()}
m = {k: np.zeros_like(v) for k, v in params.items()}
v = {k: np.zeros_like(p) for k, p in params.items()}
xl = (rng.random((B, D)) < 0.2).astype(f32)
yl = rng.integers(0, K, B)
xs = (rng.random((B, D)) < 0.2).astype(f32)
onehot = np.eye(K, dtype=f32)[yl]
lam, alpha, lr, b1, b2, eps = f32(1), f32(1e-4), f32(3e-3), f32(0.9), f32(0.999), f32(1e-8)


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def step(t):
    p = params
    g = {}
    a = xl @ p["W1"] + p["b1"]
    h = np.maximum(a, 0)
    dz = (softmax(h @ p["Wi"] + p["bi"]) - onehot) / B
    g["Wi"] = h.T @ dz
    g["bi"] = dz.sum(0)
    da = (dz @ p["Wi"].T) * (a > 0)
    g["W1"] = xl.T @ da
    g["b1"] = da.sum(0)
    a2 = xs @ p["W1"] + p["b1"]
    h2 = np.maximum(a2, 0)
    target = softmax(h2 @ p["Wi"] + p["bi"])
    dzs = lam * (softmax(h2 @ p["Ws"] + p["bs"]) - target) / B
    g["Ws"] = h2.T @ dzs
    g["bs"] = dzs.sum(0)
    da2 = (dzs @ p["Ws"].T) * (a2 > 0)
    g["W1"] += xs.T @ da2
    g["b1"] += da2.sum(0)
    for k in p:
        grad = g[k] + 2 * alpha * (p[k] - start[k])
        m[k] = b1 * m[k] + (1 - b1) * grad
        v[k] = b2 * v[k] + (1 - b2) * grad * grad
        p[k] = p[k] - lr * ((m[k] / (1 - b1**t)) / (np.sqrt(v[k] / (1 - b2**t)) + eps))
    return h, dz, da, h2, dzs, da2


for t in range(1, 6):
    h, dz, da, h2, dzs, da2 = step(t)
began = time.perf_counter()
for t in range(6, 6 + STEPS):
    step(t)
seconds = time.perf_counter() - began

# The step's products alone (libs/model trainingStepMatmuls): 4 of 2·B·D·H FLOPs, 7 of 2·B·H·K.
p = params


def products():
    xl @ p["W1"]
    h @ p["Wi"]
    h.T @ dz
    dz @ p["Wi"].T
    xl.T @ da
    xs @ p["W1"]
    h2 @ p["Wi"]
    h2 @ p["Ws"]
    h2.T @ dzs
    dzs @ p["Ws"].T
    xs.T @ da2


for _ in range(5):
    products()
began = time.perf_counter()
for _ in range(STEPS):
    products()
matmul_seconds = time.perf_counter() - began

print(json.dumps({
    "samplesPerSecond": STEPS * 2 * B / seconds,
    "msPerStep": 1000 * seconds / STEPS,
    "matmulMsPerStep": 1000 * matmul_seconds / STEPS,
    "openblas": openblas(),
    "environment": {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS") if k in os.environ},
    "numpy": np.__version__,
}))
