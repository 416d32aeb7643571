"""Tagged passages as findings: rows across the library, overview, exports, suggestions,
tagging from search hits."""
