"""The demo data, typed by hand from the seeds, says what the importer reads from them."""

from recommendations.demo import content as demo
from recommendations.importing import parse_publication
from recommendations.importing.structure import (
    AREA_FOR_IMPROVEMENT,
    CAUSE_OF_CONCERN,
    RECOMMENDATION,
)

from .conftest import read_fixture


def _texts(publication, kind):
    return [item.text.rstrip(".") for item in publication.items if item.kind == kind]


def _stripped(texts):
    return [text.rstrip(".") for text in texts]


def test_peel_2021_22_demo_is_what_the_importer_reads():
    publication = parse_publication(read_fixture("peel_cleveland_2021_22.txt"))

    assert [(g.area, g.grade) for g in publication.grades] == demo.PEEL_2122_JUDGMENTS
    assert _texts(publication, CAUSE_OF_CONCERN) == _stripped(
        [demo.PEEL_2122_PREVENTION_CONCERN, demo.PEEL_2122_EFFICIENCY_CONCERN]
    )
    assert _texts(publication, RECOMMENDATION) == _stripped(
        demo.PEEL_2122_PREVENTION_RECOMMENDATIONS + demo.PEEL_2122_EFFICIENCY_RECOMMENDATIONS
    )
    assert _texts(publication, AREA_FOR_IMPROVEMENT) == _stripped(
        demo.PEEL_2122_AREAS_FOR_IMPROVEMENT
    )


def test_crime_data_integrity_demo_is_what_the_importer_reads():
    publication = parse_publication(read_fixture("register_cleveland_2018_9207.txt"))

    assert publication.title == demo.CDI_TITLE
    assert publication.references == [demo.CDI_REFERENCE]
    assert _texts(publication, CAUSE_OF_CONCERN) == _stripped([demo.CDI_CAUSE_OF_CONCERN])
    assert _texts(publication, RECOMMENDATION) == _stripped(demo.CDI_RECOMMENDATIONS)
