"""The version-2 test vectors in ``docs/test-vectors/v2/`` (``docs/algorithm.md`` § 5, § 9).

As for version 1, every vector is re-derived twice: with randcheck, and with an independent
implementation of ``docs/algorithm.md`` written from that page alone, using only ``hashlib``
and ``fractions`` — what someone checking a draw in another language would write. Version 2
differs from version 1 in one place: the commitment digest (the frame's digest) is the third
field of every hash input.

Run ``python tests/test_sampling_vectors_v2.py`` to write the vectors (only when they are first
published: published vectors must not move).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from _vectors import proportional_scenario, vector_document
from _vectors import scenarios as v1_scenarios
from randcheck.canonical import canonical_json, unstructure
from randcheck.profiles import TIANJIN_HRSS
from randcheck.sampling import Frame, Seed, build_frame, commit, draw
from randcheck.sampling.algorithm import unit_hash

VECTORS = Path(__file__).resolve().parent.parent / "docs" / "test-vectors" / "v2"


# --- an independent implementation of docs/algorithm.md, version 2 -------------------------


def _field(text: str) -> bytes:
    data = text.encode("utf-8")
    return len(data).to_bytes(4, "big") + data


def _hash_input(commitment: str, seed: str, stratum: str, code: str) -> bytes:
    fields = ("randcheck-draw-v2", "draw", commitment, seed, stratum, code)
    return b"".join(_field(f) for f in fields)


def _fraction(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def _first_reaching(value: Any, points: list[Fraction], target: Fraction) -> Fraction:
    """§ 4.2: the smallest λ with value(λ) = target, value linear between the points."""
    points = sorted(set(points))
    if value(points[0]) >= target:
        return points[0]
    for before, point in itertools.pairwise(points):
        if value(point) >= target:
            return before + (target - value(before)) * (point - before) / (
                value(point) - value(before)
            )
    raise AssertionError("no λ reaches the target")


def _sizes_by_weight(
    strata: list[tuple[str, list[Fraction]]], n: int, floor: int
) -> dict[str, int]:
    """§ 4.2 steps 2 and 3: each stratum's n_h, from its name and its units' weights."""
    n = max(n, floor * len(strata))

    def e(weights: list[Fraction], lam: Fraction) -> Fraction:
        return sum((min(Fraction(1), lam * w) for w in weights), Fraction(0))

    def big_f(lam: Fraction) -> Fraction:
        return sum((max(Fraction(floor), e(ws, lam)) for _, ws in strata), Fraction(0))

    points = [Fraction(0)] + [1 / w for _, ws in strata for w in ws]
    if floor:
        points += [
            _first_reaching(lambda lam, ws=ws: e(ws, lam), [Fraction(0)] + [1 / w for w in ws], 1)
            for _, ws in strata
        ]
    lam = _first_reaching(big_f, points, Fraction(n))
    quotas = {name: max(Fraction(floor), e(ws, lam)) for name, ws in strata}
    assert sum(quotas.values()) == n
    sizes = {name: math.floor(q) for name, q in quotas.items()}
    left = n - sum(sizes.values())
    for name in sorted(quotas, key=lambda name: (sizes[name] - quotas[name], name))[:left]:
        sizes[name] += 1
    return sizes


def _independent(frame_text: str, seed: str) -> dict[str, Any]:
    """The draw from the canonical text of a frame document, straight from the page."""
    commitment = "sha256:" + hashlib.sha256(frame_text.encode("utf-8")).hexdigest()
    frame = json.loads(frame_text)["data"]
    assert frame["version"] == 2
    params = frame["parameters"]
    ratios = dict(params["stratum_ratios"])
    by_weight = params.get("allocation", "per-stratum") == "proportional-to-weight"
    if by_weight:
        everyone = [
            (s["name"], [Fraction(c["weight"]) for c in s["classes"] for _ in c["units"]])
            for s in frame["strata"]
        ]
        total_n = math.floor(
            Fraction(params["ratio"]) * sum(len(ws) for _, ws in everyone) + Fraction(1, 2)
        )
        shares = _sizes_by_weight(everyone, total_n, 1 if params["min_one_per_stratum"] else 0)
    strata_out, selected = [], []
    for stratum in frame["strata"]:
        name = stratum["name"]
        units = [(code, Fraction(c["weight"])) for c in stratum["classes"] for code in c["units"]]
        ratio = Fraction(ratios.get(name, params["ratio"]))
        if by_weight:
            n = shares[name]
        else:
            n = math.floor(ratio * len(units) + Fraction(1, 2))
            if params["min_one_per_stratum"] and n == 0 and units:
                n = 1
        total = sum(w for _, w in units)
        certain: set[str] = set()
        rest = total
        while rest > 0:
            k = len(certain)
            new = {c for c, w in units if c not in certain and (n - k) * w >= rest}
            if not new:
                break
            certain |= new
            rest -= sum(w for c, w in units if c in new)
        k = len(certain)
        keyed = []
        for code, w in units:
            if code in certain or n == k:
                continue
            lam = (n - k) * w / rest
            h = int.from_bytes(
                hashlib.sha256(_hash_input(commitment, seed, name, code)).digest(), "big"
            )
            p, q = lam.numerator, lam.denominator
            keyed.append(
                (Fraction((2 * h + 1) * (q - p), (2**257 - 2 * h - 1) * p), code, h, w, lam)
            )
        keyed.sort()
        cut = keyed[n - k] if n > k else None
        strata_out.append(
            {
                "name": name,
                "population": len(units),
                "ratio": _fraction(ratio),
                "sample_size": n,
                "certainty": k,
                "weight_total": _fraction(total),
                "residual_weight": _fraction(rest),
                "cutoff": None if cut is None else _fraction(cut[0]),
                "cutoff_unit": None if cut is None else cut[1],
            }
        )
        chosen = [
            {
                "uscc": code,
                "stratum": name,
                "weight": _fraction(w),
                "probability": "1/1",
                "certainty": True,
                "hash": None,
                "key": None,
            }
            for code, w in units
            if code in certain
        ]
        chosen += [
            {
                "uscc": code,
                "stratum": name,
                "weight": _fraction(w),
                "probability": _fraction(lam),
                "certainty": False,
                "hash": h.to_bytes(32, "big").hex(),
                "key": _fraction(key),
            }
            for key, code, h, w, lam in keyed[: n - k]
        ]
        selected += sorted(chosen, key=lambda u: u["uscc"])
    return {"strata": strata_out, "selected": selected}


# --- the vectors -----------------------------------------------------------------------------


def _v2_scenarios() -> dict[str, tuple[str, Any, Any, str, dict[str, int], int]]:
    scenarios = {
        name: (description, directory, plan, seed, history, 1)
        for name, (description, directory, plan, seed, history) in v1_scenarios().items()
    }
    _, directory, plan, seed, history, _ = scenarios["weighted"]
    scenarios["round-2-same-seed"] = (
        "Round 2 of the weighted plan drawn with round 1's seed text: under version 2 the "
        "commitment (which fixes the round) is in every hash input, so every unit has a new "
        "hash number and the draw is independent of round 1's.",
        directory,
        plan,
        seed,
        history,
        2,
    )
    scenarios["proportional-to-weight"] = (*proportional_scenario(), 1)
    return scenarios


def _vector(name: str) -> dict[str, Any]:
    description, directory, plan, seed, history, round_ = _v2_scenarios()[name]
    frame = build_frame(directory, plan, TIANJIN_HRSS, history=history, round=round_, version=2)
    return vector_document(name, description, seed, frame)


def _files() -> list[Path]:
    return sorted(VECTORS.glob("*.json"))


def test_the_v2_vectors_are_published() -> None:
    assert {p.stem for p in _files()} == set(_v2_scenarios())


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.stem)
def test_v2_vector(path: Path) -> None:
    vector = json.loads(path.read_text(encoding="utf-8"))
    text = canonical_json(vector["frame"])
    assert "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest() == vector["frame_digest"]
    frame = Frame.from_document(json.loads(text))
    assert frame.version == 2
    assert frame.digest() == vector["frame_digest"]
    record = draw(frame, commit(frame), Seed(value=vector["seed"], source="test vector"))
    assert record.version == 2
    assert unstructure(record.strata) == vector["expected"]["strata"]
    assert unstructure(record.selected) == vector["expected"]["selected"]
    assert _independent(text, vector["seed"]) == vector["expected"]


@pytest.mark.parametrize("name", sorted(_v2_scenarios()))
def test_v2_vectors_still_come_from_their_scenarios(name: str) -> None:
    assert _vector(name) == json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8"))


def test_round_2_with_round_1s_seed_draws_anew() -> None:
    first = json.loads((VECTORS / "weighted.json").read_text(encoding="utf-8"))
    second = json.loads((VECTORS / "round-2-same-seed.json").read_text(encoding="utf-8"))
    assert first["seed"] == second["seed"]
    assert first["frame_digest"] != second["frame_digest"]
    hashes = {u["uscc"]: u["hash"] for u in first["expected"]["selected"]}
    assert all(hashes.get(u["uscc"]) != u["hash"] for u in second["expected"]["selected"])
    drawn = [{u["uscc"] for u in v["expected"]["selected"]} for v in (first, second)]
    assert drawn[0] != drawn[1]


def test_the_byte_example_of_the_page() -> None:
    page = (Path(__file__).resolve().parent.parent / "docs" / "algorithm.md").read_text("utf-8")
    written = b""
    for line in page.splitlines():
        if not line.startswith("00 00 00 "):
            continue
        hexes = line.split('"')[0].split()
        length = int("".join(hexes[:4]), 16)
        body = hexes[4:]
        # The page shortens the run of zeros of the digest with "…".
        if "…" in body:
            at = body.index("…")
            body = body[:at] + [body[at - 1]] * (length - len(body) + 1) + body[at + 1 :]
        assert len(body) == length
        written += bytes.fromhex("".join(hexes[:4] + body))
    commitment = "sha256:" + "0" * 64
    assert written == _hash_input(commitment, "1", "和平区", "91120116MA05L8XH45")
    assert unit_hash(
        "1", "和平区", "91120116MA05L8XH45", version=2, frame_digest=commitment
    ) == int.from_bytes(hashlib.sha256(written).digest(), "big")


def _write() -> None:
    VECTORS.mkdir(parents=True, exist_ok=True)
    for name in _v2_scenarios():
        text = json.dumps(_vector(name), ensure_ascii=False, indent=1, sort_keys=True)
        (VECTORS / f"{name}.json").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    _write()
    sys.exit(0)
