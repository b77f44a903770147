// Draws the dashboard's deliveries chart as inline SVG: one stacked bar per day (sent,
// failed, unconfirmed), from the JSON the page embeds in #delivery-chart-data.
// No library and no network: the admin must work offline.
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var SERIES = ["sent", "failed", "unconfirmed"];
  var WIDTH = 720;
  var HEIGHT = 220;
  var PAD = { top: 12, right: 10, bottom: 28, left: 40 };
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) {
      node.setAttribute(key, String(attrs[key]));
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A round, even number at or above the largest bar, so that the axis reads well and its
  // middle line falls on a whole number of candidates.
  function niceMax(value) {
    if (value <= 4) return 4;
    var magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    var steps = [1, 2, 4, 6, 8, 10];
    for (var i = 0; i < steps.length; i += 1) {
      if (steps[i] * magnitude >= value) return steps[i] * magnitude;
    }
    return 10 * magnitude;
  }

  // "Nov 29": month first, as the admin writes dates, so 11/29 and 29/11 are never confused.
  function label(isoDay) {
    var parts = isoDay.split("-");
    return MONTHS[Number(parts[1]) - 1] + " " + Number(parts[2]);
  }

  function draw(container, days) {
    var total = function (day) {
      return day.sent + day.failed + day.unconfirmed;
    };
    var top = niceMax(Math.max.apply(null, days.map(total).concat([0])));
    var plotWidth = WIDTH - PAD.left - PAD.right;
    var plotHeight = HEIGHT - PAD.top - PAD.bottom;
    var slot = plotWidth / Math.max(days.length, 1);
    var barWidth = Math.max(4, slot * 0.7);
    var svg = el("svg", {
      viewBox: "0 0 " + WIDTH + " " + HEIGHT,
      preserveAspectRatio: "xMidYMid meet",
      "aria-hidden": "true",
    });

    [0, 0.5, 1].forEach(function (fraction) {
      var y = PAD.top + plotHeight * (1 - fraction);
      svg.append(el("line", { class: "axis", x1: PAD.left, x2: WIDTH - PAD.right, y1: y, y2: y }));
      svg.append(
        el("text", { x: PAD.left - 6, y: y + 4, "text-anchor": "end" }, String(top * fraction))
      );
    });

    days.forEach(function (day, index) {
      var x = PAD.left + slot * index + (slot - barWidth) / 2;
      var y = PAD.top + plotHeight;
      var group = el("g", { class: "day", "data-day": day.day });
      group.append(
        el(
          "title",
          {},
          day.day + ": " + day.sent + " sent, " + day.failed + " failed, " +
            day.unconfirmed + " unconfirmed"
        )
      );
      SERIES.forEach(function (series) {
        var value = day[series];
        if (!value) return;
        var height = (value / top) * plotHeight;
        y -= height;
        group.append(
          el("rect", {
            class: "bar-" + series,
            x: x,
            y: y,
            width: barWidth,
            height: height,
            "data-value": value,
          })
        );
      });
      if (days.length <= 16 || index % 2 === 0) {
        group.append(
          el(
            "text",
            { x: x + barWidth / 2, y: HEIGHT - PAD.bottom + 16, "text-anchor": "middle" },
            label(day.day)
          )
        );
      }
      svg.append(group);
    });
    container.replaceChildren(svg);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("delivery-chart");
    var data = document.getElementById("delivery-chart-data");
    if (container && data) draw(container, JSON.parse(data.textContent));
  });
})();
