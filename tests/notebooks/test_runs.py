"""Every notebook runs headless in its own kernel, with parameters other than the report's, on a copy
of the seed corpus.
"""

from __future__ import annotations

import json
import re

import pytest

from analysis import config
from tests.measures.test_topics import numbering_disagreements


@pytest.fixture(scope="module")
def processed(seed, tmp_path_factory):
    """The seed corpus tables written to a temporary folder."""
    from analysis.corpus import write_corpus

    folder = tmp_path_factory.mktemp("processed")
    write_corpus(seed, folder)
    return folder


# Each analysis notebook, run headless with parameters that keep it quick; outputs go to tmp.
QUICK_RUNS = [
    (
        "02_keyness.ipynb",
        {"group_a": "russian", "group_b": "rest", "n_resamples": 199, "role": "focal", "unit": "turn"},
    ),
    (
        "03_topics.ipynb",
        {
            "method": "lda",
            "k_grid": [3, 5],
            "n_seeds": 2,
            "n_resamples": 99,
            "comparisons": [["turkish", "russian"]],
        },
    ),
    ("04_framing_1_measure.ipynb", {"audiences": ["turkish", "western"], "weight": "words", "n_boot": 99}),
    (
        "04_framing_2_audiences.ipynb",
        {"audiences": ["turkish", "western"], "weight": "words", "n_resamples": 99, "n_boot": 99, "n_permutations": 9},
    ),
    (
        "04_framing_3_model.ipynb",
        {
            "audiences": ["turkish", "western"],
            "weight": "words",
            "n_boot": 99,
            "model_folds": 3,
            "learning_shares": [0.5, 1.0],
        },
    ),
    ("05_explore.ipynb", {"query": "liberat*", "n_topics": 4, "frame": "turkey", "static_preview": False}),
    ("06_code.ipynb", {"coder": "tester", "sample_size": 30, "seed": 5, "static_preview": False}),
]


@pytest.mark.parametrize("name, parameters", QUICK_RUNS, ids=[n for n, _ in QUICK_RUNS])
def test_notebook_runs_headless_with_other_parameters(name, parameters, processed, tmp_path):
    import papermill

    from analysis.report.kernels import IPCKernelManager

    figures = tmp_path / "figures"
    figures.mkdir()
    if name.startswith("06"):  # the coding notebook writes its sample into the coding folder given
        parameters = {**parameters, "coding_dir": str(tmp_path / "coding")}
    papermill.execute_notebook(
        str(config.NOTEBOOKS / name),
        str(tmp_path / name),
        cwd=str(config.NOTEBOOKS),
        parameters={**parameters, "processed_dir": str(processed), "figures_dir": str(figures)},
        progress_bar=False,
        log_output=False,
        kernel_name="python3",
        kernel_manager_class=IPCKernelManager,  # no TCP port to race for
        # A cell of these quick runs takes seconds; a limit turns any stall into a failure that names
        # the cell instead of a stalled CI (the lost wake-ups that once stalled 05_explore's widget run
        # are handled by analysis.report.kernels.SteadyChannel).
        execution_timeout=600,
    )
    assert progress_output(tmp_path / name) == []
    written = {p.name for p in figures.iterdir()}
    if name.startswith("02"):
        # The unit is in the name: a run by turns never overwrites the run by interviews.
        names = {
            "keyness_russian_vs_rest_turn.png",
            "keyness_russian_vs_rest_turn.svg",
            "keyness_russian_vs_rest_turn.csv",
        }
        assert names <= written
    elif name.startswith("05"):
        assert written == set()  # exploration writes nothing
    elif name.startswith("06"):
        assert written == set() and [p.name for p in (tmp_path / "coding").iterdir()] == ["sample_seed5_n30.csv"]
    elif name.startswith("04_framing_1"):
        assert {
            "framing_reliability_words.csv",
            "framing_disagreements_words.csv",
            "framing_examples_words.csv",
        } <= written
    elif name.startswith("04_framing_2"):
        assert {
            "framing_validation_words.csv",
            "framing_summary_words.csv",
            "framing_by_audience_words.png",
            "framing_interviews_words.png",
            "framing_questions_by_audience_words.png",
            "framing_timeline_words.png",
            "framing_robustness_words.csv",
            "framing_robustness_claims_words.csv",
            "framing_positivity_words.csv",
            "framing_models_given_question_words.csv",
            "framing_detector_errors_by_audience_words.csv",
            "framing_classifier_words.csv",
        } <= written
    elif name.startswith("04_framing_3"):
        assert {
            "framing_model_evaluation_words.csv",
            "framing_model_learning_curve_words.png",
            "framing_dsl_recovery_words.csv",
        } <= written
    else:
        assert {
            "topics_lda_grid.png",
            "topics_lda_by_audience.png",
            "topics_lda_differences.png",
            "topics_lda_top_words.csv",
        } <= written
        assert numbering_disagreements(figures, "topics_lda") == []


def progress_output(path) -> list[str]:
    """The stream outputs of an executed notebook that look like a progress bar (tqdm's "NN%|")."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    texts = [
        "".join(o.get("text", "")) for c in cells for o in c.get("outputs", []) if o.get("output_type") == "stream"
    ]
    return [t for t in texts if re.search(r"\d+%\|", t)]
