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

  // The status chart on the workbench, drawn by ECharts when it is present.
  function drawChart() {
    var el = document.getElementById("status-chart");
    if (!el || !window.echarts) return;
    var data;
    try { data = JSON.parse(el.getAttribute("data-chart")); } catch (e) { return; }
    data = data.filter(function (d) { return d.value > 0; });
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["40%", "70%"], data: data, label: { formatter: "{b} {c}" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  // The registration form validates as it goes: a field left in a bad state
  // is marked when the user moves on, with the browser's own message.
  function validateAsYouGo() {
    var form = document.getElementById("regform");
    if (!form) return;
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
  window.addEventListener("load", drawChart);
})();
