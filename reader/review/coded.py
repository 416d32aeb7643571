"""The library's passages as each coder's, for agreement: who coded which article, with what.

An article counts as coded by a coder when it holds at least one passage of theirs (a passage
two coders share counts for both). Passages resolved after a disagreement (coder
:data:`~reader.annotations.coders.AGREED`) are not a coder's and are left out unless asked
for by name. Orphaned passages (not found in the current text) have no place and are left
out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from reader.annotations.coders import AGREED, of
from reader.annotations.format import AnnotationFileError, quote_preview
from reader.annotations.store import AnnotationStore
from reader.config import Config
from reader.library.articles import Library
from reader.review.agreement import Agreement, CodedArticle, Figures, Passage, agreement


@dataclass(slots=True)
class Coded:
    articles: list[CodedArticle] = field(default_factory=list)
    coders: list[str] = field(default_factory=list)  # every coder found (AGREED left out)
    errors: list[AnnotationFileError] = field(default_factory=list)  # broken files, skipped


def collect(config: Config, allowed: set[str] | None = None,
            store: AnnotationStore | None = None) -> Coded:
    """Every annotated article (of ``allowed``, when given) as its coders' passages."""
    store = store or AnnotationStore(config.annotations_dir)
    library = Library(config)
    out = Coded()
    found_coders: set[str] = set()
    for article_id, raw in store.iter_all():
        if raw.error is not None:
            out.errors.append(raw.error)
            continue
        if (allowed is not None and article_id not in allowed) or not raw.annotations:
            continue
        try:
            article = library.load(article_id)
        except (LookupError, OSError, ValueError):
            continue  # the article is gone: its passages have no text to agree on
        loaded = store.load(article)
        if loaded.error is not None:
            out.errors.append(loaded.error)
            continue
        by_coder: dict[str, list[Passage]] = {}
        for ann in loaded.annotations:
            if ann.orphaned:
                continue
            for coder in of(ann):
                by_coder.setdefault(coder, []).append(Passage(ann.start, ann.end,
                                                              tuple(ann.tags)))
        found_coders.update(c for c in by_coder if c != AGREED)
        out.articles.append(CodedArticle(article_id, article.text, by_coder))
    out.coders = sorted(found_coders, key=str.casefold)
    return out


def measure(coded: Coded, coders: Sequence[str] | None = None,
            tags: Iterable[str] | None = None) -> Agreement:
    """Agreement of ``coders`` (default: every coder but AGREED) on ``tags`` (default: every
    tag they used). Coder names compare without case."""
    names = {c.casefold(): c for a in coded.articles for c in a.coders}
    chosen = ([names.get(c.casefold(), c) for c in coders] if coders
              else list(coded.coders))
    return agreement(coded.articles, list(tags) if tags else None, chosen)


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _row(label: str, f: Figures, width: int) -> str:
    return (f"{label:<{width}}  {_num(f.alpha):>6}  {_num(f.kappa):>6}  {_pct(f.agreement):>6}"
            f"  {f.units:>6}  {f.tagged:>6}")


def figure_lines(result: Agreement) -> list[str]:
    """The figures as lines of a table: who and how many articles, a header, a line per
    tag, the overall line."""
    who = ", ".join(result.coders)
    lines = [f"Agreement of {who} on {result.articles} article(s) (units: sentences)"]
    if result.single_coder_articles:
        lines.append(f"{result.single_coder_articles} article(s) coded by only one of them: "
                     "left out")
    width = max([7, *(len(t) for t in result.tags)])
    lines += ["", f"{'TAG':<{width}}  {'alpha':>6}  {'kappa':>6}  {'agree':>6}  {'units':>6}  "
                  f"{'tagged':>6}"]
    lines += [_row(f.tag or "", f, width) for f in result.per_tag]
    lines.append(_row("overall", result.overall, width))
    return lines


def report_text(result: Agreement) -> str:
    """The figures, then each disagreement on a line (``reader agreement``)."""
    lines = figure_lines(result)
    lines += ["", f"Disagreements: {len(result.disagreements)}"]
    for d in result.disagreements:
        yes = ", ".join(d.with_tag)
        no = ", ".join(d.without_tag)
        lines.append(f"  {d.article_id}\t{d.start}-{d.end}\t{d.tag}: {yes} tagged it; {no} "
                     f"did not\t“{quote_preview(d.text, 60)}”")
    return "\n".join(lines)
