"""Every code the tool can emit: the stage tables and the lint rules, merged for the CLI."""

from __future__ import annotations

from functools import cache

from pipeline.diagnostics import KNOWN, CodeInfo
from pipeline.lint.base import SECTIONS
from pipeline.lint.registry import RULES


@cache
def catalogue() -> dict[str, CodeInfo]:
    """Code → what formatters and ``explain`` say about it."""
    entries = dict(KNOWN)
    for rule in RULES:
        doc = rule.doc()
        entries[rule.code] = CodeInfo(
            rule.code, rule.name, rule.severity, doc["summary"], rule.default_hint()
        )
    return entries


def explanation(code: str) -> str | None:
    """The full text ``monograph explain CODE`` prints, or None for an unknown code."""
    for rule in RULES:
        if rule.code == code:
            doc = rule.doc()
            head = f"{rule.code} {rule.name} ({rule.severity}, fix: {rule.fix})"
            body = "\n\n".join(f"{name}: {doc[name]}" for name in SECTIONS if name in doc)
            return f"{head}\n\n{doc['summary']}\n\n{body}"
    entry = KNOWN.get(code)
    if entry is None:
        return None
    head = f"{entry.code} {entry.name} ({entry.severity})"
    return f"{head}\n\n{entry.summary}\n\nWhat to do: {entry.hint}"


def rules_markdown() -> str:
    """The lint rule catalogue as Markdown, for docs/terminology.md (kept in step by a test)."""
    blocks = []
    for rule in RULES:
        doc = rule.doc()
        lines = [
            f"### {rule.code} {rule.name}",
            "",
            f"*{rule.severity}, fix: {rule.fix}.* {doc['summary']}",
            "",
        ]
        lines += [
            f"- **{name}:** {' '.join(doc[name].split())}" for name in SECTIONS if name in doc
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


RULES_BEGIN, RULES_END = "<!-- rules:begin -->", "<!-- rules:end -->"


def with_rules_section(document: str) -> str:
    """``document`` with the text between the rules markers replaced by the catalogue."""
    head, _, rest = document.partition(RULES_BEGIN)
    _, _, tail = rest.partition(RULES_END)
    return f"{head}{RULES_BEGIN}\n\n{rules_markdown()}\n{RULES_END}{tail}"


def rules_text() -> str:
    """The lint rule catalogue, as ``monograph rules`` prints it."""
    return "\n\n\n".join(text for rule in RULES if (text := explanation(rule.code))) + "\n"


if __name__ == "__main__":  # nox -s docs: regenerate the catalogue in the given documents
    import sys
    from pathlib import Path

    for name in sys.argv[1:]:
        path = Path(name)
        path.write_text(with_rules_section(path.read_text(encoding="utf-8")), encoding="utf-8")
