"""Bad input gets one clear line naming file, line and remedy, and nothing is written."""

from __future__ import annotations

import re

import pytest

from analysis.corpus import build_corpus
from analysis.errors import CorpusError

GOOD = "HOST: Question?\n\nJANE DOE: Answer.\n"
ROW = {"doc_id": "a", "file": "a.txt", "outlet": "Daily", "audience": "home"}


def refused(cfg, pattern):
    with pytest.raises(CorpusError, match=pattern) as info:
        build_corpus(cfg)
    message = str(info.value)
    # one line per problem (every problem of a corpus is listed in one run)
    assert all(". Fix: " in line for line in message.split("\n"))
    return message


def test_not_utf8_names_the_line(byo):
    body = "HOST: Question?\n\nJANE DOE: Caf\xe9 answer.\n".encode("latin-1")
    message = refused(byo({"a.txt": body}), r"a\.txt:3: is not valid UTF-8 \(byte 0xe9 at column 14\)")
    assert "iconv" in message


def test_empty_file(byo):
    refused(byo({"a.txt": "  \n\n"}), r"a\.txt: is empty")


def test_binary_junk(byo):
    refused(byo({"a.txt": b"HOST: hi\n\x00\x01\x02\xff"}), r"a\.txt:2: contains NUL bytes")


def test_transcript_without_metadata_row(byo):
    refused(byo({"a.txt": GOOD, "b.txt": GOOD}, [ROW]), r"b\.txt: this transcript has no row in the metadata table")


def test_metadata_row_for_a_missing_file(byo):
    refused(
        byo({"a.txt": GOOD}, [ROW, {**ROW, "doc_id": "b", "file": "gone.txt"}]),
        r"metadata\.csv:3: file 'gone\.txt' of document 'b' does not exist",
    )


def test_two_documents_with_the_same_id(byo):
    refused(
        byo({"a.txt": GOOD, "b.txt": GOOD}, [ROW, {**ROW, "file": "b.txt"}]),
        r"metadata\.csv:3: doc_id 'a' is used twice \(also on line 2\)",
    )


def test_unknown_audience_group(byo):
    refused(
        byo({"a.txt": GOOD}, [{**ROW, "audience": "martian"}]),
        r"metadata\.csv:2: audience 'martian' of 'a' is not one of the config's audience_groups",
    )


def test_date_that_does_not_parse(byo):
    refused(
        byo({"a.txt": GOOD}, [{**ROW, "date": "5 Nov 2020"}]),
        r"metadata\.csv:2: date '5 Nov 2020' of 'a' does not parse",
    )


def test_missing_required_column(byo):
    refused(
        byo({"a.txt": GOOD}, [{"doc_id": "a", "file": "a.txt", "outlet": "Daily"}]),
        r"metadata\.csv:1: metadata table lacks column\(s\) audience",
    )


def test_paragraph_with_no_speaker(byo):
    refused(byo({"a.txt": "HOST: Question?\n\nAn answer nobody said.\n"}), r"a\.txt:3: paragraph has no speaker label")


def test_label_followed_by_nothing_is_a_warning_with_its_line(byo):
    with pytest.warns(UserWarning, match=r"a\.txt:5: speaker label 'JANE DOE:' is followed by no text"):
        corpus = build_corpus(byo({"a.txt": "HOST: Question?\n\nJANE DOE: Yes.\n\nJANE DOE:\n"}))
    assert corpus.dropped["text"].tolist() == ["JANE DOE:"]


def test_unknown_config_key_and_bad_yaml(byo, tmp_path):
    refused(
        byo({"a.txt": GOOD}, focal_speeker="typo"),
        r"corpus\.yml:\d+: unknown key 'focal_speeker'\. Fix: did you mean 'focal_speaker'\?",
    )
    bad = tmp_path / "bad.yml"
    bad.write_text("name: x\nfocal_speaker: [unclosed\n", encoding="utf-8")
    refused(bad, r"bad\.yml:\d+: is not valid YAML")


def compilation_corpus(byo, text, headers):
    rows = [{**ROW, "doc_id": f"d{i}", "file": "c.txt", "header": h} for i, h in enumerate(headers)]
    return byo(
        {"c.txt": text},
        rows,
        readers={"c.txt": "compilation"},
        labels={"focal": ["President Jane Doe"], "interviewer": ["Host"]},
        compilation={"header_pattern": r"^Jane Doe was interviewed by"},
    )


def test_compilation_splits_by_header_lines(byo):
    text = (
        "Jane Doe was interviewed by Daily\n\n- Q?\n\n- A.\n\n\nJane Doe was interviewed by Weekly\n\n"
        "Host: Q2?\n\nPresident Jane Doe: A2.\n"
    )
    corpus = build_corpus(
        compilation_corpus(byo, text, ["Jane Doe was interviewed by Daily", "Jane Doe was interviewed by Weekly"])
    )
    assert corpus.turns.groupby("doc_id")["role"].apply(list).to_dict() == {
        "d0": ["interviewer", "focal"],
        "d1": ["interviewer", "focal"],
    }
    assert corpus.documents["title"].tolist() == [
        "Jane Doe was interviewed by Daily",
        "Jane Doe was interviewed by Weekly",
    ]


def test_compilation_header_that_cannot_be_found(byo):
    text = "Jane Doe was interviewed by Daily\n\n- Q?\n\n- A.\n"
    refused(
        compilation_corpus(byo, text, ["Jane Doe was interviewed by Daily", "Jane Doe was interviewed by Weekly"]),
        r"metadata\.csv:3: header of 'd1' was not found in c\.txt",
    )


def test_compilation_header_without_metadata_row(byo):
    text = "Jane Doe was interviewed by Daily\n\n- Q?\n\n- A.\n\nJane Doe was interviewed by Monthly\n\n- Q?\n"
    refused(
        compilation_corpus(byo, text, ["Jane Doe was interviewed by Daily"]),
        r"c\.txt:7: document header 'Jane Doe was interviewed by Monthly' has no metadata row",
    )


def test_compilation_without_any_header(byo):
    refused(
        compilation_corpus(byo, "- Q?\n\n- A.\n", ["Jane Doe was interviewed by Daily"]),
        r"c\.txt: no document header found",
    )


def test_stale_correction_is_reported(byo):
    cfg = byo(
        {"a.txt": GOOD, "corrections.csv": "source_file,line,role,speaker,segment,reason\na.txt,2,focal,,,why\n"},
        corrections="corrections.csv",
    )
    refused(cfg, r"corrections\.csv:2: correction for a\.txt line 2 matches no paragraph start")


def test_focal_speaker_who_never_speaks(byo):
    cfg = byo({"a.txt": "HOST: Hello?\n\nGUEST: Hi.\n"})
    message = refused(cfg, "never speaks in any document")
    assert "corpus.yml" in message and "GUEST" in message


def test_a_huge_single_line_is_read(byo):
    answer = "word " * 200_000  # one million characters on one line
    corpus = build_corpus(byo({"a.txt": f"HOST: Question?\n\nJANE DOE: {answer}\n"}))
    focal = corpus.turns[corpus.turns["role"] == "focal"]
    assert focal["n_words"].tolist() == [200_000]


@pytest.mark.parametrize(
    "key, value, message",
    [
        # Each of these was taken silently (labels J and D; "false" as true) or ended in a traceback.
        ("labels", {"focal": "JD"}, r"`labels\.focal` must be a list, not the text 'JD'"),
        (
            "continuation",
            "false",
            r"`continuation` must be true or false, not the text 'false'\. Fix: .*without quotes",
        ),
        ("metadata", 5, r"`metadata` must be text, not the number 5"),
        ("readers", ["a"], r"`readers` must be a mapping \(key: value\), not a list"),
        ("compilation", True, r"`compilation` must be a mapping \(key: value\), not true"),
        ("focal_speaker", 7, r"`focal_speaker` must be text, not the number 7\. Fix: put the value in quotes"),
        ("focal_speaker", ["Jane", "Doe"], r"`focal_speaker` must be text, not a list"),
        ("kinds", "interview", r"`kinds` must be a list, not the text 'interview'\. Fix: write e\.g\. `kinds: \["),
        ("unknown_speakers", "nobody", r"`unknown_speakers: nobody` is not allowed\. Fix: use one of interviewer"),
        ("readers", {"a.txt": "interviw"}, r"`readers\.a\.txt: interviw` is not allowed\. Fix: use one of interview,"),
        (
            "audience_groups",
            ["home", "../../ESCAPED"],
            r"`audience_groups\[1\]` '\.\./\.\./ESCAPED' is not a plain name",
        ),
        ("audience_groups", ["home", "<b>west</b>"], r"`audience_groups\[1\]` '<b>west</b>' is not a plain name"),
        ("boilerplate", [{"pattern": "x"}], r"missing required key 'reason' in `boilerplate\[0\]`"),
    ],
)
def test_config_value_of_the_wrong_type_is_refused_with_its_line(byo, key, value, message):
    message = refused(byo({"a.txt": GOOD}, **{key: value}), r"corpus\.yml:\d+: " + message)
    assert "Traceback" not in message


@pytest.mark.parametrize(
    "groups, message",
    [
        # `group_b: rest` in 02_keyness meant every other group (n = 4 instead of 2) under the name
        # keyness_home_vs_rest; the explorer's audience `all` meant every group.
        (
            ["home", "rest"],
            r"corpus\.yml:5: audience group 'rest' is a reserved word: the report reads `group_b: rest`",
        ),
        (["home", "All"], r"corpus\.yml:5: audience group 'All' is a reserved word"),
        # Both wrote keyness_..._North_America...: the default report failed with "give each run its own name".
        (
            ["home", "North America", "North_America"],
            r"corpus\.yml:6: audience groups 'North America' and 'North_America' would name the same output files "
            r"\(North_America\)\. Fix: give each group a name of its own, in `audience_groups` and in metadata\.csv",
        ),
        (["home", "Abroad", "abroad"], r"corpus\.yml:6: audience groups 'Abroad' and 'abroad' would name the same"),
    ],
)
def test_groups_the_report_could_not_tell_apart_are_refused_with_their_line(byo, groups, message):
    refused(byo({"a.txt": GOOD}, audience_groups=groups), message)


def test_groups_renamed_as_the_remedy_says_get_the_default_report(byo):
    from analysis.report.rules import default_runs

    cfg = byo({"a.txt": GOOD}, audience_groups=["home", "North America", "North_America_2"])
    names = [run.name for run in default_runs(cfg) if run.name.startswith("02_keyness")]
    assert len(names) == len(set(names)) == 3


def test_config_missing_a_required_key_is_refused(byo):
    cfg = byo({"a.txt": GOOD})
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("focal_speaker: Jane Doe\n", ""), encoding="utf-8")
    refused(cfg, r"corpus\.yml: missing required key 'focal_speaker'\. Fix: write e\.g\. `focal_speaker: Jane Doe`")


def test_config_key_given_twice_is_refused(byo):
    cfg = byo({"a.txt": GOOD})
    cfg.write_text(cfg.read_text(encoding="utf-8") + "name: again\n", encoding="utf-8")
    refused(cfg, r"corpus\.yml:\d+: key 'name' appears twice \(also on line 1\)")


def test_date_marker_without_a_date_group_is_refused(byo):
    refused(
        byo({"a.txt": GOOD}, date_marker=r"^date \d{4}-\d{2}-\d{2}"),
        r"corpus\.yml:\d+: `date_marker` has no \(\?P<date>\.\.\.\) group",
    )


def test_bad_regular_expression_in_config_names_its_line(byo):
    refused(
        byo({"a.txt": GOOD}, boilerplate=[{"pattern": "(unclosed", "reason": "x"}]),
        r"corpus\.yml:\d+: `boilerplate\[0\]\.pattern` is not a valid regular expression",
    )


def test_utf16_transcript_is_named_as_utf16_with_the_iconv_remedy(byo):
    message = refused(byo({"a.txt": GOOD.encode("utf-16")}), r"a\.txt: is encoded as UTF-16 little-endian, not UTF-8")
    assert "iconv -f UTF-16 -t UTF-8" in message
    message = refused(byo({"a.txt": GOOD.encode("utf-16-be")}), r"a\.txt: is encoded as UTF-16 big-endian")
    assert "iconv -f UTF-16BE -t UTF-8" in message


def test_byte_order_mark_inside_a_file_is_shown_visibly(byo):
    message = refused(
        byo({"a.txt": "HOST: Question?\n\n\ufeffJANE DOE: Answer.\n"}),
        r"a\.txt:3: holds an invisible byte-order mark \(U\+FEFF\) at column 1",
    )
    assert "\ufeff" not in message


def test_invisible_characters_quoted_in_a_message_are_written_visibly(byo):
    message = refused(
        byo({"a.txt": "HOST: Question?\n\n\u200bAn answer.\n"}), r"a\.txt:3: paragraph has no speaker label"
    )
    assert "<U+200B>An answer." in message and "\u200b" not in message


# --- transcripts stay inside the corpus folder ------------------------------------------------


def test_metadata_file_that_climbs_out_of_the_corpus_folder_is_refused_unread(byo):
    message = refused(
        byo({"a.txt": GOOD}, [{**ROW, "file": "../../../../../../../../etc/passwd"}]),
        r"metadata\.csv:2: file '\.\./\.\./.*etc/passwd' of document 'a' is outside the corpus folder",
    )
    assert "root:x:0" not in message and "/bin/" not in message


def test_metadata_file_with_an_absolute_path_is_refused(byo, tmp_path):
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text(GOOD, encoding="utf-8")
    cfg = byo({"a.txt": GOOD}, [ROW, {**ROW, "doc_id": "b", "file": str(elsewhere)}])
    refused(cfg, r"metadata\.csv:3: file '.*elsewhere\.txt' of document 'b' is outside the corpus folder")


def test_symbolic_link_to_a_file_outside_the_corpus_folder_is_refused(byo, tmp_path):
    elsewhere = tmp_path / "secret.txt"
    elsewhere.write_text("HOST: secret?\n\nJANE DOE: Secret.\n", encoding="utf-8")
    cfg = byo({"a.txt": GOOD}, [ROW, {**ROW, "doc_id": "b", "file": "link.txt"}])
    (cfg.parent / "link.txt").symlink_to(elsewhere)
    refused(cfg, r"metadata\.csv:3: file 'link\.txt' of document 'b' is outside the corpus folder")


def test_config_table_outside_the_corpus_folder_is_refused(byo):
    refused(
        byo({"a.txt": GOOD}, metadata="../../../../etc/passwd"),
        r"corpus\.yml:\d+: `metadata: \.\./.*` points outside the corpus folder",
    )


# --- metadata tables: every cell kept as written, every defect named ------------------------


def test_title_equal_to_a_line_inside_an_answer_stays_in_the_answer(byo):
    text = "Peace now\n\nHOST: What is your slogan?\n\nJANE DOE: It is simple.\nPeace now\n"
    corpus = build_corpus(byo({"a.txt": text}, [{**ROW, "title": "Peace now"}]))
    assert corpus.dropped[["line_start", "reason"]].values.tolist() == [[1, "title (kept in documents.csv)"]]
    assert corpus.turns["text"].tolist()[-1] == "It is simple.\nPeace now"


def test_quoted_line_break_in_a_metadata_field_is_kept(byo):
    corpus = build_corpus(byo({"a.txt": GOOD}, [{**ROW, "notes": "line one\nline two"}]))
    assert corpus.documents["notes"].tolist() == ["line one\nline two"]


@pytest.mark.parametrize("date", ["20201106", "2020-W45-5", "2020-11-6", "2020-11-06T10:00"])
def test_dates_other_than_yyyy_mm_dd_are_refused(byo, date):
    refused(
        byo({"a.txt": GOOD}, [{**ROW, "date": date}]),
        rf"metadata\.csv:2: date '{date}' of 'a' does not parse as YYYY-MM-DD",
    )


@pytest.mark.parametrize("name", ["sub/b.txt", "b.TXT"])
def test_transcript_in_a_sub_folder_or_upper_case_without_a_row_is_refused(byo, name):
    cfg = byo({"a.txt": GOOD}, [ROW])
    (cfg.parent / name).parent.mkdir(exist_ok=True)
    (cfg.parent / name).write_text(GOOD, encoding="utf-8")
    refused(cfg, rf"{re.escape(name)}: this transcript has no row in the metadata table")


def test_transcripts_in_sub_folders_and_hidden_checkpoints(byo):
    cfg = byo({"a.txt": GOOD}, [ROW, {**ROW, "doc_id": "b", "file": "sub/b.txt"}])
    (cfg.parent / "sub").mkdir()
    (cfg.parent / "sub" / "b.txt").write_text(GOOD, encoding="utf-8")
    (cfg.parent / ".ipynb_checkpoints").mkdir()
    (cfg.parent / ".ipynb_checkpoints" / "a-checkpoint.txt").write_text(GOOD, encoding="utf-8")
    assert build_corpus(cfg).documents["source_file"].tolist() == ["a.txt", "sub/b.txt"]


def test_one_file_named_as_a_txt_and_dot_slash_a_txt_is_refused(byo):
    refused(
        byo({"a.txt": GOOD}, [ROW, {**ROW, "doc_id": "b", "file": "./a.txt"}]),
        r"metadata\.csv:3: 2 metadata rows name a\.txt, which is not a compilation",
    )


@pytest.mark.parametrize("column, meant", [("dat", "date"), ("intervewer", "interviewer")])
def test_misspelt_optional_column_is_refused_with_did_you_mean(byo, column, meant):
    refused(
        byo({"a.txt": GOOD}, [{**ROW, column: "x"}]),
        rf"metadata\.csv:1: unknown column '{column}' in the metadata table\. Fix: did you mean '{meant}'\?",
    )


def test_semicolon_separated_metadata_is_named_as_such(byo):
    cfg = byo({"a.txt": GOOD})
    (cfg.parent / "metadata.csv").write_text("doc_id;file;outlet;audience\na;a.txt;Daily;home\n", encoding="utf-8")
    refused(cfg, r"metadata\.csv:1: the columns are separated by semicolons, not commas")


def test_short_row_is_named_short_not_blamed_on_its_audience(byo):
    cfg = byo({"a.txt": GOOD})
    (cfg.parent / "metadata.csv").write_text("doc_id,file,outlet,audience\na,a.txt,Daily\n", encoding="utf-8")
    message = refused(cfg, r"metadata\.csv:2: row has 3 fields but the header has 4")
    assert "audience ''" not in message


def test_missing_metadata_table_names_the_config_key(byo):
    cfg = byo({"a.txt": GOOD})
    (cfg.parent / "metadata.csv").unlink()
    refused(cfg, r"metadata\.csv: the metadata table does not exist\. Fix: create it .*correct `metadata:`")


def test_unterminated_quote_in_metadata_is_one_line(byo):
    cfg = byo({"a.txt": GOOD})
    (cfg.parent / "metadata.csv").write_text('doc_id,file,outlet,audience\na,a.txt,"Daily,home\n', encoding="utf-8")
    refused(cfg, r"metadata\.csv:\d+: is not valid CSV")


# --- speaker labels: normalised, near misses warned, conflicts and non-labels refused --------


def test_a_focal_label_in_nfd_is_focal_when_the_config_is_nfc(byo):
    import unicodedata

    nfd = unicodedata.normalize("NFD", "JOSÉ NÚÑEZ")
    assert nfd != "JOSÉ NÚÑEZ"
    corpus = build_corpus(byo({"a.txt": f"HOST: Question?\n\n{nfd}: Answer.\n"}, focal_speaker="José Núñez"))
    assert corpus.turns["role"].tolist() == ["interviewer", "focal"]


def test_labels_with_invisible_characters_are_the_same_label(byo):
    text = "HOST: Question?\n\nJANE\u200b DOE: One.\n\nHOST: Again?\n\n\u200bJane\u00a0Doe: Two.\n"
    corpus = build_corpus(byo({"a.txt": text}))
    assert corpus.turns["role"].tolist() == ["interviewer", "focal", "interviewer", "focal"]


def test_a_label_nearly_the_focal_name_gives_a_warning_with_its_count(byo):
    from analysis.errors import CorpusWarning

    text = "HOST: Q?\n\nJOSE NUNEZ: One.\n\nHOST: Q?\n\nJOSE NUNEZ: Two.\n\nHOST: Q?\n\nJOSÉ NÚÑEZ: Three.\n"
    cfg = byo({"a.txt": text}, focal_speaker="José Núñez")
    with pytest.warns(
        CorpusWarning, match=r"speaker label 'JOSE NUNEZ' \(2 paragraphs\) is not the focal speaker's 'José Núñez'"
    ):
        build_corpus(cfg)
    one_letter = byo({"a.txt": "HOST: Q?\n\nJANE DOES: One.\n\nJANE DOE: Two.\n"}, labels={"interviewer": ["HOST"]})
    with pytest.warns(CorpusWarning, match=r"'JANE DOES' \(1 paragraph\)"):
        build_corpus(one_letter)


def test_the_same_label_declared_focal_and_interviewer_is_refused(byo):
    cfg = byo({"a.txt": GOOD}, labels={"focal": ["JD"], "interviewer": ["HOST", "jd"]})
    message = refused(cfg, r"corpus\.yml:\d+: speaker label 'jd' is declared both focal and interviewer")
    assert message.endswith("Fix: keep it under one role only.")


def test_a_200_character_label_is_too_long_to_be_a_label(byo):
    label = " ".join(["Word"] * 40)  # 199 characters of capitalised words
    message = refused(
        byo({"a.txt": f"{label}: Answer.\n\nHOST: Q?\n"}),
        r"a\.txt:1: the text before the colon is 199 characters long, too long to be a speaker label",
    )
    assert "no speaker label" not in message


# --- where the tables go --------------------------------------------------------------------


def test_three_independent_problems_are_listed_in_one_run_and_nothing_is_written(byo, tmp_path, capsys):
    from analysis.__main__ import main

    cfg = byo(
        {
            "a.txt": "HOST: Question?\n\nJANE DOE: Answer.\n\nAn answer nobody said.\n",
            "b.txt": "Q<script>alert(1)</script>: Hello?\n\nJANE DOE: Hello.\n",
            "c.txt": GOOD,
        },
        [
            ROW,
            {**ROW, "doc_id": "b", "file": "b.txt"},
            {**ROW, "doc_id": "c", "file": "c.txt", "date": "5 Nov 2020"},
        ],
    )
    out = tmp_path / "out"
    assert main(["corpus", "--config", str(cfg), "--out", str(out)]) == 2
    lines = capsys.readouterr().err.strip().split("\n")
    assert len(lines) == 3 and all(line.startswith("error: ") and ". Fix: " in line for line in lines)
    assert re.search(r"metadata\.csv:4: date '5 Nov 2020' of 'c' does not parse", lines[0])
    assert re.search(r"a\.txt:5: paragraph has no speaker label", lines[1])
    assert re.search(r"b\.txt:1: 'Q<script>alert\(1\)</script>:' does not look like a speaker label \(/ < >", lines[2])
    assert not out.exists()


def test_problems_beyond_fifty_are_counted_not_listed(byo):
    text = "HOST: Question?\n\n" + "\n\n".join(f"Unlabelled paragraph {n}." for n in range(60)) + "\n"
    with pytest.raises(CorpusError) as info:
        build_corpus(byo({"a.txt": text}))
    lines = str(info.value).split("\n")
    assert len(lines) == 51 and len(info.value.errors) == 60
    assert lines[-1].endswith("a.txt: 10 more problems not listed. Fix: fix the ones above and run again to see them.")


def test_declared_q_and_a_labels_are_not_nearly_the_focal_speaker(byo):
    import warnings

    from analysis.errors import CorpusWarning

    cfg = byo({"a.txt": "Q: Question?\n\nA: Answer.\n"}, labels={"focal": ["A"], "interviewer": ["Q"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", CorpusWarning)
        assert build_corpus(cfg).turns["role"].tolist() == ["interviewer", "focal"]


def test_a_fifo_as_a_transcript_is_not_a_regular_file(byo):
    import os

    cfg = byo({"a.txt": GOOD}, [ROW, {**ROW, "doc_id": "b", "file": "pipe.txt"}])
    os.mkfifo(cfg.parent / "pipe.txt")
    refused(cfg, r"metadata\.csv:3: file 'pipe\.txt' of document 'b' is not a regular file \(a folder, a FIFO")


def test_an_empty_metadata_table_gets_the_tables_remedy(byo):
    cfg = byo({"a.txt": GOOD})
    (cfg.parent / "metadata.csv").write_text("", encoding="utf-8")
    message = refused(cfg, r"metadata\.csv: the metadata table is empty\. Fix: write its header row")
    assert "transcript" not in message


def test_a_ten_megabyte_metadata_cell_is_a_cell(byo):
    cfg = byo({"a.txt": GOOD}, [{**ROW, "notes": "x" * 10_000_000}])
    assert len(build_corpus(cfg).documents.loc[0, "notes"]) == 10_000_000


def test_a_file_name_differing_only_in_normalisation_or_a_look_alike_letter_shows_code_points(byo):
    decomposed = "cafe\u0301.txt"  # NFD, as macOS writes it
    cfg = byo({decomposed: GOOD}, [{**ROW, "file": "caf\u00e9.txt"}])
    message = refused(cfg, r"metadata\.csv:2: file 'café\.txt' of document 'a' does not exist")
    assert "é=U+00E9" in message and "U+0301" in message
    cyrillic = byo({"a.txt": GOOD}, [{**ROW, "file": "\u0430.txt"}])  # Cyrillic а
    assert "а=U+0430" in refused(cyrillic, r"a file 'a\.txt' that looks the same is there")


def test_three_thousand_undeclared_labels_list_the_first_fifty_and_a_count(byo):
    text = "".join(f"SPEAKER {n}: Words.\n\nJANE DOE: Yes.\n\n" for n in range(3000))
    cfg = byo({"a.txt": text}, unknown_speakers="error", labels={"pattern": r"SPEAKER \d+"})
    message = refused(cfg, r"3000 speaker labels not declared")
    assert "'SPEAKER 49' (1 paragraph) and 2950 more" in message and "SPEAKER 50'" not in message
    assert len(message) < 5_000


@pytest.mark.parametrize("key", ["transcription_notes", "date_marker", "labels.pattern"])
def test_a_pathological_user_pattern_stops_with_its_key_and_line_instead_of_hanging(byo, key):
    pattern = r"(?P<date>a|aa)+$"  # exponential backtracking on 45 a's and a b
    keys = {"labels": {"pattern": pattern}} if key == "labels.pattern" else {key: pattern}
    text = "a" * 45 + "b: text\n\nHOST: Question?\n\nJANE DOE: " + "a" * 45 + "b\n"
    message = refused(byo({"a.txt": text}, **keys), rf"corpus\.yml:\d+: `{re.escape(key)}` took more than 1 s")
    assert "nested quantifiers" in message


def test_the_issues_nested_quantifier_builds_in_the_regex_engine(byo):
    text = "HOST: Question?\n\nJANE DOE: " + "a" * 45 + "b\n"
    assert len(build_corpus(byo({"a.txt": text}, transcription_notes="(a+)+$")).turns) == 2
