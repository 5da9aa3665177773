// Redress staff workbench: small progressive enhancements, no inline code.
(function () {
  "use strict";

  // The registration form adapts to the channel: sections marked with
  // data-channels="a b" show only for those channels.
  function adaptToChannel() {
    var select = document.getElementById("channel");
    if (!select) return;
    var channel = select.value;
    document.querySelectorAll("[data-channels]").forEach(function (el) {
      var show = el.getAttribute("data-channels").split(" ").indexOf(channel) >= 0;
      el.hidden = !show;
    });
  }

  // Print buttons.
  function wirePrint() {
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  }

  // The charts (the workbench's statuses, the statistics page's trend,
  // shares and units), drawn by ECharts when it is present: each element
  // with data-chart holds its points as JSON [{name, value}] and says in
  // data-chart-kind how to draw them (pie, the default; line; bar).
  function drawCharts() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var data;
      try { data = JSON.parse(el.getAttribute("data-chart") || "[]"); } catch (e) { return; }
      if (!Array.isArray(data) || data.length === 0) return;
      var kind = el.getAttribute("data-chart-kind") || "pie";
      var names = data.map(function (d) { return d.name; });
      var values = data.map(function (d) { return d.value; });
      var option = { animation: false, tooltip: { trigger: kind === "pie" ? "item" : "axis" } };
      if (kind === "pie") {
        option.series = [{ type: "pie", radius: ["40%", "70%"], label: { formatter: "{b} {c}" },
          data: data.filter(function (d) { return d.value > 0; }) }];
      } else {
        option.grid = { left: 40, right: 16, top: 16, bottom: 40 };
        option.xAxis = { type: "category", data: names };
        option.yAxis = { type: "value", minInterval: 1 };
        option.series = [{ type: kind, data: values }];
      }
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  // Every form of the page validates as it goes: a field left in a bad
  // state (required, pattern, length, range) is marked when the user moves
  // on, with the browser's own message; the server checks every field again
  // and shows every problem at once.
  function validateAsYouGo() {
    document.querySelectorAll("main form").forEach(function (form) {
      validateForm(form);
    });
  }

  function validateForm(form) {
    form.querySelectorAll("input, select, textarea").forEach(function (el) {
      el.addEventListener("blur", function () {
        var bad = !el.checkValidity();
        el.classList.toggle("invalid", bad);
        el.setAttribute("aria-invalid", bad ? "true" : "false");
        el.title = bad ? el.validationMessage : "";
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    validateAsYouGo();
    var channel = document.getElementById("channel");
    if (channel) {
      channel.addEventListener("change", adaptToChannel);
      adaptToChannel();
    }
    wirePrint();
  });
  window.addEventListener("load", drawCharts);
})();
