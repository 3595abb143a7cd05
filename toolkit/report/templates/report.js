// transdiff review page: filters, order, the reference shown (kept in the URL hash), j/k
// navigation, the chart following the filters, and accepting flags (a waivers file or
// `transdiff waive` commands, written here: the page has no server).
// The table is never rebuilt: rows are only hidden, shown, marked or moved. Listeners are
// delegated (one per control area), so a page of 10,000 rows costs no more listeners than 10.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("transdiff-data").textContent);
  var main = document.getElementById("main");
  var nav = document.getElementById("controls");
  var tables = Array.prototype.slice.call(document.querySelectorAll("table.beads"));
  var refSelect = document.getElementById("ref");
  var orderSelect = document.getElementById("order");
  var plainBox = document.getElementById("plain");
  var onlyRefBox = document.getElementById("only-ref");
  var countOut = document.getElementById("count");
  var where = document.getElementById("where");
  var chart = document.getElementById("chart");
  var views = [];
  var shown = data.shown; // index of the table on screen
  var current = null; // the row record j/k last went to

  // Rows of one table, read once from their data attributes.
  function view(k) {
    if (views[k]) return views[k];
    var trs = tables[k].tBodies[0].rows;
    var rows = [];
    var byEl = new Map();
    for (var i = 0; i < trs.length; i++) {
      var tr = trs[i];
      var f = tr.getAttribute("data-f");
      var flags = [];
      if (f) {
        f.split(" ").forEach(function (key) {
          var p = key.split(":");
          flags.push({ c: p[0], s: p[1], other: p[2] === "o" });
        });
      }
      var s = tr.getAttribute("data-s");
      var n = tr.getAttribute("data-n");
      var row = {
        el: tr, index: parseInt(tr.getAttribute("data-i"), 10), pos: i, table: k,
        flags: flags, hit: false,
        suspicion: s === null ? -1 : parseFloat(s),
        seeds: n === null ? 1 : parseInt(n, 10)
      };
      rows.push(row);
      byEl.set(tr, row);
    }
    // The page lists the rows flagged first: that order is the one they arrive in.
    views[k] = { table: k, rows: rows, list: rows, byEl: byEl, order: "flagged", hits: [] };
    return views[k];
  }

  function checked(name) {
    var set = new Set();
    nav.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
      if (box.checked) set.add(box.value);
    });
    return set;
  }

  function arrange(v, order) {
    if (v.order === order) return;
    var list = v.rows.slice();
    if (order === "susp") {
      list.sort(function (a, b) { return b.suspicion - a.suspicion || a.index - b.index; });
    } else if (order === "doc") {
      list.sort(function (a, b) { return a.index - b.index; });
    }
    var body = tables[v.table].tBodies[0];
    var frag = document.createDocumentFragment();
    // Empty the body in one step first: moving rows out one by one makes the browser re-check
    // :nth-child of every later row each time, which is quadratic on a long table.
    body.textContent = "";
    list.forEach(function (row, pos) { row.pos = pos; frag.appendChild(row.el); });
    body.appendChild(frag);
    v.list = list;
    v.order = order;
  }

  // Show the rows the filters select, mark those with a selected flag, update the count.
  function apply() {
    var v = view(shown);
    var cats = checked("cat");
    var sevs = checked("sev");
    var plain = plainBox.checked;
    var hideOther = !!(onlyRefBox && onlyRefBox.checked);
    var classes = [];
    nav.querySelectorAll('input[name="cat"], input[name="sev"]').forEach(function (box) {
      if (!box.checked) classes.push(box.name === "cat" ? "off-c" + box.value : "off-" + box.value);
    });
    if (hideOther) classes.push("hide-other");
    main.className = classes.join(" ");
    var hits = [];
    for (var i = 0; i < v.list.length; i++) {
      var row = v.list[i];
      var hit = false;
      for (var j = 0; j < row.flags.length && !hit; j++) {
        var f = row.flags[j];
        hit = cats.has(f.c) && sevs.has(f.s) && !(hideOther && f.other);
      }
      var visible = hit || plain;
      if (row.el.hidden === visible) row.el.hidden = !visible;
      if (row.hit !== hit) { row.hit = hit; row.el.classList.toggle("hit", hit); }
      if (hit) hits.push(row);
    }
    v.hits = hits;
    count(v);
    paintChart(cats, sevs, plain, hideOther);
  }

  // Each bar takes the colour of its most severe selected flag; a bar left with none is grey,
  // and dimmed while the sentences without a selected flag are hidden.
  var RANK = { critical: 3, major: 2, minor: 1 };
  var bars = chart ? Array.prototype.map.call(chart.querySelectorAll("a[data-i]"), function (a) {
    var f = a.getAttribute("data-f");
    return {
      rect: a.querySelector("rect"),
      flags: f ? f.split(" ").map(function (key) {
        var p = key.split(":");
        return { c: p[0], s: p[1], refs: p[2] === "*" ? null : p[2].split(".") };
      }) : []
    };
  }) : [];
  function paintChart(cats, sevs, plain, hideOther) {
    if (!chart) return;
    var ref = String(shown);
    bars.forEach(function (bar) {
      var best = "none";
      bar.flags.forEach(function (f) {
        if (!cats.has(f.c) || !sevs.has(f.s)) return;
        if (hideOther && f.refs && f.refs.indexOf(ref) < 0) return;
        if (best === "none" || RANK[f.s] > RANK[best]) best = f.s;
      });
      if (bar.rect.getAttribute("class") !== best) bar.rect.setAttribute("class", best);
    });
    // One class on the chart dims every grey bar (not one attribute per bar).
    chart.classList.toggle("plain-off", !plain);
  }

  function count(v) {
    var seeds = 0;
    for (var i = 0; i < v.list.length; i++) {
      if (!v.list[i].el.hidden) seeds += v.list[i].seeds;
    }
    countOut.textContent = seeds + " of " + data.sentences + " sentences shown" +
      (data.detect ? " \u00b7 " + v.hits.length + " with a selected flag" : "");
  }

  function go(row, label) {
    if (current) current.el.classList.remove("current");
    current = row;
    row.el.classList.add("current");
    row.el.tabIndex = -1;
    row.el.scrollIntoView({ block: "center" });
    row.el.focus({ preventScroll: true });
    where.textContent = label;
  }

  function jump(step) {
    var v = view(shown);
    var hits = v.hits;
    if (!hits.length) {
      where.textContent = "No shown sentence has a selected flag";
      return;
    }
    var k;
    if (!current || current.table !== shown) {
      k = step > 0 ? 0 : hits.length - 1;
    } else if (step > 0) {
      for (k = 0; k < hits.length && hits[k].pos <= current.pos; k++);
      if (k === hits.length) { where.textContent = "This is the last flagged sentence"; return; }
    } else {
      for (k = hits.length - 1; k >= 0 && hits[k].pos >= current.pos; k--);
      if (k < 0) { where.textContent = "This is the first flagged sentence"; return; }
    }
    go(hits[k], "Flagged sentence " + (k + 1) + " of " + hits.length);
  }

  function showTable(k) {
    tables.forEach(function (t, i) { t.parentNode.hidden = i !== k; });
    document.querySelectorAll(".scoreline [data-ref]").forEach(function (line) {
      line.hidden = line.getAttribute("data-ref") !== String(k);
    });
    shown = k;
    current = null;
    arrange(view(k), orderSelect.value);
    apply();
  }

  // The reference shown and the order live in the URL hash (#ref=NAME&order=doc), so that a
  // reload or a shared link opens the same view.
  function readHash() {
    var state = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var eq = part.indexOf("=");
      if (eq < 0) return;
      try {
        state[decodeURIComponent(part.slice(0, eq))] = decodeURIComponent(part.slice(eq + 1));
      } catch (err) { /* a malformed hash is ignored */ }
    });
    return state;
  }
  function writeHash() {
    var parts = [];
    if (data.references.length) parts.push("ref=" + encodeURIComponent(data.references[shown]));
    if (orderSelect.value !== "flagged") parts.push("order=" + orderSelect.value);
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (location.hash === hash || (!hash && !location.hash)) return;
    history.replaceState(null, "", hash || location.pathname + location.search);
  }

  nav.addEventListener("change", function (e) {
    var t = e.target;
    if (t === refSelect) { showTable(parseInt(t.value, 10)); writeHash(); }
    else if (t === orderSelect) { arrange(view(shown), t.value); apply(); writeHash(); }
    else if (t.name === "sev" || t.name === "cat" || t === plainBox || t === onlyRefBox) apply();
  });
  nav.addEventListener("click", function (e) {
    var b = e.target.closest("button");
    if (b && b.id === "next") jump(1);
    else if (b && b.id === "prev") jump(-1);
  });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var t = e.target;
    if (t.closest && t.closest("select, textarea, [contenteditable], input:not([type=checkbox])")) return;
    if (e.key === "j") { e.preventDefault(); jump(1); }
    else if (e.key === "k") { e.preventDefault(); jump(-1); }
  });
  if (chart) {
    chart.addEventListener("click", function (e) {
      var a = e.target.closest("a[data-i]");
      if (!a) return;
      e.preventDefault();
      var sentence = document.getElementById("s" + shown + "-" + a.getAttribute("data-i"));
      if (!sentence) return;
      var v = view(shown);
      var row = v.byEl.get(sentence.closest("tr"));
      if (row.el.hidden) { row.el.hidden = false; count(v); } // a filtered row is revealed
      go(row, "Sentence " + (parseInt(a.getAttribute("data-i"), 10) + 1) + " of " + data.sentences);
    });
  }

  // ---------------------------------------------------------------- accepting flags
  var accept = data.accept;
  var ticked = new Map(); // flag id -> {reason, comment}, in the order they were ticked
  var acceptedOut = document.getElementById("accepted");
  var downloadButton = document.getElementById("download");
  var copyButton = document.getElementById("copy");
  var copiedOut = document.getElementById("copied");
  var commandsBox = document.getElementById("commands");

  function boxesOf(id) {
    return main.querySelectorAll('input.accept[value="' + CSS.escape(id) + '"]');
  }
  // The reason and comment fields of a flag, made when it is first ticked (10,000 rows of
  // idle form fields would cost the page's load more than the reviewer's few ticks).
  function fields(li) {
    var decide = li.querySelector(".decide");
    if (decide) return decide;
    decide = document.createElement("span");
    decide.className = "decide";
    var reasonLabel = document.createElement("label");
    var select = document.createElement("select");
    select.className = "reason";
    accept.reasons.forEach(function (r) {
      var option = document.createElement("option");
      option.value = option.textContent = r;
      select.appendChild(option);
    });
    reasonLabel.append("reason ", select);
    var commentLabel = document.createElement("label");
    var comment = document.createElement("input");
    comment.type = "text";
    comment.className = "comment";
    comment.size = 28;
    commentLabel.append("comment ", comment);
    decide.append(" ", reasonLabel, " ", commentLabel);
    li.appendChild(decide);
    return decide;
  }
  function decisionOf(li) {
    var decide = fields(li);
    return { reason: decide.querySelector("select.reason").value,
             comment: decide.querySelector("input.comment").value };
  }
  // One flag shows in every reference's table: its boxes and fields move together.
  function sync(id, decision) {
    boxesOf(id).forEach(function (box) {
      var li = box.closest("li");
      box.checked = !!decision;
      li.classList.toggle("on", !!decision);
      if (!decision) return;
      var decide = fields(li);
      decide.querySelector("select.reason").value = decision.reason;
      var comment = decide.querySelector("input.comment");
      if (comment.value !== decision.comment) comment.value = decision.comment;
    });
  }
  function onDecision(e) {
    var li = e.target.closest("li.fl");
    if (!li) return;
    var box = li.querySelector("input.accept");
    var id = box.value;
    if (box.checked) {
      var decision = decisionOf(li);
      ticked.set(id, decision);
      sync(id, decision);
    } else if (e.target === box) {
      ticked.delete(id);
      sync(id, null);
    } else return; // a reason or comment typed before ticking: read when the box is ticked
    var n = ticked.size;
    acceptedOut.textContent = n ? n + " flag" + (n === 1 ? "" : "s") + " ticked to accept"
      : "Tick a flag\u2019s \u201caccept\u201d box to waive it.";
    downloadButton.disabled = copyButton.disabled = !n;
    copiedOut.textContent = "";
    if (!commandsBox.hidden) commandsBox.value = commands();
  }

  // TOML exactly as `transdiff waive` writes it (tomli_w): basic strings with the same
  // escapes, [[waiver]] tables, or one inline array when every table fits in 100 characters.
  var COMPACT = { 8: "\\b", 10: "\\n", 12: "\\f", 13: "\\r", 34: "\\\"", 92: "\\\\" };
  function tomlString(s) {
    var out = "\"";
    for (var ch of s) {
      var c = ch.codePointAt(0);
      if (COMPACT[c]) out += COMPACT[c];
      else if ((c < 32 && c !== 9) || c === 127) out += "\\u" + c.toString(16).padStart(4, "0");
      else out += ch;
    }
    return out + "\"";
  }
  var FIELDS = ["id", "reason", "comment", "category", "sentence", "span", "created"];
  function lines(w) {
    return FIELDS.filter(function (k) { return w[k] !== undefined && w[k] !== null; })
      .map(function (k) { return k + " = " + (k === "created" ? w[k] : tomlString(w[k])); });
  }
  function toml(waivers) {
    if (!waivers.length) return accept.header + "waiver = []\n";
    var inline = waivers.map(function (w) { return "{ " + lines(w).join(", ") + " }"; });
    var fits = inline.every(function (t) { return Array.from("    " + t + ",").length <= 100; });
    if (fits) {
      return accept.header + "waiver = [\n" + inline.map(function (t) { return "    " + t; })
        .join(",\n") + ",\n]\n";
    }
    return accept.header + waivers.map(function (w) {
      return "[[waiver]]\n" + lines(w).join("\n") + "\n";
    }).join("\n");
  }
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" +
      String(d.getDate()).padStart(2, "0");
  }
  // This run's waivers, then the ticked flags; a ticked flag replaces its own waiver in place.
  function merged() {
    var created = today();
    var out = accept.waivers.map(function (w) { return Object.assign({}, w); });
    ticked.forEach(function (decision, id) {
      var f = accept.flags[id];
      var w = { id: id, reason: decision.reason, comment: decision.comment,
                category: f.category, sentence: f.sentence, span: f.span, created: created };
      var at = out.findIndex(function (old) { return old.id === id; });
      if (at < 0) out.push(w); else out[at] = w;
    });
    return out;
  }
  function download() {
    var blob = new Blob([toml(merged())], { type: "application/toml" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "transdiff.waivers.toml";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
    copiedOut.textContent = "Downloaded transdiff.waivers.toml (" + ticked.size + " new)";
  }

  // Shell quoting as Python's shlex.quote.
  function quote(s) {
    if (!s) return "''";
    if (/^[A-Za-z0-9_@%+=:,.\/-]+$/.test(s)) return s;
    return "'" + s.replace(/'/g, "'\"'\"'") + "'";
  }
  function commands() {
    var out = [];
    ticked.forEach(function (decision, id) {
      var cmd = "transdiff waive " + quote(id) + " --reason " + quote(decision.reason);
      if (decision.comment) cmd += " --comment " + quote(decision.comment);
      out.push(cmd + " " + accept.paths);
    });
    return out.join("\n") + "\n";
  }
  function copy() {
    commandsBox.value = commands();
    commandsBox.hidden = false;
    var n = ticked.size;
    var done = function () {
      copiedOut.textContent = "Copied " + n + " command" + (n === 1 ? "" : "s");
    };
    var fallback = function () {
      commandsBox.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
      if (ok) done();
      else copiedOut.textContent = "Select the commands below and copy them";
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(commandsBox.value).then(done, fallback);
    } else fallback();
  }
  if (downloadButton) {
    main.addEventListener("change", onDecision);
    main.addEventListener("input", function (e) {
      if (e.target.classList.contains("comment")) onDecision(e);
    });
    downloadButton.addEventListener("click", download);
    copyButton.addEventListener("click", copy);
  }

  // ---------------------------------------------------------------- start
  // The view the hash names (a reload, a shared link, or the hash edited by hand); a name
  // that is not a reference, or an unknown order, leaves that part as it is.
  function follow(state, first) {
    var named = data.references.indexOf(state.ref);
    var order = state.order === "doc" || state.order === "susp" ? state.order
      : (first || state.ref !== undefined ? "flagged" : orderSelect.value);
    if (orderSelect.querySelector('option[value="' + order + '"]').disabled) order = "flagged";
    var k = named >= 0 ? named : shown;
    if (refSelect) refSelect.value = String(k);
    orderSelect.value = order;
    if (k !== shown || first) showTable(k);
    else { arrange(view(shown), order); apply(); }
  }
  window.addEventListener("hashchange", function () {
    var state = readHash();
    if (state.ref !== undefined || state.order !== undefined) follow(state, false);
  });
  follow(readHash(), true);
})();