"""Finding causes of concern, recommendations and areas for improvement.

Reads the blocks of ``text.build_blocks`` in order, as an inspector reads the report: a heading
opens a section, and each section has its own idea of which paragraphs are findings and which
are the narrative that explains them.
"""

import re
from dataclasses import dataclass

from recommendations.deadlines import DeadlineLead

from .errors import PublicationParseError
from .grades import (
    NAME,
    area_name,
    bullet_grade_of,
    grades_of,
    list_lead_grade,
    paragraph_grades,
)
from .leadins import (
    DEADLINE_OPENING,
    EXPLAINS,
    LEAD_DEADLINE,
    LIST_POINT_END,
    MODAL,
    PREAMBLE,
    RECOMMEND,
    RECOMMENDATION_START,
    RECOMMENDED_LEAD,
    LeadIn,
    introducing,
    lead_in_prefix,
    point_text,
    recommends_with_deadline,
    rewrite_inline,
    split_inline,
)
from .limits import MAX_FINDINGS, TOO_MANY_FINDINGS, check_time
from .structure import AREA_FOR_IMPROVEMENT, CAUSE_OF_CONCERN, RECOMMENDATION, Grade
from .text import (
    HEADING_AREA,
    HEADING_CAUSE,
    HEADING_END,
    HEADING_RECOMMENDATIONS,
    Block,
    clean_point,
    first_sentence,
)

# Subject then modal, as an area for improvement is phrased.
_AREA_START = re.compile(
    rf"^(?:(?:The|This|That)\s+(?:force|service|constabulary|brigade|organisation|authority)"
    rf"|Forces|Services|Chief\s+(?:constables|fire\s+officers)|It|{NAME})"
    r"(?:\s+(?:also|still|further|now))?\s+(?:should|must|needs?\s+to|has\s+to|could)\b"
)
# Rule "area statement": inside an area-for-improvement box, a paragraph that opens with the
# organisation and "should"/"needs to" is a statement, even after narrative.
_AREA_STATEMENT = re.compile(
    rf"^(?:(?:The|This)\s+(?:force|service|constabulary|brigade|organisation|authority)|{NAME})"
    r"(?:\s+(?:also|still|further|now))?\s+(?:should|must|needs?\s+to)\b"
)
_NOT_A_SUBJECT = re.compile(r"^(?:We|It|This|That|These|Those|There|They|Our|In|If|As)\b")
# Rule "quoted cause": a letter quotes the cause of concern its recommendations answer, after
# "Our inspection found:", just before "We made the following recommendations:".
_FOUND = re.compile(r"^(?:our\s+(?:inspection|revisit)|we)\s+(?:also\s+)?found\s*:$", re.I)
_QUOTE_MARKS = "\"\u201c\u201d\u2018\u2019'"
# Rule "announced cause": outside any heading, "HMICFRS has (therefore) issued an accelerated
# cause of concern to ..." opens a cause of concern; the recommendations after it answer it.
# A press release says it in passing: "This is a cause of concern in relation to ...".
_ANNOUNCED_CAUSE = re.compile(
    r"\b(?:(?:has|have)\s+(?:therefore\s+|now\s+)?(?:issued|identified)|(?:this|that)\s+is)"
    r"\s+an?\s+(?:new\s+)?(?:accelerated\s+)?cause\s+of\s+concern\b",
    re.IGNORECASE,
)
# Rule "listed causes": a lead-in that says causes of concern were identified or issued, its
# points below it ("we identified two accelerated causes of concern, which were that the force:"),
# makes each point a cause of concern.
_LISTED_CAUSES = re.compile(
    r"\b(?:identified|issued)\s+(?:\w+\s+){0,3}?causes?\s+of\s+concern\b", re.IGNORECASE
)
_CAUSE_SUBJECT = re.compile(
    r"\b((?:the|this)\s+(?:force|service|constabulary|brigade))\s*:$", re.IGNORECASE
)
# Rule "headline": a line with no closing punctuation (a page's headline) states no finding.
_SENTENCE_END = (".", ":", ";", "!", "?", ")")
EMPTY_HEADING = (
    "Nothing was found under the heading \u201c{heading}\u201d. Check the text, and add what it "
    "sets out there."
)

# Rule "headingless recommendation": outside any heading, only a paragraph that opens with its
# deadline, or whose subject is the organisation (or "we recommend"), recommends.
_HEADINGLESS = re.compile(
    rf"^(?i:{PREAMBLE}(?:{DEADLINE_OPENING}|we\s+recommend|(?:(?:the|this|each|every|all)\s+)?"
    r"(?:force|service|constabulary|brigade|forces|services|chief\s+(?:constables?|fire\s+officers?)"
    rf"|police\s+forces)\b))|^{NAME}\s+(?:should|must|is\s+to|needs?\s+to)"
)
# A report's summary repeats its findings, and repeats are dropped later; far more than that is
# not one publication, and each finding may repeat a lead-in, so stop reading early.
_MAX_READ_FINDINGS = 5 * MAX_FINDINGS


@dataclass
class RawItem:
    """A finding before references, due dates and history are attached.

    Text is kept as pieces, joined once at the end, so long lists cost linear time. A point
    of a lead-in keeps the lead-in apart (``deadline_lead``), read once for all its points.
    """

    kind: str
    parent: int | None
    pieces: list[str]
    deadline_pieces: list[str]  # the words that state its deadline; none for no deadline
    deadline_lead: DeadlineLead | None = None  # the lead-in that goes before them

    @property
    def text(self) -> str:
        return " ".join(self.pieces)

    @property
    def deadline_text(self) -> str:
        return " ".join(self.deadline_pieces)

    def extend(self, text: str) -> None:
        self.pieces.append(text)
        if self.deadline_pieces:
            self.deadline_pieces.append(text)


class _Reader:
    """The state of reading one text: which section we are in and what is open in it."""

    def __init__(self, blocks: list[Block], *, recommendations_first: bool) -> None:
        self.blocks = blocks
        self.items: list[RawItem] = []
        self.grades: list[Grade] = []
        self.section: str | None = HEADING_RECOMMENDATIONS if recommendations_first else None
        self.cause: int | None = None  # index of the open cause of concern
        self.in_concern = False  # still reading the cause of concern's own text
        self.lead_in: LeadIn | None = None
        self.open_item: int | None = None  # recommendation that takes sub-points
        self.open_marker: str | None = None
        self.fresh = recommendations_first  # no narrative since the recommendations began
        self.narrative: list[str] = []
        self.area_first = False
        # What each area of a bulleted list repeats of its lead-in ("" for nothing); None
        # when no list is open.
        self.area_list: str | None = None
        self.last_was_area = False
        self.warnings: list[str] = []
        self.heading_text = ""  # the open heading, warned about if nothing is found under it
        self.heading_items = 0
        # An area-for-improvement box whose statement the PDF put after "Main findings".
        self.pending_area = ""
        self.headingless = False  # reading recommendations that no heading introduced
        self.grade_list: str | None = None  # the grade of an open "It requires improvement to:"
        self.recent: list[str] = []  # the last paragraphs read outside any section
        self.cause_list: str | None = None  # the subject each listed cause repeats
        # Causes announced in prose are read only where no heading sets causes out, so a
        # report's summary ("we have identified a cause of concern") does not repeat its own.
        self.prose_causes = not any(
            b.kind == "heading" and b.heading == HEADING_CAUSE for b in blocks
        )

    # -- sections -------------------------------------------------------------------------

    def _close(self) -> None:
        self.section = None
        self.headingless = False
        self.cause = None
        self.in_concern = False
        self.lead_in = None
        self.open_item = None
        self.fresh = False
        self.narrative = []

    def _empty_heading(self, closing: str | None) -> None:
        """Rule "empty heading": a heading with nothing found under it is a warning, unless it
        is an area box closed by "Main findings", whose statement may come later."""
        heading, self.heading_text = self.heading_text, ""
        if not heading or len(self.items) > self.heading_items:
            return
        if self.section == HEADING_AREA and closing == HEADING_END:
            self.pending_area = heading
        else:
            self.warnings.append(EMPTY_HEADING.format(heading=heading[:80]))

    def _pending_statement(self, block: Block) -> bool:
        """Rule "out-of-order box": the first unpunctuated statement after the box is its own."""
        text = block.text
        if block.kind != "text" or not _AREA_STATEMENT.match(text) or _NOT_A_SUBJECT.match(text):
            return False
        statement, more = first_sentence(text)
        if more or statement.endswith((".", ":", "!", "?")):
            return False
        self._add(AREA_FOR_IMPROVEMENT, statement)
        self.pending_area = ""
        return True

    def _quoted_cause(self) -> bool:
        """Rule "quoted cause": the quotation before the recommendations is their cause."""
        if len(self.recent) < 2 or not _FOUND.match(self.recent[-2]):
            return False
        quoted = self.recent[-1]
        if quoted[:1] not in _QUOTE_MARKS:
            return False
        self._add_cause(quoted.strip(_QUOTE_MARKS + " "))
        return True

    def _listed_cause(self, block: Block, following: Block | None) -> bool:
        """Rule "listed causes": each point under "...identified two causes of concern:"."""
        if block.kind == "bullet" and self.cause_list is not None:
            self._add_cause(f"{self.cause_list} {clean_point(block.text)}".strip())
            return True
        self.cause_list = None
        if (
            block.kind != "text"
            or self.section is not None
            or following is None
            or following.kind != "bullet"
            or not block.text.endswith(":")
            or not _LISTED_CAUSES.search(block.text)
        ):
            return False
        subject = _CAUSE_SUBJECT.search(block.text)
        self.cause_list = subject.group(1).capitalize() if subject else ""
        return True

    def _announced_cause(self, text: str) -> bool:
        """Rule "announced cause": a sentence that says a cause of concern was issued."""
        if not _ANNOUNCED_CAUSE.search(text):
            return False
        self._add_cause(first_sentence(text)[0])
        self.section, self.in_concern = HEADING_CAUSE, False
        self.lead_in, self.open_item, self.fresh, self.narrative = None, None, False, []
        self.heading_text, self.recent = "", []
        return True

    def _heading(self, kind: str, text: str = "") -> None:
        if kind == HEADING_RECOMMENDATIONS and self.section is None and self._quoted_cause():
            self.heading_text, self.heading_items = text, len(self.items)
            self.section, self.in_concern = HEADING_CAUSE, False
            self.lead_in, self.open_item, self.fresh, self.narrative = None, None, True, []
            self.recent = []
            return
        self._empty_heading(kind)
        if kind != HEADING_END and self.pending_area:
            self.warnings.append(EMPTY_HEADING.format(heading=self.pending_area[:80]))
            self.pending_area = ""
        if kind != HEADING_END:
            self.heading_text, self.heading_items = text, len(self.items)
        if kind == HEADING_RECOMMENDATIONS and self.section == HEADING_CAUSE:
            if not self.in_concern and self.narrative:
                # A second cause of concern under a plural heading: its text is the paragraph
                # just before its own "Recommendations" heading.
                self._add_cause(self.narrative[-1])
            self.in_concern = False
            self.lead_in, self.open_item, self.fresh, self.narrative = None, None, True, []
            return
        self._close()
        self.headingless = False
        if kind == HEADING_CAUSE:
            self.section, self.in_concern = HEADING_CAUSE, True
        elif kind == HEADING_RECOMMENDATIONS:
            self.section, self.fresh = HEADING_RECOMMENDATIONS, True
        elif kind == HEADING_AREA:
            self.section, self.area_first, self.area_list = HEADING_AREA, True, None
            self.last_was_area = False

    def _add(
        self, kind: str, text: str, *, deadline_text: str = "", lead: DeadlineLead | None = None
    ) -> int:
        if len(self.items) >= _MAX_READ_FINDINGS:
            raise PublicationParseError(TOO_MANY_FINDINGS)
        parent = self.cause if kind == RECOMMENDATION else None
        deadline = [deadline_text] if deadline_text else []
        self.items.append(RawItem(kind, parent, [text.strip()], deadline, lead))
        return len(self.items) - 1

    def _add_cause(self, text: str) -> None:
        self.cause = self._add(CAUSE_OF_CONCERN, rewrite_inline(text))
        self.narrative = []

    def read(self) -> tuple[list[Grade], list[RawItem]]:
        for index, block in enumerate(self.blocks):
            check_time()
            if block.kind == "heading":
                self._heading(block.heading, block.text)
                continue
            text_block = block.kind == "text"
            if text_block:
                found = grades_of(block.text)
                self.grades.extend(paragraph_grades(block.text))
                self.grade_list = list_lead_grade(block.text)
            elif self.grade_list:
                # Rule "list": each point of "It requires improvement to:" is an area.
                self.grades.append(Grade(area_name(clean_point(block.text)), self.grade_list))
                continue
            else:
                bullet = bullet_grade_of(block.text)
                found = [bullet] if bullet else []
            if found:
                self.grades.extend(found)
                if text_block:
                    self._empty_heading(None)
                    self._close()
                continue
            if text_block and self.section is None:
                self.recent = [*self.recent[-1:], block.text]
            following = self.blocks[index + 1] if index + 1 < len(self.blocks) else None
            if self.section is None and self.pending_area and self._pending_statement(block):
                continue
            if self.prose_causes and self._listed_cause(block, following):
                continue
            if (
                self.prose_causes
                and text_block
                and self.section is None
                and self._announced_cause(block.text)
            ):
                continue
            headingless = (
                text_block
                and block.text.rstrip(_QUOTE_MARKS + " ").endswith(_SENTENCE_END)
                and _HEADINGLESS.match(block.text) is not None
                and not _NOT_A_SUBJECT.match(block.text)
                and self._strong(block, following)
            )
            if self.headingless and text_block and not headingless:
                self._close()  # the prose after a headingless recommendation is narrative
            if self.section is None and headingless:
                # Rule "headingless recommendation": a letter recommends in running prose.
                self.section, self.fresh, self.headingless = HEADING_RECOMMENDATIONS, True, True
            if self.section == HEADING_CAUSE and self.in_concern:
                self._concern(block, following)
            elif self.section in (HEADING_CAUSE, HEADING_RECOMMENDATIONS):
                self._recommendation(block, following)
            elif self.section == HEADING_AREA:
                self._area(block)
        self._empty_heading(None)
        if self.pending_area:
            self.warnings.append(EMPTY_HEADING.format(heading=self.pending_area[:80]))
        return self.grades, self.items

    # -- causes of concern and recommendations ----------------------------------------------

    def _concern(self, block: Block, following: Block | None) -> None:
        if self.cause is None:
            self._add_cause(block.text)
            return
        if block.kind == "text" and self._strong(block, following):
            self.in_concern, self.fresh = False, True
            self._recommendation(block, following)
            return
        cause = self.items[self.cause]
        cause.extend(rewrite_inline(block.text))

    @staticmethod
    def _strong(block: Block, following: Block | None) -> bool:
        """A recommendation that needs no heading: it opens with its deadline, or is a lead-in
        that states a deadline or recommends."""
        text = block.text
        if recommends_with_deadline(text):
            return True
        lead_in = text.endswith(":") and following is not None and following.kind == "bullet"
        lead_in = lead_in or split_inline(text) is not None
        return (
            lead_in
            and bool(MODAL.search(text) or RECOMMEND.search(text))
            and bool(
                LEAD_DEADLINE.search(text)
                or RECOMMEND.search(text)
                or RECOMMENDED_LEAD.search(text)
            )
        )

    def _recommendation(self, block: Block, following: Block | None) -> None:
        if block.kind == "bullet":
            self._recommendation_point(block)
            return
        text = block.text
        inline = split_inline(text)
        is_lead_in = inline is not None or text.endswith(":")
        recommends = bool(MODAL.search(text) or RECOMMEND.search(text))
        if is_lead_in and recommends and (self.fresh or self._strong(block, following)):
            self._lead_in_block(text, inline)
        elif (
            not is_lead_in
            and RECOMMENDATION_START.match(text)
            and (self.fresh or recommends_with_deadline(text))
        ):
            self.lead_in = None
            self.open_item, self.open_marker = None, None
            self._add(RECOMMENDATION, text, deadline_text=text)
        elif self._continues_list(text, following):
            # A bullet's second sentence, wrapped onto a new line of a PDF.
            item = self.items[self.open_item]  # type: ignore[index]
            item.pieces[-1] = item.pieces[-1].rstrip(".")
            item.extend(text)
        else:
            self.lead_in, self.open_item, self.fresh = None, None, False
            self.narrative.append(text)

    def _lead_in_block(self, text: str, inline: tuple[str, list[str]] | None) -> None:
        lead = inline[0] if inline else text
        self.open_item, self.open_marker = None, None
        if introducing(lead):
            self.lead_in = LeadIn(lead)
            for point in inline[1] if inline else []:
                self._add_point(point)
            return
        self.lead_in = None
        self.open_item = self._add(RECOMMENDATION, rewrite_inline(text), deadline_text=text)

    def _add_point(self, point: str) -> int:
        assert self.lead_in is not None
        text = point_text(self.lead_in.prefix, point)
        return self._add(RECOMMENDATION, text, deadline_text=point, lead=self.lead_in.deadline)

    def _continues_list(self, text: str, following: Block | None) -> bool:
        """A paragraph between two bullets of the list, ending as a list point does."""
        if self.open_item is None or following is None or following.kind != "bullet":
            return False
        return following.marker == self.open_marker and bool(LIST_POINT_END.search(text))

    def _recommendation_point(self, block: Block) -> None:
        if self.open_item is not None and EXPLAINS.match(block.text):
            self.items[self.open_item].extend(block.text)
            return
        lead_in = self.lead_in
        if lead_in is not None and lead_in.marker in (None, block.marker):
            lead_in.marker = block.marker
            self.open_item, self.open_marker = self._add_point(block.text), block.marker
        elif self.open_item is not None and block.marker != self.open_marker:
            # A sub-point: a different bullet under a recommendation, or any bullet under a
            # self-contained recommendation ("...to ensure that:").
            item = self.items[self.open_item]
            item.extend(block.text)
        elif self.fresh and lead_in is None:
            # Bullets straight after a "Recommendations" heading, with no lead-in.
            text = block.text
            self.open_item = self._add(RECOMMENDATION, text, deadline_text=text)
            self.open_marker = block.marker

    # -- areas for improvement --------------------------------------------------------------

    def _area(self, block: Block) -> None:
        text = block.text
        first, self.area_first = self.area_first, False
        if block.kind == "bullet":
            if first:  # a bulleted list straight after the heading
                self.area_list = ""
            if self.area_list is not None or _AREA_START.match(text):
                statement = first_sentence(clean_point(text))[0]
                self._add(AREA_FOR_IMPROVEMENT, f"{self.area_list or ''} {statement}")
                self.last_was_area = True
            return
        statement, more = first_sentence(text)
        self.area_list = None
        if text.endswith(":") and (first or self.last_was_area) and MODAL.search(text):
            self.area_list = lead_in_prefix(text) if introducing(text) else ""
            self.last_was_area = False
            return
        if first and MODAL.search(statement):
            accepted = True
        else:
            # Rule "area statement": a later paragraph opening "The force should ..." states
            # an area of its own, its first sentence ("... well-being. We found ...").
            accepted = bool(_AREA_STATEMENT.match(text)) and not _NOT_A_SUBJECT.match(text)
            accepted = accepted or (bool(_AREA_START.match(text)) and not more)
        if accepted:
            self._add(AREA_FOR_IMPROVEMENT, statement)
        self.last_was_area = accepted


def read_findings(
    blocks: list[Block], *, recommendations_first: bool = False
) -> tuple[list[Grade], list[RawItem], list[str]]:
    """Graded judgments, findings in the order of the text, and warnings for the preview.

    ``recommendations_first``: a register entry may hold a bare recommendation with no heading.
    """
    reader = _Reader(blocks, recommendations_first=recommendations_first)
    grades, items = reader.read()
    return grades, items, reader.warnings
