"""Render the validated model: HTML shared by every format, then PDF through WeasyPrint.

Renderers read only the model (``pipeline.model``) and load files only through
``fetcher.Fetcher``. ``products.PDF_PRODUCTS`` lists what ``pipeline.orchestrate`` writes.
"""
