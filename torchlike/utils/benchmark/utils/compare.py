"""torch.utils.benchmark.Compare: many measurements as text tables, one per label.

Rows are (num_threads, env, sub_label or stmt) in first-seen order, grouped by thread count;
columns are descriptions. Numbers share one unit per table and one format per column.
"""

from __future__ import annotations

import enum

import numpy as np

from .common import Measurement, select_unit, trim_sigfig, unit_to_english

__all__ = ["Colorize", "Compare"]

_BEST, _GOOD, _BAD, _VERY_BAD = "\033[92m", "\033[34m", "\033[2m\033[91m", "\033[31m"
_BOLD, _END = "\033[1m", "\033[0m"


class Colorize(enum.Enum):
    NONE = "none"
    COLUMNWISE = "columnwise"
    ROWWISE = "rowwise"


def _leading_digits(value: float) -> int:
    # (computed in float32, as PyTorch does it with a tensor)
    return int(np.ceil(np.log10(np.float32(value))))


class _ColumnFormat:
    """How one column writes its numbers: the same width and decimals in every row."""

    def __init__(self, results: list, scale: float, trim: bool, highlight: bool):
        present = [m for m in results if m is not None]
        self.trim = trim
        self.highlight = highlight and any(m.has_warnings for m in present)
        digits = [_leading_digits(m.median / scale) for m in present]
        decimals = min(max(m.significant_figures - d, 0) for m, d in zip(present, digits)) if trim else 1
        width = max(digits) + decimals + (1 if decimals else 0)
        self.number = f"{{:>{width}.{decimals}f}}"
        self.note = f"{{:>{7 if self.highlight else 0}}}"

    def text(self, value, sigfigs: int, spread) -> str:
        if value is None:
            return " " * len(self.text(1, sigfigs, None))
        if self.trim:
            value = trim_sigfig(value, sigfigs)
        note = f" (! {spread * 100:.0f}%)" if self.highlight and spread is not None else ""
        return self.number.format(value) + self.note.format(note)


def _color(text: str, value: float, best: float) -> str:
    if value <= best * 1.01 or value <= best + 100e-9:
        return _BEST + _BOLD + text + _END * 2
    if value <= best * 1.1:
        return _GOOD + _BOLD + text + _END * 2
    if value >= best * 5:
        return _VERY_BAD + _BOLD + text + _END * 2
    if value >= best * 2:
        return _BAD + text + _END * 2
    return text


def _unique(items: list) -> list:
    return list(dict.fromkeys(items))


def _table(results: list[Measurement], colorize: Colorize, trim: bool, highlight: bool) -> str:
    unit, scale = select_unit(min(m.median for m in results))
    row_keys = _unique([(m.num_threads, m.env, m.as_row_name) for m in results])
    row_keys.sort(key=lambda k: k[:2])  # stable: statements keep their order
    col_keys = _unique([m.description for m in results])
    cells = {((m.num_threads, m.env, m.as_row_name), m.description): m for m in results}
    grid = [[cells.get((r, c)) for c in col_keys] for r in row_keys]

    envs = {m.env for m in results}
    show_env = len(envs) > 1
    env_width = max(len(e) for e in envs) if show_env else 0
    groups = []  # row indices per thread count
    for i, key in enumerate(row_keys):
        if i == 0 or key[0] != row_keys[i - 1][0]:
            groups.append([])
        groups[-1].append(i)
    formats = [_ColumnFormat([row[j] for row in grid], scale, trim, highlight) for j in range(len(col_keys))]

    lines = [[""] + [str(c) for c in col_keys]]
    prior_env = None
    for i, (key, row) in enumerate(zip(row_keys, grid)):
        if i == 0 or key[0] != row_keys[i - 1][0]:
            prior_env = ""
        env = f"({key[1]})" if show_env and key[1] != prior_env else ""
        prior_env = key[1]
        first = next(m for m in row if m is not None)
        line = ["  " + env.ljust(env_width + 4) + first.as_row_name]
        for m, fmt in zip(row, formats):
            if m is None:
                line.append(fmt.text(None, 1, None))
            else:
                line.append(fmt.text(m.median / scale, m.significant_figures,
                                     m.iqr / m.median if m.has_warnings else None))
        lines.append(line)
    n_cols = max(len(line) for line in lines)
    for line in lines:
        line.extend([""] * (n_cols - len(line)))
    widths = [max(len(s) for s in col) for col in zip(*lines)]
    header = "  |  ".join(s.center(w) for s, w in zip(lines[0], widths))
    out = [header]
    group_of = {i: g for g, rows in enumerate(groups) for i in rows}
    for i, (key, row, line) in enumerate(zip(row_keys, grid, lines[1:])):
        if i == 0 or key[0] != row_keys[i - 1][0]:
            out.append(f"{key[0]} threads: ".ljust(len(header), "-"))
        if colorize is Colorize.ROWWISE:
            best = [min(m.median for m in row if m is not None)] * len(row)
        elif colorize is Colorize.COLUMNWISE:
            members = groups[group_of[i]]
            best = [min((grid[r][j].median for r in members if grid[r][j] is not None), default=None)
                    for j in range(len(col_keys))]
        parts = [line[0].ljust(widths[0])]
        for j, (s, w) in enumerate(zip(line[1:], widths[1:])):
            s = s.center(w)
            m = row[j] if j < len(row) else None
            if colorize is not Colorize.NONE and m is not None and best[j] is not None:
                s = _color(s, m.median, best[j])
            parts.append(s)
        out.append("  |  ".join(parts))
    label = results[0].label
    text = f"[{(' ' + (label or '') + ' ').center(len(header) - 2, '-')}]\n" + "\n".join(out)
    text += f"\n\nTimes are in {unit_to_english(unit)}s ({unit}).\n"
    if highlight and any(m.has_warnings for m in results):
        text += "(! XX%) Measurement has high variance, where XX is the IQR / median * 100.\n"
    return text


class Compare:
    """The results of many measurements as formatted tables (one per ``label``; rows from
    ``num_threads``, ``env`` and ``sub_label``, columns from ``description``)."""

    def __init__(self, results: list[Measurement]) -> None:
        self._results: list[Measurement] = []
        self.extend_results(results)
        self._trim_significant_figures = False
        self._colorize = Colorize.NONE
        self._highlight_warnings = False

    def __str__(self) -> str:
        return "\n".join(self._render())

    def extend_results(self, results) -> None:
        for r in results:
            if not isinstance(r, Measurement):
                raise ValueError(f"Expected an instance of `Measurement`, got {type(r)} instead.")
        self._results.extend(results)

    def trim_significant_figures(self) -> None:
        self._trim_significant_figures = True

    def colorize(self, rowwise=False) -> None:
        self._colorize = Colorize.ROWWISE if rowwise else Colorize.COLUMNWISE

    def highlight_warnings(self) -> None:
        self._highlight_warnings = True

    def print(self) -> None:
        print(str(self))

    def _render(self) -> list[str]:
        by_label: dict = {}
        for m in Measurement.merge(self._results):
            by_label.setdefault(m.label, []).append(m)
        return [_table(group, self._colorize, self._trim_significant_figures, self._highlight_warnings)
                for group in by_label.values()]
