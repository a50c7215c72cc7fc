"""Sentence alignment and the text fingerprints it works on."""

from __future__ import annotations

from newsloom.core.grouping.alignment import SentenceKeys, align
from newsloom.core.grouping.shingles import read_text, shingle_hashes

SENTENCES = [
    "The council approved the plan to extend the tram line to the university campus on Monday evening.",
    "Supporters say the extension will cut commuting times for thousands of students every single day.",
    "Construction is expected to start next spring and to take about three years to complete.",
    "The project will be paid for by regional grants and a bond issue approved last year.",
    "Local shops along the route asked for compensation during the months of building work.",
]


def sentences(*texts: str):  # type: ignore[no-untyped-def]
    return read_text("\n".join(texts)).sentences


def test_a_cut_copy_with_words_swapped_aligns_sentence_by_sentence() -> None:
    copy = [s.replace("approved", "passed").replace("about", "around") for s in SENTENCES[:3]]

    result = align(sentences(*copy), sentences(*SENTENCES))

    assert result.sentences == 3 and result.share == 1.0 and result.first == 0
    assert 0.7 < result.bigrams < 1.0
    assert result.density == 1.0  # the three sentences are the longer text's first three


def test_the_shorter_text_is_aligned_against_the_longer_whichever_comes_first() -> None:
    short, long = sentences(*SENTENCES[:2]), sentences(*SENTENCES)

    assert align(short, long) == align(long, short)


def test_sentences_out_of_order_are_not_one_chain() -> None:
    result = align(sentences(*reversed(SENTENCES)), sentences(*SENTENCES))

    assert result.sentences == 1


def test_a_sentence_the_other_outlet_split_in_two_or_joined_still_aligns() -> None:
    joined = SENTENCES[0].rstrip(".") + ", and " + SENTENCES[1][0].lower() + SENTENCES[1][1:]

    split, one = sentences(*SENTENCES[:3]), sentences(joined, SENTENCES[2])
    longer = sentences(joined, *SENTENCES[2:])  # the joined text as the longer one

    assert align(split, one).share == 1.0  # each half found inside the joined sentence
    result = align(split, longer)
    assert result.share == 1.0 and result.sentences == 3 and result.bigrams > 0.9
    shorter = sentences(joined.replace("Monday evening", "Monday"))
    result = align(shorter, sentences(*SENTENCES))  # the joined sentence found in two adjacent ones
    assert result.sentences == 1 and result.share == 1.0 and result.density == 1.0


def test_own_sentences_between_the_aligned_ones_lower_the_density() -> None:
    own = "Our correspondent spent the whole afternoon speaking to angry residents of the northern districts."
    interleaved = [SENTENCES[0], own, SENTENCES[1], own.replace("northern", "southern"), SENTENCES[2]]

    result = align(sentences(*SENTENCES[:3]), sentences(*interleaved))

    assert result.share == 1.0 and 0.5 < result.density < 0.7


def test_quotations_embedded_posts_and_captions_are_not_sentences_of_the_text() -> None:
    quoted = "“We will build it on time and on budget, whatever the critics say about it,” the mayor said."
    post = "Big day for the city: the tram is coming! — Jane Doe (@janedoe) March 4, 2024"
    caption = "Commuters wait at a tram stop in the city centre. (AP Photo/John Smith)"

    hashes = read_text("\n".join([quoted, post, caption, SENTENCES[0]]))

    assert len(hashes.sentences) == 1
    assert hashes.unquoted.size < hashes.shingles.size
    assert set(hashes.unquoted.tolist()) <= set(hashes.shingles.tolist())
    assert hashes.shingles.tolist() == shingle_hashes("\n".join([quoted, post, caption, SENTENCES[0]])).tolist()


def test_sentence_keys_propose_texts_sharing_two_near_identical_sentences() -> None:
    keys = SentenceKeys()
    keys.add("copy", sentences(*SENTENCES))
    keys.add("other", sentences("Completely different words about the weather and the football results today."))

    assert keys.query(sentences(SENTENCES[1], SENTENCES[3])) == {"copy"}
    assert keys.query(sentences(SENTENCES[1])) == set()  # one shared sentence is not enough
    keys.remove("copy")
    assert keys.query(sentences(SENTENCES[1], SENTENCES[3])) == set()
