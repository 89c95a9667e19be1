"""The editor's servers: ``monograph lsp`` (a language server) and ``monograph preview``.

Like the command line, they call the stages (reading, validation, lint, rendering, the
chapter cache) and are never called by them.
"""
