// Trend charts of the data-governance pages (ECharts from static/vendor). Data comes from json_script blocks.
(function () {
  "use strict";
  if (typeof echarts === "undefined") return;
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = echarts.init(el);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function count(v) {
    if (Math.abs(v) >= 1e8) return (v / 1e8).toFixed(2) + "亿";
    if (Math.abs(v) >= 1e4) return (v / 1e4).toFixed(1) + "万";
    return String(v);
  }
  var base = { tooltip: { trigger: "axis", confine: true }, legend: { top: 0, type: "scroll" }, grid: { left: 56, right: 64, top: 60, bottom: 28 } };
  var trend = data("trend-data");
  if (trend) {
    draw("trend-chart", Object.assign({}, base, {
      xAxis: { type: "category", data: trend.days },
      yAxis: [{ type: "value", name: "%", min: function (v) { return Math.max(0, Math.floor(v.min - 5)); }, max: 100 },
              { type: "value", name: "条", axisLabel: { formatter: count } }],
      series: [
        { name: "归集率", type: "line", data: trend.rate, showSymbol: false },
        { name: "平均质量得分", type: "line", data: trend.score, showSymbol: false },
        { name: "归集总量", type: "line", yAxisIndex: 1, data: trend.records, showSymbol: false, areaStyle: { opacity: 0.08 } }
      ]
    }));
  }
  var res = data("resource-data");
  if (res) {
    draw("resource-chart", Object.assign({}, base, {
      xAxis: { type: "category", data: res.days },
      yAxis: { type: "value", min: 0, max: 100 },
      series: ["score", "completeness", "validity", "uniqueness"].map(function (key) {
        var names = { score: "质量得分", completeness: "完整性", validity: "有效性", uniqueness: "唯一性" };
        return { name: names[key], type: "line", data: res[key], showSymbol: false };
      })
    }));
  }
})();
