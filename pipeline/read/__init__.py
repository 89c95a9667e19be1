"""Readers: bytes to text, YAML with positions, Markdown to blocks with spans."""
