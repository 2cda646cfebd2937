"""Countries and story clusters of articles: filed with each record, recomputed on demand.

An article's countries (``article_countries``) and story (``article_stories``) are written in
the transaction that stores a new or changed article. The story index lives in memory: it
loads the stored signatures (never the bodies) of the publication dates it is asked about, a
window at a time, keeps them up to date with each assignment and forgets windows far from the
recent ones. ``recompute_countries`` redoes every article's countries (after a gazetteer
change); ``assign_stories`` gives a story to articles that have none (stored before these tables
existed), and with ``rebuild=True`` redoes every story from the bodies, in storage order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from ccme_crawler import stories
from ccme_crawler.extraction.countries import extract_countries
from ccme_crawler.items import ArticleAnalysis
from ccme_crawler.storage.connection import Connection

if TYPE_CHECKING:
    from ccme_crawler.stories import StoryIndex

BATCH = 500
TOP_COUNTRIES = 20
STORY_COUNT_SQL = "SELECT count(DISTINCT story_id) FROM article_stories"

# An article's rowid (its key in the story index) and publication date.
StoredArticle = tuple[int, str | None]
# What assigning an article's story reads of it (the order ``_write_story``'s callers unpack).
_STORY_COLUMNS = "a.rowid, a.url, a.body, a.language, a.published_at"


class AnalysisStore(Connection):
    """Writes of ``article_countries`` and ``article_stories``."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        super().__init__(conn, path)
        self._story_index: StoryIndex | None = None

    def _forget_uncommitted(self) -> None:
        # Assignments of records a rollback undid: reloaded from the file on next use.
        self._story_index = None

    def _write_countries(
        self,
        url: str,
        title: str | None,
        body: str,
        language: str | None,
        found: list[tuple[str, int]] | None = None,
        *,
        replace: bool = True,
    ) -> None:
        """``replace``: False for an article stored in this transaction, which has none yet
        (the foreign key's cascade took any of an article deleted before)."""
        if found is None:
            found = extract_countries(title, body, language)
        if replace:
            self.conn.execute("DELETE FROM article_countries WHERE article_url = ?", (url,))
        self.conn.executemany(
            "INSERT INTO article_countries (article_url, code, mentions, rank) VALUES (?, ?, ?, ?)",
            [(url, code, mentions, rank) for rank, (code, mentions) in enumerate(found)],
        )

    def _stories(self) -> StoryIndex:
        if self._story_index is None:
            (stored_max,) = self.conn.execute(
                "SELECT coalesce(max(story_id), 0) FROM article_stories"
            ).fetchone()
            self._story_index = stories.StoryIndex(
                loader=self._stored_stories, next_story=int(stored_max) + 1
            )
        return self._story_index

    def _stored_stories(
        self, dates: tuple[str, str] | None
    ) -> list[tuple[int, str | None, str | None, int, bytes | None]]:
        """The stored assignments of the articles published in ``[first, end)`` (the index
        ``articles_published_at`` finds them), or of the undated ones."""
        select = """SELECT a.rowid, a.language, a.published_at, st.story_id, st.signature
            FROM articles a JOIN article_stories st ON st.article_url = a.url"""
        if dates is None:
            return self.conn.execute(f"{select} WHERE a.published_at IS NULL").fetchall()
        return self.conn.execute(
            f"{select} WHERE a.published_at >= ? AND a.published_at < ?", dates
        ).fetchall()

    def _write_story(
        self,
        url: str,
        body: str,
        language: str | None,
        stored: StoredArticle,
        signature: bytes | None = None,
    ) -> None:
        """``stored``: the article's rowid and publication date, as written."""
        if signature is None:
            signature = stories.story_signature(body)
        rowid, published_at = stored
        story = self._stories().assign(rowid, signature, language, published_at)
        self.conn.execute(
            """INSERT INTO article_stories (article_url, story_id, signature) VALUES (?, ?, ?)
            ON CONFLICT(article_url) DO UPDATE SET story_id = excluded.story_id,
                signature = excluded.signature""",
            (url, story, signature),
        )

    def file_article_analysis(
        self,
        url: str,
        title: str | None,
        body: str,
        language: str | None,
        computed: ArticleAnalysis | None = None,
        *,
        stored: StoredArticle,
        new: bool = False,
    ) -> None:
        """Countries and story of a new or changed article (inside its write transaction);
        ``computed``: the same, already computed from this title and body; ``stored``: the
        row's rowid and ``published_at`` as written; ``new``: the row was inserted just now."""
        found = None if computed is None else computed.countries
        signature = None if computed is None else computed.story_signature
        try:
            self._write_countries(url, title, body, language, found, replace=not new)
            self._write_story(url, body, language, stored, signature)
        except BaseException:
            # The transaction rolls back: forget assignments the database will not hold.
            self._story_index = None
            raise

    def _articles(self, columns: str, condition: str = "1") -> Iterator[list[tuple[Any, ...]]]:
        """Articles in storage order, a batch at a time (keyset paging: no cursor stays open
        across the writes)."""
        last = 0
        while True:
            batch = self.conn.execute(
                f"SELECT a.rowid, {columns} FROM articles a WHERE a.rowid > ? AND {condition} "
                "ORDER BY a.rowid LIMIT ?",
                (last, BATCH),
            ).fetchall()
            if not batch:
                return
            last = batch[-1][0]
            yield [row[1:] for row in batch]

    def recompute_countries(self, progress: Callable[[int], None] | None = None) -> int:
        """Recompute every article's countries; returns the number of articles read."""
        done = 0
        for batch in self._articles("a.url, a.title, a.body, a.language"):
            with self.transaction():
                for url, title, body, language in batch:
                    self._write_countries(url, title, body, language)
            done += len(batch)
            if progress is not None:
                progress(done)
        return done

    def assign_stories(
        self, *, rebuild: bool = False, progress: Callable[[int], None] | None = None
    ) -> int:
        """Give a story to every article without one (all of them with ``rebuild``).

        Returns the number of articles assigned. A rebuild replays every article in storage
        order, as the crawls stored them, and writes all stories in one transaction.
        """
        if rebuild:
            done = 0
            try:
                with self.transaction():
                    self.conn.execute("DELETE FROM article_stories")
                    # Assigned against the stories written so far, a window at a time.
                    self._story_index = stories.StoryIndex(loader=self._stored_stories)
                    for batch in self._articles(_STORY_COLUMNS):
                        for rowid, url, body, language, published_at in batch:
                            self._write_story(url, body, language, (rowid, published_at))
                        done += len(batch)
                        if progress is not None:
                            progress(done)
            except BaseException:
                self._story_index = None
                raise
            return done
        done = 0
        missing = "a.url NOT IN (SELECT article_url FROM article_stories)"
        for batch in self._articles(_STORY_COLUMNS, missing):
            with self.transaction():
                for rowid, url, body, language, published_at in batch:
                    self.file_story(url, body, language, (rowid, published_at))
            done += len(batch)
            if progress is not None:
                progress(done)
        return done

    def story_count(self) -> int:
        return int(self.conn.execute(STORY_COUNT_SQL).fetchone()[0])

    def file_story(self, url: str, body: str, language: str | None, stored: StoredArticle) -> None:
        try:
            self._write_story(url, body, language, stored)
        except BaseException:
            self._story_index = None
            raise


def analysis_stats(db: sqlite_utils.Database) -> dict[str, Any]:
    """The figures ``stats`` and the report add about countries, stories and runs."""

    def rows(sql: str) -> list[dict[str, Any]]:
        return list(db.query(sql))

    def one(sql: str) -> int:
        return int(db.execute(sql).fetchone()[0])

    return {
        "stories": one(STORY_COUNT_SQL),
        "articles_without_story": one(
            "SELECT count(*) FROM articles WHERE url NOT IN (SELECT article_url FROM article_stories)"
        ),
        "top_countries": rows(
            f"""SELECT code AS country, count(*) AS articles, sum(mentions) AS mentions
            FROM article_countries GROUP BY code ORDER BY articles DESC, mentions DESC, code
            LIMIT {TOP_COUNTRIES}"""
        ),
        "by_year_language": rows(
            """SELECT coalesce(substr(published_at, 1, 4), '?') AS year,
                coalesce(language, '?') AS language, count(*) AS articles
            FROM articles GROUP BY 1, 2 ORDER BY 1, 2"""
        ),
        "countries_by_year": rows(
            f"""SELECT coalesce(substr(a.published_at, 1, 4), '?') AS year, ac.code AS country,
                count(*) AS articles
            FROM article_countries ac JOIN articles a ON a.url = ac.article_url
            WHERE ac.code IN (SELECT code FROM article_countries GROUP BY code
                ORDER BY count(*) DESC, sum(mentions) DESC, code LIMIT {TOP_COUNTRIES})
            GROUP BY 1, 2 ORDER BY 1, 2"""
        ),
        "runs_over_time": rows(
            """SELECT id, started_at, status, articles_new, articles_updated, failures
            FROM crawl_runs ORDER BY id"""
        ),
    }
