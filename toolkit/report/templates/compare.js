// transdiff compare page: the differences shown (against the reference or the other system),
// the order of the units and two filters. Rows are only hidden or moved, never rebuilt.
(function () {
  "use strict";
  var main = document.getElementById("main");
  var diff = document.getElementById("diff");
  var order = document.getElementById("order");
  var flagged = document.getElementById("flagged");
  var differ = document.getElementById("differ");
  var count = document.getElementById("count");
  var tables = Array.prototype.slice.call(document.querySelectorAll("table.units"));
  var views = tables.map(function (table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    return { body: table.tBodies[0], rows: rows };
  });

  function num(tr, name) {
    return parseInt(tr.getAttribute(name), 10);
  }

  function apply() {
    main.classList.toggle("vs-other", diff.value === "other");
    var shown = 0;
    var total = 0;
    views.forEach(function (v) {
      var list = v.rows.slice();
      list.sort(function (a, b) {
        // "flagged first" is the order the page was written in (data-rank); "gap": the largest
        // chrF gap first; ties, and "document order", by the unit's place in the document.
        if (order.value === "flags") return num(a, "data-rank") - num(b, "data-rank");
        var d = 0;
        if (order.value === "gap") {
          d = parseFloat(b.getAttribute("data-gap")) - parseFloat(a.getAttribute("data-gap"));
        }
        return d || num(a, "data-i") - num(b, "data-i");
      });
      list.forEach(function (tr) {
        var hide = (flagged.checked && tr.getAttribute("data-flags") === "0") ||
          (differ.checked && !tr.hasAttribute("data-differ"));
        tr.hidden = hide;
        if (!hide) shown++;
        total++;
        v.body.appendChild(tr);
      });
    });
    count.textContent = shown + " of " + total + " units shown";
  }

  [diff, order, flagged, differ].forEach(function (control) {
    control.addEventListener("change", apply);
  });
  apply();
})();
