/* 统筹驾驶舱: draws the charts from the figures JSON, refreshes them (and the KPI values) every N seconds,
   and sends a click on a chart to the list behind it. No external resources: ECharts is vendored. */
(function () {
  "use strict";
  var screen = document.querySelector(".ck-screen");
  if (!screen || typeof echarts === "undefined") { return; }
  var COLORS = ["#4fc3f7", "#ffb74d", "#81c784", "#e57373", "#ba68c8", "#fff176"];
  var charts = {};
  var months = function (data) {
    var out = [];
    for (var m = data.months[0]; m <= data.months[1]; m++) { out.push(m + "月"); }
    return out;
  };
  var fig = function (data, key) {
    for (var i = 0; i < data.figures.length; i++) { if (data.figures[i].key === key) { return data.figures[i]; } }
    return {by_month: [], by_department: [], by_town: [], drill: ""};
  };
  var series = function (rows, pct) {
    return (rows || []).map(function (r) {
      return r.value === null || r.value === undefined ? null : (pct ? Math.round(r.value * 10000) / 100 : r.value);
    });
  };
  var names = function (rows) { return (rows || []).map(function (r) { return r.name; }); };
  var base = function (title) {
    return {
      color: COLORS, backgroundColor: "transparent", animation: false,
      title: {text: title, left: 8, top: 4, textStyle: {color: "#cfe3ff", fontSize: 14, fontWeight: "normal"}},
      tooltip: {trigger: "axis"}, legend: {top: 24, right: 8, itemHeight: 10, textStyle: {color: "#9fb6d6", fontSize: 11}},
      grid: {left: 52, right: 44, top: 56, bottom: 28, containLabel: false},
      textStyle: {color: "#9fb6d6"}
    };
  };
  var axis = function (data, extra) {
    return Object.assign({type: "category", data: data, axisLabel: {color: "#9fb6d6"}}, extra || {});
  };
  var value = function (extra) {
    return Object.assign({type: "value", axisLabel: {color: "#9fb6d6"}, splitLine: {lineStyle: {color: "#20324f"}}},
      extra || {});
  };
  var builders = {
    "chart-gov-month": function (d) {
      var cases = fig(d, "cases_submitted"), rate = fig(d, "one_network_rate");
      return {drill: cases.drill, option: Object.assign(base("办件量与“一网通办”办件率（按月）"), {
        xAxis: axis(months(d)), yAxis: [value({name: "件"}), value({name: "%", min: function (v) { return Math.floor(v.min); }, max: 100})],
        series: [{name: "办件量", type: "bar", data: series(cases.by_month)},
                 {name: "一网通办率", type: "line", yAxisIndex: 1, data: series(rate.by_month, true)}]})};
    },
    "chart-gov-town": function (d) {
      var f = fig(d, "cases_submitted");
      return {drill: f.drill, option: Object.assign(base("镇（街道）办件量"), {
        xAxis: axis(names(f.by_town).map(function (n) { return n.replace(/^海宁市/, ""); }), {axisLabel: {color: "#9fb6d6", interval: 0, rotate: 30}}), yAxis: value({name: "件"}),
        series: [{name: "办件量", type: "bar", data: series(f.by_town)}]})};
    },
    "chart-gov-dept": function (d) {
      var f = fig(d, "one_network_rate");
      var rows = (f.by_department || []).slice(0, 12);
      return {drill: f.drill, option: Object.assign(base("部门“一网通办”办件率"), {
        grid: {left: 130, right: 30, top: 56, bottom: 24}, tooltip: {trigger: "axis"},
        yAxis: axis(rows.map(function (r) { return r.name.replace(/^海宁市/, ""); }), {inverse: true, axisLabel: {color: "#9fb6d6", interval: 0}}), xAxis: value({name: "%", min: function (v) { return Math.floor(v.min); }, max: 100}),
        series: [{name: "一网通办率", type: "bar", data: series(rows, true)}]})};
    },
    "chart-data-month": function (d) {
      var rec = fig(d, "records_aggregated"), rate = fig(d, "aggregation_rate");
      return {drill: rec.drill, option: Object.assign(base("归集总量与归集率（按月末）"), {
        xAxis: axis(months(d)), yAxis: [value({name: "亿条"}), value({name: "%", max: 100})],
        series: [{name: "归集总量（亿条）", type: "bar",
                  data: (rec.by_month || []).map(function (r) { return r.value ? Math.round(r.value / 1e6) / 100 : 0; })},
                 {name: "归集率", type: "line", yAxisIndex: 1, data: series(rate.by_month, true)}]})};
    },
    "chart-data-dept": function (d) {
      var share = fig(d, "catalogue_shareable"), open = fig(d, "catalogue_openable");
      return {drill: share.drill, option: Object.assign(base("部门可共享 / 可开放目录"), {
        xAxis: axis(names(share.by_department), {axisLabel: {color: "#9fb6d6", interval: 0, rotate: 40,
          formatter: function (v) { return v.replace(/^海宁市/, "").slice(0, 6); }}}),
        yAxis: value({name: "个"}), grid: {left: 52, right: 20, top: 56, bottom: 60},
        series: [{name: "可共享", type: "bar", data: series(share.by_department)},
                 {name: "可开放", type: "bar", data: series(open.by_department)}]})};
    },
    "chart-data-inspect": function (d) {
      var r = fig(d, "weekly_reminders"), b = fig(d, "dekad_bulletins"), s = fig(d, "monthly_shutdowns");
      return {drill: r.drill, option: Object.assign(base("周提醒 · 旬通报 · 月停机（按月）"), {
        xAxis: axis(months(d)), yAxis: value({name: "次"}),
        series: [{name: "周提醒", type: "bar", stack: "i", data: series(r.by_month)},
                 {name: "旬通报", type: "bar", stack: "i", data: series(b.by_month)},
                 {name: "月停机", type: "bar", stack: "i", data: series(s.by_month)}]})};
    },
    "chart-trading-month": function (d) {
      var t = fig(d, "tenders"), s = fig(d, "separated_tenders");
      return {drill: s.drill, option: Object.assign(base("招标项目与“评定分离”（按月）"), {
        xAxis: axis(months(d)), yAxis: value({name: "个"}),
        series: [{name: "招标项目", type: "bar", data: series(t.by_month)},
                 {name: "评定分离", type: "bar", data: series(s.by_month)}]})};
    },
    "chart-trading-town": function (d) {
      var v = fig(d, "village_projects"), f = fig(d, "village_flagged");
      return {drill: v.drill, rows: v.by_town, option: Object.assign(base("镇（街道）村级工程与风险提示"), {
        xAxis: axis(names(v.by_town), {axisLabel: {color: "#9fb6d6", interval: 0, rotate: 30}}), yAxis: value({name: "个"}),
        series: [{name: "村级工程", type: "bar", data: series(v.by_town)},
                 {name: "风险提示", type: "bar", data: series(f.by_town)}]})};
    },
    "chart-trading-dept": function (d) {
      var t = fig(d, "tenders"), s = fig(d, "separated_tenders");
      var rows = (t.by_department || []).concat(t.by_town || []).slice(0, 12);
      var sep = {};
      (s.by_department || []).concat(s.by_town || []).forEach(function (r) { sep[r.code] = r.value; });
      return {drill: t.drill, option: Object.assign(base("招标人部门招标项目"), {
        grid: {left: 130, right: 30, top: 56, bottom: 24},
        yAxis: axis(rows.map(function (r) { return r.name.replace(/^海宁市/, ""); }), {inverse: true, axisLabel: {color: "#9fb6d6", interval: 0}}), xAxis: value({name: "个"}),
        series: [{name: "招标项目", type: "bar", data: series(rows)},
                 {name: "评定分离", type: "bar", data: rows.map(function (r) { return sep[r.code] || 0; })}]})};
    }
  };
  var draw = function (data) {
    Object.keys(builders).forEach(function (id) {
      var el = document.getElementById(id);
      if (!el) { return; }
      var built = builders[id](data);
      var empty = built.option.series.every(function (s) {
        return !(s.data || []).some(function (v) { return typeof v === "number" && v !== 0; });
      });
      built.option.graphic = empty ? [{type: "text", left: "center", top: "middle",
        style: {text: "本期暂无数据", fill: "#7f98bd", fontSize: 16}}] : [];
      el.dataset.empty = empty ? "1" : "0";
      var chart = charts[id] || echarts.init(el, null, {renderer: "canvas"});
      chart.setOption(built.option, true);
      chart.off("click");
      chart.on("click", function (p) {
        var row = built.rows && built.rows[p.dataIndex];
        var url = (row && row.drill) || built.drill;
        if (url) { window.location.href = url; }
      });
      charts[id] = chart;
    });
    data.figures.forEach(function (f) {
      var el = document.querySelector('[data-figure="' + f.key + '"]');
      if (el) { el.textContent = f.text; el.title = f.exact; }
    });
    var stamp = document.getElementById("ck-refreshed");
    if (stamp && data.refreshed_at) { stamp.textContent = data.refreshed_at; }
  };
  var data = JSON.parse(document.getElementById("ck-data").textContent);
  draw(data);
  window.addEventListener("resize", function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
  var seconds = parseInt(screen.dataset.refresh, 10) || 60;
  setInterval(function () {
    var params = new URLSearchParams(new FormData(document.getElementById("ck-filter")));
    fetch(screen.dataset.url + "?" + params.toString(), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d) { draw(d); } })
      .catch(function () { /* keep the last figures on a network error */ });
  }, seconds * 1000);
  window.zhengshuCockpit = {charts: charts, draw: draw};
})();
