"""commit + draw + verify from an enterprise CSV, end to end, beside the floors of reading it.

For each size N a directory CSV is generated into a temporary directory (valid, unique codes
registered in their row's district; the profile's 16 districts, grades A/B/C/blank, risk flags;
English headers, UTF-8 with BOM), with a plan of
ratio 3/100 stratified by district × grade. Then, in the same run, each in its own child
process, whose wall time and peak resident memory (``/usr/bin/time``'s maximum resident set
size) are shown:

* **randcheck commit / draw / verify** — the CLI, as a user runs it (``python -m randcheck``),
  interpreter start and imports included (of modules compiled to bytecode first, as pip
  compiles an installed package's);
  with ``--engine duckdb`` too when DuckDB is installed; with ``--before SRC``, the same
  commands run again from another source tree (e.g. the code before a change, made with
  ``git archive``), for before and after in one run;
* **csv.reader** — every row of the file read by ``csv.reader``, nothing else;
* **csv.reader + SHA-256** — the same, with one SHA-256 of each row's first cell;
* **pandas** — ``read_csv`` + a per-stratum weighted ``sample`` (C engine, and pyarrow engine
  when pyarrow is installed): what a user would write instead, neither verifiable nor πps;
* **DuckDB read + hash** — DuckDB reading the CSV and hashing the code of every row, the
  floor of the fast path;
* **DuckDB read + sort, read + hash** — what DuckDB alone takes for the two steps an exact draw
  cannot skip (§ 3 and § 5 of docs/algorithm.md): every code in the frame's order, by place
  and code, before the frame's digest is known; then every unit's hash, which needs that
  digest. No frame, digest, selection or record is made: a bound below any draw on DuckDB.

Nothing is asserted; the figures are printed side by side, with ratios to the floors.
Run: ``python benchmarks/bench_files.py [--sizes 100000 1000000] [--repeat 1] [--before SRC]
[--keep DIR]`` (``--sizes 10000000`` writes about 0.8 GB into the temporary directory, or into
``DIR``, where the directories are kept and reused by later runs: each size is generated once).
"""

from __future__ import annotations

import argparse
import compileall
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from randcheck.ids import uscc_check_character
from randcheck.profiles import TIANJIN_HRSS

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
TAIL = ALPHABET.replace("E", "")
DISTRICTS = [district.code for district in TIANJIN_HRSS.districts]
DISTRICT_NAMES = [district.name for district in TIANJIN_HRSS.districts]
GRADES = ["A", "A", "B", "B", "B", "C", ""]
SEED = "03 17 22 28 31 + 09"

PLAN = {
    "data": {
        "code": "TJ-LS-2027",
        "line": "labour-inspection",
        "ratio": "3/100",
        "strata": ["district", "grade"],
        "year": 2027,
    },
    "kind": "plan",
    "schema": 1,
}


def generate(path: Path, n: int) -> None:
    """Write ``n`` enterprises with unique valid codes to ``path``."""
    rng = random.Random(n)
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(
            [
                "uscc",
                "name",
                "district",
                "industry",
                "grade",
                "complaints_12m",
                "abnormal_operations",
                "serious_violation",
                "key_area",
            ]
        )
        rows = []
        for i in range(n):
            d = rng.randrange(16)
            tail = ""
            k = i
            for _ in range(6):
                # No E: a code of digits and one E reads as scientific notation, refused.
                k, r = divmod(k, 30)
                tail = TAIL[r] + tail
            body = f"91{DISTRICTS[d]}{rng.randrange(1000):03d}" + tail
            rows.append(
                (
                    body + uscc_check_character(body),
                    f"企业{i}有限公司",
                    DISTRICT_NAMES[d],
                    "制造业" if i % 3 else "建筑业",
                    rng.choice(GRADES),
                    rng.choice("0000012") if i % 5 else "",
                    "否" if i % 11 else "是",
                    "否",
                    "否" if i % 7 else "是",
                )
            )
            if len(rows) == 100_000:
                writer.writerows(rows)
                rows.clear()
        writer.writerows(rows)


def child(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run ``argv``; its wall time in seconds and its peak resident memory in bytes.

    Through ``/usr/bin/time``: a child's ``ru_maxrss`` starts at its parent's resident size
    when forked, so this process would add its own to every figure.
    """
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *argv],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(argv)}\n{done.stderr[-2000:]}")
    return seconds, int(done.stderr.strip().splitlines()[-1]) * 1024


CSV_ONLY = """
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for row in csv.reader(f):
        pass
"""

CSV_SHA = """
import csv, hashlib, sys
sha256 = hashlib.sha256
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for row in csv.reader(f):
        sha256(row[0].encode()).digest()
"""

PANDAS = """
import sys
import pandas as pd
df = pd.read_csv(sys.argv[1], engine=sys.argv[2], dtype=str, keep_default_na=False)
df["w"] = df["grade"].map({"A": 1.0, "B": 2.0, "C": 4.0}).fillna(2.0)
df.groupby(["district", "grade"]).sample(frac=0.03, weights="w", random_state=20270303)
"""

DUCKDB = """
import sys
import duckdb
duckdb.sql(
    "SELECT min(sha256(column0)) FROM read_csv(?, header=false, skip=1, all_varchar=true)",
    params=[sys.argv[1]],
).fetchall()
"""

DUCKDB_SORTED = """
import sys
import duckdb
connection = duckdb.connect()
source = "read_csv(?, header=false, skip=1, all_varchar=true)"
# Every code in the frame's order (by place, then code), fetched as one number per row.
connection.execute(
    f"SELECT hash(column0) FROM {source} ORDER BY column2, column4, column5, column6, "
    "column7, column8, column0",
    [sys.argv[1]],
).fetchnumpy()
# Then every unit's hash.
connection.execute(f"SELECT min(sha256(column0)) FROM {source}", [sys.argv[1]]).fetchall()
"""


def has(module: str) -> bool:
    return (
        subprocess.run(
            [sys.executable, "-c", f"import {module}"], capture_output=True, check=False
        ).returncode
        == 0
    )


def best(repeat: int, argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    runs = [child(argv, env) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def cli_env(src: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": src}


def run_size(n: int, repeat: int, before: str | None, before_max: int, work: Path) -> None:
    path = work / f"enterprises-{n}.csv"
    start = time.perf_counter()
    if path.exists():
        made = "kept from an earlier run"
    else:
        # Written under another name first: a run stopped midway leaves no partial file.
        partial = work / f"enterprises-{n}.csv.partial"
        generate(partial, n)
        partial.replace(path)
        made = f"generated in {time.perf_counter() - start:.1f} s"
    size = path.stat().st_size
    print(f"\n== {n:,} rows ({size / 1e6:.0f} MB; {made})")
    plan = work / "plan.json"
    plan.write_text(json.dumps(PLAN), encoding="utf-8")
    py = sys.executable
    results: dict[str, tuple[float, int]] = {}

    def show(label: str, figures: tuple[float, int]) -> None:
        results[label] = figures
        print(f"  {label:<36} {figures[0]:8.2f} s  {figures[1] / 2**20:8.0f} MB", flush=True)

    show("csv.reader", best(repeat, [py, "-c", CSV_ONLY, str(path)]))
    show("csv.reader + SHA-256", best(repeat, [py, "-c", CSV_SHA, str(path)]))
    if has("duckdb"):
        show("DuckDB read + hash", best(repeat, [py, "-c", DUCKDB, str(path)]))
        if has("numpy"):
            show(
                "DuckDB read + sort, read + hash",
                best(repeat, [py, "-c", DUCKDB_SORTED, str(path)]),
            )
    if has("pandas"):
        show("pandas read_csv + sample (C)", best(repeat, [py, "-c", PANDAS, str(path), "c"]))
        if has("pyarrow"):
            show("pandas (pyarrow engine)", best(repeat, [py, "-c", PANDAS, str(path), "pyarrow"]))
    src = str(Path(__file__).resolve().parent.parent / "src")
    trees = [("", src)] + ([("before ", before)] if before and n <= before_max else [])
    engines: list[list[str]] = [[]]
    helped = subprocess.run(
        [py, "-m", "randcheck", "commit", "--help"],
        capture_output=True,
        text=True,
        env=cli_env(src),
        check=False,
    ).stdout
    if has("duckdb") and "--engine" in helped:
        engines.append(["--engine", "duckdb"])
    for label, tree in trees:
        for engine in engines if not label else [[]]:
            tag = label + ("duckdb " if engine else "")
            env = cli_env(tree)
            commitment, record = work / f"commitment-{n}.json", work / f"draw-{n}.json"
            # Left by an earlier size or run: commit refuses to replace a commitment.
            commitment.unlink(missing_ok=True)
            common = ["--enterprises", str(path), *engine]
            cli = [py, "-m", "randcheck"]
            show(
                f"{tag}randcheck commit",
                best(
                    repeat,
                    [*cli, "commit", *common, "--plan", str(plan), "--out", str(commitment)],
                    env,
                ),
            )
            record.unlink(missing_ok=True)
            show(
                f"{tag}randcheck draw",
                best(
                    repeat,
                    [
                        *cli,
                        "draw",
                        *common,
                        "--commitment",
                        str(commitment),
                        "--seed",
                        SEED,
                        "--seed-source",
                        "benchmark",
                        "--out",
                        str(record),
                    ],
                    env,
                ),
            )
            show(
                f"{tag}randcheck verify", best(repeat, [*cli, "verify", str(record), *common], env)
            )
    floor = results["csv.reader + SHA-256"][0]
    print(f"  ratios to csv.reader + SHA-256 ({floor:.2f} s):")
    for label, (seconds, _) in results.items():
        if "randcheck" in label or "pandas" in label:
            print(f"    {label:<34} {seconds / floor:6.1f}×")
    if "DuckDB read + hash" in results:
        duck = results["DuckDB read + hash"][0]
        print(f"  ratios to DuckDB read + hash ({duck:.2f} s):")
        for label, (seconds, _) in results.items():
            if label.startswith("duckdb ") or "pandas" in label or "sort" in label:
                print(f"    {label:<34} {seconds / duck:6.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--before", metavar="SRC", help="also run the CLI from this source tree")
    parser.add_argument(
        "--before-max",
        type=int,
        default=1_000_000,
        metavar="N",
        help="run --before only up to N rows (default 1,000,000)",
    )
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="generate the directories into DIR and keep them, reusing those already there",
    )
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    # pip compiles a package's modules when it installs it: without this, every command would
    # also compile randcheck from source (PYTHONDONTWRITEBYTECODE), which no user pays.
    for tree in [Path(__file__).resolve().parent.parent / "src", *filter(None, [args.before])]:
        compileall.compile_dir(str(tree), quiet=1)
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(args.keep or temporary)
        work.mkdir(parents=True, exist_ok=True)
        for n in args.sizes:
            run_size(n, args.repeat, args.before, args.before_max, work)


if __name__ == "__main__":
    main()
