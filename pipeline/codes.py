"""The catalogue of reading and validation codes, and the reporter stages write findings to.

Codes are stable: a code is never reused for another meaning. ``R`` reading and YAML,
``V`` field values, ``S`` body structure, ``X`` cross-references and files, ``F`` figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.diagnostics import Code, Diagnostic, Fix, Severity
from pipeline.model.span import Span

E, W = Severity.ERROR, Severity.WARNING


# fmt: off
CATALOGUE: tuple[Code, ...] = (
    Code("R101", "invalid-utf8", E, "A file holds bytes that are not UTF-8.",
         "Save the file as UTF-8; retype the character at the byte shown."),
    Code("R102", "yaml-syntax", E, "YAML that cannot be parsed.",
         "Check indentation, colons and quotes near the position shown."),
    Code("R103", "yaml-duplicate-key", E, "A YAML key written twice in one mapping.",
         "Keep one of the two entries; YAML would silently drop the first."),
    Code("R104", "yaml-limit", E, "YAML that expands past a limit (aliases, size, depth).",
         "Write the values out instead of repeating them through aliases; flatten nesting."),
    Code("R105", "yaml-merge-key", E, "A YAML merge key (<<) is not part of the format.",
         "Write the merged keys out in full."),
    Code("R106", "front-matter-missing", E, "A chapter does not start with YAML front matter.",
         "Start the file with a line '---', the front matter, and another '---'."),
    Code("R107", "front-matter-unclosed", E, "The front matter has no closing '---' line.",
         "Add a line '---' after the last front-matter key."),
    Code("R108", "yaml-not-mapping", E, "A YAML document is not a mapping of keys to values.",
         "Write 'key: value' lines at the top level."),
    Code("R109", "unreadable-file", E, "A source file cannot be read.",
         "Check that the file exists and is readable."),
    Code("R110", "yaml-tag", E, "A YAML tag (!!type or !tag) that changes how a value is read.",
         "Remove the tag; quote the value if it should be text."),
    Code("R111", "file-too-large", E, "A source file larger than the limit (1 MiB); it is not "
         "read.", "Split the file: one chapter per file, or terminology/*.yaml for the registry."),
    Code("R112", "line-too-long", E, "A line longer than the limit (4,000 characters); the file "
         "is not read further.", "Break the line: wrap long bullets, fold long YAML values."),
    Code("R113", "file-outside-source", E, "A source file that is a link to a file outside the "
         "source tree; it is not read.",
         "Copy the file into the source tree instead of linking to it."),
    Code("R114", "control-character", E, "A character no XML, EPUB or PDF text may hold (a "
         "control character, NUL, U+FFFE or U+FFFF).",
         "Delete the character (often pasted from another program) or retype the text."),
    Code("V101", "missing-field", E, "A required field is absent.",
         "Add the field; docs/source-format.md lists every field."),
    Code("V102", "unknown-field", E, "A field the format does not know (often a typo).",
         "Rename it to a known field or remove it."),
    Code("V103", "wrong-type", E, "A field holds the wrong kind of value.",
         "Write the kind of value the field takes; quote numbers meant as text."),
    Code("V104", "invalid-choice", E, "A field takes one of a fixed set of values.",
         "Use one of the values listed."),
    Code("V105", "invalid-id", E, "An id or key is not in the required form.",
         "Ids are lower-case words joined by hyphens; figure ids start with 'fig-'."),
    Code("V106", "invalid-language-tag", E, "The language is not a BCP 47 tag.",
         "Write a tag such as en-US or en-GB."),
    Code("V107", "invalid-date", E, "A date is not a calendar date in ISO form.",
         "Write dates as YYYY-MM-DD."),
    Code("V108", "invalid-doi", E, "A DOI is malformed.",
         "Write the bare DOI, e.g. 10.1148/radiol.2019182234, without https://doi.org/."),
    Code("V109", "invalid-pmid", E, "A PubMed id is malformed.",
         "Write the PMID as digits only, e.g. 31821119."),
    Code("V110", "invalid-value", E, "A field's value is out of range or empty.",
         "Correct the value as the message says."),
    Code("V111", "review-dates", E, "Review dates are missing or out of order for the status.",
         "A published chapter needs last_reviewed; next_review falls after it."),
    Code("S101", "unknown-heading", E, "A heading that is not part of the chapter skeleton.",
         "Use a heading of the skeleton (docs/source-format.md)."),
    Code("S102", "heading-out-of-order", E, "A heading comes before one the skeleton puts first.",
         "Move the section so the skeleton's order holds."),
    Code("S103", "misplaced-heading", E, "A skeleton heading at the wrong level or in the "
         "wrong section.", "Move it under the section it belongs to, at its level."),
    Code("S104", "duplicate-heading", E, "A heading written twice in one chapter or section.",
         "Merge the two into one."),
    Code("S105", "missing-section", E, "A section the chapter's status requires is absent.",
         "Write the section, or set status: draft while it is unwritten."),
    Code("S106", "content-outside-subsection", E, "Content not under a ## subsection heading.",
         "Put bullets under a '## Subsection' of the skeleton."),
    Code("S107", "unsupported-block", E, "A block the format does not take (prose paragraph, "
         "numbered list, code, quote, table, rule).",
         "Write telegraphic bullets ('- ...'); one paragraph per bullet."),
    Code("S108", "nesting-too-deep", E, "Bullets nested deeper than the limit.",
         "Flatten the list; split a long bullet into siblings."),
    Code("S109", "unknown-label", E, "A run-in label not in the subsection's vocabulary.",
         "Use a label of the subsection's vocabulary (docs/source-format.md)."),
    Code("S110", "label-without-content", E, "A run-in label with no bullets under it.",
         "Indent the label's bullets under it, or remove the label."),
    Code("S111", "raw-html", E, "Raw HTML in Markdown (an injection path into EPUB and PDF).",
         "Use Markdown: *emphasis*, ^sup^, ~sub~; write < as &lt; if it is text."),
    Code("S112", "references-in-body", E, "Selected References typed in the body.",
         "List references in front matter (references:) and cite them as [@key]."),
    Code("S113", "heading-too-deep", E, "A heading deeper than ## (subsection).",
         "Use a run-in label ('- **Label**') instead of a deeper heading."),
    Code("S114", "image-in-body", E, "An image written in the body.",
         "Declare figures in front matter (figures:) and refer to them as @fig-id."),
    Code("S115", "link-scheme", E, "A link that is not an http(s) address.",
         "Link only to https:// addresses; cite literature as [@key]."),
    Code("S116", "empty-subsection", W, "A subsection heading with nothing under it.",
         "Write its bullets or remove the heading."),
    Code("S117", "inline-nesting-too-deep", E, "Emphasis, links, superscripts and subscripts "
         "nested deeper than the limit (8).",
         "Remove the extra markup; emphasis inside emphasis rarely reads well."),
    Code("X101", "dangling-citation", E, "A citation key with no reference.",
         "Add the reference to front matter or bibliography.yaml, or fix the key."),
    Code("X102", "dangling-figure-reference", E, "A figure reference to no figure of the chapter.",
         "Declare the figure in front matter or fix the id."),
    Code("X103", "unused-figure", W, "A figure the chapter never references.",
         "Refer to it as @fig-id where the text discusses it, or remove it."),
    Code("X104", "unused-reference", W, "A chapter reference that is never cited.",
         "Cite it as [@key] or remove it."),
    Code("X105", "duplicate-id", E, "An id or key declared twice.",
         "Give each figure, reference, concept and chapter its own id."),
    Code("X106", "chapter-id-mismatch", E, "A chapter id differs from its file name.",
         "Make the id equal the file name (without .md), or rename the file."),
    Code("X107", "chapter-file-missing", E, "book.yaml lists a chapter with no file.",
         "Add source/chapters/<id>.md or remove the id from book.yaml."),
    Code("X108", "chapter-not-listed", W, "A chapter file book.yaml does not list.",
         "Add its id to chapters: in book.yaml, or remove the file."),
    Code("X109", "unknown-concept", E, "A chapter's concept is not in the terminology registry.",
         "Add the concept to source/terminology.yaml or fix the id."),
    Code("X110", "citation-syntax", E, "A citation or figure reference in the wrong form.",
         "Cite as [@key]; refer to figures bare, as @fig-id."),
    Code("X111", "term-claimed-twice", E, "One name belongs to two concepts of the registry.",
         "Give each name to one concept; a synonym may not be another concept's name."),
    Code("F101", "figure-path-outside", E, "A figure path that leaves source/figures/.",
         "Name a file inside source/figures/, relative to it."),
    Code("F102", "figure-file-missing", E, "A figure file that does not exist.",
         "Add the file under source/figures/ or fix the name."),
    Code("F103", "figure-image-required", E, "A figure without an image outside a draft.",
         "Add image: <file>, or keep the chapter in status: draft."),
    Code("F104", "alt-text-file-name", E, "Alt text that is a file name.",
         "Describe what the image shows, in a short sentence."),
    Code("F105", "alt-text-too-long", E, "Alt text longer than 150 characters.",
         "Keep alt short; put detail in long_description."),
    Code("F106", "unknown-marker", E, "An annotation marker the format does not know.",
         "Use {arrow}, {open-arrow}, {curved-arrow}, {arrowhead} or {asterisk}."),
    Code("F107", "marker-outside-caption", E, "An annotation marker outside a figure caption.",
         "Markers point into an image; use them only in captions."),
    Code("F108", "unsupported-image-format", E, "A figure file that is not PNG, JPEG, GIF "
         "or WebP.", "Convert the image to PNG or JPEG."),
    Code("F109", "too-many-figures", E, "A chapter declares more figures than the limit (60).",
         "Keep the figures that teach the point; split a long chapter in two."),
    Code("F110", "image-file-too-large", E, "A figure file larger than the limit (16 MiB).",
         "Save the image smaller: PNG for drawings, JPEG at quality 85-90 for photographs."),
    Code("F111", "image-too-many-pixels", E, "A figure image of more pixels than the limit "
         "(25 million), or one whose header claims so (a decompression bomb).",
         "Scale the image down; about 2,000 pixels on the long side prints sharp."),
)

# fmt: on

CODES: dict[str, Code] = {c.code: c for c in CATALOGUE}


@dataclass
class Reporter:
    """Collects findings; every stage reports here and carries on."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(
        self,
        code: str,
        span: Span,
        message: str,
        hint: str | None = None,
        *,
        severity: Severity | None = None,
        fix: Fix | None = None,
    ) -> None:
        """Record a finding of ``code`` at ``span``; the catalogue supplies the defaults."""
        entry = CODES[code]
        self.items.append(
            Diagnostic(
                code=code,
                severity=severity or entry.severity,
                message=message,
                hint=hint or entry.hint,
                span=span,
                fix=fix,
            )
        )
