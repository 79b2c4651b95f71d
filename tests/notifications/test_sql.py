"""The SQLite literal inlining that lets the sweep use the open-items partial indexes."""

import sqlite3
from datetime import date

from notifications.sql import _sqlite_literals


def test_strings_numbers_booleans_and_null_become_literals():
    sql, params = _sqlite_literals("SELECT %s, %s, %s, %s, %s", ["it's", 7, True, None, "100%"])
    assert params is None
    assert sql == "SELECT 'it''s', 7, 1, NULL, '100%'"


def test_a_quote_cannot_break_out_of_the_literal():
    hostile = "x'); DROP TABLE items; --"
    sql, _ = _sqlite_literals("SELECT %s", [hostile])
    with sqlite3.connect(":memory:") as db:
        assert db.execute(sql).fetchone() == (hostile,)


def test_anything_else_stays_a_bound_parameter():
    params = ["open", date(2026, 11, 23)]
    assert _sqlite_literals("SELECT %s, %s", params) == ("SELECT %s, %s", params)
