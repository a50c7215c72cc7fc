from __future__ import annotations

import pytest

from newsloom.core.language.detect import LanguageDetector


def test_language_detector() -> None:
    detector = LanguageDetector(["en", "de", "FR", "fr"])
    assert detector.languages == ("de", "en", "fr")
    assert detector.detect("The government announced new measures on Tuesday to fight rising prices.") == "en"
    assert detector.detect("Die Regierung hat am Dienstag neue Maßnahmen gegen steigende Preise angekündigt.") == "de"
    assert detector.detect("Le gouvernement a annoncé mardi de nouvelles mesures contre la hausse des prix.") == "fr"
    assert detector.detect("ok") is None
    assert detector.detect("12345 67890 !!!") is None


def test_language_detector_is_built_once() -> None:
    assert LanguageDetector(["en", "de"])._detector is LanguageDetector(["de", "en"])._detector


def test_language_detector_rejects_unknown_codes() -> None:
    with pytest.raises(ValueError):
        LanguageDetector(["xx"])
    with pytest.raises(ValueError):
        LanguageDetector([])
