"""One module per rule; the explicit table of all rules is ``pipeline.lint.registry``."""
