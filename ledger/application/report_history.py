"""Reading only the stretch of the event log a report needs.

The general-ledger projection records, per local day, the first and last log position of
the money events booked on it. The money events of days first..last are therefore all at
positions inside that span (as far as the projection has processed) or after the
projection's position; everything else in the log is skipped. A unit whose time zone
ever changed is read whole (local days would not follow the log's order)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from ledger.application.context import Context
from ledger.domain.account import Account
from projections.general_ledger import span_of_days
from projections.source import Recorded, topics

if TYPE_CHECKING:
    from projections.registry import ReadSide

MONEY_TOPICS = topics(*[
    cls for cls in vars(Account).values()
    if isinstance(cls, type) and issubclass(cls, Account.MoneyEvent)
    and cls is not Account.MoneyEvent])


def local_bounds(ctx: Context, first: date, last: date) -> tuple[datetime, datetime]:
    """[start of `first`, start of the day after `last`) in the unit's time zone."""
    zone = ctx.settings().zone()
    return (datetime.combine(first, time.min, zone),
            datetime.combine(last + timedelta(days=1), time.min, zone))


def money_events_of_days(read_side: ReadSide, ctx: Context, first: date, last: date,
                         of_topics: Sequence[str] = MONEY_TOPICS) -> Iterator[Any]:
    """The money events (of `of_topics`) stamped within days first..last, local time."""
    begin, end = local_bounds(ctx, first, last)
    for recorded in _stretch(read_side, ctx, first, last, of_topics):
        event = recorded.event
        if begin <= event.timestamp < end:
            yield event


def _stretch(read_side: ReadSide, ctx: Context, first: date, last: date,
             of_topics: Sequence[str]) -> Iterator[Recorded]:
    source = read_side.source
    if len({settings.time_zone for _, settings in ctx.unit().history}) > 1:
        yield from source.between(0, None, of_topics)
        return
    runner = read_side.runner("general_ledger")
    runner.catch_up()
    with read_side.views.reading() as tx:
        row = tx.fetchone("SELECT position FROM projection_positions WHERE name = %s",
                          ("general_ledger",))
        position = int(row[0]) if row else 0
        span = span_of_days(tx, first.isoformat(), last.isoformat())
    if span is not None:
        yield from source.between(span[0] - 1, min(span[1], position), of_topics)
    yield from source.between(position, None, of_topics)


def last_position_of_days(read_side: ReadSide, first: date, last: date) -> int | None:
    with read_side.views.reading() as tx:
        span = span_of_days(tx, first.isoformat(), last.isoformat())
    return span[1] if span else None
