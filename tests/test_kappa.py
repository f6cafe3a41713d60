"""The quadratic-weighted Cohen's kappa, checked against examples worked out by hand."""

from __future__ import annotations

import pytest

from qaudit.moderation.kappa import confusion_matrix, quadratic_weights, weighted_kappa

GRADES = (1, 2, 3, 4)

# Six audits: (auditor's grade, moderator's grade).
PAIRS = [(1, 1), (2, 2), (2, 3), (3, 3), (3, 3), (4, 3)]


def test_confusion_matrix_counts_pairs_by_auditor_row_and_moderator_column() -> None:
    assert confusion_matrix(PAIRS, GRADES) == [
        [1, 0, 0, 0],
        [0, 1, 1, 0],
        [0, 0, 2, 0],
        [0, 0, 1, 0],
    ]


def test_quadratic_weights_for_four_grades() -> None:
    weights = quadratic_weights(4)
    assert weights[0] == pytest.approx([0, 1 / 9, 4 / 9, 1])
    assert weights[2][1] == pytest.approx(1 / 9)
    assert all(weights[i][i] == 0 for i in range(4))


def test_weighted_kappa_matches_the_hand_computed_example() -> None:
    # By hand, k = 4 grades, n = 6 pairs, weight w(i, j) = (i - j)^2 / 9.
    # Observed disagreement: the (2, 3) and (4, 3) pairs, each 1/9  -> sum w*O = 2/9.
    # Row totals (auditor) 1, 2, 2, 1; column totals (moderator) 1, 1, 4, 0.
    # sum over cells of w(i, j) * row_i * col_j:
    #   row 1: 1*1*(1/9) + 1*4*(4/9)             = 17/9
    #   row 2: 2*1*(1/9) + 2*4*(1/9)             = 10/9
    #   row 3: 2*1*(4/9) + 2*1*(1/9)             = 10/9
    #   row 4: 1*1*(9/9) + 1*1*(4/9) + 1*4*(1/9) = 17/9
    #   total 54/9 = 6; divided by n = 6         -> sum w*E = 1.
    # kappa = 1 - (2/9) / 1 = 7/9.
    assert weighted_kappa(PAIRS, GRADES) == pytest.approx(7 / 9)


def test_perfect_agreement_is_one_and_reversed_ratings_are_negative() -> None:
    assert weighted_kappa([(1, 1), (2, 2), (3, 3), (4, 4)], GRADES) == pytest.approx(1.0)
    # Fully reversed: sum w*O = 1 + 1/9 + 1/9 + 1 = 20/9. Rows and columns are all 1, so
    # sum w*E = (sum of all 16 weights) / 4 = (40/9) / 4 = 10/9; kappa = 1 - 2 = -1.
    assert weighted_kappa([(1, 4), (2, 3), (3, 2), (4, 1)], GRADES) == pytest.approx(-1.0)


def test_kappa_is_undefined_without_pairs_or_with_one_grade_only() -> None:
    assert weighted_kappa([], GRADES) is None
    assert weighted_kappa([(3, 3), (3, 3)], GRADES) is None


def test_a_grade_outside_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="outside the categories"):
        weighted_kappa([(3, "N/A")], GRADES)
