"""The code tables of the stages that are not lint: one literal list, ``STAGE_TABLES``.

Codes are stable: a code is never reused for another meaning. Reading and validation: ``R``
reading and YAML, ``V`` field values, ``S`` body structure, ``X`` cross-references and files,
``F`` figures. Rendering: ``P``. Lint rules carry their codes in their own classes
(``pipeline/lint/registry.py``); ``pipeline/catalogue.py`` merges the three for the CLI.
"""

from __future__ import annotations

from pipeline.diagnostics.record import CodeInfo, Severity

E, W = Severity.ERROR, Severity.WARNING


# fmt: off
READING_AND_VALIDATION: tuple[CodeInfo, ...] = (
    CodeInfo("R101", "invalid-utf8", E, "A file holds bytes that are not UTF-8.",
         "Save the file as UTF-8; retype the character at the byte shown."),
    CodeInfo("R102", "yaml-syntax", E, "YAML that cannot be parsed.",
         "Check indentation, colons and quotes near the position shown."),
    CodeInfo("R103", "yaml-duplicate-key", E, "A YAML key written twice in one mapping.",
         "Keep one of the two entries; YAML would silently drop the first."),
    CodeInfo("R104", "yaml-limit", E, "YAML that expands past a limit (aliases, size, depth).",
         "Write the values out instead of repeating them through aliases; flatten nesting."),
    CodeInfo("R105", "yaml-merge-key", E, "A YAML merge key (<<) is not part of the format.",
         "Write the merged keys out in full."),
    CodeInfo("R106", "front-matter-missing", E, "A chapter does not start with YAML front matter.",
         "Start the file with a line '---', the front matter, and another '---'."),
    CodeInfo("R107", "front-matter-unclosed", E, "The front matter has no closing '---' line.",
         "Add a line '---' after the last front-matter key."),
    CodeInfo("R108", "yaml-not-mapping", E, "A YAML document is not a mapping of keys to values.",
         "Write 'key: value' lines at the top level."),
    CodeInfo("R109", "unreadable-file", E, "A source file cannot be read.",
         "Check that the file exists and is readable."),
    CodeInfo("R110", "yaml-tag", E, "A YAML tag (!!type or !tag) that changes how a value is read.",
         "Remove the tag; quote the value if it should be text."),
    CodeInfo("R111", "file-too-large", E, "A source file larger than the limit (1 MiB); it is not "
         "read.", "Split the file: one chapter per file, or terminology/*.yaml for the registry."),
    CodeInfo("R112", "line-too-long", E,
         "A line longer than the limit (4,000 characters); the file is not read further.",
         "Break the line: wrap long bullets, fold long YAML values."),
    CodeInfo("R113", "file-outside-source", E, "A source file that is a link to a file outside the "
         "source tree; it is not read.",
         "Copy the file into the source tree instead of linking to it."),
    CodeInfo("R114", "control-character", E, "A character no XML, EPUB or PDF text may hold (a "
         "control character, NUL, U+FFFE or U+FFFF).",
         "Delete the character (often pasted from another program) or retype the text."),
    CodeInfo("V101", "missing-field", E, "A required field is absent.",
         "Add the field; docs/source-format.md lists every field."),
    CodeInfo("V102", "unknown-field", E, "A field the format does not know (often a typo).",
         "Rename it to a known field or remove it."),
    CodeInfo("V103", "wrong-type", E, "A field holds the wrong kind of value.",
         "Write the kind of value the field takes; quote numbers meant as text."),
    CodeInfo("V104", "invalid-choice", E, "A field takes one of a fixed set of values.",
         "Use one of the values listed."),
    CodeInfo("V105", "invalid-id", E, "An id or key is not in the required form.",
         "Ids are lower-case words joined by hyphens; figure ids start with 'fig-'."),
    CodeInfo("V106", "invalid-language-tag", E, "The language is not a BCP 47 tag.",
         "Write a tag such as en-US or en-GB."),
    CodeInfo("V107", "invalid-date", E, "A date is not a calendar date in ISO form.",
         "Write dates as YYYY-MM-DD."),
    CodeInfo("V108", "invalid-doi", E, "A DOI is malformed.",
         "Write the bare DOI, e.g. 10.1148/radiol.2019182234, without https://doi.org/."),
    CodeInfo("V109", "invalid-pmid", E, "A PubMed id is malformed.",
         "Write the PMID as digits only, e.g. 31821119."),
    CodeInfo("V110", "invalid-value", E, "A field's value is out of range or empty.",
         "Correct the value as the message says."),
    CodeInfo("V111", "review-dates", E, "Review dates are missing or out of order for the status.",
         "A published chapter needs last_reviewed; next_review falls after it."),
    CodeInfo("S101", "unknown-heading", E, "A heading that is not part of the chapter skeleton.",
         "Use a heading of the skeleton (docs/source-format.md)."),
    CodeInfo("S102", "heading-out-of-order", E,
         "A heading comes before one the skeleton puts first.",
         "Move the section so the skeleton's order holds."),
    CodeInfo("S103", "misplaced-heading", E, "A skeleton heading at the wrong level or in the "
         "wrong section.", "Move it under the section it belongs to, at its level."),
    CodeInfo("S104", "duplicate-heading", E, "A heading written twice in one chapter or section.",
         "Merge the two into one."),
    CodeInfo("S105", "missing-section", E, "A section the chapter's status requires is absent.",
         "Write the section, or set status: draft while it is unwritten."),
    CodeInfo("S106", "content-outside-subsection", E, "Content not under a ## subsection heading.",
         "Put bullets under a '## Subsection' of the skeleton."),
    CodeInfo("S107", "unsupported-block", E, "A block the format does not take (prose paragraph, "
         "numbered list, code, quote, table, rule).",
         "Write telegraphic bullets ('- ...'); one paragraph per bullet."),
    CodeInfo("S108", "nesting-too-deep", E, "Bullets nested deeper than the limit.",
         "Flatten the list; split a long bullet into siblings."),
    CodeInfo("S109", "unknown-label", E, "A run-in label not in the subsection's vocabulary.",
         "Use a label of the subsection's vocabulary (docs/source-format.md)."),
    CodeInfo("S110", "label-without-content", E, "A run-in label with no bullets under it.",
         "Indent the label's bullets under it, or remove the label."),
    CodeInfo("S111", "raw-html", E, "Raw HTML in Markdown (an injection path into EPUB and PDF).",
         "Use Markdown: *emphasis*, ^sup^, ~sub~; write < as &lt; if it is text."),
    CodeInfo("S112", "references-in-body", E, "Selected References typed in the body.",
         "List references in front matter (references:) and cite them as [@key]."),
    CodeInfo("S113", "heading-too-deep", E, "A heading deeper than ## (subsection).",
         "Use a run-in label ('- **Label**') instead of a deeper heading."),
    CodeInfo("S114", "image-in-body", E, "An image written in the body.",
         "Declare figures in front matter (figures:) and refer to them as @fig-id."),
    CodeInfo("S115", "link-scheme", E, "A link that is not an http(s) address.",
         "Link only to https:// addresses; cite literature as [@key]."),
    CodeInfo("S116", "empty-subsection", W, "A subsection heading with nothing under it.",
         "Write its bullets or remove the heading."),
    CodeInfo("S117", "inline-nesting-too-deep", E, "Emphasis, links, superscripts and subscripts "
         "nested deeper than the limit (8).",
         "Remove the extra markup; emphasis inside emphasis rarely reads well."),
    CodeInfo("X101", "dangling-citation", E, "A citation key with no reference.",
         "Add the reference to front matter or bibliography.yaml, or fix the key."),
    CodeInfo("X102", "dangling-figure-reference", E,
         "A figure reference to no figure of the chapter.",
         "Declare the figure in front matter or fix the id."),
    CodeInfo("X103", "unused-figure", W, "A figure the chapter never references.",
         "Refer to it as @fig-id where the text discusses it, or remove it."),
    CodeInfo("X104", "unused-reference", W, "A chapter reference that is never cited.",
         "Cite it as [@key] or remove it."),
    CodeInfo("X105", "duplicate-id", E, "An id or key declared twice.",
         "Give each figure, reference, concept and chapter its own id."),
    CodeInfo("X106", "chapter-id-mismatch", E, "A chapter id differs from its file name.",
         "Make the id equal the file name (without .md), or rename the file."),
    CodeInfo("X107", "chapter-file-missing", E, "book.yaml lists a chapter with no file.",
         "Add source/chapters/<id>.md or remove the id from book.yaml."),
    CodeInfo("X108", "chapter-not-listed", W, "A chapter file book.yaml does not list.",
         "Add its id to chapters: in book.yaml, or remove the file."),
    CodeInfo("X109", "unknown-concept", E,
         "A chapter's concept is not in the terminology registry.",
         "Add the concept to source/terminology.yaml or fix the id."),
    CodeInfo("X110", "citation-syntax", E, "A citation or figure reference in the wrong form.",
         "Cite as [@key]; refer to figures bare, as @fig-id."),
    CodeInfo("X111", "term-claimed-twice", E, "One name belongs to two concepts of the registry.",
         "Give each name to one concept; a synonym may not be another concept's name."),
    CodeInfo("F101", "figure-path-outside", E, "A figure path that leaves source/figures/.",
         "Name a file inside source/figures/, relative to it."),
    CodeInfo("F102", "figure-file-missing", E, "A figure file that does not exist.",
         "Add the file under source/figures/ or fix the name."),
    CodeInfo("F103", "figure-image-required", E, "A figure without an image outside a draft.",
         "Add image: <file>, or keep the chapter in status: draft."),
    CodeInfo("F104", "alt-text-file-name", E, "Alt text that is a file name.",
         "Describe what the image shows, in a short sentence."),
    CodeInfo("F105", "alt-text-too-long", E, "Alt text longer than 150 characters.",
         "Keep alt short; put detail in long_description."),
    CodeInfo("F106", "unknown-marker", E, "An annotation marker the format does not know.",
         "Use {arrow}, {open-arrow}, {curved-arrow}, {arrowhead} or {asterisk}."),
    CodeInfo("F107", "marker-outside-caption", E, "An annotation marker outside a figure caption.",
         "Markers point into an image; use them only in captions."),
    CodeInfo("F108", "unsupported-image-format", E, "A figure file that is not PNG, JPEG, GIF "
         "or WebP.", "Convert the image to PNG or JPEG."),
    CodeInfo("F109", "too-many-figures", E, "A chapter declares more figures than the limit (60).",
         "Keep the figures that teach the point; split a long chapter in two."),
    CodeInfo("F110", "image-file-too-large", E, "A figure file larger than the limit (16 MiB).",
         "Save the image smaller: PNG for drawings, JPEG at quality 85-90 for photographs."),
    CodeInfo("F111", "image-too-many-pixels", E, "A figure image of more pixels than the limit "
         "(25 million), or one whose header claims so (a decompression bomb).",
         "Scale the image down; about 2,000 pixels on the long side prints sharp."),
)

# fmt: on


# fmt: off
RENDERING: tuple[CodeInfo, ...] = (
    CodeInfo("P101", "missing-glyph", E, "A character no font of the book can draw.",
               "Replace the character with one the fonts cover, or ask for a font that has "
               "it (pipeline/render/fonts)."),
    CodeInfo("P102", "key-facts-overflow", E, "The Key Facts handout does not fit on one page.",
               "Shorten Key Facts bullets or differentials, or reference fewer figures from "
               "Key Facts."),
    CodeInfo("P103", "pdf-accessibility", E, "WeasyPrint reported an accessibility (PDF/UA) "
               "or rendering error.", "Give the element what the message asks for, e.g. alt "
               "text or a language."),
    CodeInfo("P104", "refused-fetch", E, "The renderer was asked to load a file that is "
               "not a figure image validation checked, nor one of its own assets.",
               "Keep figures inside source/figures/; the renderer never loads other files."),
    CodeInfo("P105", "node-not-rendered", E, "A node the PDF renderer cannot show.",
               "Report this as a pipeline bug with the line shown; the text is printed plain."),
    CodeInfo("P106", "epub-missing-alt", E, "A figure without alt text: the EPUB claims neither "
               "alternativeText nor EPUB Accessibility conformance.",
               "Give the figure an alt text: what the image shows, in at most 150 characters."),
    CodeInfo("P107", "epub-image-unreadable", E, "An image file the EPUB cannot carry: damaged, "
               "or not PNG, JPEG, GIF or WebP inside.",
               "Save the image again as PNG or JPEG under source/figures/; the EPUB shows the "
               "figure as a placeholder until then."),
    CodeInfo("P108", "render-time-limit", E, "Rendering a chapter took longer than its time limit "
               "and was stopped; nothing of the build was committed.",
               "Look for what makes the chapter huge (thousands of bullets, a giant table of "
               "differentials); set MONOGRAPH_RENDER_SECONDS on a slow machine."),
)
# fmt: on

STAGE_TABLES: tuple[tuple[CodeInfo, ...], ...] = (READING_AND_VALIDATION, RENDERING)
"""Every table of codes a stage other than lint reports, in the order the stages run."""
KNOWN: dict[str, CodeInfo] = {c.code: c for table in STAGE_TABLES for c in table}
"""Each of those codes and what the formatters, ``explain`` and ``codes`` say about it."""
