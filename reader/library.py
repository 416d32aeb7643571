"""The article library: scan ``articles/``, derive metadata, load articles.

(Skeleton: interface fixed; metadata rules and the metadata cache to be filled in.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

from reader import text as textmod
from reader.config import Config
from reader.models import Article, ArticleMeta

ARTICLE_SUFFIXES = (".txt", ".md")
Progress = Callable[[int, int], None]  # (done, total)


class ArticleNotFound(LookupError):
    def __init__(self, article_id: str) -> None:
        super().__init__(f"no article with id {article_id!r}")
        self.article_id = article_id


class Library:
    def __init__(self, config: Config) -> None:
        self.config = config

    @property
    def articles_dir(self) -> Path:
        return self.config.articles_dir

    def iter_paths(self) -> Iterator[Path]:
        if not self.articles_dir.is_dir():
            return
        for p in sorted(self.articles_dir.rglob("*")):
            if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file():
                yield p

    def id_for(self, path: Path) -> str:
        return path.relative_to(self.articles_dir).with_suffix("").as_posix()

    def path_for(self, article_id: str) -> Path:
        for suffix in ARTICLE_SUFFIXES:
            p = self.articles_dir / f"{article_id}{suffix}"
            if p.is_file():
                return p
        raise ArticleNotFound(article_id)

    def cached(self) -> list[ArticleMeta] | None:
        """The metadata cache as it stands, without touching the articles (fast)."""
        return None

    def scan(self, progress: Progress | None = None) -> list[ArticleMeta]:
        """Every article's metadata, reading only files that changed since the cache."""
        paths = list(self.iter_paths())
        out = []
        for i, p in enumerate(paths):
            out.append(self.load(self.id_for(p)).meta)
            if progress:
                progress(i + 1, len(paths))
        return out

    def load(self, article_id: str) -> Article:
        path = self.path_for(article_id)
        data = path.read_bytes()
        decoded, warnings = textmod.decode(data)
        fm, body, fm_warn = textmod.split_front_matter(decoded)
        first = body.strip().split("\n", 1)[0] if body.strip() else ""
        st = path.stat()
        meta = ArticleMeta(
            id=article_id,
            path=path.relative_to(self.articles_dir).as_posix(),
            title=str(fm.get("title") or first[:80] or article_id),
            source=str(fm.get("source") or ""),
            date=str(fm.get("date") or ""),
            language=str(fm.get("language") or ""),
            words=len(body.split()),
            size=st.st_size,
            mtime=st.st_mtime,
            warnings=tuple(warnings + fm_warn),
        )
        return Article(meta, body, tuple(textmod.blocks(body)), fm,
                       hashlib.sha256(body.encode("utf-8")).hexdigest())
