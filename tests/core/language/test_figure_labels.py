"""Figures are labelled by what they count or measure, in the words of their sentence; what counts nothing is left
out. The labels the story page showed before: "number shortly: 5.8 metres", "number torrential rain: 3 days",
"centres hygiene kits: 4", "forced: up to £2,000", "early trading: 1.4%"."""

from __future__ import annotations

import pytest

from newsloom.core.language.figures import find_figures


def labels(sentence: str) -> dict[str, str]:
    return {figure.display: figure.label for figure in find_figures(sentence, 1)}


@pytest.mark.parametrize(
    ("sentence", "display", "wanted"),
    [
        (
            "Water levels at the Ashbury gauge peaked at 5.8 metres shortly after 2am.",
            "5.8 metres",
            "water levels at the Ashbury gauge",
        ),
        ("The river burst its banks following three days of torrential rain.", "3 days", "torrential rain"),
        (
            "The Red Cross said it had delivered 900 blankets and hygiene kits to the four rest centres.",
            "900",
            "blankets and hygiene kits delivered",
        ),
        ("Harrowdale county council opened four rest centres in schools.", "4", "rest centres opened"),
        (
            "Insurers promised emergency payments of up to 2,000 pounds to households forced to leave.",
            "up to £2,000",
            "emergency payments",
        ),
        ("Shares in Harrow Mutual fell 1.4 per cent in early trading.", "1.4%", "shares in Harrow Mutual fell"),
        ("More than 3,000 people were evacuated from their homes overnight.", "more than 3,000", "people evacuated"),
        ("No deaths have been reported, but two people were taken to hospital.", "2", "people taken to hospital"),
        ("The company expects the recall to cost about 85 million dollars.", "about $85 million", "cost of the recall"),
        ("The man said that the well was about 40 metres deep.", "about 40 metres", "depth of the well"),
        ("The union is seeking a 9 percent pay increase.", "9%", "pay increase"),
        ("Police have offered a reward of 250,000 euros for information.", "€250,000", "reward"),
    ],
)
def test_a_figure_is_labelled_by_what_it_counts_or_measures(sentence: str, display: str, wanted: str) -> None:
    assert labels(sentence)[display] == wanted


@pytest.mark.parametrize(
    "sentence",
    [
        "The 29-year-old flung himself to his left to palm away the header.",
        "Brightvolt is recalling PulsePack 20 power banks.",
        "The probe lifted off at 04:12 local time.",
        "The committee's next decision is due in seven weeks.",
        "The tightening cycle began 14 months ago.",
        "Port Sorrel beat Kestrel Athletic 2-1 after extra time.",
    ],
)
def test_what_counts_nothing_is_not_a_fact(sentence: str) -> None:
    assert find_figures(sentence, 1) == []
