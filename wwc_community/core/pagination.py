"""Paging for list pages: one query for the page's rows and one for the total."""

from collections.abc import Callable
from dataclasses import dataclass
from math import ceil

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

MAX_PAGE = 10_000


@dataclass
class Page:
    """One page of a list, with what the template needs to link the others."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def parse_page_number(raw: str | None) -> int:
    """Read a page number from a query string; anything odd becomes page 1."""
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def paginate(
    session: Session,
    statement: Select,
    page: int,
    per_page: int,
    fetch_with: Callable[[int], Select] | None = None,
    count: Select | None = None,
) -> Page:
    """Run `statement` for one page and count every row it would return.

    A page past the end shows the last page, so an old bookmark still shows rows.
    `fetch_with(total)`, when given, returns the statement that fetches the page: the
    same rows, written the way that is fastest for that many (see discussions/listing).
    `count`, when given, counts the same rows as `statement` more cheaply. An empty list
    costs the count alone.
    """
    if count is None:
        count = select(func.count()).select_from(statement.order_by(None).subquery())
    total = session.scalar(count)
    total = total or 0
    page = min(page, max(1, ceil(total / per_page)))
    if total == 0:
        return Page(items=[], page=1, per_page=per_page, total=0)
    rows = fetch_with(total) if fetch_with is not None else statement
    items = list(session.scalars(rows.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, page=page, per_page=per_page, total=total)
