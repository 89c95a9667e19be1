"""Orchestration: validate → lint → render, with a cache, parallel jobs and safe writes.

``runner.run_build`` is the one way outputs are made (``monograph build`` calls it); the
renderers are loaded only when a job needs them, so a build that reuses everything never
loads WeasyPrint.
"""
