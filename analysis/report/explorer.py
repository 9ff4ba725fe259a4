"""The offline explorer page: ``reports/explore.html``, one self-contained file per corpus.

Students explore keywords, topics and frames in a browser without Python or a kernel: the page
opens from ``file://`` (a USB stick) and fetches nothing. Its charts are Bokeh's, with BokehJS
embedded inline from the pinned ``bokeh`` package (``bokeh.resources.INLINE``); the small glue
script ``templates/explore.js`` fills them and the lists from the page's data. The data
(:mod:`analysis.report.explorer_data`) is embedded as JSON inside a ``<script
type="application/json">`` with every ``<``, ``>`` and ``&`` written as a ``\\u`` escape, and the
glue script puts corpus text on the page only as text (``textContent``), never as markup, so a
transcript, outlet or group name cannot inject anything (tests/project/test_security.py opens the hostile
corpus's page). The Bokeh documents carry no corpus text at all: their sources start empty.

``python -m analysis.report.explorer`` is what ``make report`` runs after the notebook runs
(:func:`analysis.report.rules.write_make_rules`), for the seed corpus or ``CORPUS=DIR``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from importlib.resources import files
from pathlib import Path

from bokeh.embed import components
from bokeh.models import ColumnDataSource, CustomJS, FactorRange, HoverTool, Range1d, TapTool
from bokeh.plotting import figure
from bokeh.resources import Resources

from .. import config
from ..corpus import load_turns
from ..errors import CorpusError
from ..io import write_text
from ..notebook.about import setting
from .explorer_data import Caps, caps_payload, groups_payload, keywords_payload
from .explorer_frames import frames_payload
from .explorer_topics import OWN_READERS, SEED_READERS, model_payload
from .pages import page_templates
from .rules import default_runs, explore_caps, load_runs, notebook_parameters
from .site import corpus_title, measure_note

#: Who coded a corpus of one's own, as the frames tab says it (its documentation says more).
OWN_CODING = (
    "The paragraphs were coded by reading as this corpus's coding file records; its documentation says by whom."
)
#: The page's file name in the report folder.
PAGE = "explore.html"
#: The page's template and glue script, in ``analysis/report/templates/`` (package data).
TEMPLATE = "explore.html.j2"
GLUE = "explore.js"


#: What BokehJS fetches from a CDN when a feature this page never uses is switched on: MathJax for
#: TeX in labels, the Google Maps API for map plots, the Tabler icon font for icons on widgets.
#: :func:`bokeh_offline` removes them: a script element or font with an empty address fails
#: at once, without a request.
FETCHERS = (
    "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-svg.js",
    "https://maps.googleapis.com/maps/api/js",
    "https://cdn.jsdelivr.net/npm/@tabler/icons-webfont@latest",
)
_SCHEME = re.compile(r"\b([a-z][a-z0-9+.-]*):(//)", re.IGNORECASE)


def bokeh_offline() -> str:
    """BokehJS's core bundle from the installed, pinned ``bokeh`` package, inline, as script
    elements, with :data:`FETCHERS` removed. The absolute URLs left in it are never fetched: XML
    namespace names (``http://www.w3.org/2000/svg``), default values and links in comments and
    messages. They are written with escaped slashes (``http:\\/\\/``, the same string to
    JavaScript), so that :func:`analysis.report.html.remote_references`, which holds every page of
    the report to no absolute URL in a script, stays as strict for this page as for the others;
    the browser test (tests/system/test_explorer_browser.py) counts the requests the page really makes."""
    bundle = Resources(mode="inline", components=["bokeh"]).render()
    for url in FETCHERS:
        if url not in bundle:
            raise RuntimeError(f"BokehJS no longer holds {url}: check what this bokeh version fetches")
        bundle = bundle.replace(url, "")
    return _SCHEME.sub(lambda m: f"{m.group(1)}:\\/\\/", bundle)


def json_for_script(payload) -> str:
    """``payload`` as JSON that is safe inside a ``<script>`` element: ``<``, ``>`` and ``&``
    escaped as ``\\u003c``, ``\\u003e``, ``\\u0026`` (so no ``</script>`` or ``<!--`` in corpus
    text ends or changes the element), and the slashes of a URL in corpus text as ``\\/`` (a
    transcript quoting an address is not something the page fetches, and the report's scan of
    script bodies, :func:`analysis.report.html.remote_references`, need not tell the two apart);
    the browser's ``JSON.parse`` gives the text back exactly."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _SCHEME.sub(lambda m: f"{m.group(1)}:\\/\\/", text)


def keyword_figures() -> dict:
    """The keyword tab's Bokeh figures, empty until the glue script fills them: ``kw_scatter``
    (each word's rate per 10,000 words in the two groups, log axes; colour the verdict, size the
    interviews using it; choosing a point chooses the word) and ``kw_strip`` (one mark per
    interview where the chosen word occurs)."""
    points = ColumnDataSource(
        {k: [] for k in ("x", "y", "word", "verdict", "color", "size", "docs", "rate_a", "rate_b", "z")},
        name="kw_points",
    )
    scatter = figure(
        name="kw_scatter",
        height=430,
        sizing_mode="stretch_width",
        x_axis_type="log",
        y_axis_type="log",
        tools="pan,wheel_zoom,reset",
        toolbar_location=None,
        title="Keywords",
    )
    scatter.scatter(
        "x",
        "y",
        source=points,
        size="size",
        color="color",
        line_color="#000000",
        line_alpha=0.3,
        fill_alpha=0.75,
        legend_field="verdict",
    )
    scatter.legend.location = "top_left"
    scatter.add_tools(
        HoverTool(
            tooltips=[
                ("word", "@word"),
                ("per 10,000", "@rate_a / @rate_b"),
                ("verdict", "@verdict"),
                ("interviews using it", "@docs"),
                ("z", "@z"),
            ]
        )
    )
    choose = CustomJS(args={"source": points}, code="window.exploreTap && window.exploreTap(source);")
    scatter.add_tools(TapTool(callback=choose))
    marks = ColumnDataSource({k: [] for k in ("x", "y", "color", "size", "label")}, name="kw_strip_marks")
    every = ColumnDataSource({k: [] for k in ("x", "y", "label")}, name="kw_strip_all")
    strip = figure(
        name="kw_strip",
        height=140,
        sizing_mode="stretch_width",
        toolbar_location=None,
        tools="",
        y_range=Range1d(-1, 1),
        title="Where the word occurs: one mark per interview",
    )
    strip.scatter("x", "y", source=every, marker="dash", size=10, angle=1.5708, color="#BBBBBB")
    strip.scatter("x", "y", source=marks, size="size", color="color", line_color="#000000")
    strip.add_tools(HoverTool(tooltips=[("interview", "@label")]))
    strip.yaxis.visible = False
    strip.xaxis.axis_label = "interviews, by audience then date"
    return {"kw_scatter": scatter, "kw_strip": strip}


def share_figure(name: str, title: str) -> figure:
    """A figure of shares by audience with their 95% intervals on an axis from 0 to 1 (the
    quantity's own range), empty until the glue script fills its source ``<name>_rows`` and the
    groups of its axis ``<name>_groups``."""
    source = ColumnDataSource({k: [] for k in ("group", "share", "low", "high", "color", "tip")}, name=f"{name}_rows")
    shares = figure(
        name=name,
        height=220,
        sizing_mode="stretch_width",
        toolbar_location=None,
        tools="",
        x_range=Range1d(0, 1),
        y_range=FactorRange(factors=["-"], name=f"{name}_groups"),
        title=title,
    )
    shares.segment("low", "group", "high", "group", source=source, color="color", line_width=3)
    shares.scatter("share", "group", source=source, size=11, color="color", line_color="#000000")
    shares.add_tools(HoverTool(tooltips=[("", "@tip")]))
    return shares


def share_figures() -> dict:
    """The topics and frames tabs' figures: ``tp_shares``, the chosen topic's mean share in each
    audience's interviews (03's intervals), and ``fr_shares``, the share of paragraphs carrying the
    chosen frame (04_framing_2_audiences's intervals)."""
    topic = share_figure("tp_shares", "Share of the topic in each audience's interviews")
    topic.xaxis.axis_label = "mean share of the interview's text (0 to 1), 95% interval over interviews"
    frame = share_figure("fr_shares", "Share of answer paragraphs carrying the frame, by audience")
    frame.xaxis.axis_label = "mean share of an interview's answer paragraphs (0 to 1), 95% interval over interviews"
    return {"tp_shares": topic, "fr_shares": frame}


def explorer_parameters(runs, notebook: str) -> dict:
    """The parameters of the report's first run of ``notebook`` (its defaults updated by the
    run's), or the notebook's defaults when the report does not run it."""
    defaults = notebook_parameters(config.NOTEBOOKS / f"{notebook}.ipynb")
    mine = [r for r in runs if r.notebook.stem == notebook]
    return {**defaults, **(mine[0].parameters if mine else {})}


def page_data(runs, processed: Path, figures: Path, corpus_config: Path | None, caps: Caps) -> dict:
    """Everything the page shows, as plain data: ``title``, ``groups``, ``caps`` and the tabs'
    payloads (:mod:`analysis.report.explorer_data`, :mod:`analysis.report.explorer_topics`; the
    published tables of the runs are read from ``figures``)."""
    _, _, cfg = setting(processed, None, corpus_config)
    turns = load_turns(processed, with_metadata=True)
    keywords = keywords_payload(turns, cfg, explorer_parameters(runs, "02_keyness"), caps)
    n_interviews = {g: sum(1 for d in keywords["interviews"] if d["audience"] == g) for g in cfg.audience_groups}
    docs_index = {d["doc_id"]: i for i, d in enumerate(keywords["interviews"])}
    topic_runs = [r for r in runs if r.notebook.stem == "03_topics"]
    readers = SEED_READERS if corpus_config is None else OWN_READERS
    models = [
        model_payload(
            run,
            {**explorer_parameters([run], "03_topics")},
            turns,
            cfg,
            figures,
            docs_index,
            caps.passages_per_topic,
            readers,
        )
        for run in topic_runs
    ]
    return {
        "title": corpus_title(corpus_config),
        "groups": groups_payload(list(cfg.audience_groups), n_interviews),
        "caps": caps_payload(caps),
        "keywords": keywords,
        "topics": [m for m in models if m is not None],
        "frames": frames_payload(
            turns, processed, cfg, figures, caps.paragraphs_per_frame, measure_note(corpus_config) or OWN_CODING
        ),
    }


def render_page(data: dict) -> str:
    """The page's HTML for ``data`` (:func:`page_data`): BokehJS inline, the figures, the data as
    escaped JSON and the glue script; the template escapes every value it prints."""
    script, divs = components({**keyword_figures(), **share_figures()})
    glue = files("analysis.report").joinpath("templates", GLUE).read_text(encoding="utf-8")
    return (
        page_templates()
        .get_template(TEMPLATE)
        .render(
            title=data["title"],
            resources=bokeh_offline(),
            bokeh_script=script,
            divs=divs,
            data_json=json_for_script(data),
            glue=glue,
            caps=data["caps"],
        )
    )


def build_explorer(
    report_file: Path | None,
    reports: Path,
    processed: Path = config.DATA_PROCESSED,
    figures: Path = config.FIGURES,
    corpus_config: Path | None = None,
    caps: Caps | None = None,
) -> Path:
    """Write ``<reports>/explore.html`` for the corpus of ``processed`` (``corpus_config`` None: the
    seed study) with the runs of ``report_file`` (None: the corpus's default definition) giving
    the notebooks' parameters and the caps (``explore:`` in the definition, else ``caps`` or the
    defaults of :class:`~analysis.report.explorer_data.Caps`). Returns the page's path."""
    folder = Path(corpus_config).parent if corpus_config is not None else None
    runs = load_runs(report_file, corpus_folder=folder) if report_file is not None else default_runs(corpus_config)
    caps = caps or Caps(**explore_caps(report_file))
    data = page_data(runs, Path(processed), Path(figures), corpus_config, caps)
    target = Path(reports) / PAGE
    write_text(render_page(data), target)
    return target


def main(argv: list[str] | None = None) -> int:
    """``python -m analysis.report.explorer [--report R] [--corpus C] --processed P --reports OUT``."""
    parser = argparse.ArgumentParser(prog="python -m analysis.report.explorer", description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, default=None, help="report definition (default: report.yml)")
    parser.add_argument("--corpus", type=Path, default=None, help="corpus.yml of a corpus of one's own")
    parser.add_argument("--processed", type=Path, default=config.DATA_PROCESSED)
    parser.add_argument("--reports", type=Path, default=config.REPORTS)
    parser.add_argument("--figures", type=Path, default=config.FIGURES, help="where the runs published their tables")
    args, _ = parser.parse_known_args(argv)
    if args.report is None and args.corpus is None:
        args.report = config.REPORT_FILE
    try:
        page = build_explorer(args.report, args.reports, args.processed, args.figures, args.corpus)
    except CorpusError as err:
        print(err, file=sys.stderr)
        return 2
    print(f"wrote {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
