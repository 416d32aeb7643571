"""Full-text search: the Whoosh index, the query language, stemming, hits and snippets.

Whoosh is imported in this package and nowhere else. One module per job: ``index`` (the
public :class:`~reader.search.index.SearchIndex`), ``update`` (writing the index, its lock
and pid files), ``searcher`` (reading it), ``manifest`` (what the index holds, per file),
``schema`` (fields, analysers, documents), ``query`` (the query language) and ``compiler``
(its Whoosh queries), ``hits`` (hits, snippets, results), ``analysis`` (tokens, folding,
stemming), ``sources`` (what the index reads from the library and the annotation store),
``whoosh_fixes`` (changes to Whoosh itself) and ``safe_pickle`` (unpickling that cannot
run code).
"""
