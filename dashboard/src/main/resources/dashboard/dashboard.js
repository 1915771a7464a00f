// Sluice live dashboard: state from /events (server-sent events), charts by uPlot (vendored at build time).
(function () {
  'use strict';
  var MAX_POINTS = 720, MAX_ALERTS = 200, MAX_GRID = 2000, CHART_HEIGHT = 200;
  var PALETTE = ['#2f6fdf', '#e07b00', '#1f9d55', '#b8329e', '#8a6d00', '#17a2b8', '#a3292b', '#6f42c1', '#d6336c', '#0f766e',
    '#b45309', '#5b6477'];
  var FAILED = ['ERROR', 'EXPIRED'];
  var WHOLE_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 1e6, 1e7];
  var RULES = {
    THROUGHPUT_SPIKE: { title: 'Throughput spike',
      why: 'Raised when a window carries several times the mean throughput of the version\'s previous windows.' },
    THROUGHPUT_DROP: { title: 'Throughput drop',
      why: 'Raised when a window carries a fraction of the mean throughput of the version\'s previous windows, or none at all.' },
    ERROR_RATE: { title: 'Error rate',
      why: 'Raised when more than the allowed share of a window\'s results are ERROR or EXPIRED.' },
    LATENCY_REGRESSION: { title: 'Latency regression',
      why: 'Raised when a version\'s p99 is several times the p99 of another version of the same model in the same window.' },
    OTHER: { title: 'Alert', why: '' }
  };
  var state = { series: {}, totals: {}, alerts: [], lastSnapshot: null, events: 0, connected: false };
  var charts = {};
  var $ = function (id) { return document.getElementById(id); };

  // ---- formatting ----
  function fmt(v, digits) { return v === null || v === undefined || isNaN(v) ? '–' : Number(v).toFixed(digits); }
  function fmtRate(v) { return v === null || v === undefined || isNaN(v) ? '–' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2); }
  function fmtMs(v) { return v === null || v === undefined || isNaN(v) ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(1); }
  function fmtPercent(v) { return v === null || v === undefined || isNaN(v) ? '–' : v.toFixed(1) + ' %'; }
  function fmtWindow(ms) { return ms % 60000 === 0 ? (ms / 60000) + ' min' : (ms / 1000) + ' s'; }
  // One way of writing a time everywhere on the page, the axes included: 24-hour local time.
  function fmtTime(ms) { return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }); }
  function toMs(t) { return typeof t === 'number' ? t : Date.parse(t); }
  function fmtAgo(ms) { var s = Math.max(0, Math.round(ms / 1000)); return s < 120 ? s + ' s' : Math.round(s / 60) + ' min'; }

  // A colour per name that is the same in every session and every browser: a hash into the palette.
  function colorOf(name) {
    var h = 0x811c9dc5;
    for (var i = 0; i < name.length; i++) { h ^= name.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return PALETTE[h % PALETTE.length];
  }

  // ---- state ----
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
    state.totals = {};
    h.series.forEach(function (s) { s.points.forEach(addPoint); });
    (h.totals || []).forEach(function (t) { state.totals[t.windowMs] = t; });
    state.alerts = h.alerts.slice(0, MAX_ALERTS);
    // The server says how old its latest snapshot is; the browser's clock need not agree with its own.
    state.lastSnapshot = h.lastSnapshotAgeMs === null || h.lastSnapshotAgeMs === undefined ? null : Date.now() - h.lastSnapshotAgeMs;
  }

  function windowSizes() {
    var sizes = {};
    Object.keys(state.series).forEach(function (k) { sizes[state.series[k].windowMs] = true; });
    return Object.keys(sizes).map(Number).sort(function (a, b) { return a - b; });
  }

  function selectedWindow() {
    var select = $('window-size'), sizes = windowSizes(), current = Number(select.value);
    if (select.options.length !== sizes.length) {
      select.innerHTML = '';
      sizes.forEach(function (ms) { var o = document.createElement('option'); o.value = ms; o.textContent = fmtWindow(ms); select.appendChild(o); });
      if (sizes.indexOf(current) >= 0) { select.value = current; }
    }
    return Number(select.value) || null;
  }

  // The versions' series of the selected window length, and the rejections of requests routed to no version.
  function shown(windowMs) {
    var all = Object.keys(state.series).sort().map(function (k) { return state.series[k]; })
      .filter(function (s) { return s.windowMs === windowMs; });
    return {
      versions: all.filter(function (s) { return s.version !== '*'; }).map(function (s) {
        var name = s.model + '/' + s.version;
        return { s: s, label: s.model + ' ' + s.version, color: colorOf(name) };
      }),
      all: all
    };
  }

  function last(s) { return s.points[s.points.length - 1]; }
  function failed(p) { return FAILED.reduce(function (t, name) { return t + ((p.status && p.status[name]) || 0); }, 0); }
  function cacheRatio(p) { return p.requests > 0 ? 100 * p.cacheHits / p.requests : null; }
  function labelled(p) { return p.quality && p.quality.labelled > 0; }

  // ---- charts ----
  // Adds the windows where nothing was reported, so a gap in traffic is drawn as a gap.
  function grid(lines, windowMs) {
    var seen = {};
    lines.forEach(function (l) { Object.keys(l.values).forEach(function (t) { seen[t] = true; }); });
    var times = Object.keys(seen).map(Number).sort(function (a, b) { return a - b; }), out = [];
    times.forEach(function (t, i) {
      if (i > 0 && t - times[i - 1] > windowMs) { out.push(times[i - 1] + windowMs); }
      out.push(t);
    });
    return out.slice(-MAX_GRID);
  }

  function tooltip(format) {
    var tip;
    function row(parent, color, text) {
      var line = document.createElement('div'), swatch = document.createElement('span');
      swatch.className = 'swatch'; swatch.style.background = color;
      line.appendChild(swatch); line.appendChild(document.createTextNode(text)); parent.appendChild(line);
    }
    return { hooks: {
      init: function (u) { tip = document.createElement('div'); tip.className = 'tooltip'; tip.style.display = 'none'; u.over.appendChild(tip); },
      setCursor: function (u) {
        var idx = u.cursor.idx, lines = u.sluiceLines || [];
        if (idx === null || idx === undefined || u.cursor.left < 0) { tip.style.display = 'none'; return; }
        var values = [];
        lines.forEach(function (l, i) { var v = u.data[i + 1][idx]; if (v !== null && v !== undefined) { values.push([l, v]); } });
        if (values.length === 0) { tip.style.display = 'none'; return; }
        tip.textContent = '';
        var time = document.createElement('div');
        time.className = 'time'; time.textContent = fmtTime(u.data[0][idx] * 1000) + ' (' + fmtWindow(u.sluiceWindowMs) + ' window)';
        tip.appendChild(time);
        values.forEach(function (e) { row(tip, e[0].color, e[0].label + ': ' + format(e[1])); });
        tip.style.display = 'block';
        var x = u.valToPos(u.data[0][idx], 'x'), width = u.over.clientWidth;
        tip.style.left = (x + tip.offsetWidth + 12 > width ? x - tip.offsetWidth - 12 : x + 12) + 'px';
        tip.style.top = Math.max(0, Math.min(u.cursor.top, u.over.clientHeight - tip.offsetHeight)) + 'px';
      }
    } };
  }

  function placeholder(el, text) {
    var note = el.querySelector('.no-data');
    if (!note) { note = document.createElement('div'); note.className = 'no-data'; el.appendChild(note); }
    note.textContent = text;
  }

  // lines: [{label, color, dash, values: {windowStartMs: value}}]
  // format writes a value in the tooltip; the axis writes its steps plainly, with ' %' when percent.
  function lineChart(id, lines, windowMs, format, emptyText, whole, percent) {
    lines = lines.filter(function (l) { return Object.keys(l.values).length > 0; });
    var el = $(id), times = windowMs ? grid(lines, windowMs) : [], data = [times.map(function (t) { return t / 1000; })], points = 0;
    lines.forEach(function (l) {
      data.push(times.map(function (t) {
        var v = l.values[t];
        if (v === null || v === undefined || isNaN(v)) { return null; }
        points++;
        return v;
      }));
    });
    el.dataset.points = String(points);
    var chart = charts[id];
    if (points === 0) {
      if (chart) { chart.plot.destroy(); delete charts[id]; }
      placeholder(el, emptyText || 'Waiting for data…');
      return;
    }
    var note = el.querySelector('.no-data');
    if (note) { note.remove(); }
    var signature = lines.map(function (l) { return l.label + '|' + l.color + '|' + (l.dash || []).join(','); }).join(';');
    if (!chart || chart.signature !== signature) {
      if (chart) { chart.plot.destroy(); }
      var options = {
        width: el.clientWidth || 560, height: CHART_HEIGHT,
        scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
        series: [{}].concat(lines.map(function (l) {
          return { label: l.label, stroke: l.color, width: 2, dash: l.dash, spanGaps: false, points: { show: true, size: 4, fill: l.color } };
        })),
        axes: [{ stroke: '#5b6477', space: 70, values: function (u, splits) { return splits.map(function (s) { return fmtTime(s * 1000); }); } },
          { stroke: '#5b6477', size: 64, incrs: whole ? WHOLE_STEPS : undefined,
            values: function (u, splits) { return splits.map(function (v) { return String(+v.toPrecision(4)) + (percent ? ' %' : ''); }); } }],
        legend: { live: false },
        cursor: { drag: { x: false, y: false }, points: { size: 8 } },
        plugins: [tooltip(format)]
      };
      chart = charts[id] = { plot: new uPlot(options, data, el), signature: signature };
    } else {
      chart.plot.setData(data);
    }
    chart.plot.sluiceLines = lines;
    chart.plot.sluiceWindowMs = windowMs;
  }

  function valuesOf(s, f) {
    var values = {};
    s.points.forEach(function (p) { var v = f(p); if (v !== null && v !== undefined) { values[p.windowStart] = v; } });
    return values;
  }

  function perVersion(versions, f, dash, suffix) {
    return versions.map(function (e) { return { label: e.label + (suffix || ''), color: e.color, dash: dash, values: valuesOf(e.s, f) }; });
  }

  function rejectionLines(all) {
    var byReason = {};
    all.forEach(function (s) {
      s.points.forEach(function (p) {
        Object.keys(p.rejections || {}).forEach(function (reason) {
          var values = byReason[reason] = byReason[reason] || {};
          values[p.windowStart] = (values[p.windowStart] || 0) + p.rejections[reason];
        });
      });
    });
    return Object.keys(byReason).sort().map(function (reason) { return { label: reason, color: colorOf(reason), values: byReason[reason] }; });
  }

  // ---- rendering ----
  function render() {
    var windowMs = selectedWindow(), view = shown(windowMs), v = view.versions;
    var integer = function (x) { return fmt(x, 0); }, ms = fmtMs, pct = function (x) { return fmt(x, 1) + ' %'; };
    lineChart('chart-throughput', perVersion(v, function (p) { return p.throughput; }), windowMs, fmtRate);
    lineChart('chart-latency', perVersion(v, function (p) { return p.latency ? p.latency.p99 : null; }, undefined, ' p99')
      .concat(perVersion(v, function (p) { return p.latency ? p.latency.p50 : null; }, [5, 4], ' p50')), windowMs, ms);
    lineChart('chart-failed', perVersion(v, function (p) { return p.requests > 0 ? failed(p) : null; }), windowMs, integer, undefined, true);
    lineChart('chart-rejections', rejectionLines(view.all), windowMs, integer, 'No rejections in the shown history.', true);
    lineChart('chart-cache', perVersion(v, cacheRatio), windowMs, pct, undefined, false, true);
    lineChart('chart-quality', perVersion(v, function (p) { return labelled(p) ? 100 * p.quality.accuracy : null; }, undefined, ' accuracy')
      .concat(perVersion(v, function (p) { return labelled(p) ? 100 * p.quality.macroF1 : null; }, [5, 4], ' F1')), windowMs, pct,
      'No feedback yet: accuracy and F1 appear once labels arrive on the feedback topic.', false, true);
    lineChart('chart-batch', perVersion(v, function (p) { return p.batchSize > 0 ? p.batchSize : null; }), windowMs,
      function (x) { return fmt(x, 1); });
    renderTable(view);
    renderTotals(windowMs);
    renderAlerts();
    renderBadge();
  }

  function reasons(p) {
    return Object.keys(p.rejections || {}).sort(function (a, b) { return p.rejections[b] - p.rejections[a]; })
      .map(function (r) { return r + ' ' + p.rejections[r]; }).join(', ') || '–';
  }

  function renderTable(view) {
    var body = $('versions').tBodies[0], rows = view.versions.slice();
    view.all.filter(function (s) { return s.version === '*'; }).forEach(function (s) {
      rows.push({ s: s, label: s.model === '*' ? 'not routed' : s.model + ' (no version)', color: '#5b6477', unrouted: true });
    });
    if (rows.length === 0) { return; }
    body.innerHTML = '';
    rows.forEach(function (e) {
      var p = last(e.s), l = p.latency || {}, row = body.insertRow(), q = labelled(p) ? p.quality : null;
      var cells = e.unrouted
        ? [p.model === '*' ? '–' : p.model, 'not routed', '–', '–', '–', '–', '–', '–', '–', '–', '–', '–', reasons(p)]
        : [p.model, p.version, fmtRate(p.throughput), p.requests, fmtMs(l.p50), fmtMs(l.p95), fmtMs(l.p99),
          p.batchSize > 0 ? fmt(p.batchSize, 1) : '–', failed(p), fmtPercent(cacheRatio(p)),
          q ? fmtPercent(100 * q.accuracy) : '–', q ? fmt(q.macroF1, 3) : '–', reasons(p)];
      cells.forEach(function (value) { row.insertCell().textContent = value; });
      var version = row.cells[1];
      version.style.color = e.color;
      if (!p.final) {
        var tag = document.createElement('span'); tag.className = 'partial'; tag.textContent = 'partial'; version.appendChild(tag);
      }
      row.dataset.version = e.s.version;
    });
  }

  function renderTotals(windowMs) {
    var t = windowMs ? state.totals[windowMs] : null;
    if (!t) { return; }
    $('total-throughput').textContent = fmtRate(t.throughput);
    $('total-p99').textContent = fmtMs(t.p99);
    $('total-p50').textContent = fmtMs(t.p50);
    $('total-requests').textContent = String(t.requests);
    $('total-versions').textContent = String(t.versions);
    $('total-rejections').textContent = String(t.rejections);
    $('total-window').textContent = fmtWindow(t.windowMs) + ' window ' + fmtTime(t.windowStart) + '–' + fmtTime(t.windowEnd)
      + (t.final ? ', final' : ', partial: so far');
    $('total-window').dataset.final = String(t.final);
  }

  // ---- alerts in words ----
  function alertWords(a) {
    var rule = RULES[a.rule] || RULES.OTHER, who = a.model + ' ' + a.model_version;
    var when = fmtTime(toMs(a.window_start)) + '–' + fmtTime(toMs(a.window_end));
    var sentence;
    switch (a.rule) {
      case 'THROUGHPUT_SPIKE':
        sentence = fmtRate(a.observed) + ' req/s against a usual ' + fmtRate(a.expected) + ' req/s'; break;
      case 'THROUGHPUT_DROP':
        sentence = a.observed === 0 ? 'no traffic since ' + fmtTime(toMs(a.window_start)) + ', against a usual ' + fmtRate(a.expected) + ' req/s'
          : fmtRate(a.observed) + ' req/s against a usual ' + fmtRate(a.expected) + ' req/s'; break;
      case 'ERROR_RATE':
        sentence = fmtPercent(100 * a.observed) + ' of results failed; at most ' + fmtPercent(100 * a.expected) + ' is allowed'; break;
      case 'LATENCY_REGRESSION':
        sentence = 'p99 ' + fmtMs(a.observed) + ' ms against ' + fmtMs(a.expected) + ' ms on ' + (a.sibling_version || 'its sibling'); break;
      default:
        sentence = a.detail;
    }
    return { title: rule.title, who: who, when: when, sentence: sentence, why: rule.why,
      raised: a.raised_at ? fmtTime(toMs(a.raised_at)) : '' };
  }

  function renderAlerts() {
    var list = $('alerts');
    $('alert-count').textContent = String(state.alerts.length);
    if (state.alerts.length === 0) { return; }
    var newest = alertWords(state.alerts[0]);
    $('alert-latest').textContent = 'latest: ' + newest.title.toLowerCase() + ', ' + newest.who + ' at ' + newest.raised;
    list.innerHTML = '';
    state.alerts.forEach(function (a) {
      var w = alertWords(a), li = document.createElement('li'), head = document.createElement('div'), why = document.createElement('div');
      head.className = 'alert-head';
      var title = document.createElement('strong');
      title.textContent = w.title;
      head.appendChild(title);
      head.appendChild(document.createTextNode(' · ' + w.who + ' · ' + w.when + ': ' + w.sentence + '.'));
      why.className = 'alert-why';
      why.textContent = w.why + (w.raised ? ' Raised at ' + w.raised + '.' : '');
      li.title = a.detail;
      li.dataset.rule = a.rule;
      li.appendChild(head); li.appendChild(why); list.appendChild(li);
    });
  }

  // ---- freshness ----
  function renderBadge() {
    var badge = $('connection'), windowMs = selectedWindow();
    if (!state.connected) { return; }
    var quiet = state.lastSnapshot === null ? 0 : Date.now() - state.lastSnapshot;
    if (windowMs && state.lastSnapshot !== null && quiet > 2 * windowMs) {
      badge.dataset.state = 'stale'; badge.textContent = 'stale';
      badge.title = 'No snapshot for ' + fmtAgo(quiet) + ', more than two ' + fmtWindow(windowMs)
        + ' windows: no traffic, or the monitoring application has stopped.';
    } else {
      badge.dataset.state = 'live'; badge.textContent = 'live'; badge.title = '';
    }
  }

  function renderClock() {
    var el = $('last-update');
    renderBadge();
    if (state.lastSnapshot === null) { return; }
    el.dataset.ts = String(state.lastSnapshot);
    el.textContent = fmtTime(state.lastSnapshot) + ' (' + fmtAgo(Date.now() - state.lastSnapshot) + ' ago)';
  }

  function received() {
    state.events++;
    $('events-received').textContent = String(state.events);
    document.body.dataset.events = String(state.events);
  }

  // ---- live updates ----
  function connect() {
    var source = new EventSource('events'), badge = $('connection');
    source.onopen = function () { state.connected = true; badge.dataset.state = 'live'; badge.textContent = 'live'; renderBadge(); };
    source.onerror = function () { state.connected = false; badge.dataset.state = 'reconnecting'; badge.textContent = 'reconnecting'; };
    source.addEventListener('history', function (e) { loadHistory(JSON.parse(e.data)); received(); render(); renderClock(); });
    source.addEventListener('snapshot', function (e) { addPoint(JSON.parse(e.data)); state.lastSnapshot = Date.now(); received(); render(); renderClock(); });
    source.addEventListener('totals', function (e) { var t = JSON.parse(e.data); state.totals[t.windowMs] = t; renderTotals(selectedWindow()); });
    source.addEventListener('alert', function (e) {
      state.alerts.unshift(JSON.parse(e.data)); state.alerts.length = Math.min(state.alerts.length, MAX_ALERTS);
      received(); renderAlerts();
    });
  }

  $('window-size').addEventListener('change', render);
  window.addEventListener('resize', function () {
    Object.keys(charts).forEach(function (id) { charts[id].plot.setSize({ width: $(id).clientWidth, height: CHART_HEIGHT }); });
  });
  // The charts, for a look from the browser's console.
  window.sluice = { charts: charts, state: state };
  render();
  setInterval(renderClock, 1000);
  connect();
}());
