"""The tables as a notebook reads them, and back to the form written to CSV.

The CSV form (what `tables` builds and `write_result` writes) keeps every cell as text:
lists joined by ' | ', dates as given. The notebook form of the same table (`typed`):

- columns with a fixed set of values (roles, kinds, statuses, polarities, channels, levels,
  methods, framings, rules) are pandas categoricals, their categories in schema order;
- multi-valued cells are Python lists (`values`, `evidence`, `polarities`, `channels`,
  `internal_values`, `facts`, `disclosed_facts`, `language` of framing, `vague_terms`,
  `specific_terms`, `concepts`, `adopted_from`; `sentence_ids` as a list of ints);
- every date column keeps its text (YYYY, YYYY-MM or YYYY-MM-DD, '' when unknown, as in the
  CSV) and gains a `*_day` companion (`date` -> `day`, `first_date` -> `first_day`,
  `case_first_date` -> `case_first_day`): a pandas datetime, NaT when the date is partial
  or unknown, since a partial date is not a day;
- an empty table keeps these types.

`export` undoes `typed` exactly, so the CSV bytes never depend on which form was given.
"""
from __future__ import annotations

import pandas as pd

from . import schema

LIST_SEPARATOR = " | "
LIST_COLUMNS: dict[str, dict[str, str]] = {  # table -> column -> the separator of its items in the CSV
    "statements": {"sentence_ids": ";"},
    "disclosures": {name: LIST_SEPARATOR for name in ("values", "evidence", "polarities", "channels",
                                                      "internal_values")},
    "regulatory": {"facts": LIST_SEPARATOR, "disclosed_facts": LIST_SEPARATOR},
    "framing": {name: LIST_SEPARATOR for name in ("language", "vague_terms", "specific_terms", "concepts",
                                                  "adopted_from")},
}
INTEGER_LISTS = {("statements", "sentence_ids")}
DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("date",), "disclosures": ("first_date",), "timeline": ("first_date", "case_first_date"),
}


def day_column(name: str) -> str:
    """The datetime companion of a date column: date -> day, first_date -> first_day."""
    return name.replace("date", "day")


def _categories(table: str) -> dict[str, tuple[str, ...]]:
    """Column -> its allowed values, for the columns with a fixed set of them."""
    return {column.name: column.enum for column in schema.TABLES[table][1] if column.enum}


def _categorical(column: pd.Series, allowed: tuple[str, ...]) -> pd.Series:
    """A column as a categorical of the allowed values, in schema order.

    A value outside them (none is expected) is added after them rather than lost as a
    missing value: the CSV form must come back unchanged.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column
    others = sorted(set(column.dropna().tolist()) - set(allowed), key=str)
    return column.astype(pd.CategoricalDtype([*allowed, *others]))


def _split(cell: object, separator: str, integers: bool) -> object:
    """One CSV cell as a list ('' -> []); a list, or a missing value, as it is."""
    if not isinstance(cell, str):
        return cell
    items = cell.split(separator) if cell else []
    return [int(item) for item in items] if integers else items


def _join(cell: object, separator: str) -> object:
    """One list as its CSV cell; anything else as it is."""
    return separator.join(map(str, cell)) if isinstance(cell, list) else cell


def _first(column: pd.Series) -> object:
    """The first cell of a column, None when empty."""
    return column.iloc[0] if len(column) else None


def typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """A table in its notebook form (see the module docstring); a frame already typed is returned alike.

    Args:
        frame: the table, in CSV form (or already typed).
        table: its name in analyzer/schema.py.

    Returns:
        A new DataFrame; `frame` is not changed.
    """
    frame = frame.copy()
    if frame.empty:
        types = schema.dtypes(table)
        frame = frame.astype({name: types[name] for name in frame.columns if name in types})
    for name, allowed in _categories(table).items():
        if name in frame.columns:
            frame[name] = _categorical(frame[name], allowed)
    for name, separator in LIST_COLUMNS.get(table, {}).items():
        if name in frame.columns and not isinstance(_first(frame[name]), list):
            integers = (table, name) in INTEGER_LISTS
            frame[name] = pd.Series([_split(cell, separator, integers) for cell in frame[name].tolist()],
                                    index=frame.index, dtype=object)
    for name in DATE_COLUMNS.get(table, ()):
        if name in frame.columns:
            text = frame[name].astype(object).where(frame[name].notna(), "")
            day = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
            frame = frame.drop(columns=[day_column(name)], errors="ignore")
            frame.insert(frame.columns.get_loc(name) + 1, day_column(name), day.astype("datetime64[ns]"))
    return frame


def export(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """A table in its CSV form: categoricals as text, lists joined, the `*_day` companions dropped.

    A frame already in CSV form is returned as it is (not copied): this is on the path of
    every CSV written.
    """
    days = [day_column(name) for name in DATE_COLUMNS.get(table, ()) if day_column(name) in frame.columns]
    categorical = [name for name in frame.columns if isinstance(frame[name].dtype, pd.CategoricalDtype)]
    lists = [name for name in LIST_COLUMNS.get(table, {})  # any cell: a notebook may have set some to text
             if name in frame.columns and frame[name].dtype == object
             and any(isinstance(cell, list) for cell in frame[name].tolist())]
    if not (days or categorical or lists):
        return frame
    frame = frame.drop(columns=days)
    for name in categorical:  # back to the dtype of its text (str, or object before pandas 3)
        frame[name] = frame[name].astype(frame[name].dtype.categories.dtype)
    for name in lists:
        separator = LIST_COLUMNS[table][name]
        frame[name] = pd.Series([_join(cell, separator) for cell in frame[name].tolist()], index=frame.index,
                                dtype=object)
    return frame
