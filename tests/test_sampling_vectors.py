"""The published test vectors in ``docs/test-vectors/`` (see ``docs/algorithm.md``).

Each vector holds a frame document, its digest, a seed and the expected per-stratum results
and drawn units. The test re-derives everything twice: with randcheck, and with a small
independent implementation of ``docs/algorithm.md`` that uses only ``hashlib``, ``json`` and
``fractions`` — what someone re-implementing the draw in another language would write.

Run ``python tests/test_sampling_vectors.py`` to rewrite the vectors (only when the algorithm
version changes: published vectors must not move).
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from _vectors import scenarios, vector_document
from randcheck.canonical import canonical_json, unstructure
from randcheck.profiles import TIANJIN_HRSS
from randcheck.sampling import Frame, Seed, build_frame, commit, draw

VECTORS = Path(__file__).resolve().parent.parent / "docs" / "test-vectors"


# --- an independent implementation of docs/algorithm.md ------------------------------------


def _field(text: str) -> bytes:
    data = text.encode("utf-8")
    return len(data).to_bytes(4, "big") + data


def _hash(seed: str, stratum: str, code: str) -> int:
    data = b"".join(_field(f) for f in ("randcheck-draw-v1", "draw", seed, stratum, code))
    return int.from_bytes(hashlib.sha256(data).digest(), "big")


def _independent(frame: dict[str, Any], seed: str) -> dict[str, Any]:
    """The draw from the frame document's data, straight from the specification."""
    params = frame["parameters"]
    ratios = dict(params["stratum_ratios"])
    strata_out, selected = [], []
    for stratum in frame["strata"]:
        name = stratum["name"]
        units = [(code, Fraction(c["weight"])) for c in stratum["classes"] for code in c["units"]]
        big_n = len(units)
        ratio = Fraction(ratios.get(name, params["ratio"]))
        n = math.floor(ratio * big_n + Fraction(1, 2))
        if params["min_one_per_stratum"] and n == 0 and big_n > 0:
            n = 1
        total = sum(w for _, w in units)
        certain: set[str] = set()
        rest = total
        while True:
            k = len(certain)
            new = {c for c, w in units if c not in certain and rest > 0 and (n - k) * w >= rest}
            if not new:
                break
            certain |= new
            rest -= sum(w for c, w in units if c in new)
        k = len(certain)
        keyed = []
        for code, w in units:
            if code in certain or n - k == 0:
                continue
            lam = (n - k) * w / rest
            h = _hash(seed, name, code)
            p, q = lam.numerator, lam.denominator
            key = Fraction((2 * h + 1) * (q - p), (2**257 - 2 * h - 1) * p)
            keyed.append((key, code, h, w, lam))
        keyed.sort()
        cut = keyed[n - k] if n - k > 0 else None
        strata_out.append(
            {
                "name": name,
                "population": big_n,
                "ratio": f"{ratio.numerator}/{ratio.denominator}",
                "sample_size": n,
                "certainty": k,
                "weight_total": f"{total.numerator}/{total.denominator}",
                "residual_weight": f"{rest.numerator}/{rest.denominator}",
                "cutoff": None if cut is None else f"{cut[0].numerator}/{cut[0].denominator}",
                "cutoff_unit": None if cut is None else cut[1],
            }
        )
        chosen = [
            {
                "uscc": code,
                "stratum": name,
                "weight": f"{w.numerator}/{w.denominator}",
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
                "weight": f"{w.numerator}/{w.denominator}",
                "probability": f"{lam.numerator}/{lam.denominator}",
                "certainty": False,
                "hash": h.to_bytes(32, "big").hex(),
                "key": f"{key.numerator}/{key.denominator}",
            }
            for key, code, h, w, lam in keyed[: n - k]
        ]
        selected += sorted(chosen, key=lambda u: u["uscc"])
    return {"strata": strata_out, "selected": selected}


# --- the vectors -----------------------------------------------------------------------------


def _vector(name: str) -> dict[str, Any]:
    description, directory, plan, seed, history = scenarios()[name]
    frame = build_frame(directory, plan, TIANJIN_HRSS, history=history, version=1)
    return vector_document(name, description, seed, frame)


def _files() -> list[Path]:
    return sorted(VECTORS.glob("*.json"))


def test_the_vectors_are_published() -> None:
    assert {p.stem for p in _files()} == set(scenarios())


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.stem)
def test_vector(path: Path) -> None:
    vector = json.loads(path.read_text(encoding="utf-8"))
    canonical = canonical_json(vector["frame"])
    digest = "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert digest == vector["frame_digest"]

    frame = Frame.from_document(json.loads(canonical))
    assert frame.digest() == vector["frame_digest"]
    record = draw(frame, commit(frame), Seed(value=vector["seed"], source="test vector"))
    assert unstructure(record.strata) == vector["expected"]["strata"]
    assert unstructure(record.selected) == vector["expected"]["selected"]
    assert _independent(vector["frame"]["data"], vector["seed"]) == vector["expected"]


@pytest.mark.parametrize("name", sorted(scenarios()))
def test_vectors_still_come_from_their_scenarios(name: str) -> None:
    assert _vector(name) == json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8"))


def _write() -> None:
    VECTORS.mkdir(parents=True, exist_ok=True)
    for name in scenarios():
        text = json.dumps(_vector(name), ensure_ascii=False, indent=1, sort_keys=True)
        (VECTORS / f"{name}.json").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    _write()
    sys.exit(0)
