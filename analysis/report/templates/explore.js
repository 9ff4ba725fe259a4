// Glue of the explorer page (analysis/report/explorer.py): fills the Bokeh figures and the lists from
// the page's data. Corpus text goes on the page only as text (textContent, text nodes), never as
// markup; no element gets an event-handler attribute (listeners only).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("explore-data").textContent);
  var kw = data.keywords;
  var groups = {};
  data.groups.forEach(function (g) { groups[g.id] = g; });
  var state = { comparison: null, word: null, sort: "text" };
  var FLOOR = 0.1; // a rate of zero is drawn here on the log axes (the page says so)

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function swatch(color) {
    var s = el("span", null, "swatch");
    s.style.background = color;
    return s;
  }
  function model(name) {
    var docs = (window.Bokeh && window.Bokeh.documents) || [];
    for (var i = 0; i < docs.length; i++) {
      var m = docs[i].get_model_by_name(name);
      if (m) { return m; }
    }
    return null;
  }
  function groupName(id) { return id ? groups[id].label : "all other audiences"; }
  function fmt(n) { return n.toLocaleString("en"); }

  // ---- keywords ----
  function comparisonById(id) {
    return kw.comparisons.filter(function (c) { return c.id === id; })[0];
  }
  function fillComparisons() {
    var select = $("kw-comparison");
    kw.comparisons.forEach(function (c) {
      var o = el("option", groups[c.a].label + " vs " + (c.b ? groups[c.b].label : "the rest (n=" + c.n_b + ")"));
      o.value = c.id;
      select.appendChild(o);
    });
    select.addEventListener("change", function () { chooseComparison(select.value); });
    if (kw.comparisons.length) { chooseComparison(kw.comparisons[0].id); }
    $("kw-about").textContent = "Each word's rate per 10,000 words in the two groups (log axes; a word absent from a "
      + "group is drawn at " + FLOOR + "), coloured by the report's verdict on it and sized by the number of "
      + "interviews using it. Words counted at least " + kw.min_count + " times in the two groups; "
      + (kw.role ? kw.role + " speech." : "all speech.");
    $("kw-cut").textContent = kw.cut.terms_shown < kw.cut.terms_tested
      ? "Showing the " + fmt(kw.cut.terms_shown) + " words with the strongest keyness in any comparison, of "
        + fmt(kw.cut.terms_tested) + " tested (the page's cap)."
      : "Showing all " + fmt(kw.cut.terms_tested) + " words tested.";
  }
  function chooseComparison(id) {
    state.comparison = comparisonById(id);
    $("kw-comparison").value = id;
    drawScatter();
    fillTerms();
    if (state.word) { showWord(state.word); }
  }
  function drawScatter() {
    var c = state.comparison, src = model("kw_points"), fig = model("kw_scatter");
    if (!c || !src) { return; }
    var d = { x: [], y: [], word: [], verdict: [], color: [], size: [], docs: [], rate_a: [], rate_b: [], z: [] };
    c.rows.forEach(function (r) {
      d.x.push(Math.max(r[1], FLOOR)); d.y.push(Math.max(r[2], FLOOR));
      d.word.push(kw.terms[r[0]]); d.verdict.push(kw.verdicts[r[3]]); d.color.push(kw.verdict_colors[r[3]]);
      d.size.push(5 + 2.5 * Math.sqrt(r[4])); d.docs.push(r[4]); d.rate_a.push(r[1]); d.rate_b.push(r[2]);
      d.z.push(r[5]);
    });
    src.data = d;
    fig.title.text = "Keywords: " + groupName(c.a) + " against " + groupName(c.b) + " (" + fmt(c.rows.length)
      + " words shown)";
    fig.below[0].axis_label = "rate per 10,000 words, " + groupName(c.a);
    fig.left[0].axis_label = "rate per 10,000 words, " + groupName(c.b);
    document.body.dataset.kwPoints = String(c.rows.length);
    document.body.dataset.kwComparison = c.id;
  }
  function fillTerms() {
    var c = state.comparison, select = $("kw-terms"), query = $("kw-search").value.trim().toLowerCase();
    if (!c) { return; }
    var rows = c.rows.slice().sort(function (p, q) { return q[5] - p[5]; });
    select.textContent = "";
    rows.forEach(function (r) {
      var word = kw.terms[r[0]];
      if (query && word.toLowerCase().indexOf(query) < 0) { return; }
      var o = el("option", word + " (z " + r[5] + ", " + kw.verdicts[r[3]] + ")");
      o.value = word;
      select.appendChild(o);
    });
  }
  window.exploreTap = function (source) {
    var i = source.selected.indices[0];
    if (i !== undefined) { showWord(source.data.word[i]); }
  };
  function sortedLines(lines) {
    var out = lines.slice();
    function leftWord(l) { var w = l[2].trim().split(/\s+/); return (w[w.length - 1] || "").toLowerCase(); }
    function rightWord(l) { return (l[4].trim().split(/\s+/)[0] || "").toLowerCase(); }
    if (state.sort === "left") { out.sort(function (p, q) { return leftWord(p).localeCompare(leftWord(q)); }); }
    if (state.sort === "right") { out.sort(function (p, q) { return rightWord(p).localeCompare(rightWord(q)); }); }
    return out;
  }
  function showWord(word) {
    var info = kw.lines[word];
    if (!info) { return; }
    state.word = word;
    $("kw-word").textContent = "“" + word + "” in context";
    var shownGroups = data.groups.filter(function (g) {
      var c = state.comparison;
      return !c || c.b === null || g.id === c.a || g.id === c.b;
    });
    $("kw-count").textContent = fmt(info.count) + " lines in " + fmt(info.docs.length) + " interviews in all: "
      + shownGroups.map(function (g) { return g.label + " " + fmt(info.by_audience[g.id].count); }).join(", ") + ".";
    document.body.dataset.kwWord = word;
    document.body.dataset.kwCount = String(info.count);
    drawLines(info, shownGroups);
    drawStrip(info);
  }
  function drawLines(info, shownGroups) {
    var box = $("kw-lines");
    box.textContent = "";
    shownGroups.forEach(function (g) {
      var mine = info.by_audience[g.id];
      var h = el("h4");
      h.appendChild(swatch(g.color));
      h.appendChild(document.createTextNode(g.label + ": " + fmt(mine.count) + " lines"
        + (mine.lines.length < mine.count ? " (the first " + mine.lines.length + " shown, the page's cap)" : "")));
      box.appendChild(h);
      if (!mine.lines.length) { return; }
      var table = el("table"), head = el("tr");
      table.className = "kw-lines";
      table.dataset.audience = g.id;
      ["outlet", "date", "line", "left", "word", "right"].forEach(function (t) { head.appendChild(el("th", t)); });
      table.appendChild(head);
      sortedLines(mine.lines).forEach(function (l) {
        var doc = kw.interviews[l[0]], tr = el("tr");
        tr.appendChild(el("td", doc.outlet));
        tr.appendChild(el("td", doc.date));
        tr.appendChild(el("td", l[1]));
        tr.appendChild(el("td", l[2], "left"));
        tr.appendChild(el("td", l[3], "match"));
        tr.appendChild(el("td", l[4], "right"));
        table.appendChild(tr);
      });
      box.appendChild(table);
    });
  }
  function drawStrip(info) {
    var marks = model("kw_strip_marks");
    if (!marks) { return; }
    var d = { x: [], y: [], color: [], size: [], label: [] };
    info.docs.forEach(function (p) {
      var doc = kw.interviews[p[0]];
      d.x.push(p[0]); d.y.push(0); d.color.push(groups[doc.audience].color);
      d.size.push(6 + 2 * Math.sqrt(p[1])); d.label.push(doc.outlet + ", " + doc.date + ": " + p[1]);
    });
    marks.data = d;
    model("kw_strip").title.text = "Where “" + info_word() + "” occurs: one mark per interview (" + info.docs.length
      + " of " + kw.interviews.length + "), coloured by audience";
  }
  function info_word() { return state.word; }
  function fillStripBackground() {
    var all = model("kw_strip_all");
    var d = { x: [], y: [], label: [] };
    kw.interviews.forEach(function (doc, i) { d.x.push(i); d.y.push(0); d.label.push(doc.outlet + ", " + doc.date); });
    all.data = d;
  }
  function bindKeywords() {
    $("kw-search").addEventListener("input", fillTerms);
    $("kw-search").addEventListener("keydown", function (e) {
      if (e.key === "Enter" && $("kw-terms").options.length) { showWord($("kw-terms").options[0].value); }
    });
    $("kw-terms").addEventListener("change", function () { showWord($("kw-terms").value); });
    [["kw-sort-text", "text"], ["kw-sort-left", "left"], ["kw-sort-right", "right"]].forEach(function (p) {
      $(p[0]).addEventListener("click", function () {
        state.sort = p[1];
        document.body.dataset.kwSort = p[1];
        if (state.word) { showWord(state.word); }
      });
    });
  }

  // ---- topics ----
  var tp = { model: null, topic: null };
  function fillModels() {
    if (!data.topics.length) { return; }
    $("tp-none").hidden = true;
    $("tp-body").hidden = false;
    var select = $("tp-model");
    data.topics.forEach(function (m, i) {
      var o = el("option", m.method + " (k = " + m.k + ")");
      o.value = String(i);
      select.appendChild(o);
    });
    select.addEventListener("change", function () { chooseModel(Number(select.value)); });
    $("tp-topic").addEventListener("change", function () { chooseTopic(Number($("tp-topic").value)); });
    $("tp-lambda").addEventListener("input", drawWords);
    chooseModel(0);
  }
  function chooseModel(i) {
    tp.model = data.topics[i];
    var m = tp.model, select = $("tp-topic");
    $("tp-about").textContent = m.method + " with k = " + m.k + " topics, fitted as 03_topics fits it (run " + m.run
      + "); topics numbered as 03 numbers them." + (m.matches_03 ? ""
        : " Note: refitted here, its top words differ from those 03 published; the numbers below are the refit's.");
    $("tp-intrusion").textContent = intrusionText(m);
    $("tp-readers").textContent = m.intrusion === null ? "" : m.intrusion.readers;
    select.textContent = "";
    m.topics.forEach(function (t, j) {
      var o = el("option", "Topic " + t.number + ": " + t.label + (t.status === "stable" ? "" : " (" + t.status + ")")
        + (failsIntrusion(t) ? " (fails word intrusion)" : ""));
      o.value = String(j);
      select.appendChild(o);
    });
    drawTopicTable();
    chooseTopic(0);
  }
  // word intrusion (03_topics' tables): the model's precision, its failing topics, alpha between readers
  // (numbers as Python formatted them, so that they read as on the study page and in 03)
  function failsIntrusion(t) { return t.intrusion !== null && t.intrusion.fails; }
  function precisionText(s) { return s.text; }
  function intrusionText(m) {
    if (m.intrusion === null) {
      return "No intrusion coding was done for the " + m.method + " topics: nobody has answered their word- and "
        + "topic-intrusion tasks, so no topic is judged by reading.";
    }
    var n = m.topics.filter(failsIntrusion).length, a = m.intrusion.alpha;
    var alpha = ["word", "topic"].filter(function (kind) { return a[kind]; }).map(function (kind) {
      return kind + " tasks " + a[kind].text + " over " + a[kind].n_tasks;
    });
    return "Word intrusion (03_topics): readers found the intruder word in " + precisionText(m.intrusion.model)
      + " of " + m.intrusion.model.n_tasks + " word tasks (model precision, chance 1/6; 95% bootstrap interval); "
      + n + " of " + m.k + " topics fail word intrusion (the interval of their precision below "
      + m.intrusion.min_precision + "). " + (alpha.length ? "Krippendorff's alpha between the readers: " + alpha.join("; ") + "."
        : "One reader: no agreement between readers to report.");
  }
  function flagText(t) {
    var parts = [t.status + " across seeds (" + t.stability + ")", "exclusivity " + t.exclusivity];
    if (t.resample_stability !== null) { parts.push("with resampled interviews " + t.resample_stability); }
    parts.push(t.other_match === null ? "no matching topic under the other method" : "under the other method: " + t.other_match);
    if (t.intrusion !== null) { parts.push("word intrusion: precision " + precisionText(t.intrusion)); }
    return parts.join(" · ");
  }
  function chooseTopic(j) {
    tp.topic = tp.model.topics[j];
    $("tp-topic").value = String(j);
    $("tp-title").textContent = "Topic " + tp.topic.number + " (" + tp.model.method + "): " + tp.topic.label;
    $("tp-flags").textContent = flagText(tp.topic);
    $("tp-fails").hidden = !failsIntrusion(tp.topic);
    $("tp-fails").textContent = failsIntrusion(tp.topic) ? "Fails word intrusion: the readers missed its intruder word "
      + "more often than they found it (precision " + precisionText(tp.topic.intrusion) + "), so 03_topics leaves it out "
      + "of the audience tests." : "";
    drawWords();
    drawShares();
    drawPassages();
    document.body.dataset.tpTopic = tp.model.method + " " + tp.topic.number;
  }
  function drawWords() {
    var step = Number($("tp-lambda").value), list = $("tp-words");
    $("tp-lambda-value").textContent = " = " + tp.model.lambdas[step].toFixed(1);
    list.textContent = "";
    tp.topic.words[step].forEach(function (w) { list.appendChild(el("li", w)); });
    document.body.dataset.tpWords = tp.topic.words[step].join("|");
  }
  // shares by audience with intervals, in the figure ``name`` (tp_shares, fr_shares)
  function drawShareRows(name, rows) {
    var src = model(name + "_rows"), range = model(name + "_groups");
    var d = { group: [], share: [], low: [], high: [], color: [], tip: [] };
    rows.forEach(function (s) {
      var label = (groups[s.group] ? groups[s.group].name : s.group) + " (n=" + s.n + ")";
      d.group.push(label); d.share.push(s.share); d.color.push(groups[s.group] ? groups[s.group].color : "#000000");
      d.low.push(s.low === null ? s.share : s.low); d.high.push(s.high === null ? s.share : s.high);
      d.tip.push(label + ": " + (100 * s.share).toFixed(1) + "%" + (s.low === null ? " (no interval)"
        : " [" + (100 * s.low).toFixed(1) + ", " + (100 * s.high).toFixed(1) + "]"));
    });
    range.factors = d.group.length ? d.group.slice().reverse() : ["-"];
    src.data = d;
  }
  function drawShares() { drawShareRows("tp_shares", tp.topic.shares); }
  function drawPassages() {
    var box = $("tp-passages");
    box.textContent = "";
    tp.topic.passages.forEach(function (p) {
      var doc = p.doc === null ? { outlet: "?", date: "", audience: "" } : kw.interviews[p.doc];
      var fig = el("figure"), cap = el("figcaption");
      var g = groups[doc.audience];
      if (g) { cap.appendChild(swatch(g.color)); }
      cap.appendChild(document.createTextNode(doc.outlet + ", " + doc.date + ", lines " + p.lines + " · share of the topic "
        + (100 * p.share).toFixed(0) + "%"));
      fig.appendChild(cap);
      fig.appendChild(el("blockquote", p.text));
      box.appendChild(fig);
    });
  }
  function drawTopicTable() {
    var table = $("tp-table"), head = el("tr");
    table.textContent = "";
    ["topic", "top words", "seeds", "exclusivity", "resampled", "other method", "word intrusion"].forEach(function (h) { head.appendChild(el("th", h)); });
    table.appendChild(head);
    tp.model.topics.forEach(function (t) {
      var tr = el("tr");
      [t.number, t.words[10].join(", "), t.status + " " + t.stability, t.exclusivity,
        t.resample_stability === null ? "" : t.resample_stability, t.other_match === null ? "no match" : t.other_match,
        t.intrusion === null ? "not coded" : precisionText(t.intrusion) + (t.intrusion.fails ? ", fails word intrusion" : "")]
        .forEach(function (v) { tr.appendChild(el("td", v)); });
      table.appendChild(tr);
    });
  }

  // ---- frames ----
  var fr = data.frames;
  function fillFrames() {
    if (fr.status !== "coded") { $("fr-none").textContent = fr.message; return; }
    $("fr-none").hidden = true;
    $("fr-body").hidden = false;
    $("fr-note").textContent = fr.note;
    fr.frames.forEach(function (f) {
      var o = el("option", f.label);
      o.value = f.id;
      $("fr-frame").appendChild(o);
    });
    var all = el("option", "every audience");
    all.value = "";
    $("fr-audience").appendChild(all);
    data.groups.forEach(function (g) {
      var o = el("option", g.name);
      o.value = g.id;
      $("fr-audience").appendChild(o);
    });
    fr.roles.forEach(function (r) {
      var o = el("option", r === "focal" ? "answers" : r === "interviewer" ? "questions" : r);
      o.value = r;
      $("fr-role").appendChild(o);
    });
    ["fr-frame", "fr-audience", "fr-role"].forEach(function (id) { $(id).addEventListener("change", drawFrame); });
    drawFrame();
  }
  function withCues(text, spans) {
    var box = el("blockquote"), last = 0;
    spans.slice().sort(function (p, q) { return p[0] - q[0]; }).forEach(function (s) {
      if (s[0] < last) { return; }
      box.appendChild(document.createTextNode(text.slice(last, s[0])));
      box.appendChild(el("mark", text.slice(s[0], s[1])));
      last = s[1];
    });
    box.appendChild(document.createTextNode(text.slice(last)));
    return box;
  }
  function drawFrame() {
    var frame = $("fr-frame").value, audience = $("fr-audience").value, role = $("fr-role").value;
    var f = fr.frames.filter(function (x) { return x.id === frame; })[0];
    $("fr-definition").textContent = f.label + ": " + f.definition;
    var shown = fr.paragraphs.filter(function (p) {
      return p.frames.indexOf(frame) >= 0 && p.role === role && (!audience || p.audience === audience);
    });
    var counts = fr.counts[frame] || {}, total = 0;
    Object.keys(counts).forEach(function (a) { if (!audience || a === audience) { total += counts[a][role] || 0; } });
    $("fr-count").textContent = fmt(total) + " coded paragraphs carry this frame"
      + (shown.length < total ? " (" + shown.length + " shown, drawn at random: the page's cap)" : "") + ".";
    document.body.dataset.frShown = String(shown.length);
    document.body.dataset.frCount = String(total);
    var box = $("fr-list");
    box.textContent = "";
    shown.forEach(function (p) {
      var item = el("figure"), cap = el("figcaption"), g = groups[p.audience];
      if (g) { cap.appendChild(swatch(g.color)); }
      cap.appendChild(document.createTextNode(p.outlet + ", " + p.date + ", lines " + p.lines + " · frames: "
        + p.frames.map(function (id) { return fr.frames.filter(function (x) { return x.id === id; })[0].label; }).join(", ")));
      item.appendChild(cap);
      if (p.question) { item.appendChild(el("p", "Asked: " + p.question, "note")); }
      item.appendChild(withCues(p.text, p.cues[frame] || []));
      box.appendChild(item);
    });
    drawShareRows("fr_shares", fr.shares.filter(function (s) { return s.frame === frame; }));
  }

  function start() {
    if (!model("kw_points") || !model("kw_strip_all") || !model("tp_shares_rows") || !model("fr_shares_rows")) { setTimeout(start, 25); return; }
    fillStripBackground();
    bindKeywords();
    fillComparisons();
    fillModels();
    fillFrames();
    document.body.dataset.ready = "true";
  }
  start();
})();
