"""The importer on real publications: at least 95% of fields right (issue 13)."""

from .corpus import CORPUS, score_corpus, score_publication

MINIMUM = 0.95


def test_the_corpus_scores_at_least_95_percent_of_fields():
    scores = score_corpus()
    right, total = sum(s.right for s in scores), sum(s.total for s in scores)

    report = [f"{s.name}: {w}" for s in scores for w in s.wrong]
    assert right / total >= MINIMUM, "\n".join(report)


def test_seeds_001_and_004_are_read_entirely_right():
    for name in ("seed_001_register_cleveland_9207", "seed_004_peel_cleveland_2021_22"):
        score = score_publication(CORPUS / f"{name}.json")
        assert score.wrong == [], score.wrong


def test_every_corpus_text_carries_the_licence_line():
    for path in CORPUS.glob("*.txt"):
        assert path.read_text(encoding="utf-8").startswith(
            "# Contains public sector information licensed under the Open Government Licence v3.0"
        ), path.name
