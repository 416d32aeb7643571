"""Full-text search: the Whoosh index, the query language, stemming, hits and snippets.

Whoosh is imported in this package and nowhere else.
"""
