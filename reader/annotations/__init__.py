"""Tagged passages: the only reader and writer of annotation files (format, validation,
store, undo), anchoring passages in edited texts, and the tag vocabulary."""
