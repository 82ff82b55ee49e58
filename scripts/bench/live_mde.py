#!/usr/bin/env python3
"""Minimum detectable effect of the live drift judge (issue 18), as a table and a plot.

Rerun from the repo root:   python3 scripts/bench/live_mde.py
Writes docs/images/live-mde.svg and prints the Markdown table in stats/streaming/README.md.

Numerical features are decided by the normed Wasserstein distance against its
Brownian-bridge null at n_eff = n*m/(n+m) (stats/profile/grid-null.ts). For a location
shift of d standard deviations, W/std = d exactly and sqrt(n_eff)*W/std is about
N(sqrt(n_eff)*d, 1) once the shift dominates the noise, so with q the null's upper-alpha
point the power is about Phi(sqrt(n_eff)*d - q) and
    MDE(power) = (q + z_power) / sqrt(n_eff).
For a change of scale s, W/std = |s - 1| * E|Z| = 0.798 |s - 1| for a normal feature.
q is simulated here as the judge does (Brownian bridge on the normal quantile grid).
Categorical features are decided by the two-sample chi-square on k cells at level alpha:
a category of share p moving by D (the others in proportion) has noncentrality
lambda = n_eff * D^2 / (p (1 - p)), and the MDE solves P(chi2_{k-1}(lambda) > crit) = power.
"""
import math
import os

import numpy as np
from scipy import optimize, stats

ALPHA = 0.01
POWER = 0.8
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "images", "live-mde.svg")


def bridge_quantile(alpha, draws=20000, points=400, seed=7):
    """Upper-alpha point of the integral of |B(Phi(x))| dx for a normal reference."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0.5 / points, 1 - 0.5 / points, points)
    x = stats.norm.ppf(t)
    dt = np.diff(np.concatenate([[0], t]))
    w = np.cumsum(rng.standard_normal((draws, points)) * np.sqrt(dt), axis=1)
    w1 = w[:, -1] + rng.standard_normal(draws) * math.sqrt(1 - t[-1])
    b = np.abs(w - t * w1[:, None])
    area = np.sum((b[:, 1:] + b[:, :-1]) / 2 * np.diff(x), axis=1)
    return float(np.quantile(area, 1 - alpha))


def mde_mean(q, n, m):
    n_eff = n * m / (n + m)
    return (q + stats.norm.ppf(POWER)) / math.sqrt(n_eff)


def mde_share(n, m, p=0.3, k=5):
    n_eff = n * m / (n + m)
    crit = stats.chi2.isf(ALPHA, k - 1)
    lam = optimize.brentq(lambda l: stats.ncx2.sf(crit, k - 1, l) - POWER, 1e-6, 1e4)
    return math.sqrt(lam * p * (1 - p) / n_eff)


def svg(series_left, series_right, windows):
    width, height, pad = 880, 360, 60
    panel = (width - 3 * pad) / 2

    def plot(x0, title, series, ymax, ylabel):
        out = [f'<text x="{x0 + panel / 2}" y="24" text-anchor="middle" font-size="14">{title}</text>']
        lx = lambda m: x0 + (math.log10(m) - math.log10(windows[0])) / (math.log10(windows[-1]) - math.log10(windows[0])) * panel
        ly = lambda v: 40 + (1 - v / ymax) * (height - 100)
        out.append(f'<rect x="{x0}" y="40" width="{panel}" height="{height - 100}" fill="none" stroke="#999"/>')
        for m in windows:
            out.append(f'<line x1="{lx(m)}" y1="{height - 60}" x2="{lx(m)}" y2="{height - 55}" stroke="#333"/>')
            out.append(f'<text x="{lx(m)}" y="{height - 42}" text-anchor="middle" font-size="11">{m:,}</text>')
        for i in range(6):
            v = ymax * i / 5
            out.append(f'<text x="{x0 - 6}" y="{ly(v) + 4}" text-anchor="end" font-size="11">{v:.2f}</text>')
            out.append(f'<line x1="{x0}" y1="{ly(v)}" x2="{x0 + panel}" y2="{ly(v)}" stroke="#eee"/>')
        out.append(f'<text x="{x0 + panel / 2}" y="{height - 22}" text-anchor="middle" font-size="12">window events m (log scale)</text>')
        out.append(f'<text x="{x0 - 44}" y="{40 + (height - 100) / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 {x0 - 44} {40 + (height - 100) / 2})">{ylabel}</text>')
        colors = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a"]
        for i, (label, values) in enumerate(series):
            pts = " ".join(f"{lx(m):.1f},{ly(min(v, ymax)):.1f}" for m, v in zip(windows, values))
            out.append(f'<polyline points="{pts}" fill="none" stroke="{colors[i]}" stroke-width="2"/>')
            out.append(f'<text x="{x0 + panel - 8}" y="{56 + 14 * i}" text-anchor="end" font-size="11" fill="{colors[i]}">{label}</text>')
        return out

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif">',
             '<rect width="100%" height="100%" fill="white"/>']
    parts += plot(pad, f"Numerical mean shift (σ), 80% power, α = {ALPHA}", series_left, 0.3, "minimum detectable shift (σ)")
    parts += plot(2 * pad + panel, f"Category share (p = 0.3 of 5), 80% power, α = {ALPHA}", series_right, 0.15, "minimum detectable change")
    parts.append("</svg>")
    return "\n".join(parts)


if __name__ == "__main__":
    q = bridge_quantile(ALPHA)
    baselines = [2000, 5000, 10000, 50000]
    windows = [100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000]
    left = [(f"baseline {n:,}", [mde_mean(q, n, m) for m in windows]) for n in baselines]
    right = [(f"baseline {n:,}", [mde_share(n, m) for m in windows]) for n in baselines]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        f.write(svg(left, right, windows))
    print(f"q_{ALPHA} = {q:.3f} (normal reference)\n")
    print("| baseline n | window m | n_eff | mean shift (σ) | scale change (×) | share of a 0.3 category (5 cells) |")
    print("|---|---|---|---|---|---|")
    for n in baselines:
        for m in [1000, 5000, 20000, 100000]:
            d = mde_mean(q, n, m)
            print(f"| {n:,} | {m:,} | {n * m / (n + m):,.0f} | {d:.3f} | {1 + d / math.sqrt(2 / math.pi):.3f} | {mde_share(n, m):.3f} |")
