"""Which language a text is in, among the configured ones (lingua)."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from lingua import IsoCode639_1, LanguageDetectorBuilder
from lingua import LanguageDetector as _LinguaDetector

_DETECTORS: dict[tuple[str, ...], _LinguaDetector] = {}
_DETECTORS_LOCK = threading.Lock()


def _lingua_detector(codes: tuple[str, ...]) -> _LinguaDetector:
    with _DETECTORS_LOCK:
        detector = _DETECTORS.get(codes)
        if detector is None:
            isos = [IsoCode639_1.from_str(code) for code in codes]
            detector = LanguageDetectorBuilder.from_iso_codes_639_1(*isos).with_minimum_relative_distance(0.1).build()
            _DETECTORS[codes] = detector
        return detector


class LanguageDetector:
    """Language of a text among the configured ISO 639-1 codes, or None when unsure.

    The underlying lingua detector is built once per set of languages (module-level cache) and its models load on
    first use; only a bounded prefix of the text is examined.
    """

    prefix_chars = 1200
    min_letters = 20

    def __init__(self, languages: Sequence[str]) -> None:
        codes = tuple(sorted({code.strip().lower()[:2] for code in languages if code.strip()}))
        if not codes:
            raise ValueError("LanguageDetector needs at least one language code")
        for code in codes:
            try:
                IsoCode639_1.from_str(code)
            except ValueError as error:
                raise ValueError(f"unknown ISO 639-1 language code: {code!r}") from error
        self.languages = codes
        self._detector = _lingua_detector(codes) if len(codes) > 1 else None

    def detect(self, text: str) -> str | None:
        sample = text[: self.prefix_chars]
        if sum(char.isalpha() for char in sample) < self.min_letters:
            return None
        if self._detector is None:
            return self.languages[0]
        language = self._detector.detect_language_of(sample)
        if language is None:
            return None
        return language.iso_code_639_1.name.lower()
