"use strict";
(function () {
  var table = document.getElementById("documents");
  if (!table) { return; }
  var heads = table.tHead.rows[0].cells;
  var body = table.tBodies[0];
  function key(row, col, numeric) {
    var value = row.cells[col].getAttribute("data-sort") || "";
    if (!numeric) { return value.toLowerCase(); }
    return value === "" ? null : parseFloat(value);
  }
  function sortBy(col) {
    var th = heads[col];
    var numeric = th.getAttribute("data-type") === "num";
    var descending = th.getAttribute("aria-sort") === "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, col, numeric);
      var y = key(b, col, numeric);
      if (x === y) { return 0; }
      if (x === null) { return 1; }
      if (y === null) { return -1; }
      var order = x < y ? -1 : 1;
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    for (var i = 0; i < heads.length; i += 1) { heads[i].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }
  Array.prototype.forEach.call(heads, function (th, col) {
    th.tabIndex = 0;
    th.addEventListener("click", function () { sortBy(col); });
    th.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(col); }
    });
  });
}());
