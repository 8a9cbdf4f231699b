"""The one verification result: differences with paths and bilingual messages, masked."""

from __future__ import annotations

import pytest

from _builders import resident_id
from randcheck.errors import ValidationError
from randcheck.privacy import find_unmasked_personal_data, mask_resident_id
from randcheck.text import Text
from randcheck.verification import Difference, DrawVerification, Verification

RID = resident_id("12010119900101123")
MESSAGE = Text(zh="成员不同", en="the members differ")


def test_a_difference_reads_path_message_re_run_and_record() -> None:
    difference = Difference(path="teams[X].members", expected="A, B", got="A, C", message=MESSAGE)
    assert str(difference) == (
        "teams[X].members: 成员不同 / the members differ (重新推导 re-run: A, B; 记录 record: A, C)"
    )


def test_a_side_without_a_value_reads_none_not_python_s_none() -> None:
    difference = Difference(
        path="selected", expected="91120110000000289N", got=None, message=MESSAGE
    )
    assert str(difference).endswith("(重新推导 re-run: 91120110000000289N; 记录 record: 无 none)")


def test_a_difference_masks_identity_and_mobile_numbers() -> None:
    difference = Difference(
        path="replacements[0].incoming",
        expected=f"{RID}, TJ-1",
        got="13812345678",
        message=Text(zh=f"{RID} 不在组内", en=f"{RID} is not in the team"),
    )
    shown = str(difference)
    assert find_unmasked_personal_data(shown) == []
    assert difference.expected == f"{mask_resident_id(RID)}, TJ-1"
    assert difference.got == "138****5678"
    assert mask_resident_id(RID) in difference.message.zh


def test_a_difference_needs_a_path_and_a_text_message() -> None:
    with pytest.raises(ValidationError):
        Difference(path="", expected=None, got=None, message=MESSAGE)
    with pytest.raises(ValidationError):
        Difference(path="seed", expected=None, got=None, message="text")  # type: ignore[arg-type]


def test_a_verification_is_ok_and_truthy_without_differences() -> None:
    clean = Verification(kind="dispatch-record", digest="sha256:00")
    assert clean.ok
    assert clean
    assert clean.paths() == ()
    assert str(clean.summary()).startswith("调派记录核验一致 / the dispatch record verifies")
    found = Verification(
        kind="dispatch-record",
        digest="sha256:00",
        differences=[Difference(path="load_cap", expected="1", got="2", message=MESSAGE)],
    )
    assert not found.ok
    assert not found
    assert found.paths() == ("load_cap",)
    assert found.summary().en.endswith("1 difference(s), first load_cap")


def test_a_draw_verification_is_a_verification_with_the_frame_digest() -> None:
    result = DrawVerification(kind="draw-record", digest="sha256:01", frame_digest="sha256:02")
    assert isinstance(result, Verification)
    assert result.frame_digest == "sha256:02"
    assert str(result.summary()) == (
        "抽取结果核验一致 / the draw record verifies: re-running the draw gives it exactly"
    )


def test_the_deprecated_names_warn_and_still_answer() -> None:
    difference = Difference(path="seed", expected="1", got="2", message=MESSAGE)
    result = DrawVerification(
        kind="draw-record", digest="sha256:01", frame_digest="", differences=[difference]
    )
    with pytest.warns(DeprecationWarning, match="Difference.path"):
        assert difference.field == "seed"
    with pytest.warns(DeprecationWarning, match=r"paths\(\)"):
        assert result.fields() == ("seed",)
    with pytest.warns(DeprecationWarning, match="digest"):
        assert result.record_digest == "sha256:01"
