"""An article deleted from the site for good (issue 12, item 22).

Before the fix its 404 made every later run exit 1 and added a failure row each time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ccme_mirror import MirrorServer
from ccme_mirror.faults import respond
from tests.faults.helpers import victim
from tests.helpers import crawl, rows

pytestmark = pytest.mark.integration


def test_an_article_answering_404_on_n_visits_is_gone_and_no_longer_fails_runs(
    tmp_path: Path, fresh_sample_server: MirrorServer
) -> None:
    server = fresh_sample_server
    url, path = victim(server.site)
    server.set_fault(path, respond(404, "<html><body>Not found</body></html>"))
    db = tmp_path / "ccme.sqlite"
    codes = [crawl(db, server, "-s", "CCME_GONE_AFTER=2")["returncode"] for _ in range(3)]
    failure_rows = rows(db, "SELECT resolved_at FROM page_failures WHERE url = ?", (url,))
    assert (
        codes,
        len(failure_rows),
        all(r["resolved_at"] for r in failure_rows),
        [r["url"] for r in rows(db, "SELECT url FROM gone_pages")],
    ) == ([1, 0, 0], 2, True, [url])


def test_a_gone_article_that_comes_back_is_stored_and_no_longer_gone(
    tmp_path: Path, fresh_sample_server: MirrorServer
) -> None:
    server = fresh_sample_server
    url, path = victim(server.site)
    server.set_fault(path, respond(404, "<html><body>Not found</body></html>"))
    db = tmp_path / "ccme.sqlite"
    crawl(db, server, "-s", "CCME_GONE_AFTER=1")
    gone = rows(db, "SELECT url FROM gone_pages")
    server.clear_faults()
    summary = crawl(db, server, "-s", "CCME_GONE_AFTER=1")
    assert (
        [r["url"] for r in gone],
        summary["returncode"],
        rows(db, "SELECT url FROM gone_pages"),
        len(rows(db, "SELECT url FROM articles WHERE url = ?", (url,))),
    ) == ([url], 0, [], 1)
