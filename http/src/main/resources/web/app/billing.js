/*
 * The billing page's usage chart: credits per day as bars (uPlot), as wide as its box, redrawn
 * when the window changes width. The points come from the page (data-points="day:credits,...").
 */
(function () {
  'use strict';
  var box = document.getElementById('usage-chart');
  if (!box || !window.uPlot) return;
  var days = [];
  var credits = [];
  box.dataset.points.split(',').filter(Boolean).forEach(function (point) {
    var parts = point.split(':');
    days.push(Date.parse(parts[0] + 'T00:00:00Z') / 1000);
    credits.push(Number(parts[1]));
  });

  function options(width) {
    return {
      width: width,
      height: 220,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      // half a day either side, so the first and last bars are whole
      scales: { x: { time: true, range: function (self, min, max) { return [min - 43200, max + 43200]; } }, y: { range: function (self, min, max) { return [0, Math.max(5, max * 1.15)]; } } },
      axes: [{ stroke: '#4b5563', grid: { show: false } }, { stroke: '#4b5563', grid: { stroke: '#e5e7eb' } }],
      series: [{}, { label: 'Credits', stroke: '#0f766e', fill: 'rgba(15, 118, 110, 0.55)',
        paths: window.uPlot.paths.bars({ size: [0.7, 40] }), points: { show: false } }]
    };
  }

  var chart = new window.uPlot(options(box.clientWidth), [days, credits], box);
  box.dataset.drawn = String(credits.length);
  window.addEventListener('resize', function () {
    chart.setSize({ width: box.clientWidth, height: 220 });
  });
})();
