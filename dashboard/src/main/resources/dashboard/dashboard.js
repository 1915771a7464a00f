// Sluice live dashboard: state from /events (server-sent events), charts drawn on canvas by hand.
(function () {
  'use strict';
  var MAX_POINTS = 720, MAX_ALERTS = 200;
  var COLORS = ['#2f6fdf', '#e07b00', '#1f9d55', '#b8329e', '#8a6d00', '#17a2b8', '#a3292b', '#5b6477'];
  var state = { series: {}, alerts: [], lastUpdate: null, events: 0 };
  var $ = function (id) { return document.getElementById(id); };

  function key(p) { return p.model + '/' + p.version + '/' + p.windowMs; }

  function addPoint(p) {
    var k = key(p), s = state.series[k];
    if (!s) { s = state.series[k] = { model: p.model, version: p.version, windowMs: p.windowMs, points: [] }; }
    var i = s.points.findIndex(function (q) { return q.windowStart === p.windowStart; });
    if (i >= 0) { s.points[i] = p; } else { s.points.push(p); s.points.sort(function (a, b) { return a.windowStart - b.windowStart; }); }
    if (s.points.length > MAX_POINTS) { s.points.splice(0, s.points.length - MAX_POINTS); }
  }

  function loadHistory(h) {
    state.series = {};
    h.series.forEach(function (s) { s.points.forEach(addPoint); });
    state.alerts = h.alerts.slice(0, MAX_ALERTS);
    state.lastUpdate = h.lastUpdate;
  }

  function windowSizes() {
    var sizes = {};
    Object.keys(state.series).forEach(function (k) { sizes[state.series[k].windowMs] = true; });
    return Object.keys(sizes).map(Number).sort(function (a, b) { return a - b; });
  }

  function shownSeries() {
    var select = $('window-size'), sizes = windowSizes();
    var current = Number(select.value);
    if (select.options.length !== sizes.length) {
      select.innerHTML = '';
      sizes.forEach(function (ms) { var o = document.createElement('option'); o.value = ms; o.textContent = fmtWindow(ms); select.appendChild(o); });
      if (sizes.indexOf(current) >= 0) { select.value = current; }
    }
    var chosen = Number(select.value);
    return Object.keys(state.series).sort().map(function (k) { return state.series[k]; })
      .filter(function (s) { return s.windowMs === chosen; });
  }

  function fmtWindow(ms) { return ms % 60000 === 0 ? (ms / 60000) + ' min' : (ms / 1000) + ' s'; }
  function fmt(v, digits) { return v === null || v === undefined || isNaN(v) ? '–' : Number(v).toFixed(digits); }
  function sum(obj) { return Object.keys(obj || {}).reduce(function (t, k) { return t + obj[k]; }, 0); }
  function last(s) { return s.points[s.points.length - 1]; }

  // ---- canvas drawing ----
  function prepare(canvas) {
    var ratio = window.devicePixelRatio || 1, w = canvas.clientWidth || 560, h = canvas.clientHeight || 190;
    canvas.width = Math.round(w * ratio); canvas.height = Math.round(h * ratio);
    var ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.font = '11px system-ui, sans-serif';
    return { ctx: ctx, w: w, h: h, left: 48, right: w - 10, top: 20, bottom: h - 22 };
  }

  function noData(canvas, c) {
    c.ctx.fillStyle = '#8b93a5'; c.ctx.textAlign = 'center';
    c.ctx.fillText('Waiting for data…', c.w / 2, c.h / 2);
    canvas.dataset.points = '0';
  }

  function niceMax(v) {
    if (!(v > 0)) { return 1; }
    var p = Math.pow(10, Math.floor(Math.log10(v))), m = v / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }

  function yAxis(c, max) {
    var ctx = c.ctx; ctx.strokeStyle = '#e6e8ee'; ctx.fillStyle = '#5b6477'; ctx.textAlign = 'right';
    for (var i = 0; i <= 4; i++) {
      var y = c.bottom - (c.bottom - c.top) * i / 4;
      ctx.beginPath(); ctx.moveTo(c.left, y); ctx.lineTo(c.right, y); ctx.stroke();
      ctx.fillText(String(+(max * i / 4).toPrecision(3)), c.left - 4, y + 3);
    }
  }

  function legend(c, items) {
    var x = c.left, ctx = c.ctx; ctx.textAlign = 'left';
    items.forEach(function (it) {
      ctx.fillStyle = it.color; ctx.fillRect(x, 6, 10, 8); ctx.fillStyle = '#1d2330';
      ctx.fillText(it.label, x + 14, 14); x += ctx.measureText(it.label).width + 28;
    });
  }

  // lines: [{label, color, dash, points: [[t, v]]}]
  function lineChart(canvas, lines) {
    var c = prepare(canvas), all = [];
    lines.forEach(function (l) { all = all.concat(l.points); });
    if (all.length === 0) { noData(canvas, c); return; }
    var t0 = Math.min.apply(null, all.map(function (p) { return p[0]; })), t1 = Math.max.apply(null, all.map(function (p) { return p[0]; }));
    if (t1 === t0) { t1 = t0 + 1000; }
    var max = niceMax(Math.max.apply(null, all.map(function (p) { return p[1]; })));
    yAxis(c, max);
    var x = function (t) { return c.left + (c.right - c.left) * (t - t0) / (t1 - t0); };
    var y = function (v) { return c.bottom - (c.bottom - c.top) * v / max; };
    var ctx = c.ctx;
    lines.forEach(function (l) {
      ctx.strokeStyle = l.color; ctx.fillStyle = l.color; ctx.lineWidth = 2; ctx.setLineDash(l.dash || []);
      ctx.beginPath();
      l.points.forEach(function (p, i) { if (i === 0) { ctx.moveTo(x(p[0]), y(p[1])); } else { ctx.lineTo(x(p[0]), y(p[1])); } });
      ctx.stroke(); ctx.setLineDash([]);
      l.points.forEach(function (p) { ctx.beginPath(); ctx.arc(x(p[0]), y(p[1]), 2.5, 0, 2 * Math.PI); ctx.fill(); });
    });
    ctx.fillStyle = '#5b6477'; ctx.textAlign = 'left'; ctx.fillText(new Date(t0).toLocaleTimeString(), c.left, c.h - 6);
    ctx.textAlign = 'right'; ctx.fillText(new Date(t1).toLocaleTimeString(), c.right, c.h - 6);
    legend(c, lines.filter(function (l) { return !l.hideLegend; }));
    canvas.dataset.points = String(all.length);
  }

  // groups: [{label, values: {seriesLabel: v}}], keys: [{label, color}]
  function barChart(canvas, groups, keys) {
    var c = prepare(canvas), n = 0, max = 0;
    groups.forEach(function (g) { keys.forEach(function (k) { var v = g.values[k.label] || 0; if (v > 0) { n++; } max = Math.max(max, v); }); });
    if (groups.length === 0) { noData(canvas, c); return; }
    max = niceMax(max); yAxis(c, max);
    var ctx = c.ctx, slot = (c.right - c.left) / groups.length, bw = Math.max(4, slot * 0.7 / keys.length);
    groups.forEach(function (g, gi) {
      keys.forEach(function (k, ki) {
        var v = g.values[k.label] || 0, bx = c.left + slot * gi + slot * 0.15 + bw * ki, bh = (c.bottom - c.top) * v / max;
        ctx.fillStyle = k.color; ctx.fillRect(bx, c.bottom - bh, bw - 1, bh);
      });
      ctx.fillStyle = '#1d2330'; ctx.textAlign = 'center'; ctx.fillText(g.label, c.left + slot * (gi + 0.5), c.h - 6);
    });
    legend(c, keys);
    canvas.dataset.points = String(n);
  }

  // ---- rendering ----
  function render() {
    var shown = shownSeries(), colored = shown.map(function (s, i) { return { s: s, color: COLORS[i % COLORS.length], label: s.model + ' ' + s.version }; });
    lineChart($('chart-throughput'), colored.map(function (e) {
      return { label: e.label, color: e.color, points: e.s.points.map(function (p) { return [p.windowStart, p.throughput]; }) };
    }));
    var latency = [];
    colored.forEach(function (e) {
      [['p50', [2, 3]], ['p95', [6, 3]], ['p99', []]].forEach(function (q) {
        latency.push({ label: e.label, color: e.color, dash: q[1], hideLegend: q[0] !== 'p99',
          points: e.s.points.filter(function (p) { return p.latency; }).map(function (p) { return [p.windowStart, p.latency[q[0]]]; }) });
      });
    });
    lineChart($('chart-latency'), latency);
    lineChart($('chart-batch'), colored.map(function (e) {
      return { label: e.label, color: e.color, points: e.s.points.map(function (p) { return [p.windowStart, p.batchSize]; }) };
    }));
    barChart($('chart-status'), totals(colored, 'status'), colored);
    barChart($('chart-rejections'), totals(colored, 'rejections'), colored);
    renderTable(colored);
    renderLatest();
    renderAlerts();
  }

  function totals(colored, field) {
    var byName = {};
    colored.forEach(function (e) {
      e.s.points.forEach(function (p) {
        Object.keys(p[field] || {}).forEach(function (name) {
          byName[name] = byName[name] || {}; byName[name][e.label] = (byName[name][e.label] || 0) + p[field][name];
        });
      });
    });
    return Object.keys(byName).sort().map(function (name) { return { label: name, values: byName[name] }; });
  }

  function renderTable(colored) {
    var body = $('versions').tBodies[0];
    if (colored.length === 0) { return; }
    body.innerHTML = '';
    colored.forEach(function (e) {
      var p = last(e.s), l = p.latency || {}, row = body.insertRow();
      [p.model, p.version, fmt(p.throughput, 2), p.requests, fmt(l.p50, 1), fmt(l.p95, 1), fmt(l.p99, 1), fmt(p.batchSize, 1),
        (p.status && p.status.ERROR) || 0, p.cacheHits].forEach(function (v) { row.insertCell().textContent = v; });
      row.cells[1].style.color = e.color;
    });
  }

  var latest = null;
  function renderLatest() {
    if (!latest) { return; }
    $('latest-throughput').textContent = fmt(latest.throughput, 2);
    $('latest-p99').textContent = latest.latency ? fmt(latest.latency.p99, 1) : '–';
    $('latest-version').textContent = latest.model + ' ' + latest.version;
  }

  function renderAlerts() {
    var list = $('alerts');
    $('alert-count').textContent = String(state.alerts.length);
    if (state.alerts.length === 0) { return; }
    list.innerHTML = '';
    state.alerts.forEach(function (a) {
      var li = document.createElement('li'), fields = Object.keys(a).filter(function (k) { return a[k] !== null && typeof a[k] !== 'object'; });
      li.textContent = fields.map(function (k) { return k + '=' + a[k]; }).join('  ');
      list.appendChild(li);
    });
  }

  function renderClock() {
    var el = $('last-update');
    if (state.lastUpdate === null) { return; }
    el.dataset.ts = String(state.lastUpdate);
    var ago = Math.max(0, Math.round((Date.now() - state.lastUpdate) / 1000));
    el.textContent = new Date(state.lastUpdate).toLocaleTimeString() + ' (' + ago + ' s ago)';
  }

  function received() {
    state.events++;
    $('events-received').textContent = String(state.events);
    document.body.dataset.events = String(state.events);
  }

  // ---- live updates ----
  function connect() {
    var source = new EventSource('events'), badge = $('connection');
    source.onopen = function () { badge.dataset.state = 'live'; badge.textContent = 'live'; };
    source.onerror = function () { badge.dataset.state = 'reconnecting'; badge.textContent = 'reconnecting'; };
    source.addEventListener('history', function (e) {
      loadHistory(JSON.parse(e.data));
      var all = [];
      Object.keys(state.series).forEach(function (k) { all = all.concat(state.series[k].points); });
      latest = all.sort(function (a, b) { return a.windowEnd - b.windowEnd; })[all.length - 1] || latest;
      received(); render(); renderClock();
    });
    source.addEventListener('snapshot', function (e) {
      latest = JSON.parse(e.data); addPoint(latest); state.lastUpdate = Date.now();
      received(); render(); renderClock();
    });
    source.addEventListener('alert', function (e) {
      state.alerts.unshift(JSON.parse(e.data)); state.alerts.length = Math.min(state.alerts.length, MAX_ALERTS);
      state.lastUpdate = Date.now(); received(); renderAlerts(); renderClock();
    });
  }

  $('window-size').addEventListener('change', render);
  window.addEventListener('resize', render);
  render();
  setInterval(renderClock, 1000);
  connect();
}());
