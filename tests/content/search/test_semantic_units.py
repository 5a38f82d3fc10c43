"""The encoder interface, fusion and chunking, without a database."""

import os

import numpy as np
import pytest

from content.previews import PAGE_BREAK, _clip
from content.semantic import encoders
from content.semantic.chunking import WINDOW_WORDS, file_pieces
from content.semantic.excerpts import mark_words, split_marked
from content.semantic.fusion import reciprocal_rank_fusion


class TinyEncoder:
    """A fake of the interface: two dimensions, "price" words vs the rest."""

    name = "tiny-2"
    dim = 2

    def encode(self, texts):
        rows = [[1.0, 0.0] if "price" in t else [0.0, 1.0] for t in texts]
        return encoders.normalise(np.array(rows))


def test_the_setting_chooses_the_encoder(settings):
    settings.WINGMAN_SEARCH_ENCODER = "hashing"
    assert encoders.get_encoder().name == "hashing-64"
    settings.WINGMAN_SEARCH_ENCODER = f"{__name__}.TinyEncoder"
    encoder = encoders.get_encoder()
    assert encoder.name == "tiny-2"
    assert encoder is encoders.get_encoder()  # loaded once per process


def test_the_fake_encoder_gives_unit_vectors_near_for_shared_words():
    encoder = encoders.HashingEncoder()
    vectors = encoder.encode(["pricing objection", "the pricing objection", "SSO"])
    assert vectors.shape == (3, encoder.dim)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert np.array_equal(encoder.encode(["pricing objection"])[0], vectors[0])


def test_vectors_round_trip_through_bytes():
    vector = encoders.HashingEncoder().encode(["forecast"])[0]
    assert np.array_equal(encoders.from_bytes(encoders.to_bytes(vector)), vector)


def test_wordllama_loads_from_its_package_without_the_network():
    encoder = encoders.WordLlamaEncoder()
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    vectors = encoder.encode(["customer says we're too expensive", "price too high"])
    assert vectors.shape == (2, 256)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    unrelated = encoder.encode(["onboarding kickoff calendar"])[0]
    assert vectors[0] @ vectors[1] > vectors[0] @ unrelated


def test_reciprocal_rank_fusion_rewards_agreement():
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 1, 4]])
    assert fused[0] == 1  # first and second beats third and first
    assert set(fused) == {1, 2, 3, 4}
    assert fused.index(3) < fused.index(2)


def test_fusion_weights_and_ties():
    assert reciprocal_rank_fusion([[1], [2]], weights=[2.0, 1.0]) == [1, 2]
    assert reciprocal_rank_fusion([[1], [2]]) == [1, 2]  # a tie keeps first seen
    assert reciprocal_rank_fusion([[], []]) == []


def test_extracted_text_keeps_page_breaks_and_empty_pages():
    text = _clip(f"{PAGE_BREAK} cover  \n\n\n body {PAGE_BREAK}{PAGE_BREAK}last\x00")
    assert text.split(PAGE_BREAK) == ["", "cover \n\n body", "", "last"]


def test_file_pieces_remember_their_page_and_cut_long_pages():
    long_page = " ".join(f"w{i}" for i in range(WINDOW_WORDS + 5))
    pieces = file_pieces(f"intro{PAGE_BREAK}{long_page}", page_label="slide")
    assert [(p.page, p.page_label) for p in pieces] == [
        (1, "slide"),
        (2, "slide"),
        (2, "slide"),
    ]
    assert len(pieces[1].text.split()) == WINDOW_WORDS
    assert [p.page for p in file_pieces("one page only", page_label="page")] == [None]
    assert [p.page for p in file_pieces(f"a{PAGE_BREAK}b", page_label="")] == [
        None,
        None,
    ]


@pytest.mark.parametrize(
    ("marked", "parts"),
    [
        ("a \x02b\x03 c", [("a ", False), ("b", True), (" c", False)]),
        ("\x02x\x03", [("x", True)]),
        ("plain", [("plain", False)]),
    ],
)
def test_split_marked(marked, parts):
    assert split_marked(marked) == parts


def test_mark_words_marks_the_query_words_around_the_first_one():
    text = " ".join(["filler"] * 40 + ["Discounts", "need", "a", "longer", "term"])
    marked = mark_words(text, ["disco", "term"])
    assert "\x02Discounts\x03" in marked and "\x02term\x03" in marked
    assert marked.startswith("… ")
