"""The intrusion sitting of 06_code: answers saved at once in the readers' format, resumed later,
driven through its widgets."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.coding.intrusion import TASK_COLUMNS, load_answers
from analysis.coding.intrusion_sitting import intrusion_widget, open_intrusion_session, task_html
from analysis.errors import CorpusError

ROWS = [
    ("nmf-w1", "word", "", "oil", "gas", "pipeline", "brother", "energy", "projects"),
    ("nmf-t1", "topic", "We <b>liberated</b> the city.", "lands, villages", "oil, gas", "turkey, brother", "", "", ""),
    ("nmf-w2", "word", "", "a", "b", "c", "d", "e", "f"),
]


@pytest.fixture
def folder(tmp_path):
    pd.DataFrame(ROWS, columns=TASK_COLUMNS).to_csv(tmp_path / "tasks_nmf.csv", index=False)
    return tmp_path


def test_answers_are_saved_at_once_and_a_later_sitting_resumes(folder):
    sitting = open_intrusion_session("reader-1", "nmf", folder)
    assert sitting.position() == 0 and not sitting.path.exists()
    sitting.record("nmf-w1", 4)
    sitting.record("nmf-t1", 2)
    assert sitting.path.read_text() == "task_id,answer\nnmf-w1,4\nnmf-t1,2\n"
    later = open_intrusion_session("reader-1", "nmf", folder)
    assert later.answers == {"nmf-w1": 4, "nmf-t1": 2} and later.position() == 2
    # the file is what 03 reads, under the coder's name
    assert load_answers(folder, "nmf").to_dict("list") == {
        "coder": ["reader-1"] * 2, "task_id": ["nmf-w1", "nmf-t1"], "answer": [4, 2]
    }  # fmt: skip
    with pytest.raises(ValueError, match="from 1 to 3"):
        later.record("nmf-t1", 4)
    with pytest.raises(ValueError, match="coder name"):
        open_intrusion_session("../x", "nmf", folder)


def test_a_damaged_answer_file_is_refused_not_overwritten(folder):
    (folder / "answers_nmf_ana.csv").write_text("task_id,answer\nnmf-w9,1\n")
    with pytest.raises(CorpusError, match="not in the task file"):
        open_intrusion_session("ana", "nmf", folder)
    assert (folder / "answers_nmf_ana.csv").read_text() == "task_id,answer\nnmf-w9,1\n"


def test_the_widget_saves_each_answer_and_goes_back(folder):
    sitting = open_intrusion_session("ana", "nmf", folder)
    box = intrusion_widget(sitting)
    assert list(box.choice.options) == ["1", "2", "3", "4", "5", "6"] and "pipeline" in box.text.value
    box.save.click()  # nothing chosen: nothing saved, the task stays
    assert not sitting.path.exists() and "1 of 3" in box.text.value
    box.choice.value = "4"
    box.save.click()
    assert list(box.choice.options) == ["1", "2", "3"]
    assert "&lt;b&gt;liberated&lt;/b&gt;" in box.text.value  # the passage is text, never markup
    box.choice.value = "2"
    box.save.click()
    box.back.click()
    assert box.choice.value == "2"
    box.choice.value = "3"
    box.save.click()
    assert sitting.path.read_text() == "task_id,answer\nnmf-w1,4\nnmf-t1,3\n"
    resumed = intrusion_widget(open_intrusion_session("ana", "nmf", folder))
    assert "3 of 3" in resumed.text.value and "2 of 3 answered" in resumed.status.value


def test_a_task_is_shown_escaped_with_numbered_options():
    row = pd.Series(dict(zip(TASK_COLUMNS, ROWS[1])))
    shown = task_html(row, 1, 3)
    assert "2 of 3" in shown and shown.count("<li>") == 3 and "<b>liberated" not in shown
