"""A chapter body's blocks into the skeleton's sections, subsections and bullets."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.diagnostics import Severity, Sink
from pipeline.model.book import Bullet, Section, Subsection
from pipeline.model.inline import Strong, Text
from pipeline.model.skeleton import MAX_DEPTH, REFERENCES_TITLE, SKELETON, Sec, Sub, slug
from pipeline.model.source import Status
from pipeline.model.span import Span
from pipeline.read.markdown import Block, BulletList, Heading, Item, Other
from pipeline.validate.suggest import did_you_mean, hint_with

_SECTIONS = {sec.title.casefold(): (index, sec) for index, sec in enumerate(SKELETON)}


@dataclass
class _Open:
    """A section being filled while the body is read."""

    spec: Sec
    span: Span
    subsections: list[Subsection] = field(default_factory=list)
    last_index: int = -1


class Structure:
    """Builds sections from blocks, reporting every departure from the skeleton."""

    def __init__(self, path: str, status: Status, end_line: int, report: Sink) -> None:
        self.path, self.status, self.end_line, self.report = path, status, end_line, report
        self.sections: list[Section] = []
        self.current: _Open | None = None
        self.sub: tuple[Sub | None, Span, str] | None = None
        self.bullets: list[Bullet] = []
        self.last_section = -1
        self.skipping = False

    def build(self, blocks: list[Block]) -> list[Section]:
        """Return the chapter's sections in source order."""
        for block in blocks:
            if isinstance(block, Heading):
                self._heading(block)
            elif isinstance(block, BulletList):
                self._bullets(block)
            else:
                _unsupported(block, self.report)
        self._close_section()
        self._check_required()
        return self.sections

    # headings

    def _heading(self, heading: Heading) -> None:
        if heading.level == 1:
            self._section(heading)
        elif heading.level == 2:
            self._subsection(heading)
        else:
            self.report.add("S113", heading.span, f"heading level {heading.level} is too deep")

    def _section(self, heading: Heading) -> None:
        self._close_section()
        self.skipping = True
        title = heading.text.casefold()
        if title == REFERENCES_TITLE.casefold():
            self.report.add("S112", heading.span, "Selected References are not typed in the body")
            return
        if title not in _SECTIONS:
            self._unknown(heading, [sec.title for sec in SKELETON], _home_of_subsection(title))
            return
        index, spec = _SECTIONS[title]
        if any(section.key == spec.key for section in self.sections):
            self.report.add("S104", heading.span, f"section '{spec.title}' is written twice")
            return
        if index < self.last_section:
            later = SKELETON[self.last_section].title
            self.report.add("S102", heading.span, f"'{spec.title}' must come before '{later}'")
        self.last_section = max(self.last_section, index)
        self.current = _Open(spec, heading.span)
        self.skipping = False

    def _subsection(self, heading: Heading) -> None:
        self._close_subsection()
        skipped, self.skipping = self.skipping, True
        if self.current is None:
            if not skipped:
                self.report.add(
                    "S103", heading.span, f"'## {heading.text}' stands before any # section"
                )
            return
        spec = self.current.spec
        if heading.text.casefold() == REFERENCES_TITLE.casefold():
            self.report.add("S112", heading.span, "Selected References are not typed in the body")
            return
        if spec.free:
            self._open_subsection(None, heading, -1)
            return
        subs = {sub.title.casefold(): (i, sub) for i, sub in enumerate(spec.subsections)}
        title = heading.text.casefold()
        if title not in subs:
            choices = [sub.title for sub in spec.subsections]
            self._unknown(heading, choices, _home_of_section(title, spec))
            return
        index, sub = subs[title]
        self._open_subsection(sub, heading, index)

    def _open_subsection(self, sub: Sub | None, heading: Heading, index: int) -> None:
        assert self.current is not None
        title = sub.title if sub else heading.text
        if any(s.title.casefold() == title.casefold() for s in self.current.subsections):
            self.report.add("S104", heading.span, f"subsection '{title}' is written twice")
            return
        if index >= 0 and index < self.current.last_index:
            later = self.current.spec.subsections[self.current.last_index].title
            self.report.add("S102", heading.span, f"'{title}' must come before '{later}'")
        self.current.last_index = max(self.current.last_index, index)
        self.sub = (sub, heading.span, title)
        self.skipping = False

    def _unknown(self, heading: Heading, choices: list[str], home: str) -> None:
        marks = "#" * heading.level
        if home:
            self.report.add("S103", heading.span, f"'{marks} {heading.text}' {home}")
            return
        suggestion = did_you_mean(heading.text, choices)
        self.report.add(
            "S101",
            heading.span,
            f"unknown heading '{marks} {heading.text}'",
            hint_with(suggestion, f"Headings here: {', '.join(choices)}."),
        )

    # content

    def _bullets(self, block: BulletList) -> None:
        if self.sub is None:
            if not self.skipping:
                self.report.add("S106", block.span, "bullets stand outside any ## subsection")
            return
        labels = self.sub[0].labels if self.sub[0] else ()
        self.bullets.extend(self._bullet(item, 1, labels) for item in block.items)

    def _bullet(self, item: Item, depth: int, labels: tuple[str, ...]) -> Bullet:
        for other in item.others:
            _unsupported(other, self.report)
        if depth > MAX_DEPTH:
            self.report.add(
                "S108", item.span, f"bullet nested {depth} deep; the limit is {MAX_DEPTH}"
            )
            return Bullet(span=item.span, content=item.content)
        label = _label_of(item)
        if label is not None:
            self._check_label(label, item, labels)
        children = [self._bullet(child, depth + 1, labels) for child in item.children]
        content = [] if label is not None else item.content
        return Bullet(span=item.span, label=label, content=content, children=children)

    def _check_label(self, label: str, item: Item, labels: tuple[str, ...]) -> None:
        span = item.content[0].span
        if not item.children:
            self.report.add("S110", span, f"label '{label}' has no bullets under it")
        if label in labels:
            return
        assert self.sub is not None
        where = self.sub[2]
        if not labels:
            self.report.add(
                "S109",
                span,
                f"'{where}' takes no run-in labels, found '{label}'",
                "Write the bullet as text; use *emphasis* for a word within it.",
            )
            return
        suggestion = did_you_mean(label, labels)
        self.report.add(
            "S109",
            span,
            f"unknown label '{label}' in '{where}'",
            hint_with(suggestion, f"Labels here: {', '.join(labels)}."),
        )

    # closing

    def _close_subsection(self) -> None:
        if self.sub is not None and self.current is not None:
            sub, span, title = self.sub
            if not self.bullets:
                self.report.add("S116", span, f"subsection '{title}' is empty")
            key = sub.key if sub else slug(title)
            self.current.subsections.append(
                Subsection(span=span, key=key, title=title, bullets=self.bullets)
            )
        self.sub, self.bullets = None, []

    def _close_section(self) -> None:
        self._close_subsection()
        if self.current is not None:
            spec = self.current.spec
            self.sections.append(
                Section(
                    span=self.current.span,
                    key=spec.key,
                    title=spec.title,
                    subsections=self.current.subsections,
                )
            )
        self.current = None

    def _check_required(self) -> None:
        if self.status == "draft":
            return
        severity = Severity.ERROR if self.status == "published" else Severity.WARNING
        present = {section.key: section for section in self.sections}
        for index, spec in enumerate(SKELETON):
            section = present.get(spec.key)
            if section is None:
                where = self._insertion_point(index)
                self._missing(where, f"section '{spec.title}'", severity)
                continue
            have = {sub.key for sub in section.subsections}
            if not have:
                self._missing(section.span, f"a subsection in '{spec.title}'", severity)
            for sub in spec.subsections:
                if sub.required and sub.key not in have:
                    what = f"subsection '{spec.title} › {sub.title}'"
                    self._missing(section.span, what, severity)

    def _missing(self, span: Span, what: str, severity: Severity) -> None:
        message = f"{what} is required in a chapter with status '{self.status}'"
        self.report.add("S105", span, message, severity=severity)

    def _insertion_point(self, index: int) -> Span:
        order = {sec.key: i for i, sec in enumerate(SKELETON)}
        for section in self.sections:
            if order[section.key] > index:
                return section.span
        return Span(path=self.path, line=self.end_line, column=1)


def _label_of(item: Item) -> str | None:
    """A bullet whose whole text is bold is a run-in label."""
    if len(item.content) != 1 or not isinstance(item.content[0], Strong):
        return None
    inner = item.content[0].children
    if len(inner) == 1 and isinstance(inner[0], Text):
        return inner[0].text.strip()
    return None


def _unsupported(block: Other, report: Sink) -> None:
    article = "an" if block.kind[0] in "aeiou" else "a"
    report.add("S107", block.span, f"{article} {block.kind} is not part of the format")


def _home_of_subsection(title: str) -> str:
    """Where a ``##`` title used as ``#`` belongs, if it is a subsection of the skeleton."""
    for sec in SKELETON:
        for sub in sec.subsections:
            if sub.title.casefold() == title:
                return f"is a ## subsection of '{sec.title}'"
    return ""


def _home_of_section(title: str, current: Sec) -> str:
    """Where a title misplaced under ``current`` belongs, if the skeleton has it elsewhere."""
    if title in _SECTIONS:
        return f"is a # section, not a subsection of '{current.title}'"
    for sec in SKELETON:
        if any(sub.title.casefold() == title for sub in sec.subsections):
            return f"belongs under '{sec.title}', not '{current.title}'"
    return ""
