"""Run dieharder on keyrand's bit streams (``python -m keyrand.stream``) and
summarise the results: the commands and outputs behind docs/quality.md.

    python bench/battery.py full --layout jax-partitionable   # dieharder -a (35-40 min here)
    python bench/battery.py full --layout mlx
    python bench/battery.py subset --layout jax-legacy --kernel scalar
    python bench/battery.py rerun      # every WEAK / FAILED line again with -Y 1
    python bench/battery.py summary    # docs/quality/dieharder.md from the outputs

Each run writes docs/quality/dieharder/<name>.txt: a header with the exact
pipeline, the machine's kernel and keyrand's version, then dieharder's output
unchanged. Both processes run under ``nice -n 10``.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import keyrand as kr

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "quality" / "dieharder"
SUMMARY = ROOT / "docs" / "quality" / "dieharder.md"
LAYOUTS = ("mlx", "jax-partitionable", "jax-legacy")
# The per-kernel subset: one dieharder invocation per test (dieharder runs
# only the last -d it is given), each with its default 100 p-samples:
# birthday spacings, overlapping 5-permutations, 32x32 binary rank, runs, STS
# monobit and runs, lagged sums. Under a minute per stream here.
SUBSET = ("diehard_birthdays", "diehard_operm5", "diehard_rank_32x32", "diehard_runs",
          "sts_monobit", "sts_runs", "rgb_lagged_sum")
# A dieharder result line: name | ntup | tsamples | psamples | p-value | assessment
LINE = re.compile(r"^\s*(\S+)\|\s*(\d+)\|\s*(\d+)\|\s*(\d+)\|\s*([0-9.eE+-]+)\|\s*(PASSED|WEAK|FAILED)\s*$")


def pipeline(layout: str, kernel: str | None, dieharder_args: list[str],
             python: str = sys.executable) -> str:
    producer = f"nice -n 10 {python} -m keyrand.stream --layout {layout}"
    if kernel:
        producer += f" --kernel {kernel}"
    return f"{producer} | nice -n 10 dieharder -g 200 {' '.join(dieharder_args)}"


def run(name: str, layout: str, kernel: str | None, invocations: list[list[str]]) -> Path:
    """Run one pipeline per dieharder invocation, all outputs (each behind
    its command) into OUT/name.txt."""
    OUT.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    path = OUT / f"{name}.txt"
    with open(path, "w") as f:
        f.write(f"# keyrand {kr.__version__}, kernel {kernel or kr.simd_kernel()}, runnable "
                f"kernels {', '.join(kr.available_simd_kernels())}; started "
                f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(t0))}\n")
        for args in invocations:
            cmd = pipeline(layout, kernel, args)
            # Recorded without this machine's interpreter path.
            f.write(f"# command: {pipeline(layout, kernel, args, python='python')}\n")
            f.flush()  # dieharder's lines follow as they come
            result = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], cwd=ROOT, stdout=f,
                                    stderr=subprocess.PIPE, text=True, env=_env())
            if result.stderr.strip():
                f.write("# stderr:\n" + "".join(f"# {line}\n"
                                                for line in result.stderr.splitlines()))
        f.write(f"# wall time {(time.time() - t0) / 60:.1f} min\n")
    return path


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (":" + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def parse(path: Path) -> list[tuple[str, int, int, int, float, str]]:
    rows = []
    for line in path.read_text().splitlines():
        m = LINE.match(line)
        if m:
            rows.append((m[1], int(m[2]), int(m[3]), int(m[4]), float(m[5]), m[6]))
    return rows


def rerun() -> None:
    """Every WEAK or FAILED line of the full and subset runs, again with -Y 1
    (dieharder adds p-samples until the result is clearly PASSED or FAILED).
    Kernels give identical bits, so a test is rerun once per stream."""
    done = set()
    for path in sorted(OUT.glob("full_*.txt")) + sorted(OUT.glob("subset_*.txt")):
        layout = re.search(r"--layout (\S+)", path.read_text())[1]
        for name, ntup, _, _, p, verdict in parse(path):
            if verdict == "PASSED" or (layout, name, ntup) in done:
                continue
            done.add((layout, name, ntup))
            args = ["-d", name, "-Y", "1", "-k", "2"]  # -d takes names; -Y 1 wants -k 2
            if ntup:
                args += ["-n", str(ntup)]
            out = run(f"rerun_{layout}_{name}_{ntup}", layout, None, [args])
            print(f"{path.name}: {name} ntup={ntup} p={p} {verdict} -> {out.name}: "
                  f"{[(r[3], r[4], r[5]) for r in parse(out)]}")


def _describe(path: Path) -> tuple[str, str, str]:
    """(stream, kernel, wall time) of an output file, from its header."""
    text = path.read_text()
    cmd = re.search(r"^# command: (.*)$", text, re.M)[1]  # the first
    layout = re.search(r"--layout (\S+)", cmd)[1]
    kernel = re.search(r"--kernel (\S+)", cmd)
    kernel = kernel[1] if kernel else re.search(r"kernel (\w+),", text)[1] + " (default)"
    wall = re.search(r"wall time ([\d.]+) min", text)[1]
    return layout, kernel, wall


def _counts(rows) -> str:
    return " | ".join(str(sum(r[5] == v for r in rows)) for v in ("PASSED", "WEAK", "FAILED"))


def summary() -> str:
    lines = ["# dieharder results", "",
             "Generated by `python bench/battery.py summary` from the outputs in "
             "[dieharder/](dieharder/); each file begins with its exact pipelines.", "",
             "| run | stream | kernel | result lines | PASSED | WEAK | FAILED | wall time |",
             "|---|---|---|---:|---:|---:|---:|---|"]
    weak = []
    for path in sorted(OUT.glob("full_*.txt")) + sorted(OUT.glob("subset_*.txt")):
        rows = parse(path)
        layout, kernel, wall = _describe(path)
        lines.append(f"| [{path.stem}](dieharder/{path.name}) | {layout} | {kernel} | "
                     f"{len(rows)} | {_counts(rows)} | {wall} min |")
        weak += [(path.stem, r) for r in rows if r[5] != "PASSED"]
    if weak:
        lines += ["", "Lines not PASSED:", "",
                  "| run | test | ntup | psamples | p-value | assessment |",
                  "|---|---|---:|---:|---:|---|"]
        lines += [f"| {run} | {r[0]} | {r[1]} | {r[3]} | {r[4]:.8f} | {r[5]} |" for run, r in weak]
    reruns = sorted(OUT.glob("rerun_*.txt"))
    if reruns:
        lines += ["", "Reruns with `-Y 1 -k 2` (the stream read again from its start; "
                  "dieharder adds 100 p-samples while a result is WEAK). Final round: the "
                  "lines with the most p-samples.", "",
                  "| rerun | stream | rounds | final psamples | final lines | PASSED | WEAK | "
                  "FAILED |", "|---|---|---:|---:|---:|---:|---:|---:|"]
        for path in reruns:
            rows = parse(path)
            layout, _, _ = _describe(path)
            final = max(r[3] for r in rows)
            last = [r for r in rows if r[3] == final]
            rounds = len({r[3] for r in rows})
            lines.append(f"| [{path.stem}](dieharder/{path.name}) | {layout} | {rounds} | "
                         f"{final} | {len(last)} | {_counts(last)} |")
    text = "\n".join(lines) + "\n"
    SUMMARY.write_text(text)
    return text


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", choices=("full", "subset", "rerun", "summary"))
    p.add_argument("--layout", choices=LAYOUTS, default="jax-partitionable")
    p.add_argument("--kernel", default=None)
    args = p.parse_args()
    if args.what == "full":
        print(run(f"full_{args.layout}", args.layout, args.kernel, [["-a"]]))
    elif args.what == "subset":
        kernel = args.kernel or "default"
        print(run(f"subset_{args.layout}_{kernel}", args.layout, args.kernel,
                  [["-d", test] for test in SUBSET]))
    elif args.what == "rerun":
        rerun()
    else:
        print(summary())


if __name__ == "__main__":
    main()
