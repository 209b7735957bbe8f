#!/usr/bin/env python3
"""Times a NumPy implementation of the published DNF-SOM (Detorakis & Rougier 2012) on
the work that bench-model's "reference" row does in C, so the two can be compared.

Written from the algorithm's description, not from the published code:
  - a 32 x 32 field on a torus; lateral interaction by FFT (rfft2) with the kernels
    Ke g(d, 0.1) and Ki g(d, 1.0), Ke = 3.72 * 960 / n^2 * alpha, Ki = 2.40 * 960 / n^2 * alpha;
  - 16 x 16 receptors on a unit torus, each displaced by up to 0.02;
  - a stimulus is exp(-0.5 (d / sqrt(2) / 0.08)^2) around a uniform random point;
  - per stimulus: field reset to uniform [0, 0.01), input I = alpha (1 - |W - s|_1 / 256),
    100 Euler steps of U += dt (-U + Le - Li + I) with dt = 0.1 and V = max(U, 0),
    then learning W -= 0.1 Le (W - s).

Prints milliseconds per stimulus. Usage: reference_numpy.py [--stimuli N] [--dtype float32|float64]
"""
import argparse
import os
import time

# One core, as bench-model measures (NumPy's FFT is single-threaded anyway).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402  (after the thread settings)

N = 32            # field units per side
GRID = 16         # receptors per side
R = GRID * GRID   # receptors
JITTER = 0.02
STIMULUS_SIGMA = 0.08 * np.sqrt(2.0)
ALPHA = 0.1
DT, TAU = 0.1, 1.0
STEPS = 100
LEARNING_RATE = 0.1
NOISE = 0.01
KE = 3.72 * 960.0 / (N * N) * ALPHA
KI = 2.40 * 960.0 / (N * N) * ALPHA
SIGMA_E, SIGMA_I = 0.1, 1.0


def torus_delta(a, b):
    d = np.abs(a - b)
    return np.minimum(d, 1.0 - d)


def kernel_spectrum(amplitude, sigma):
    """rfft2 of amplitude * g(d, sigma) centred on unit (0, 0), d the torus distance in
    sheet widths, so that irfft2(rfft2(V) * spectrum) is the circular convolution."""
    steps = np.arange(N)
    d1 = np.minimum(steps, N - steps) / N
    d2 = d1[:, None] ** 2 + d1[None, :] ** 2
    return np.fft.rfft2(amplitude * np.exp(-0.5 * d2 / sigma ** 2))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stimuli", type=int, default=300, help="stimuli timed (default 300)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed stimuli first (default 20)")
    parser.add_argument("--dtype", choices=("float32", "float64"), default="float64",
                        help="type of weights and field (default float64, NumPy's default)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    dtype = np.dtype(args.dtype)
    rng = np.random.default_rng(args.seed)

    # receptors on the torus: grid positions plus jitter, wrapped into [0, 1)
    cols, rows = np.meshgrid(np.arange(GRID) / GRID, np.arange(GRID) / GRID)
    rx = np.mod(cols.ravel() + JITTER * (2.0 * rng.random(R) - 1.0), 1.0)
    ry = np.mod(rows.ravel() + JITTER * (2.0 * rng.random(R) - 1.0), 1.0)

    spectrum_e = kernel_spectrum(KE, SIGMA_E)
    spectrum_i = kernel_spectrum(KI, SIGMA_I)
    weights = rng.random((N * N, R)).astype(dtype)
    rate = DT / TAU

    def stimulus():
        px, py = rng.random(2)
        d2 = torus_delta(rx, px) ** 2 + torus_delta(ry, py) ** 2
        return np.exp(-0.5 * d2 / STIMULUS_SIGMA ** 2).astype(dtype)

    def present(s):
        nonlocal weights
        drive = (ALPHA * (1.0 - np.abs(weights - s).sum(axis=1) / R)).reshape(N, N)
        u = (NOISE * rng.random((N, N))).astype(dtype)
        le = None
        for _ in range(STEPS):
            spectrum_v = np.fft.rfft2(np.maximum(u, 0.0))
            le = np.fft.irfft2(spectrum_v * spectrum_e, s=(N, N))
            li = np.fft.irfft2(spectrum_v * spectrum_i, s=(N, N))
            u += rate * (-u + le - li + drive)
        weights -= (LEARNING_RATE * le.reshape(-1, 1) * (weights - s)).astype(dtype)

    pool = [stimulus() for _ in range(64)]
    for k in range(args.warmup):
        present(pool[k % len(pool)])
    start = time.perf_counter()
    for k in range(args.stimuli):
        present(pool[k % len(pool)])
    elapsed = time.perf_counter() - start
    per_ms = 1e3 * elapsed / args.stimuli
    print(f"NumPy {np.__version__} DNF-SOM reference ({N}x{N} field, {R} receptors, {STEPS} steps, "
          f"{dtype.name}): {per_ms:.2f} ms per stimulus over {args.stimuli} stimuli")


if __name__ == "__main__":
    main()
