// Keel web UI: theme before first paint, CSRF header for htmx, charts from data attributes.
(function () {
  var saved = null;
  try { saved = localStorage.getItem('keel-theme'); } catch (e) { /* storage may be off */ }
  if (saved === 'dark' || saved === 'light') {
    document.documentElement.setAttribute('data-theme', saved);
  }

  function currentTheme() {
    var t = document.documentElement.getAttribute('data-theme');
    if (t) { return t; }
    return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }

  function toggleTheme() {
    var next = currentTheme() === 'dark' ? 'light' : 'dark';
    document.documentElement.setAttribute('data-theme', next);
    try { localStorage.setItem('keel-theme', next); } catch (e) { /* ignore */ }
    drawCharts(document);
  }

  function numbers(s) {
    return s ? s.split(',').map(Number) : [];
  }

  function drawCharts(root) {
    if (!window.uPlot) { return; }
    root.querySelectorAll('.plot').forEach(function (el) {
      el.innerHTML = '';
      var xs = numbers(el.dataset.x);
      if (!xs.length) { return; }
      var css = getComputedStyle(document.documentElement);
      var stroke = css.getPropertyValue('--bar').trim();
      var grid = css.getPropertyValue('--line').trim();
      var text = css.getPropertyValue('--muted').trim();
      var unit = el.dataset.unit || '';
      var axis = { stroke: text, grid: { stroke: grid }, ticks: { stroke: grid } };
      var opts = {
        width: Math.max(280, el.clientWidth), height: 200,
        series: [{}, { label: el.dataset.label, stroke: stroke, width: 2,
          fill: stroke + '22', points: { show: xs.length < 40 },
          value: function (u, v) { return v == null ? '' : unit + v.toFixed(unit ? 4 : 0); } }],
        axes: [axis, Object.assign({}, axis, { size: 64,
          values: function (u, vals) { return vals.map(function (v) { return unit + v; }); } })],
        scales: { x: { time: true } }, legend: { show: true }
      };
      new uPlot(opts, [xs, numbers(el.dataset.y)], el);
    });
  }

  function moveRow(step) {
    var links = Array.prototype.slice.call(
      document.querySelectorAll('table.list tbody tr td:first-child a, #tree summary'));
    if (!links.length) { return false; }
    var i = links.indexOf(document.activeElement);
    var next = links[Math.max(0, Math.min(links.length - 1, i < 0 ? 0 : i + step))];
    next.focus();
    next.scrollIntoView({ block: 'nearest' });
    return true;
  }

  document.addEventListener('DOMContentLoaded', function () {
    var button = document.getElementById('theme');
    if (button) { button.addEventListener('click', toggleTheme); }
    drawCharts(document);
    document.body.addEventListener('htmx:configRequest', function (e) {
      var meta = document.querySelector('meta[name="csrf-token"]');
      if (meta) { e.detail.headers['X-CSRF-Token'] = meta.content; }
    });
    document.body.addEventListener('htmx:afterSwap', function (e) { drawCharts(e.target); });
    // "/" focuses the first filter field; j and k move between the rows of a list (Enter opens).
    document.addEventListener('keydown', function (e) {
      var tag = (e.target.tagName || '').toLowerCase();
      if (tag === 'input' || tag === 'textarea' || tag === 'select' || e.ctrlKey || e.metaKey
          || e.altKey) {
        return;
      }
      if (e.key === '/') {
        var f = document.querySelector('main input:not([type="hidden"])');
        if (f) { e.preventDefault(); f.focus(); }
      } else if (e.key === 'j' || e.key === 'k') {
        moveRow(e.key === 'j' ? 1 : -1) && e.preventDefault();
      }
    });
  });
})();
