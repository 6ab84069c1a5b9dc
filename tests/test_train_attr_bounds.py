"""The boundary training script's choice of the content edge model's weights and gate."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("train_attr_bounds")


def _row(lead: float, plain_right: bool, edge_right: bool, sure: float = 0.9) -> tuple:
    """One held-out span with two candidates per edge: the linear score puts
    the first ahead by ``lead``; the edge model gives the gold one
    probability ``sure`` (or ``1 - sure`` where it is wrong)."""
    gold = np.array([1, 0]) if plain_right else np.array([0, 1])
    lin = np.array([lead, 0.0])
    p_first = sure if (gold[0] == 1) == edge_right else 1 - sure
    edge = np.log(np.array([p_first, 1 - p_first]))
    part = (lin, np.zeros(2), np.zeros(2), edge, gold)
    return (part, part)


def test_of_gates_that_get_as_many_edges_right_the_smallest_is_chosen(script):
    # close calls (lead 0.2) the edge model gets right and the linear model wrong;
    # clear leads (lead 5) both get right
    rows = [_row(0.2, False, True) for _ in range(10)] + [_row(5.0, True, True) for _ in range(30)]
    chosen = script._choose_edges(rows, [(0.0, 0.0), (0.0, 0.0)])
    assert chosen["edge_gate"] == 0.5
    assert chosen["edge_start"] > 0 and chosen["edge_end"] > 0


def test_a_gate_over_the_budget_is_never_chosen(script, capsys):
    # the edge model helps only on spans the linear model leads by 5: only
    # a gate of 6 reaches them, and it asks about more than the budget
    rows = [_row(5.0, False, True) for _ in range(10)] + [_row(0.2, True, True) for _ in range(5)]
    rows += [_row(10.0, True, True) for _ in range(25)]
    chosen = script._choose_edges(rows, [(0.0, 0.0), (0.0, 0.0)])
    assert chosen["edge_gate"] is not None and chosen["edge_gate"] < 5.0
    assert "6.0    37.5%" in capsys.readouterr().out


def test_weights_suit_the_spans_the_gate_asks_about(script):
    # close calls the edge model gets right only when weighed heavily, and
    # leads of 1 where it is wrong and sure: asked about everything, it is
    # best left out; asked about close calls only, it is weighed heavily
    rows = [_row(0.2, False, True, sure=0.55) for _ in range(10)] + [_row(1.0, True, False) for _ in range(30)]
    chosen = script._choose_edges(rows, [(0.0, 0.0), (0.0, 0.0)])
    assert chosen["edge_gate"] == 0.5
    assert chosen["edge_start"] >= 1.0 and chosen["edge_end"] >= 1.0
