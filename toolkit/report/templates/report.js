// transdiff review page: filters, order and j/k navigation.
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
  var shown = 0; // index of the table on screen
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
        el: tr, index: i, pos: i, table: k, flags: flags, hit: false,
        suspicion: s === null ? -1 : parseFloat(s),
        seeds: n === null ? 1 : parseInt(n, 10)
      };
      rows.push(row);
      byEl.set(tr, row);
    }
    views[k] = { table: k, rows: rows, list: rows, byEl: byEl, order: "doc", hits: [] };
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
    shown = k;
    current = null;
    arrange(view(k), orderSelect.value);
    apply();
  }

  nav.addEventListener("change", function (e) {
    var t = e.target;
    if (t === refSelect) showTable(parseInt(t.value, 10));
    else if (t === orderSelect) { arrange(view(shown), t.value); apply(); }
    else apply();
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

  if (refSelect) refSelect.value = "0";
  orderSelect.value = "doc";
  apply();
})();
