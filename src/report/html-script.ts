// The report's only script: filters the scenario list from the summary tiles and matrix cells, and opens a linked scenario.
// Plain ES2017 in a string so the page needs no build step and no network.

export const SCRIPT = `
(function () {
  var list = document.querySelectorAll('details.scenario');
  var bar = document.getElementById('filter');
  var label = document.getElementById('filter-label');
  function show(pred, text) {
    var shown = 0;
    list.forEach(function (d) { var on = pred(d); d.classList.toggle('hidden', !on); if (on) shown++; });
    bar.hidden = !text;
    label.textContent = text ? text + ' (' + shown + ')' : '';
    document.querySelectorAll('#summary .tile').forEach(function (t) { t.classList.remove('active'); });
  }
  document.getElementById('filter-clear').addEventListener('click', function () { show(function () { return true; }, ''); });
  document.querySelectorAll('#summary .tile').forEach(function (tile) {
    tile.addEventListener('click', function () {
      var o = tile.getAttribute('data-outcome');
      show(function (d) { return d.getAttribute('data-outcome') === o; }, 'Outcome: ' + o);
      tile.classList.add('active');
    });
  });
  document.querySelectorAll('#matrix td.cell, #interop-matrix td.cell').forEach(function (cell) {
    cell.addEventListener('click', function () {
      var ids = (cell.getAttribute('data-scenarios') || '').split(' ');
      show(function (d) { return ids.indexOf(d.id) !== -1; }, cell.getAttribute('data-rule') + ' \\u00d7 ' + cell.getAttribute('data-org'));
      if (ids.length <= 3) ids.forEach(function (id) { var d = document.getElementById(id); if (d) d.open = true; });
      document.getElementById('scenarios').scrollIntoView();
    });
  });
  function openHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var d = id && document.getElementById(id);
    if (d && d.tagName === 'DETAILS') { d.open = true; d.scrollIntoView(); }
  }
  window.addEventListener('hashchange', openHash);
  openHash();
})();
`;
