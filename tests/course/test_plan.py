"""How the round trip lays answers out in submissions (:func:`tests.course_tools.plan_submissions`),
on every notebook's own wrong and right answers: each answer graded once, no two answers
to one cell in a submission, and the wrong answers graded alone that each plan promises."""

from __future__ import annotations

import pytest

from tests.course_tools import PLANS, assignments, load_right_answers, load_wrong_answers, plan_submissions


@pytest.mark.parametrize("plan", PLANS)
@pytest.mark.parametrize("aid", assignments())
def test_plan_places_each_answer_once_and_keeps_its_promise(aid, plan):
    wrong, right = load_wrong_answers(aid), load_right_answers(aid)
    subs = plan_submissions(wrong, right, plan)
    placed = [item["name"] for sub in subs for item in sub["wrong"] + sub["right"]]
    expected = [item["name"] for item in wrong + right]
    assert sorted(placed) == sorted(expected), f"{plan}: answers placed {sorted(placed)}, expected {sorted(expected)}"
    for sub in subs:
        cells = [cell for item in sub["wrong"] + sub["right"] for cell in item["replace"]]
        assert len(cells) == len(set(cells)), f"{plan}: {sub['name']} replaces a cell twice: {sorted(cells)}"
        if sub["alone"]:
            assert len(sub["wrong"]) == 1, f"{plan}: {sub['name']} is alone but holds {len(sub['wrong'])} wrong answers"
    alone = [sub["wrong"][0]["name"] for sub in subs if sub["alone"]]
    exercises = {frozenset(item["replace"]) for item in wrong}
    if plan == "alone":
        assert sorted(alone) == sorted(item["name"] for item in wrong)
    elif plan == "per-exercise":
        firsts = {}
        for item in wrong:
            firsts.setdefault(frozenset(item["replace"]), item["name"])
        assert sorted(alone) == sorted(firsts.values()), \
            f"the first wrong answer to each of the {len(exercises)} exercises should be alone: {alone}"
    else:
        assert alone == [], f"packed grades no wrong answer alone, got {alone}"


def test_an_unknown_plan_is_refused():
    with pytest.raises(ValueError, match="plan must be one of"):
        plan_submissions([], [], "together")
