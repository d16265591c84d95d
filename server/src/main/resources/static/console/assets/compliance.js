// Wardfleet console, Compliance: draws the 30-day chart with ECharts (served from its WebJar) from the JSON at the
// element's data-source. No inline script, no eval: the Content-Security-Policy allows neither.
(function () {
  'use strict';

  // the console's own colours (console.css): compliant green, non-compliant red, unknown amber
  var COLOURS = { COMPLIANT: '#1e6b34', NON_COMPLIANT: '#b3261e', UNKNOWN: '#c98a12' };

  function day(iso) {
    var parts = iso.split('-');
    return new Date(Date.UTC(+parts[0], +parts[1] - 1, +parts[2]))
      .toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  }

  function options(history) {
    return {
      aria: { enabled: true },
      animation: false,
      color: history.series.map(function (s) { return COLOURS[s.state] || '#4f5b6a'; }),
      grid: { left: 40, right: 16, top: 40, bottom: 30, containLabel: true },
      legend: { top: 0, itemGap: 18, textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis', valueFormatter: function (v) { return v == null ? 'not recorded' : v; } },
      xAxis: { type: 'category', boundaryGap: false, data: history.days.map(day),
               axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', minInterval: 1, name: 'Devices', nameTextStyle: { align: 'left' } },
      series: history.series.map(function (s) {
        // one line per state, not stacked: each point reads as that state's count that day
        return { name: s.name, type: 'line', symbol: 'circle', symbolSize: 6, lineStyle: { width: 2.5 },
                 connectNulls: false, data: s.data };
      })
    };
  }

  function failed(element) {
    element.textContent = 'The chart could not be loaded. Reload the page to try again.';
    element.classList.add('failed');
  }

  function draw(element) {
    if (!window.echarts) {
      failed(element);
      return;
    }
    fetch(element.getAttribute('data-source'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json();
      })
      .then(function (history) {
        element.textContent = '';
        var chart = window.echarts.init(element, null, { renderer: 'canvas' });
        chart.setOption(options(history));
        element.setAttribute('data-points', String(history.days.length));
        window.addEventListener('resize', function () { chart.resize(); });
      })
      .catch(function () { failed(element); });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-compliance-chart]').forEach(draw);
  });
})();
