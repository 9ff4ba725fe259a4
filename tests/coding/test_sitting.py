"""A coding sitting on a bring-your-own corpus with its own codebook, driven through its widgets."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from analysis.coding.sample import allocate
from analysis.coding.sitting import agreement_with, coding_widget, estimator_table, open_session
from analysis.corpus import build_corpus, write_corpus
from analysis.errors import CorpusError
from analysis.frames.dsl import dsl_estimates

CODEBOOK = {
    "frames": [
        {"id": "economy", "label": "The economy", "definition": "Jobs, prices & trade <b>.", "cues": ["jobs"]},
        {"id": "security", "label": "Security", "definition": "Police, army and crime.", "cues": ["police"]},
    ]
}


@pytest.fixture
def corpus(byo, tmp_path):
    texts = {}
    for d in range(4):
        turns = []
        for k in range(5):
            turns.append(f"HOST: Question {k} of interview {d} about jobs?")
            turns.append(f"JANE DOE: Answer {k} in interview {d}: the police and the jobs.")
        texts[f"doc{d}.txt"] = "\n\n".join(turns) + "\n"
    rows = [
        {
            "doc_id": f"doc{d}",
            "file": f"doc{d}.txt",
            "outlet": f"O{d}",
            "audience": ["home", "abroad"][d % 2],
            "kind": "interview",
        }
        for d in range(4)
    ]
    cfg = byo(texts, rows, labels={"interviewer": ["HOST"]})
    processed = tmp_path / "processed"
    write_corpus(build_corpus(cfg), processed)
    codebook = cfg.parent / "codebook.yml"
    codebook.write_text(yaml.safe_dump(CODEBOOK), encoding="utf-8")
    return {"cfg": cfg, "processed": processed, "codebook": codebook, "coding": cfg.parent / "coding"}


def _open(corpus, coder="ana", n=10, seed=3):
    return open_session(coder, n, seed, corpus["processed"], corpus["codebook"], corpus["coding"], corpus["cfg"].parent)


def test_allocation_is_proportional_with_one_per_document():
    drawn = allocate(pd.Series({"a": 50, "b": 30, "c": 2}), 10)
    assert drawn.to_dict() == {"a": 6, "b": 3, "c": 1} and drawn.sum() == 10


def test_a_sitting_driven_by_its_widgets_saves_each_decision_and_resumes(corpus):
    session = _open(corpus)
    assert len(session.units) == 10 and session.units["doc_id"].nunique() == 4  # stratified by document
    assert (corpus["coding"] / "sample_seed3_n10.csv").exists()
    box = coding_widget(session)
    first = session.units.iloc[0]
    assert ("Question:" in box.text.value) == (first.role == "focal")
    box.checkboxes["economy"].value = True
    box.note.value = "prices"
    box.save.click()
    box.checkboxes["security"].value = True
    box.save.click()
    saved = pd.read_csv(session.path, dtype=str, keep_default_na=False)
    assert saved.to_dict("records")[0] == {"para_id": first.para_id, "frames": "economy", "note": "prices"}
    assert saved["frames"].tolist()[1] == "security"  # the first box was cleared for the next paragraph
    # A later sitting resumes at the third paragraph, with the same sample.
    again = _open(corpus)
    assert again.position() == 2 and again.units["para_id"].tolist() == session.units["para_id"].tolist()
    resumed = coding_widget(again)
    resumed.back.click()
    assert resumed.checkboxes["security"].value and not resumed.checkboxes["economy"].value


def test_another_coder_gets_a_file_of_their_own_and_agreement_is_alpha(corpus):
    ana, ben = _open(corpus, "ana"), _open(corpus, "ben")
    for i, pid in enumerate(ana.units["para_id"]):
        ana.record(pid, ["economy"] if i % 2 else ["security"])
        ben.record(pid, ["economy"] if i % 2 else ["security"] if i != 0 else [])
    assert ana.path != ben.path and ana.path.exists() and ben.path.exists()
    table = agreement_with(ana, ben.path, n_boot=50).set_index("frame")
    assert table.loc["economy", "alpha"] == pytest.approx(1.0)
    assert table.loc["security", "alpha"] < 1.0


def test_a_coder_file_from_another_sample_is_refused_not_overwritten(corpus):
    ana = _open(corpus, "ana", n=10, seed=3)
    ana.record(ana.units["para_id"].iat[0], ["economy"])
    before = ana.path.read_bytes()
    other = _open(corpus, "ana2", n=10, seed=4)
    outside = sorted(set(other.units["para_id"]) - set(ana.units["para_id"]))
    other.path.write_bytes(ana.path.read_bytes().replace(ana.units["para_id"].iat[0].encode(), b"nowhere-1-p1"))
    with pytest.raises(CorpusError, match="outside this sample"):
        _open(corpus, "ana2", n=10, seed=4)
    assert ana.path.read_bytes() == before and outside is not None
    with pytest.raises(ValueError, match="coder name"):
        _open(corpus, "../evil")


def test_the_coded_sample_feeds_the_estimator(corpus):
    session = _open(corpus, n=20)
    for pid in session.units["para_id"]:
        session.record(pid, ["economy"])
    from analysis.coding.units import coding_units
    from analysis.corpus import load_turns

    units = coding_units(load_turns(corpus["processed"], with_metadata=True), raw_dir=corpus["cfg"].parent)
    predicted = pd.DataFrame({"economy": 0, "security": 0}, index=units.index)
    table = estimator_table(session, units, predicted)
    per_doc = table.groupby("doc_id").agg(share=("sampled", "mean"), probability=("probability", "first"))
    assert table["sampled"].sum() == 20 and per_doc["share"].tolist() == per_doc["probability"].tolist()
    prevalence, _ = dsl_estimates(table, session.frame_ids, weight="paragraphs")
    # predictions all 0 and every coded paragraph 'economy': within each document the sampled
    # pseudo-outcomes 1/pi add up to its size, so the estimate is exactly 1
    assert prevalence.set_index(["frame", "group"])["estimate"].loc["economy"].tolist() == [1.0, 1.0]


def test_a_finished_sample_gives_audience_estimates_from_the_model_it_trains(corpus):
    from analysis.coding.sitting import session_estimates
    from analysis.coding.units import coding_units
    from analysis.corpus import load_turns
    from analysis.frames.codebook import load_codebook

    session = _open(corpus, n=16)
    units = coding_units(load_turns(corpus["processed"], with_metadata=True), raw_dir=corpus["cfg"].parent)
    codebook = load_codebook(corpus["codebook"])
    with pytest.raises(ValueError, match="0 of 16 sampled paragraphs coded"):
        session_estimates(session, units, codebook)
    for pid, role in zip(session.units["para_id"], session.units["role"]):
        session.record(pid, ["economy"] if role == "interviewer" else ["economy", "security"])
    table, prevalence, differences = session_estimates(session, units, codebook, n_splits=2)
    assert len(table) == len(units) and {"pred_economy", "pred_security"} <= set(table.columns)
    assert sorted(prevalence["group"].unique()) == ["abroad", "home"] and len(differences) == 2
    # every paragraph carries 'economy' in the coding and the model learns it: the estimate is 1
    assert prevalence.set_index(["frame", "group"])["estimate"].loc["economy"].round(6).tolist() == [1.0, 1.0]
