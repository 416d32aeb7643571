"""Tagged passages: the only reader and writer of annotation files (format, files, store,
edits, undo), anchoring passages in edited texts, and the tag vocabulary."""
