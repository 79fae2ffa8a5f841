"""Properties of terminal-safe output and of padding, for any input (hypothesis)."""

from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from marac_tui.cli.output import safe, safe_json
from marac_tui.store.crypto import MIN_BUCKET, bucket, pad, unpad

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
any_text = st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF), max_size=200)


@given(any_text)
def test_safe_text_holds_no_control_character_and_always_encodes(text: str) -> None:
    shown = safe(text)
    assert CONTROL.search(shown) is None
    shown.encode("utf-8")  # a lone surrogate can no longer make a print raise
    assert "\n" not in shown


@given(any_text)
def test_multi_line_output_keeps_only_its_newlines(text: str) -> None:
    shown = safe(text, keep_newlines=True)
    assert CONTROL.search(shown.replace("\n", "")) is None
    assert shown.count("\n") == text.count("\n")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp")), max_size=200))
def test_ordinary_text_is_shown_exactly(text: str) -> None:
    assert safe(text) == text


@given(any_text)
def test_safe_json_is_still_the_same_json(text: str) -> None:
    dumped = safe_json(json.dumps({"v": text}, ensure_ascii=False, indent=2))
    assert CONTROL.search(dumped.replace("\n", "")) is None
    assert json.loads(dumped) == {"v": text}


@given(st.binary(max_size=5000))
def test_padding_round_trips_to_a_bucket(data: bytes) -> None:
    padded = pad(data)
    assert len(padded) == bucket(len(data) + 4) >= MIN_BUCKET
    assert unpad(padded) == data


@given(st.integers(min_value=0, max_value=8 << 20), st.integers(min_value=0, max_value=8 << 20))
def test_buckets_only_grow_and_are_few(a: int, b: int) -> None:
    small, big = sorted((a, b))
    assert bucket(small) <= bucket(big) and bucket(big) >= big
    assert bucket(big) < 2 * max(big, MIN_BUCKET) or bucket(big) == MIN_BUCKET
