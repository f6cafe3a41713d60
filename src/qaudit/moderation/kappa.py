"""Cohen's kappa with quadratic weights: how far two raters agree beyond chance on an ordered scale.

Pure arithmetic, no numpy: ``weighted_kappa(pairs, categories)``. With ``k`` ordered categories
and ``n`` pairs, the disagreement weight of cell ``(i, j)`` is ``(i - j)**2 / (k - 1)**2``;
observed counts ``O`` and the counts expected by chance ``E[i][j] = row_i * col_j / n`` give

    kappa = 1 - sum(w * O) / sum(w * E)

1 is perfect agreement, 0 agreement no better than chance, below 0 worse than chance. When the
raters used a single category between them, ``sum(w * E)`` is 0 and kappa is undefined (None).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence


def confusion_matrix(pairs: Iterable[tuple[Hashable, Hashable]],
                     categories: Sequence[Hashable]) -> list[list[int]]:
    """Counts of (first rater, second rater) pairs; rows the first rater, columns the second.

    A pair naming a value outside ``categories`` raises ValueError (the caller filters N/A).
    """
    index = {category: position for position, category in enumerate(categories)}
    matrix = [[0] * len(categories) for _ in categories]
    for first, second in pairs:
        if first not in index or second not in index:
            raise ValueError(f"pair ({first!r}, {second!r}) is outside the categories "
                             f"{list(categories)!r}")
        matrix[index[first]][index[second]] += 1
    return matrix


def quadratic_weights(size: int) -> list[list[float]]:
    """Disagreement weights ``(i - j)**2 / (size - 1)**2``; 0 on the diagonal."""
    if size < 2:
        return [[0.0] * size for _ in range(size)]
    scale = (size - 1) ** 2
    return [[(i - j) ** 2 / scale for j in range(size)] for i in range(size)]


def weighted_kappa(pairs: Iterable[tuple[Hashable, Hashable]],
                   categories: Sequence[Hashable]) -> float | None:
    """Quadratic-weighted Cohen's kappa, or None when it is undefined (no pairs, one category)."""
    matrix = confusion_matrix(pairs, categories)
    total = sum(sum(row) for row in matrix)
    if total == 0:
        return None
    weights = quadratic_weights(len(categories))
    rows = [sum(row) for row in matrix]
    columns = [sum(matrix[i][j] for i in range(len(categories))) for j in range(len(categories))]
    observed = 0.0
    expected = 0.0
    for i in range(len(categories)):
        for j in range(len(categories)):
            observed += weights[i][j] * matrix[i][j]
            expected += weights[i][j] * rows[i] * columns[j] / total
    if expected == 0:
        return None
    return 1 - observed / expected
