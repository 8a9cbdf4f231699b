"""``randcheck commit``, ``draw``, ``verify`` and ``explain``: the verifiable draw of targets.

The protocol, in commands::

    randcheck commit --enterprises enterprises.csv --plan plan.json \\
        --published 2027-03-02T09:00+08:00 --out commitment.json --frame frame.json
    # publish commitment.json (and frame.json); then fix the seed from a public source
    randcheck draw --enterprises enterprises.csv --commitment commitment.json \\
        --seed "03 17 22 28 31 + 09" --seed-source "福彩双色球 2027-03-03" \\
        --seed-fixed 2027-03-03T21:30+08:00 --out draw.json
    randcheck verify draw.json --enterprises enterprises.csv
    randcheck explain draw.json --uscc 91120101MA05L8XH45 --enterprises enterprises.csv

``verify`` also checks dispatch records (kind ``dispatch-record``) with the dispatch inputs.
``draw`` does not write over a file that is not a draw record made with the same seed, unless
given ``--force``: re-running a draw reproduces its record, drawing again under another seed
would replace a published one.
Exit codes: 0 ok; 1 a check failed (the record does not verify; ``explain`` finds the record
inconsistent); 3 a dispatch with salted recusal pairs verified without ``--salt``: nothing
differs, but the teams named could not be re-derived; 2 bad input or usage, with a one-line
reason on stderr (a file that cannot be loaded: every problem in it). Timestamps without an
offset are taken in China Standard Time (UTC+8). ``--profile`` takes a registered name or the
path of a profile file; the enterprise directory is read with that profile's classes (``commit``
defaults to ``cn-tj-hrss``, the others to the profile the commitment or record names).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, localcontext
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs

from randcheck.cli._options import add_directory_options, column_map, directory_options
from randcheck.cli._options import digest as _digest
from randcheck.cli._options import timestamp as _timestamp
from randcheck.cli._output import (
    empty_texts,
    load_together,
    print_verification,
    raise_all,
    refuse_other_content,
    save_record,
    warn_unrecorded,
)
from randcheck.cli._profile import PROFILE_DEFAULT, add_profile_option
from randcheck.domain import Enterprise, Plan, SampleAllocation
from randcheck.errors import (
    CommitmentMismatch,
    InputFileError,
    Location,
    RandcheckError,
    ValidationError,
)
from randcheck.io import load_enterprises, load_json
from randcheck.io.cells import _parse_uscc
from randcheck.io.files import _atomic_write_bytes, _check_writable
from randcheck.io.json_documents import (
    json_document_bytes,
    read_json_value,
)
from randcheck.io.plans import load_plan
from randcheck.io.streaming import EnterpriseStream
from randcheck.profiles import Profile, get_profile
from randcheck.profiles.weights import weight_factors
from randcheck.rules import plan_rounds
from randcheck.sampling import (
    COMMITMENT_KIND,
    RECORD_KIND,
    Commitment,
    DrawOutcome,
    DrawRecord,
    Frame,
    GradePreferenceCancelledWarning,
    History,
    PlanParameters,
    Seed,
    commit,
    draw,
    explain,
    frame_differences,
)
from randcheck.sampling._common import DRAW_ALGORITHM_VERSION
from randcheck.sampling._frame_stream import build_frame_from_batches
from randcheck.sampling._record import read_draw_record
from randcheck.sampling._verify import FrameBuilder, _verify, unknown_stratum
from randcheck.text import Text
from randcheck.verification import Difference, Verification

__all__ = [
    "HISTORY_KIND",
    "PLAN_KIND",
    "print_strata",
    "register",
    "run_commit",
    "run_draw",
    "run_explain",
    "run_verify",
]

T = TypeVar("T")

PLAN_KIND: Final = "plan"
"""The ``kind`` of a plan's JSON document (as ``randcheck assign`` reads it)."""

HISTORY_KIND: Final = "random-check-counts"
"""The ``kind`` of a JSON document ``{uscc: random checks so far this year}``."""

LEDGER_KIND: Final = "ledger"

# --- argument helpers ---------------------------------------------------------------------


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text!r}")
    return value


def _add_directory(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "--enterprises",
        required=required,
        metavar="FILE",
        help="the target directory (CSV, or an Excel workbook .xlsx)",
    )
    add_directory_options(parser)


def _add_engine(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=("python", "duckdb"),
        default="python",
        help=(
            "how the directory CSV is read: python (default, the reference) or duckdb (faster "
            "on large files, pip install 'randcheck[fast]'; the same frame and records)"
        ),
    )


def _add_frame_inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--history",
        metavar="FILE",
        help=(
            "random checks so far this year: a ledger (.json or .jsonl) or a "
            f"{HISTORY_KIND} document {{uscc: count}} (default: none)"
        ),
    )
    parser.add_argument(
        "--round", type=_positive, default=None, metavar="N", help="the plan's round (default 1)"
    )


def register(subparsers: Any) -> None:
    """Add the ``commit``, ``draw``, ``verify`` and ``explain`` subcommands."""
    p = subparsers.add_parser(
        "commit",
        help="build the sampling frame and write its commitment, to publish before the seed",
        description=(
            "生成抽查名录并公布其承诺值 / build the sampling frame (eligible enterprises by "
            "stratum and weight, exclusions with reasons) and write its commitment."
        ),
    )
    _add_directory(p, required=True)
    _add_engine(p)
    p.add_argument("--plan", required=True, metavar="PLAN.json", help="the plan")
    add_profile_option(p, PROFILE_DEFAULT)
    _add_frame_inputs(p)
    p.add_argument(
        "--published", type=_timestamp, metavar="TIME", help="when the commitment is published"
    )
    p.add_argument("--out", required=True, metavar="COMMITMENT.json", help="commitment to write")
    p.add_argument(
        "--frame", metavar="FRAME.json", help="also write the frame (its SHA-256 is the digest)"
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="replace --out and --frame even if they hold another commitment or frame",
    )
    p.set_defaults(handler=run_commit)

    p = subparsers.add_parser(
        "draw",
        help="draw the inspection targets under a published commitment and a public seed",
        description=(
            "随机抽取检查对象 / draw the targets: weighted, stratified Pareto order sampling "
            "with SHA-256 numbers from a public seed, under the published commitment."
        ),
    )
    _add_directory(p, required=True)
    _add_engine(p)
    p.add_argument("--commitment", required=True, metavar="COMMITMENT.json", help="the commitment")
    p.add_argument(
        "--plan", metavar="PLAN.json", help="the plan (default: the commitment's parameters)"
    )
    add_profile_option(p, None, otherwise="default: the commitment's")
    _add_frame_inputs(p)
    p.add_argument("--seed", required=True, help="the public seed, as text")
    p.add_argument("--seed-source", required=True, help="where the seed comes from")
    p.add_argument("--seed-fixed", type=_timestamp, metavar="TIME", help="when it became known")
    p.add_argument("--out", required=True, metavar="DRAW.json", help="record to write")
    p.add_argument(
        "--earlier",
        action="append",
        default=[],
        metavar="DRAW.json",
        help="a draw record already made (repeatable): no second draw under its commitment",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="replace --out even if it holds a draw made with another seed",
    )
    p.set_defaults(handler=run_draw)

    p = subparsers.add_parser(
        "verify",
        help="re-run a draw (or dispatch) record from its inputs and report any difference",
        description=(
            "核验抽取记录 / re-run the draw of a draw record (or the dispatch of a dispatch "
            "record) and list every difference. Exit 0 if identical, 1 if not."
        ),
    )
    p.add_argument("record", metavar="RECORD.json", help="a draw-record or dispatch-record")
    _add_directory(p, required=False)
    _add_engine(p)
    p.add_argument(
        "--frame",
        metavar="FRAME.json",
        help="the published frame: re-run on it instead of a directory, or, with --enterprises, "
        "name the enterprises the directory places otherwise",
    )
    p.add_argument("--plan", metavar="PLAN.json", help="the plan (default: the record's)")
    add_profile_option(
        p, None, otherwise=f"default: the record's ({PROFILE_DEFAULT} for a dispatch record)"
    )
    p.add_argument("--history", metavar="FILE", help="random checks so far this year")
    p.add_argument("--commitment", metavar="COMMITMENT.json", help="the published commitment")
    p.add_argument(
        "--published-digest",
        type=_digest,
        metavar="sha256:…",
        help="the commitment's digest published before the seed: the frame's digest "
        "(抽取框承诺摘要, what commit prints) or the commitment file's (承诺文件摘要)",
    )
    p.add_argument(
        "--record-digest",
        type=_digest,
        metavar="sha256:…",
        help="the record's own digest as published with it (pins every field of the record)",
    )
    p.add_argument("--draw", metavar="DRAW.json", help="dispatch records: the draw record")
    p.add_argument("--inspectors", metavar="CSV", help="dispatch records: inspector directory")
    p.add_argument("--conflicts", metavar="CSV", help="dispatch records: conflicts of interest")
    p.add_argument(
        "--pool",
        metavar="POOL.json",
        help="dispatch records of version 2: the published pool commitment (instead of "
        "--inspectors and --conflicts)",
    )
    p.add_argument(
        "--salt",
        metavar="SALT.json",
        help="with --pool: the opening of a pool's salted recusal pairs (the oversight office's "
        "check); without it the teams resting on hidden pairs are named and the exit code is 3",
    )
    p.set_defaults(handler=run_verify)

    p = subparsers.add_parser(
        "explain",
        help="tell one enterprise why it was or was not drawn",
        description=(
            "说明抽取结果 / explain to one enterprise why it was or was not drawn: its key "
            "against its stratum's cut-off, from the published record and where the frame the "
            "draw was made from placed it — the published frame (--frame), or the frame "
            "rebuilt from the directory (--enterprises, with --history), which must be the "
            "committed one."
        ),
    )
    p.add_argument("record", metavar="DRAW.json", help="the draw record")
    p.add_argument("--uscc", required=True, help="the enterprise's unified social credit code")
    _add_directory(p, required=False)
    p.add_argument(
        "--history",
        metavar="FILE",
        help="with --enterprises: the random checks of the year the frame was built with",
    )
    p.add_argument(
        "--frame", metavar="FRAME.json", help="the published frame (instead of --enterprises)"
    )
    add_profile_option(p, None, otherwise="default: the record's")
    p.add_argument("--stratum", help="its stratum (instead of --frame or --enterprises)")
    p.add_argument("--weight", help="its weight as p/q (instead of --frame or --enterprises)")
    p.set_defaults(handler=run_explain)


# --- inputs ---------------------------------------------------------------------------------


_KIND_AT_END = re.compile(rb'"kind":"([^"\\]+)","schema":\d+}\s*$')


def _document_kind(path: str | os.PathLike[str]) -> str | None:
    """The ``kind`` of a JSON document or JSON Lines file, without reading all of it."""
    try:
        with open(path, "rb") as stream:
            if Path(path).suffix == ".jsonl":
                # A JSON Lines file starts with {"kind": ..., "schema": 1} on its own line.
                document = json.loads(stream.readline())
                kind = document.get("kind") if isinstance(document, dict) else None
                return kind if isinstance(kind, str) else None
            # Canonical documents end with "kind":...,"schema":N} (sorted keys).
            stream.seek(max(0, os.fstat(stream.fileno()).st_size - 512))
            tail = stream.read()
    except (OSError, ValueError, RecursionError):
        return None
    found = _KIND_AT_END.search(tail)
    if found:
        return found.group(1).decode("utf-8", "replace")
    # Not in canonical form (e.g. re-saved pretty-printed): read the whole document.
    try:
        document = json.loads(Path(path).read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    kind = document.get("kind") if isinstance(document, dict) else None
    return kind if isinstance(kind, str) else None


def load_history(path: str | os.PathLike[str] | None) -> History | None:
    """The history of random checks from a ledger file or a ``random-check-counts`` document."""
    if path is None:
        return None
    kind = _document_kind(path)
    if kind == LEDGER_KIND:
        from randcheck.ledger import load_ledger

        return load_ledger(Path(path)).inspections
    counts: dict[str, int] = load_json(path, HISTORY_KIND, dict[str, int])
    return _history_counts(counts, os.fspath(path))


def _history_counts(counts: dict[str, int], source: str) -> dict[str, int]:
    """``counts`` keyed by valid codes, normalised as the directory's cells are; every bad
    key, negative count or code given twice is reported."""
    errors: list[RandcheckError] = []
    normalised: dict[str, int] = {}
    spelled: dict[str, str] = {}
    location = Location(file=source)
    for key, count in counts.items():
        path = f"$.data[{key!r}]"
        try:
            code = _parse_uscc(key)
        except ValidationError as exc:
            errors.append(
                ValidationError(
                    f"expected {exc.expected}, got {key!r} @ {path}",
                    field=path,
                    expected=exc.expected,
                    got=key,
                    location=location,
                )
            )
            continue
        if count < 0:
            errors.append(
                ValidationError(
                    f"expected a count >= 0, got {count!r} @ {path}",
                    field=path,
                    expected="a count >= 0",
                    got=count,
                    location=location,
                )
            )
        if code in spelled:
            errors.append(
                ValidationError(
                    f"{key!r} and {spelled[code]!r} are the same code {code} @ {path}",
                    field=path,
                    expected="each enterprise once",
                    got=key,
                    location=location,
                )
            )
        spelled.setdefault(code, key)
        normalised[code] = count
    if errors:
        raise InputFileError(
            f"无法读取抽查次数 / cannot load {source}: {len(errors)} error(s)",
            errors=errors,
            location=location,
        )
    return normalised


def _plan(path: str | None, profile: Profile | None = None) -> Plan | None:
    # A plan is written by a person: read with the spellings people use, said in a warning.
    return None if path is None else load_plan(path, profile=profile)


def _progress(enabled: bool, total: int) -> Callable[[int], None] | None:
    """A progress line on stderr, only on a terminal and for draws long enough to notice."""
    if not enabled or total < 200_000:
        return None
    done = 0
    last = 0.0

    def report(count: int) -> None:
        nonlocal done, last
        done += count
        now = time.monotonic()
        if now - last >= 0.2 or done >= total:
            last = now
            percent = 100 * done // total
            end = "\n" if done >= total else ""
            print(
                f"\r抽取中 / drawing: {done:,}/{total:,} ({percent}%)",
                end=end,
                file=sys.stderr,
                flush=True,
            )

    return report


def _stream(args: argparse.Namespace, profile: Profile) -> EnterpriseStream | Any:
    """The directory of ``args`` as a stream of rows, read by ``--engine``."""
    if getattr(args, "engine", "python") == "duckdb":
        from randcheck._columnar import ColumnarEnterprises, available

        if not available():
            raise ValidationError(
                "--engine duckdb 需要 DuckDB / --engine duckdb needs DuckDB: "
                "pip install 'randcheck[fast]'",
                field="--engine",
                expected="DuckDB installed, or --engine python",
                got="duckdb",
            )
        return ColumnarEnterprises(
            args.enterprises, profile=profile, **directory_options(args, "enterprises")
        )
    return EnterpriseStream(
        args.enterprises, profile=profile, **directory_options(args, "enterprises")
    )


def _directory_frame(
    args: argparse.Namespace,
    plan: Plan | PlanParameters,
    profile: Profile,
    *,
    round: int,
    version: int = DRAW_ALGORITHM_VERSION,
) -> Frame:
    """The frame of ``plan`` over the directory ``--enterprises``, read as a stream, and the
    year's ``--history``, loaded after the directory (as its errors are reported after)."""
    stream = _stream(args, profile)
    return _read(
        stream,
        lambda batches: build_frame_from_batches(
            batches,
            plan,
            profile,
            history=lambda: load_history(args.history),
            round=round,
            version=version,
            duplicate=stream.fail,
        ),
        args.enterprises,
    )


def _read(stream: EnterpriseStream | Any, consume: Callable[[Iterator[Any]], T], path: str) -> T:
    """``stream.read(consume)`` of the directory ``path``; read by ``--engine duckdb``, a line
    on stderr if DuckDB did not read the file, saying why (the Python reader read it, to the
    same result)."""
    try:
        return stream.read(consume)
    finally:
        reason = getattr(stream, "not_used", None)
        if reason is not None:
            print(
                f"randcheck: warning: 未用 DuckDB 读取 {path} / {path} was read by the Python "
                f"reader, not by DuckDB: {reason}",
                file=sys.stderr,
            )


def _directory_builder(args: argparse.Namespace, profile: Profile) -> FrameBuilder:
    def build(parameters: PlanParameters, given: Profile, round: int, version: int) -> Frame:
        return _directory_frame(args, parameters, given, round=round, version=version)

    return build


def _none() -> None:
    return None


def _drain(batches: Iterable[Any]) -> None:
    for _ in batches:
        pass


# --- output ---------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    space = " " * max(0, width - _width(text))
    return space + text if right else text + space


def _approx(value: Fraction | None) -> str:
    if value is None:
        return "—"
    with localcontext() as context:
        context.prec = 4
        return format(Decimal(value.numerator) / Decimal(value.denominator), "g")


def print_strata(record: DrawRecord, *, file: Any = None) -> None:
    """Print the per-stratum table of ``record``: N, ratio, n, certainty units, cut-off."""
    out = file if file is not None else sys.stdout
    headers = ("分层 stratum", "N", "比例 ratio", "n", "必抽 certain", "截断键 cut-off")
    rows = [
        (
            s.name or "(all)",
            f"{s.population:,}",
            str(s.ratio),
            f"{s.sample_size:,}",
            str(s.certainty),
            _approx(s.cutoff),
        )
        for s in record.strata
    ]
    total_n = sum(s.population for s in record.strata)
    total_s = sum(s.sample_size for s in record.strata)
    total_c = sum(s.certainty for s in record.strata)
    footer = ("合计 total", f"{total_n:,}", "", f"{total_s:,}", str(total_c), "")
    widths = [max(_width(r[i]) for r in (headers, *rows, footer)) for i in range(len(headers))]

    def line(row: Iterable[str]) -> str:
        cells = [_pad(cell, widths[i], right=i > 0) for i, cell in enumerate(row)]
        return "  ".join(cells).rstrip()

    print(line(headers), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in rows:
        print(line(row), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    print(line(footer), file=out)
    # R-COVERAGE guards against inspecting too much: a minimum of one per stratum can take a
    # small directory well past the plan's ratio, which the ratio column does not show.
    raised = [
        s
        for s in record.strata
        if record.parameters.min_one_per_stratum
        and record.parameters.allocation is not SampleAllocation.PROPORTIONAL_TO_WEIGHT
        and s.sample_size == 1
        and s.ratio * s.population < Fraction(1, 2)
    ]
    if raised and total_n:
        share = _approx(Fraction(100 * total_s, total_n))
        print(
            f"注：{len(raised)} 个分层按比例应抽 0 家，因“每层至少一家”各抽 1 家；共抽取 "
            f"{total_s:,}/{total_n:,}（{share}%）/ note: {len(raised)} strata would draw 0 by "
            f"their ratio and draw 1 under min_one_per_stratum: {total_s:,} of {total_n:,} "
            f"drawn ({share}%)",
            file=out,
        )


def _read_frame(path: str) -> Frame:
    # Parsed as strictly as every other document: duplicate keys, NaN, deep nesting and
    # huge numbers are reported with their line.
    document = read_json_value(path)
    return Frame.from_document(document, source=path)


# --- handlers -------------------------------------------------------------------------------


def run_commit(args: argparse.Namespace) -> int:
    """``randcheck commit``: build the frame, write the commitment (and the frame)."""
    profile = get_profile(args.profile)
    plan = load_plan(args.plan, profile=profile)
    rounds = plan_rounds(plan)
    if args.round is not None and rounds is not None and args.round > rounds:
        raise ValidationError(
            f"--round {args.round}: 计划 {plan.code} 只有 {rounds} 轮 / plan {plan.code} "
            f"has {rounds} round(s) in the year",
            field="--round",
            expected=f"a round of the plan, 1 to {rounds}",
            got=args.round,
        )
    with warnings.catch_warnings():
        warnings.simplefilter("always", GradePreferenceCancelledWarning)
        frame = _directory_frame(args, plan, profile, round=args.round or 1)
    commitment = commit(frame, published=args.published)
    if args.published is None:
        warn_unrecorded(
            "--published",
            "承诺未记录公布时间，抽取记录无法表明种子在其后确定 / the commitment records no "
            "publication time, so no draw can show its seed was fixed after it",
        )
    if commitment.eligible == 0:
        raise ValidationError(
            f"抽查名录中没有可抽取的企业 / the frame holds no enterprise to draw: "
            f"{commitment.out_of_scope:,} out of scope, {commitment.cap_reached:,} at the yearly "
            f"cap, from {args.enterprises} (an empty sheet or file, the wrong sheet, or a scope "
            "that matches nobody?)",
            field="--enterprises",
            expected="at least one eligible enterprise",
            got=0,
        )
    # Both files or neither: a missing folder is found before the first is written.
    for path in (args.out, args.frame):
        if path is not None:
            _check_writable(path)
    frame_bytes = frame.to_json().encode("utf-8")
    if args.frame is not None:
        refuse_other_content(args.frame, frame_bytes, force=args.force)
    save_record(args.out, COMMITMENT_KIND, commitment, force=args.force)
    if args.frame is not None:
        # Exactly the canonical bytes, no final newline: `sha256sum` of the file is the digest.
        _atomic_write_bytes(args.frame, frame_bytes)
    print(f"承诺值 / commitment: {commitment.frame_digest}")
    print(
        f"抽查名录 / frame: {commitment.eligible:,} 家可抽取 eligible in {commitment.strata} "
        f"strata; 排除 excluded: {commitment.out_of_scope:,} 不在范围 out of scope, "
        f"{commitment.cap_reached:,} 已达年度上限 at the yearly cap"
    )
    print(f"已写入 / written: {args.out}" + (f", {args.frame}" if args.frame else ""))
    return 0


def run_draw(args: argparse.Namespace) -> int:
    """``randcheck draw``: rebuild the frame, check the commitment, draw, write the record."""
    # A profile given is resolved first: a bad one is reported before any other input.
    given = None if args.profile is None else get_profile(args.profile)
    # The options and every input but the directory checked together: every problem is shown
    # at once (the directory is read after, by the stream).
    problems: list[RandcheckError] = [*empty_texts(args, "seed", "seed_source")]
    if not os.path.exists(args.enterprises):
        problems.append(
            InputFileError(
                f"无法打开文件 / cannot open {args.enterprises}: no such file",
                location=Location(file=args.enterprises),
            )
        )
    commitment, _, *loaded = load_together(
        lambda: load_json(args.commitment, COMMITMENT_KIND, Commitment),
        lambda: column_map(args),
        *(partial(load_json, path, RECORD_KIND, DrawRecord) for path in args.earlier),
        before=problems,
        head=lambda failures, errors: (
            f"抽取的输入有 {errors} 处问题 / {errors} problem(s) with the draw's inputs"
        ),
    )
    earlier: list[DrawRecord] = loaded
    # A draw record already at --out under this commitment and round but another seed is an
    # earlier draw: drawing again is a redraw, refused even with --force. Under the same seed
    # the draw is the same one, made again; anything else at --out needs --force.
    existing = _draw_record_at(args.out)
    if (
        existing is not None
        and existing.seed.value != args.seed
        and existing.commitment.frame_digest == commitment.frame_digest
        and existing.round == commitment.round
    ):
        earlier.append(existing)
    elif not args.force:
        _refuse_to_replace(args.out, args.seed)
    profile = given or get_profile(commitment.profile)
    plan = _plan(args.plan, profile)
    frame = _directory_frame(
        args,
        plan if plan is not None else commitment.parameters,
        profile,
        round=args.round or commitment.round,
        version=commitment.version,
    )
    seed = Seed(value=args.seed, source=args.seed_source, fixed=args.seed_fixed)
    if args.seed_fixed is None:
        warn_unrecorded(
            "--seed-fixed",
            "记录不表明种子在承诺公布之后确定 / the record will not show that the seed was fixed "
            "after the commitment was published",
        )
    record = draw(
        frame,
        commitment,
        seed,
        progress=_progress(sys.stderr.isatty(), frame.population),
        earlier=earlier,
    )
    # The record's bytes made once: written, and hashed for its digest (``record.digest()``
    # is the SHA-256 of the same canonical text, without the file's final newline).
    data = json_document_bytes(RECORD_KIND, record)
    _atomic_write_bytes(args.out, data)
    print_strata(record)
    digest = "sha256:" + hashlib.sha256(data[:-1]).hexdigest()
    print(f"抽中 / drawn: {record.sample_size:,}; 记录 / record: {args.out} ({digest})")
    return 0


def _verify_dispatch_from_pool(args: argparse.Namespace) -> int:
    from randcheck.dispatch import (
        DOCUMENT_KIND,
        POOL_KIND,
        SALT_KIND,
        DispatchRecord,
        PoolCommitment,
        PoolSalt,
        verify_from_pool,
    )

    record = load_json(args.record, DOCUMENT_KIND, DispatchRecord)
    the_draw = load_json(args.draw, RECORD_KIND, DrawRecord)
    profile = get_profile(args.profile or the_draw.profile)
    result = verify_from_pool(
        record,
        the_draw,
        load_enterprises(
            args.enterprises, profile=profile, **directory_options(args, "enterprises")
        ),
        load_json(args.pool, POOL_KIND, PoolCommitment),
        load_plan(args.plan, profile=profile),
        profile,
        published_digest=args.record_digest or args.published_digest,
        salt=None if args.salt is None else load_json(args.salt, SALT_KIND, PoolSalt),
    )
    return print_verification(args.record, result)


def _draw_record_at(out: str) -> DrawRecord | None:
    """The draw record at ``out``, or ``None`` where there is none (or something else)."""
    if not Path(out).is_file():
        return None
    try:
        return load_json(out, RECORD_KIND, DrawRecord)
    except InputFileError:
        return None


def _refuse_to_replace(out: str, seed: str) -> None:
    """Refuse to write over anything but a draw record made with the same seed: a published
    draw replaced by one under another seed is exactly what the draw's record guards against."""
    if not Path(out).exists():
        return
    try:
        existing = load_json(out, RECORD_KIND, DrawRecord)
    except InputFileError:
        raise ValidationError(
            f"{out} 已存在且不是抽取记录 / {out} exists and is not a draw record; "
            "pass --force to replace it",
            field="--out",
            expected="a new file, or a draw record made with the same seed",
            got=out,
        ) from None
    if existing.seed.value != seed:
        raise ValidationError(
            f"{out} 是以另一种子抽取的记录 / {out} holds a draw made with another seed "
            f"({existing.seed.value!r}); pass --force to replace it",
            field="--out",
            expected=f"a draw record made with the seed {seed!r}",
            got=existing.seed.value,
        )


def _verify_dispatch(args: argparse.Namespace) -> int:
    from randcheck.cli import _assign

    needed = (
        ("draw", "enterprises", "plan")
        if args.pool
        else ("draw", "enterprises", "inspectors", "plan")
    )
    missing = [f"--{name}" for name in needed if getattr(args, name) is None]
    if missing:
        # Without the pool, the inspector directory (the bureau's own) is the other way:
        # the public has the posted pool commitment, so both are named.
        how = (
            ""
            if args.pool
            else "; anyone can check it from the posted pool commitment instead of the "
            "inspector directory: --pool POOL.json, with --draw, --enterprises and --plan"
        )
        raise ValidationError(
            f"核验调派记录缺少参数 / verifying a dispatch record needs {', '.join(missing)}{how}",
            field=missing[0],
            expected="a value",
            got=None,
        )
    if args.pool:
        return _verify_dispatch_from_pool(args)
    return _assign.verify_dispatch_file(
        args.record,
        draw=args.draw,
        enterprises=args.enterprises,
        inspectors=args.inspectors,
        plan=args.plan,
        conflicts=args.conflicts,
        profile=args.profile,
        published_digest=args.record_digest or args.published_digest,
        options=lambda kind: directory_options(args, kind),
    )


def _load_draw_record(path: str) -> tuple[DrawRecord, Callable[[], str]]:
    """``load_json(path, RECORD_KIND, DrawRecord)`` (the same steps, the same errors), and a
    function giving the record's digest from its canonical text, at hand once it is read."""
    document = read_json_value(path)
    record, text = read_draw_record(document, source=path)
    del document
    try:
        digest = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    except UnicodeEncodeError:
        # Text no UTF-8 can hold: the error is raised where record.digest() would raise it.
        return record, lambda: "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    # Only the digest is kept, not the text, while the directory is read.
    return record, lambda: digest


def _every_key_differs(record: DrawRecord, result: Verification) -> bool:
    """Whether every unit's hash number differs from the draw's, so that every cut-off and
    drawn unit differs too: the seed is not the draw's, or the frame re-run on is not the
    committed one in a draw whose every hash input holds the frame's digest (version 2 on)."""
    paths = result.paths()
    return "seed" in paths or (record.version > 1 and "commitment.digest" in paths)


def _follows_from_the_keys(difference: Difference) -> bool:
    """A cut-off or a drawn unit: what another seed, or another frame by its digest alone,
    changes."""
    return difference.path.startswith("selected") or difference.path.endswith(
        (".cutoff", ".cutoff_unit")
    )


def _placed_otherwise(path: str, rebuilt: Frame, frame_digest: str) -> list[Difference]:
    """The enterprises ``rebuilt`` places otherwise than the published frame at ``path`` (or
    that frame's own difference from the commitment, ``frame_digest``)."""
    published = _read_frame(path)
    if published.digest() == rebuilt.digest():
        return []
    if published.digest() != frame_digest:
        return [
            Difference(
                path="frame",
                expected=frame_digest,
                got=published.digest(),
                message=Text(
                    zh=f"所给的抽查名录 {path} 不是记录中的承诺所指的名录",
                    en=f"the frame {path} is not the frame the record's commitment is to",
                ),
            )
        ]
    return list(frame_differences(published, rebuilt))


def run_verify(args: argparse.Namespace) -> int:
    """``randcheck verify``: re-run a record; 0 if it verifies, 1 if anything differs, 3 if
    nothing differs but parts could not be re-derived (salted recusal pairs, no ``--salt``)."""
    kind = _document_kind(args.record)
    if kind == "dispatch-record":
        return _verify_dispatch(args)
    record, digest = _load_draw_record(args.record)
    source: Frame | FrameBuilder
    profile: Profile | None = None if args.profile is None else get_profile(args.profile)
    history: Callable[[], History | None] = lambda: load_history(args.history)  # noqa: E731
    # With both, the draw is re-run on the directory, and the published frame names the
    # enterprises the directory places otherwise.
    rebuilt: list[Frame] = []
    if args.enterprises is not None:
        # The directory is read with the classes of the profile the draw is re-run under.
        profile = profile or get_profile(record.profile)
        builder = _directory_builder(args, profile)

        def build(parameters: PlanParameters, given: Profile, round: int, version: int) -> Frame:
            rebuilt.append(builder(parameters, given, round, version))
            return rebuilt[-1]

        source = build
        history = _none
    elif args.frame is not None:
        source = _read_frame(args.frame)
    else:
        raise ValidationError(
            "核验抽取记录需要 --enterprises 或 --frame / verifying a draw record needs "
            "--enterprises or --frame",
            field="--enterprises",
            expected="the target directory or the published frame",
            got=None,
        )
    try:
        plan = _plan(args.plan, profile or get_profile(record.profile))
    except RandcheckError:
        if callable(source):
            # The directory was loaded before the plan: its errors are reported first.
            _read(_stream(args, profile or get_profile(record.profile)), _drain, args.enterprises)
        raise
    result = _verify(
        record,
        source,
        plan=plan,
        profile=profile,
        history=history(),
        progress=_progress(sys.stderr.isatty(), record.commitment.eligible),
        published_digest=args.record_digest,
        digest=digest,
    )
    published: list[Difference] = []
    if args.commitment is not None:
        commitment = load_json(args.commitment, COMMITMENT_KIND, Commitment)
        if commitment != record.commitment:
            published.append(
                Difference(
                    path="commitment",
                    expected=commitment.digest(),
                    got=record.commitment.digest(),
                    message=Text(
                        zh="记录中的承诺与已公布的承诺不同",
                        en="the record's commitment differs from the published one",
                    ),
                )
            )
    frame_digest = record.commitment.frame_digest
    # An announcement publishes both the frame's digest and the commitment file's: either,
    # published before the seed, pins the frame the draw was made on.
    if args.published_digest is not None and args.published_digest not in (
        frame_digest,
        record.commitment.digest(),
    ):
        published.append(
            Difference(
                path="commitment.digest",
                expected=args.published_digest,
                got=frame_digest,
                message=Text(
                    zh="记录中的承诺值与公布的不同",
                    en="the record's commitment digest differs from the published one",
                ),
            )
        )
    differences = result.differences
    if rebuilt and args.frame is not None:
        # Read even when the directory matches: a frame given is never left unread. Its
        # differences come after the frame's own from the commitment, before what they cause.
        at = sum(1 for d in differences if d.path.startswith(("commitment", "profile", "round")))
        placed = _placed_otherwise(args.frame, rebuilt[0], frame_digest)
        differences = (*differences[:at], *placed, *differences[at:])
    result = attrs.evolve(result, differences=(*published, *differences))

    def unpinned() -> None:
        warn_unrecorded(
            "--record-digest",
            "种子的来源和确定时间、承诺的公布时间无法重新推导，未经核对 / the seed's source and "
            "the time it was fixed, and the commitment's publication time, are given, not "
            "re-derived: only the record's published digest pins them",
        )

    code = print_verification(
        args.record,
        result,
        after=unpinned if args.record_digest is None else None,
        consequence=_follows_from_the_keys if _every_key_differs(record, result) else None,
    )
    if not result.ok and args.history is None and "commitment.cap_reached" in result.paths():
        print(
            "提示：记录中有已达年度上限的企业，请用 --history 提供本年度抽查记录 / hint: the "
            "record excludes enterprises at the yearly cap; pass the year's --history",
            file=sys.stderr,
        )
    return code


def run_explain(args: argparse.Namespace) -> int:
    """``randcheck explain``: why one enterprise was or was not drawn."""
    record = load_json(args.record, RECORD_KIND, DrawRecord)
    profile = get_profile(args.profile or record.profile)
    problems: list[ValidationError] = []
    uscc = args.uscc
    try:
        uscc = _parse_uscc(args.uscc)
    except ValidationError as exc:
        problems.append(
            ValidationError(
                f"--uscc: expected {exc.expected}, got {args.uscc!r}",
                field="--uscc",
                expected=exc.expected,
                got=args.uscc,
            )
        )
    weight = None
    if args.weight is not None:
        try:
            weight = Fraction(args.weight)
        except (ValueError, ZeroDivisionError):
            weight = None
        if weight is None or weight <= 0:
            problems.append(
                ValidationError(
                    field="--weight", expected="a positive fraction p/q", got=args.weight
                )
            )
    given = [
        option
        for option, value in (
            ("--frame", args.frame),
            ("--enterprises", args.enterprises),
            ("--stratum/--weight", args.stratum or args.weight),
        )
        if value is not None
    ]
    if len(given) > 1:
        problems.append(
            ValidationError(
                f"只能给出一种来源 / give one of --frame, --enterprises, --stratum with --weight; "
                f"got {', '.join(given)}",
                field=given[1],
                expected="one of --frame, --enterprises, --stratum with --weight",
                got=given,
            )
        )
    if args.stratum is not None and record.stratum(args.stratum) is None:
        problems.append(unknown_stratum(record, args.stratum, "--stratum"))
    if (args.stratum is None) != (args.weight is None):
        problems.append(
            ValidationError(
                "--stratum 与 --weight 须一并给出 / --stratum and --weight go together",
                field="--weight" if args.weight is None else "--stratum",
                expected="both --stratum and --weight",
                got=args.stratum if args.weight is None else args.weight,
            )
        )
    if args.history is not None and args.enterprises is None:
        problems.append(
            ValidationError(
                "--history 只用于 --enterprises / --history is read with --enterprises",
                field="--history",
                expected="--enterprises with it",
                got=args.history,
            )
        )
    drawn = record.unit(uscc)
    if drawn is None and not given and not problems:
        problems.append(
            ValidationError(
                f"未抽中企业需给出其所在名录 / {uscc} was not drawn: to say why, give the "
                "published frame (--frame FRAME.json), the directory the commitment was built "
                "from (--enterprises FILE, with --history), or its stratum and weight (--stratum, "
                "--weight)",
                field="--frame",
                expected="--frame, --enterprises, or --stratum with --weight",
                got=None,
            )
        )
    if problems:
        raise_all(problems)
    frame: Frame | None = None
    if args.frame is not None:
        frame = _read_frame(args.frame)
    elif args.enterprises is not None:
        frame = _directory_frame(
            args, record.parameters, profile, round=record.round, version=record.version
        )
    if frame is not None and frame.digest() != record.commitment.frame_digest:
        source = args.frame or args.enterprises
        capped, committed = len(frame.cap_reached), record.commitment.cap_reached
        history = (
            f"; it holds {capped} enterprise(s) at the yearly cap, the commitment {committed}: "
            "give the --history the commitment was built with"
            if args.enterprises is not None and capped != committed
            else ""
        )
        raise CommitmentMismatch(
            f"{source}: 抽查名录与本次抽取的承诺不符 / the frame "
            + ("in it" if args.frame else "built from it")
            + f" is not the one this draw was made from (digest {frame.digest()}, committed "
            f"{record.commitment.frame_digest}){history}: an enterprise's data, stratum or "
            "weight may have changed since, so no explanation from it would hold; explain from "
            "the published frame (--frame), or from the directory and history the commitment "
            "was built from",
            field="--frame" if args.frame else "--enterprises",
            expected=record.commitment.frame_digest,
            got=frame.digest(),
        )
    if (
        drawn is not None
        and (args.stratum is not None or weight is not None)
        and (args.stratum != drawn.stratum or weight != drawn.weight)
    ):
        print(
            f"randcheck: warning: --stratum/--weight 未采用 / not used: the record holds "
            f"{uscc} as drawn in stratum {drawn.stratum!r} with weight {drawn.weight}",
            file=sys.stderr,
        )
    if drawn is None and args.stratum is not None:
        print(
            "randcheck: warning: 按所给分层与权重说明，未经核对 / the answer takes the stratum and "
            "weight as given, unchecked: the published frame (--frame FRAME.json) places the "
            "enterprise itself",
            file=sys.stderr,
        )
    enterprise: Enterprise | None = None
    if args.enterprises is not None:
        # Its place (grade, classes, risk flags) for the weight's factors, from the stream: the
        # directory was read (and its warnings said) once already, for the frame.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            enterprise = next(
                (place for code, place in _stream(args, profile) if code == uscc), None
            )
    result = explain(
        record,
        uscc,
        frame=frame,
        profile=profile,
        stratum=args.stratum,
        weight=weight,
    )
    print(result.text)
    for label, value in (
        ("分层 stratum", result.stratum),
        ("权重 weight", result.weight),
        ("入样概率 probability", result.probability),
        ("哈希 hash", result.hash),
        ("排序键 key", result.key),
        ("截断键 cut-off", result.cutoff),
        ("截断键所属 cut-off unit", result.cutoff_unit),
    ):
        if value is not None:
            print(f"  {label}: {value}")
    if enterprise is not None:
        _print_weight(enterprise, profile, result.weight)
    return 1 if result.outcome is DrawOutcome.INCONSISTENT else 0


def _print_weight(enterprise: Enterprise, profile: Profile, recorded: Fraction | None) -> None:
    """How the enterprise's weight is built from the profile: each class and risk factor."""
    try:
        factors = weight_factors(profile, enterprise)
    except ValidationError:
        return
    print("  权重构成 weight, built from the profile:")
    for factor in factors:
        what = "分类 class" if factor.kind == "class" else "风险 risk"
        multiplier = f"{factor.multiplier.numerator}/{factor.multiplier.denominator}"
        print(f"    × {multiplier}  {what} {factor.name.zh} / {factor.name.en}: {factor.value}")
    product = Fraction(1)
    for factor in factors:
        product *= factor.multiplier
    print(f"    = {product.numerator}/{product.denominator}")
    if recorded is not None and recorded != product:
        print(
            f"    抽取时的权重为 {recorded} / the draw weighed it {recorded}: the frame's class "
            "weights differ from the profile's (a cancelled grade preference, or weights given "
            "to the plan)"
        )
