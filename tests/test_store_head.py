"""The index head: the home screen's first page read without the whole index. `Store.newest` is
either None (then the home screen reads the whole list) or exactly the start of `Store.list`."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marac_tui.store import Store
from marac_tui.store import index as index_module
from marac_tui.store.files import atomic_write
from marac_tui.store.health import check
from marac_tui.submission import Answer, CaseHeader, FlowRef, Submission

PASS = "alder-stile-58"
START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def make(n: int, minutes: int) -> Submission:
    when = START + timedelta(minutes=minutes)
    submission = Submission(flow=FlowRef(name="police", version="1"), created_at=when, updated_at=when,
                            header=CaseHeader(case_ref=f"MC-2026-{n:04d}", representative="DC Ines Marlow"))  # fmt: skip
    submission.perpetrators[0].answers["full_name"] = Answer(value=f"Tobin Warrell {n}")
    return submission


def ids(summaries: list) -> list[str]:  # noqa: ANN001
    return [s.id for s in summaries]


def assert_a_true_first_page(store: Store) -> list | None:  # noqa: ANN001
    first = store.newest()
    if first is not None:
        whole = store.list()
        assert ids(first) == ids(whole[: len(first)])
        assert first == whole[: len(first)]  # every field, not only the order
    return first


def folded(root: Path, count: int, head_rows: int, monkeypatch: pytest.MonkeyPatch, passphrase: str | None = None) -> Store:
    monkeypatch.setattr(index_module, "HEAD_ROWS", head_rows)
    store = Store.init(root, passphrase)
    for n in range(count):
        store.save(make(n, n))
    store.index.rebuild(store.index.rows(), store.index.versions())  # a fold, as a full log makes
    return store


def test_after_a_fold_the_first_page_is_the_newest_rows_without_the_snapshot(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = folded(data_dir, 30, 8, monkeypatch)
    newer = make(99, 100)
    store.save(newer)  # in the log only
    first = assert_a_true_first_page(store)
    assert first is not None and first[0].case_ref == "MC-2026-0099"
    assert len(first) == 8  # the log's row and the head's 8 less its oldest (rows as old may be left out)
    real_read = index_module.Index._read
    monkeypatch.setattr(index_module.Index, "_read", lambda self: pytest.fail("the snapshot was read"))
    assert ids(store.newest() or []) == ids(first)
    monkeypatch.setattr(index_module.Index, "_read", real_read)


def test_a_store_never_folded_has_its_whole_list_as_the_first_page(data_dir: Path) -> None:
    store = Store(data_dir)
    for n in range(5):
        store.save(make(n, n))
    assert not store.index.snapshot.exists() and not store.index.head.exists()
    assert ids(store.newest() or []) == ids(store.list())


def test_a_head_that_does_not_describe_the_snapshot_is_not_used(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = folded(data_dir, 12, 4, monkeypatch)
    assert store.newest()
    # an earlier version folds the index: a new snapshot, the head left as it was
    atomic_write(store.index.snapshot, store.index.snapshot.read_bytes())
    assert store.newest() is None
    store.index.head.unlink()  # a fold killed between removing the old head and writing the new one
    assert store.newest() is None
    assert len(store.list()) == 12


def test_a_damaged_head_is_not_used_and_doctor_rebuilds_it(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = folded(data_dir, 12, 4, monkeypatch)
    store.index.head.write_bytes(b'{"rows": [["trunc')
    assert store.newest() is None
    assert len(store.list()) == 12
    findings = check(store, repair=True)
    assert [f.kind for f in findings] == ["index"] and findings[0].repaired and "index.head" in findings[0].message
    assert check(store) == [] and assert_a_true_first_page(store)


def test_a_row_older_than_its_file_sends_the_home_screen_to_the_whole_list(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = folded(data_dir, 6, 4, monkeypatch)
    newest = store.list()[0]
    submission = store.load(newest.id)
    submission.header.case_ref = "MC-2026-CHANGED"
    monkeypatch.setattr(store.index, "put", lambda *a, **k: None)  # killed between the file and its row
    store.save(submission)
    assert store.newest() is None
    assert store.list()[0].case_ref == "MC-2026-CHANGED"


def test_a_deleted_submission_is_in_no_first_page_and_its_row_leaves_the_head(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = folded(data_dir, 10, 4, monkeypatch)
    gone = store.list()[0]
    assert b"MC-2026-0009" in store.index.head.read_bytes()
    store.delete(gone.id)
    assert gone.id not in ids(assert_a_true_first_page(store) or [])
    assert b"MC-2026-0009" not in store.index.head.read_bytes() and b"Tobin Warrell 9" not in store.index.head.read_bytes()


def test_an_encrypted_head_is_sealed_and_padded_and_gives_the_same_page(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = folded(data_dir, 10, 4, monkeypatch, PASS)
    raw = store.index.head.read_bytes()
    assert b"MC-2026" not in raw and b"Tobin" not in raw and raw.startswith(b"MTE2")
    first = assert_a_true_first_page(Store(data_dir, PASS))
    assert first is not None and first[0].case_ref == "MC-2026-0009"


# --- the property: whatever happened, the first page is never wrong ------------------------------

OPS = st.lists(
    st.one_of(
        st.tuples(st.just("new"), st.integers(0, 400)),
        st.tuples(st.just("change"), st.integers(0, 400)),  # an existing one (by position), at a new time
        st.tuples(st.just("delete"), st.integers(0, 400)),
        st.tuples(st.just("fold"), st.just(0)),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS, head_rows=st.integers(1, 5), compact=st.sampled_from([600, 1500, 1 << 20]))
def test_the_first_page_is_never_wrong(tmp_path_factory: pytest.TempPathFactory, ops: list[tuple[str, int]],
                                       head_rows: int, compact: int) -> None:  # fmt: skip
    root = tmp_path_factory.mktemp("store")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_module, "HEAD_ROWS", head_rows)
        patch.setattr(index_module, "COMPACT_BYTES", compact)  # folds as the log fills, at random points
        store = Store(root)
        kept: list[Submission] = []
        for step, (op, at) in enumerate(ops):
            if op == "new":
                submission = make(step, at)
                kept.append(submission)
                store.save(submission)
            elif op == "change" and kept:
                submission = kept[at % len(kept)]
                submission.updated_at = START + timedelta(minutes=at, seconds=step)
                store.save(submission)
            elif op == "delete" and kept:
                store.delete(str(kept.pop(at % len(kept)).id))
            elif op == "fold":
                store.index.rebuild(store.index.rows(), store.index.versions())
            assert_a_true_first_page(store)
        assert sorted(ids(store.list())) == sorted(str(s.id) for s in kept)


def test_a_deletion_cut_short_before_the_new_head_leaves_no_head_holding_it(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = folded(data_dir, 10, 4, monkeypatch)
    gone = store.list()[0]
    real = index_module.atomic_write

    def killed_at_the_head(path: Path, data: bytes, backup: Path | None = None) -> None:
        if path == store.index.head:
            raise OSError(28, "No space left on device")
        real(path, data, backup)

    monkeypatch.setattr(index_module, "atomic_write", killed_at_the_head)
    with pytest.raises(OSError):
        store.index.drop([gone.id])
    assert not store.index.head.exists()  # not the old head, which still named the deleted case
    assert store.newest() is None
