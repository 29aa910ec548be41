/* align: interaction for the collation page (views, reading view, popup, filters). No dependencies. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("align-data").textContent);
  var popup = document.getElementById("popup");
  var pinned = null;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  function variant(key, app, text) {
    var span = el("span", "variant vt-" + app.type + (text ? "" : " empty"), text);
    span.setAttribute("data-app", key);
    span.setAttribute("data-type", app.type);
    span.setAttribute("data-unit", String(app.unit));
    span.tabIndex = 0;
    return span;
  }

  function readingOf(app, sigil) {
    for (var i = 0; i < app.readings.length; i++) {
      if (app.readings[i].wits.indexOf(sigil) >= 0) return app.readings[i];
    }
    return null;
  }

  /* The reading view: the base witness's running text, a paragraph per speaker turn. */
  function renderReading(base) {
    var root = document.getElementById("reading-text");
    root.textContent = "";
    var own = data.witnesses.filter(function (w) { return w.sigil === base; })[0];
    if (own && own.lang) root.setAttribute("lang", own.lang); else root.removeAttribute("lang");
    var para = el("p");
    root.appendChild(para);
    data.units.forEach(function (unit) {
      if (unit.part !== "body") return;
      if (unit.present.indexOf(base) < 0) {
        var key = unit.n + "-u";
        var marker = variant(key, data.apps[key], "+" + unit.n);
        marker.className += " elsewhere";
        marker.title = "unit " + unit.n + ": only in " + unit.present.join(" ");
        para.appendChild(document.createTextNode(" "));
        para.appendChild(marker);
        return;
      }
      var holder = el("span", "unit");
      holder.setAttribute("data-unit", String(unit.n));
      unit.pieces.forEach(function (piece) {
        if (typeof piece === "string") {
          holder.appendChild(document.createTextNode(piece));
          return;
        }
        var app = data.apps[piece.app];
        var reading = readingOf(app, base);
        if (reading.text && reading.space) holder.appendChild(document.createTextNode(" "));
        holder.appendChild(variant(piece.app, app, reading.text));
      });
      if (unit.kind === "label") {
        para = el("p", "speaker");
        root.appendChild(para);
        para.appendChild(holder);
        para = el("p");
        root.appendChild(para);
        return;
      }
      para.appendChild(document.createTextNode(" "));
      para.appendChild(holder);
    });
  }

  function hide() {
    popup.hidden = true;
    if (pinned) pinned.classList.remove("selected");
    pinned = null;
  }

  /* Every reading of the place, with its witnesses; "om." where a witness has nothing. */
  function show(target, pin) {
    var key = target.getAttribute("data-app");
    var app = data.apps[key];
    if (!app) return;
    if (pinned) pinned.classList.remove("selected");
    pinned = pin ? target : null;
    if (pin) target.classList.add("selected");
    popup.textContent = "";
    popup.setAttribute("data-app", key);
    popup.appendChild(el("h3", null, "unit " + app.unit + " \u00b7 " + app.type));
    var list = el("ul");
    app.readings.forEach(function (reading) {
      var item = el("li", "reading");
      item.appendChild(el("span", "text" + (reading.text ? "" : " om"), reading.text || "om."));
      item.appendChild(el("span", "wits", reading.wits.join(" ")));
      list.appendChild(item);
    });
    Object.keys(app.elsewhere || {}).forEach(function (sigil) {
      list.appendChild(el("li", "elsewhere", sigil + " says it at unit " + app.elsewhere[sigil].join(", ")));
    });
    popup.appendChild(list);
    popup.hidden = false;
    var box = target.getBoundingClientRect();
    var left = Math.min(box.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - popup.offsetWidth - 8);
    popup.style.left = Math.max(4, left) + "px";
    popup.style.top = (box.bottom + window.scrollY + 4) + "px";
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest(".variant") : null;
    if (target) { show(target, true); return; }
    if (!popup.contains(event.target)) hide();
  });
  document.addEventListener("mouseover", function (event) {
    var target = event.target.closest ? event.target.closest(".variant") : null;
    if (target && !pinned) show(target, false);
  });
  document.addEventListener("mouseout", function (event) {
    var target = event.target.closest ? event.target.closest(".variant") : null;
    if (target && !pinned) popup.hidden = true;
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
    if (event.key === "Enter" && document.activeElement.classList.contains("variant")) show(document.activeElement, true);
  });

  Array.prototype.forEach.call(document.querySelectorAll(".type-filter"), function (box) {
    box.addEventListener("change", function () {
      document.body.classList.toggle("off-" + box.value, !box.checked);
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll(".views button"), function (button) {
    button.addEventListener("click", function () {
      var view = button.getAttribute("data-view");
      Array.prototype.forEach.call(document.querySelectorAll(".views button"), function (b) {
        b.classList.toggle("active", b === button);
      });
      Array.prototype.forEach.call(document.querySelectorAll("section.view"), function (section) {
        section.hidden = section.id !== view;
      });
      hide();
    });
  });

  var select = document.getElementById("base");
  select.addEventListener("change", function () { hide(); renderReading(select.value); });
  renderReading(select.value);
})();
