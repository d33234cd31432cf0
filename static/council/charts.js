// Draws every chart on the page from the JSON that the server wrote with json_script.
// One file for all charts: no inline script (CSP-friendly), plotly.js served by the portal.
// Charts inside a hidden element (a slide not shown yet) wait: portalCharts.draw(root) draws them
// once their container is visible, so they get its real width.
// The modebar offers two things only: saving the image (named after the chart's title) and resetting
// the view; nothing that reaches plotly's cloud. What plotly.js itself writes is in Japanese (JA below).
(function () {
  "use strict";
  // plotly.js's own texts in Japanese: the keys are plotly.js's English messages (modebar buttons,
  // the hints it shows while zooming and on legends, hover labels) and its date names.
  var JA = {
    moduleType: "locale",
    name: "ja",
    dictionary: {
      "Autoscale": "自動で拡大・縮小",
      "Box Select": "範囲を選択",
      "Compare data on hover": "マウスを重ねた位置のデータを比べる",
      "Double-click on legend to isolate one trace": "凡例をダブルクリックすると、その系列だけを表示します",
      "Double-click to zoom back out": "ダブルクリックで元の表示に戻ります",
      "Download plot": "画像を保存",
      "Download plot as a PNG": "画像（PNG）を保存",
      "Download plot as a png": "画像（PNG）を保存",
      "Lasso Select": "自由な範囲を選択",
      "Pan": "移動",
      "Produced with Plotly.js": "Plotly.js で作成",
      "Reset": "元に戻す",
      "Reset axes": "元の範囲に戻す",
      "Reset view": "元の範囲に戻す",
      "Reset views": "元の範囲に戻す",
      "Show closest data on hover": "マウスに最も近いデータを表示",
      "Snapshot succeeded": "画像を保存しました",
      "Sorry, there was a problem downloading your snapshot!": "画像を保存できませんでした。",
      "Taking snapshot - this may take a few seconds": "画像を作成しています（数秒かかることがあります）",
      "Toggle Spike Lines": "補助線の表示を切り替え",
      "Toggle show closest data on hover": "最も近いデータの表示を切り替え",
      "Zoom": "拡大",
      "Zoom in": "拡大",
      "Zoom out": "縮小",
      "max:": "最大:",
      "mean:": "平均:",
      "median:": "中央値:",
      "min:": "最小:",
      "new text": "新しいテキスト",
      "trace": "系列"
    },
    format: {
      days: ["日曜日", "月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日"],
      shortDays: ["日", "月", "火", "水", "木", "金", "土"],
      months: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
      shortMonths: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
      date: "%Y/%m/%d",
      decimal: ".",
      thousands: ","
    }
  };
  var registered = false;
  function register() {
    if (!registered) { window.Plotly.register(JA); registered = true; }
  }
  // the saved image's file name: the chart's title without the characters a file name cannot hold
  function fileName(el) {
    var heading = document.getElementById(el.id + "-title");
    var title = heading ? heading.textContent.trim() : "";
    return (title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "_").slice(0, 120)) || "グラフ";
  }
  function config(el) {
    return {
      responsive: true,
      displaylogo: false,
      locale: "ja",
      showSendToCloud: false,
      showEditInChartStudio: false,
      showLink: false,
      modeBarButtons: [["toImage", "resetScale2d"]],
      toImageButtonOptions: { format: "png", scale: 2, filename: fileName(el) }
    };
  }
  // 会議モード on a screen smaller than 1920×1080: the slide's type shrinks with it (present.css), and so
  // does the figures' (the server sets them for the full-size screen, at least 18 px there)
  function fontScale() {
    if (!document.documentElement.classList.contains("present-root")) { return 1; }
    return Math.min(1, window.innerWidth / 1920, window.innerHeight / 1080);
  }
  function scaleFonts(node, scale) {
    if (Array.isArray(node)) { node.forEach(function (item) { scaleFonts(item, scale); }); return; }
    if (!node || typeof node !== "object") { return; }
    Object.keys(node).forEach(function (key) {
      var value = node[key];
      if (/font$/.test(key) && value && typeof value.size === "number") { value.size = Math.round(value.size * scale); }
      if (value && typeof value === "object") { scaleFonts(value, scale); }
    });
  }
  function draw(root) {
    if (typeof window.Plotly === "undefined") { return; }
    register();
    (root || document).querySelectorAll(".js-chart").forEach(function (el) {
      if (el.dataset.drawn || el.dataset.drawing || el.offsetParent === null) { return; }
      var source = document.getElementById(el.dataset.figure);
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      var scale = fontScale();
      if (scale < 1) { scaleFonts(figure, scale); }
      el.dataset.drawing = "true";
      window.Plotly.newPlot(el, figure.data || [], figure.layout || {}, config(el))
        .then(function () { el.dataset.drawn = "true"; });
    });
  }
  window.portalCharts = { draw: draw, fileName: fileName };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { draw(); });
  } else {
    draw();
  }
})();
