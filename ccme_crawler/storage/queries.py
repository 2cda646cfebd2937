"""The read queries behind ``stats``, exports and search, and the copy behind SQLite exports."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ccme_crawler.storage.analysis import analysis_stats
from ccme_crawler.storage.connection import Connection


def article_filter(
    alias: str,
    *,
    schema: str = "",
    categories: Sequence[str] = (),
    languages: Sequence[str] = (),
    sources: Sequence[str] = (),
    countries: Sequence[str] = (),
    since: str | None = None,
    until: str | None = None,
) -> tuple[str, list[Any]]:
    """A WHERE clause (and its parameters) selecting articles of table alias ``alias``.

    Each filter takes several values, ORed; different filters are ANDed. A category is
    matched by path or label, as the post's own category or a listing it appeared in; a
    source by canonical name or as written on the page (case-insensitively); a country by its
    ISO 3166-1 alpha-2 code among those the article names; ``since`` and
    ``until`` are inclusive ``YYYY-MM-DD`` dates on ``published_at``. ``schema`` prefixes the
    tables the subqueries read (``"src."`` for an attached database).
    """
    clauses: list[str] = []
    params: list[Any] = []

    def marks(values: Sequence[str]) -> str:
        return ", ".join("?" for _ in values)

    if categories:
        clauses.append(
            f"({alias}.category IN ({marks(categories)}) OR {alias}.url IN ("
            f"SELECT ac.article_url FROM {schema}article_categories ac "
            f"JOIN {schema}categories c ON c.id = ac.category_id "
            f"WHERE c.path IN ({marks(categories)}) OR c.label IN ({marks(categories)})))"
        )
        params += [*categories, *categories, *categories]
    if languages:
        clauses.append(f"{alias}.language IN ({marks(languages)})")
        params += list(languages)
    if sources:
        lowered = [s.lower() for s in sources]
        clauses.append(
            f"({alias}.source_id IN (SELECT id FROM {schema}sources "
            f"WHERE lower(name) IN ({marks(lowered)})) "
            f"OR lower({alias}.source) IN ({marks(lowered)}))"
        )
        params += [*lowered, *lowered]
    if countries:
        clauses.append(
            f"{alias}.url IN (SELECT article_url FROM {schema}article_countries "
            f"WHERE code IN ({marks(countries)}))"
        )
        params += [c.upper() for c in countries]
    if since:
        clauses.append(f"{alias}.published_at >= ?")
        params.append(since)
    if until:
        clauses.append(f"substr({alias}.published_at, 1, 10) <= ?")
        params.append(until)
    return (" AND ".join(clauses) or "1"), params


def fts_match_expression(query: str) -> str | None:
    """A user's query as an FTS5 expression that can never be a syntax error.

    Words are ANDed; ``"double quotes"`` make a phrase; ``word*`` a prefix; ``OR`` between
    two terms either of them. Every term is quoted, so punctuation and FTS5 syntax in a
    query are text. ``None`` when nothing searchable is left.
    """
    groups: list[list[str]] = []
    join_next = False
    # A NUL ends an FTS5 string early, whatever quotes surround it.
    for phrase, word in re.findall(r'"([^"]*)"?|(\S+)', query.replace("\x00", " ")):
        if word == "OR":
            join_next = bool(groups)
            continue
        text, prefix = (phrase, False) if not word else (word.rstrip("*"), word.endswith("*"))
        if not any(ch.isalnum() for ch in text):
            continue
        term = '"' + text.replace('"', '""') + '"' + ("*" if prefix else "")
        if join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    if not groups:
        return None
    return " AND ".join(g[0] if len(g) == 1 else "(" + " OR ".join(g) + ")" for g in groups)


class ArchiveQueries(Connection):
    """Reads over the whole archive."""

    def listings_with_posts(self) -> set[str]:
        """The listing paths on which some earlier run saw a post."""
        rows = self.conn.execute("SELECT DISTINCT category_path FROM listing_entries")
        return {path for (path,) in rows}

    def iter_article_post_ids(self) -> Iterator[int]:
        """The site's post id of every stored article that has one, streamed."""
        for (post_id,) in self.conn.execute(
            "SELECT post_id FROM articles WHERE post_id IS NOT NULL"
        ):
            yield int(post_id)

    def article_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def stats(self) -> dict[str, Any]:
        def rows(sql: str) -> list[dict[str, Any]]:
            return list(self.db.query(sql))

        return {
            "articles": self.article_count(),
            "by_category": rows(
                """SELECT c.label AS category, c.path, count(*) AS articles
                FROM article_categories ac JOIN categories c ON c.id = ac.category_id
                WHERE ac.relation = 'listing' GROUP BY c.id ORDER BY articles DESC"""
            ),
            "by_language": rows(
                "SELECT coalesce(language, '?') AS language, count(*) AS articles FROM articles "
                "GROUP BY 1 ORDER BY 2 DESC"
            ),
            "by_year": rows(
                """SELECT coalesce(substr(a.published_at, 1, 4), '?') AS year,
                    count(*) AS articles, count(DISTINCT st.story_id) AS stories
                FROM articles a LEFT JOIN article_stories st ON st.article_url = a.url
                GROUP BY 1 ORDER BY 1"""
            ),
            "by_source": rows(
                """SELECT coalesce(s.name, '(none)') AS source, count(*) AS articles,
                    count(DISTINCT st.story_id) AS stories
                FROM articles a LEFT JOIN sources s ON s.id = a.source_id
                LEFT JOIN article_stories st ON st.article_url = a.url
                GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20"""
            ),
            "runs": rows(
                """SELECT id, mode, status, started_at, ended_at, pages_fetched, articles_new,
                    articles_updated, articles_unchanged, failures
                FROM crawl_runs ORDER BY id DESC LIMIT 5"""
            ),
            "unresolved_failures": int(
                self.conn.execute(
                    "SELECT count(DISTINCT url) FROM page_failures WHERE resolved_at IS NULL"
                ).fetchone()[0]
            ),
            **analysis_stats(self.db),
        }

    def captured_articles(self) -> Iterator[dict[str, Any]]:
        """Articles with a WARC capture: the URL as captured, its time and title (for WACZ)."""
        yield from self.db.query(
            "SELECT final_url, fetched_at, title, url FROM articles "
            "WHERE warc_filename IS NOT NULL ORDER BY fetched_at"
        )

    def article_columns(self) -> list[tuple[str, str]]:
        """``(name, declared type)`` of the ``articles`` columns, in table order."""
        return [
            (str(row[1]), str(row[2]).upper())
            for row in self.conn.execute("PRAGMA table_info(articles)")
        ]

    def iter_articles(self, *, batch_size: int = 200, **filters: Any) -> Iterator[dict[str, Any]]:
        """Stream the matching articles, oldest first, ``batch_size`` rows at a time.

        Each row holds the ``articles`` columns plus ``source_name`` (the canonical source),
        ``categories`` (a JSON list of the category paths it belongs to), ``countries`` (a JSON
        list of the codes it names, most mentioned first), ``story_id`` and ``story_size``. One
        SELECT reads the whole stream, so it sees one consistent snapshot while a crawl writes.
        """
        where, params = article_filter("a", **filters)
        cursor = self.conn.execute(
            f"""SELECT a.*, s.name AS source_name,
                (SELECT json_group_array(path) FROM (
                    SELECT DISTINCT c.path FROM article_categories ac
                    JOIN categories c ON c.id = ac.category_id
                    WHERE ac.article_url = a.url ORDER BY c.path)) AS categories,
                (SELECT json_group_array(code) FROM (SELECT code FROM article_countries
                    WHERE article_url = a.url ORDER BY rank)) AS countries,
                st.story_id,
                CASE WHEN st.story_id IS NOT NULL THEN (SELECT count(*) FROM article_stories
                    WHERE story_id = st.story_id) END AS story_size
            FROM articles a LEFT JOIN sources s ON s.id = a.source_id
            LEFT JOIN article_stories st ON st.article_url = a.url
            WHERE {where} ORDER BY a.published_at, a.url""",
            params,
        )
        try:
            names = [d[0] for d in cursor.description]
            while batch := cursor.fetchmany(batch_size):
                for row in batch:
                    yield dict(zip(names, row, strict=True))
        finally:
            cursor.close()

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        marks: tuple[str, str] = ("**", "**"),
        **filters: Any,
    ) -> tuple[int, list[dict[str, Any]]]:
        """Full-text search of titles and bodies (accents folded), best matches first.

        Returns the number of matches and one page of them, each with ``title_highlighted``
        and a ``snippet`` of the body around the matches, matches wrapped in ``marks``.
        """
        match = fts_match_expression(query)
        if match is None:
            return 0, []
        where, params = article_filter("a", **filters)
        base = f"""FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
            WHERE articles_fts MATCH ? AND {where}"""
        total = int(self.conn.execute(f"SELECT count(*) {base}", [match, *params]).fetchone()[0])
        open_mark, close_mark = marks
        rows = list(
            self.db.query(
                f"""SELECT a.url, a.title, a.published_at, a.language, a.category,
                    (SELECT name FROM sources WHERE id = a.source_id) AS source_name, a.source,
                    highlight(articles_fts, 0, ?, ?) AS title_highlighted,
                    snippet(articles_fts, 1, ?, ?, '…', 24) AS snippet,
                    bm25(articles_fts, 10.0, 1.0) AS rank
                {base} ORDER BY rank, a.published_at DESC LIMIT ? OFFSET ?""",
                [open_mark, close_mark, open_mark, close_mark, match, *params, limit, offset],
            )
        )
        return total, rows

    def copy_articles_from(self, source: Path, **filters: Any) -> int:
        """Fill this (new, empty) database with the matching articles of ``source``.

        Their sources, categories, earlier versions and the crawl runs that stored them come
        along; the full-text index fills through its triggers. SQLite copies row by row, so
        memory stays flat however large the archive. Returns the number of articles copied.
        """
        uri = f"file:{Path(source).resolve()}?mode=ro"
        self.conn.execute("ATTACH DATABASE ? AS src", (uri,))
        try:
            where, params = article_filter("a", schema="src.", **filters)
            picked = f"SELECT a.url FROM src.articles a WHERE {where}"

            def copy(table: str, condition: str, args: list[Any]) -> None:
                mine = {r[1] for r in self.conn.execute(f"PRAGMA main.table_info({table})")}
                theirs = [r[1] for r in self.conn.execute(f"PRAGMA src.table_info({table})")]
                names = ", ".join(f'"{n}"' for n in theirs if n in mine)
                self.conn.execute(
                    f"INSERT INTO main.{table} ({names}) SELECT {names} FROM src.{table} t "
                    f"WHERE {condition}",
                    args,
                )

            with self.transaction():
                copy(
                    "sources",
                    f"t.id IN (SELECT a.source_id FROM src.articles a WHERE {where})",
                    params,
                )
                copy("source_aliases", "t.source_id IN (SELECT id FROM main.sources)", [])
                copy(
                    "categories",
                    f"t.id IN (SELECT category_id FROM src.article_categories "
                    f"WHERE article_url IN ({picked}))",
                    params,
                )
                copy("articles", f"t.url IN ({picked})", params)
                copy("article_categories", "t.article_url IN (SELECT url FROM main.articles)", [])
                copy("article_versions", "t.url IN (SELECT url FROM main.articles)", [])
                copy("article_countries", "t.article_url IN (SELECT url FROM main.articles)", [])
                copy("article_stories", "t.article_url IN (SELECT url FROM main.articles)", [])
                copy("crawl_runs", "t.id IN (SELECT run_id FROM main.articles)", [])
        finally:
            self.conn.execute("DETACH DATABASE src")
        return self.article_count()
