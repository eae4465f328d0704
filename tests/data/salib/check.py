"""SALib's sensitivity indices on the outputs of a regsim sweep.

Reads a sweep's study.json, design.csv and runs.csv, forms each output's value at each
design point exactly as regsim documents it (the mean over seeds of each variant's
metric, and of each later variant's paired difference from the first), runs SALib's
analyzer on those values, and prints the indices as JSON lines, one per output, metric
and parameter. regsim's sensitivity.csv must agree.

Usage: python check.py SWEEP_DIR
"""

import csv
import json
import sys
from collections import defaultdict

import numpy as np
from SALib.analyze import morris, sobol

out = sys.argv[1]
study = json.load(open(f"{out}/study.json"))
params = list(study["parameters"])
design = study["design"]
metrics = study.get("metrics") or []
variants = list(study["variants"])
problem = {"num_vars": len(params), "names": params, "bounds": [[0, 1]] * len(params)}

with open(f"{out}/design.csv") as f:
    rows = list(csv.DictReader(f))
unit = np.array([[float(r[f"u({p})"]) for p in params] for r in rows])
points = len(rows)

runs = defaultdict(dict)  # (variant, point) -> seed -> row
with open(f"{out}/runs.csv") as f:
    for r in csv.DictReader(f):
        runs[(r["variant"], int(r["point"]))][r["seed"]] = r


def level(v, p, m):
    return np.mean([float(r[m]) for r in runs[(v, p)].values()])


def difference(v, p, m):
    base = runs[(variants[0], p)]
    return np.mean([float(r[m]) - float(base[s][m]) for s, r in runs[(v, p)].items()])


outputs = [(v, lambda p, m, v=v: level(v, p, m)) for v in variants]
outputs += [
    (f"{v} - {variants[0]}", lambda p, m, v=v: difference(v, p, m)) for v in variants[1:]
]
for name, value in outputs:
    for m in metrics:
        y = np.array([value(p, m) for p in range(points)])
        if design["kind"] == "sobol":
            if np.ptp(y) <= np.finfo(float).eps:
                continue
            si = sobol.analyze(problem, y, calc_second_order=False, num_resamples=1000, seed=1)
            keys = ["S1", "S1_conf", "ST", "ST_conf"]
        else:
            si = morris.analyze(
                problem, unit, y, num_resamples=1000, num_levels=design.get("levels", 4), seed=1
            )
            keys = ["mu", "mu_star", "mu_star_conf", "sigma"]
        for j, p in enumerate(params):
            print(json.dumps({"output": name, "metric": m, "parameter": p,
                              **{k: float(si[k][j]) for k in keys}}))
