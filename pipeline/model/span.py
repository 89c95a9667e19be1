"""Source positions carried by every node of the model."""

from pydantic import BaseModel, ConfigDict


class Span(BaseModel):
    """Where a node was written: a path relative to the source root, 1-based line and column."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    path: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"
