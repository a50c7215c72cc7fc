"""Clustering metrics on hand-computed cases, dataset loaders on the real benchmark files, and the runner."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsloom.core.evaluation.clustering import (
    LabelledDoc,
    ari,
    bcubed,
    evaluate,
    load_dataset,
    nmi,
    pairwise,
    permute_times,
    scores,
)

# true {0,1,2} {3,4}; predicted {0,1} {2,3,4}
TRUE = [0, 0, 0, 1, 1]
PRED = ["a", "a", "b", "b", "b"]


def test_bcubed_hand_case() -> None:
    # precision per item: 1, 1, 1/3, 2/3, 2/3; recall per item: 2/3, 2/3, 1/3, 1, 1
    precision, recall, f1 = bcubed(TRUE, PRED)
    assert precision == pytest.approx(11 / 15)
    assert recall == pytest.approx(11 / 15)
    assert f1 == pytest.approx(11 / 15)


def test_pairwise_hand_case() -> None:
    # together in both: (0,1) and (3,4); predicted pairs 1 + 3; true pairs 3 + 1
    assert pairwise(TRUE, PRED) == pytest.approx((0.5, 0.5, 0.5))


def test_nmi_hand_case() -> None:
    # contingency [[2, 1], [0, 2]] over 5 items; both marginals (0.6, 0.4)
    mi = 0.4 * math.log(0.4 / 0.24) + 0.2 * math.log(0.2 / 0.36) + 0.4 * math.log(0.4 / 0.24)
    entropy = -(0.6 * math.log(0.6) + 0.4 * math.log(0.4))
    assert nmi(TRUE, PRED) == pytest.approx(mi / entropy)


def test_ari_hand_case() -> None:
    # index 2, row pairs 4, column pairs 4, all pairs 10: expected 1.6, maximum 4
    assert ari(TRUE, PRED) == pytest.approx((2 - 1.6) / (4 - 1.6))


def test_identical_partitions_score_one_whatever_the_names() -> None:
    result = scores([1, 1, 2, 3, 3], ["x", "x", "y", "z", "z"])
    assert all(value == pytest.approx(1.0) for value in result.values())


def test_everything_in_one_cluster() -> None:
    precision, recall, _ = bcubed([1, 1, 2, 2], [0, 0, 0, 0])
    assert (precision, recall) == pytest.approx((0.5, 1.0))
    assert nmi([1, 1, 2, 2], [0, 0, 0, 0]) == pytest.approx(0.0)
    assert ari([1, 1, 2, 2], [0, 0, 0, 0]) == pytest.approx(0.0)
    assert pairwise([1, 1, 2, 2], [0, 0, 0, 0])[:2] == pytest.approx((2 / 6, 1.0))


def test_all_singletons_against_pairs() -> None:
    precision, recall, _ = bcubed([1, 1, 2, 2], [1, 2, 3, 4])
    assert (precision, recall) == pytest.approx((1.0, 0.5))
    assert pairwise([1, 1, 2, 2], [1, 2, 3, 4])[1] == 0.0


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError):
        bcubed([1, 2], [1])


def test_load_mmds(benchmarks_dir: Path) -> None:
    docs = load_dataset(benchmarks_dir / "clustering-mmds2025-event-clusters")
    assert len(docs) == 156
    assert len({d.label for d in docs}) == 50
    assert "166" not in {d.label for d in docs}
    assert all(d.published.tzinfo is not None for d in docs)
    assert {d.published.date().isoformat() for d in docs} == {"2022-09-20", "2022-09-22", "2022-10-10"}
    languages = {d.language for d in docs}
    assert {"en", "zh", "ms"} <= languages
    first = next(d for d in docs if d.id == "1")
    assert first.title.startswith("Probation for man")
    assert first.text.startswith("SINGAPORE: A man sexually assaulted")


def test_load_giveme5w1h(benchmarks_dir: Path) -> None:
    docs = load_dataset(benchmarks_dir / "clustering-giveme5w1h-newscluster")
    assert len(docs) == 383
    assert len({d.label for d in docs}) == 69
    assert all(d.text and d.published.tzinfo is not None and d.language == "en" for d in docs)
    assert docs[0].title == "On 3rd Try, South Korea Launches Satellite Into Orbit"
    assert docs[0].source == "www.nytimes.com"


def test_load_uci(benchmarks_dir: Path) -> None:
    docs = load_dataset(benchmarks_dir / "clustering-uci-news-aggregator-subset")
    assert len(docs) == 6366
    assert len({d.label for d in docs}) == 87
    assert all(d.text == "" for d in docs)
    assert docs[0].published == datetime.fromtimestamp(1394470370.698, UTC)
    assert docs[0].source == "Los Angeles Times"


def test_unrecognised_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("nothing here")
    with pytest.raises(ValueError, match="not a recognised clustering dataset"):
        load_dataset(tmp_path)


def test_evaluate_reports_every_figure() -> None:
    when = datetime(2024, 5, 1, 9, tzinfo=UTC)
    docs = [
        LabelledDoc("1", "Volcano erupts on Iceland's Reykjanes peninsula", "Lava flows toward Grindavik.", when,
                    "en", "volcano", None),
        LabelledDoc("2", "Iceland volcano eruption forces Grindavik evacuation", "Lava from the Reykjanes volcano.",
                    when, "en", "volcano", None),
        LabelledDoc("3", "Chess champion wins Candidates tournament in Toronto", "A young grandmaster won.", when,
                    "en", "chess", None),
    ]  # fmt: skip
    result = evaluate(docs)
    expected = {"articles", "clusters_true", "clusters_pred", "bcubed_precision", "bcubed_recall", "bcubed_f1",
                "pairwise_f1", "nmi", "ari"}  # fmt: skip
    assert expected <= set(result)
    assert result["articles"] == 3 and result["clusters_true"] == 2
    assert result["bcubed_f1"] == pytest.approx(1.0)


def test_permute_times_shuffles_times_only() -> None:
    docs = [
        LabelledDoc(str(i), f"title {i}", "", datetime(2024, 1, 1 + i, tzinfo=UTC), "en", str(i % 2), None)
        for i in range(8)
    ]
    permuted = permute_times(docs, seed=3)
    assert [(d.id, d.title, d.label) for d in permuted] == [(d.id, d.title, d.label) for d in docs]
    assert sorted(d.published for d in permuted) == [d.published for d in docs]
    assert [d.published for d in permuted] != [d.published for d in docs]
    assert permute_times(docs, seed=3) == permuted  # deterministic
