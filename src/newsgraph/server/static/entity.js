// The entity page's relation graph, drawn by the vendored Cytoscape.js from /api/graph.
(function () {
  "use strict";
  var box = document.getElementById("graph");
  if (!box || typeof cytoscape !== "function") return;
  var status = document.getElementById("graph-status");
  var colours = { PERSON: "#6c8fd6", ORG: "#d69a3c", GPE: "#4c9b61", LOC: "#4c9b61" };
  var edgeColours = { cooccurs: "#c3cad6", deal: "#d9822b" };
  var cy = null;

  function draw(depth) {
    status.textContent = "Loading the graph…";
    fetch("/api/graph?entity=" + encodeURIComponent(box.dataset.entity) + "&depth=" + depth, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (g) {
        var centre = String(box.dataset.entity);
        var elements = g.nodes.map(function (n) {
          return { data: { id: String(n.id), label: n.name, type: n.type, centre: String(n.id) === centre ? 1 : 0 } };
        }).concat(g.edges.map(function (e, i) {
          return { data: { id: "e" + i, source: String(e.source), target: String(e.target), type: e.type,
                           label: e.type === "cooccurs" ? "" : (e.value || e.type), weight: e.weight || 1 } };
        }));
        if (cy) cy.destroy();
        cy = cytoscape({
          container: box, elements: elements,
          style: [
            { selector: "node", style: { "label": "data(label)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 3,
              "background-color": function (n) { return colours[n.data("type")] || "#8e6cc0"; }, "width": 18, "height": 18,
              "color": "#1d2330", "text-outline-color": "#fff", "text-outline-width": 2 } },
            { selector: "node[centre = 1]", style: { "width": 30, "height": 30, "font-weight": "bold", "border-width": 3, "border-color": "#16233b" } },
            { selector: "edge", style: { "width": "mapData(weight, 1, 10, 1, 5)", "curve-style": "bezier", "label": "data(label)", "font-size": 9,
              "line-color": function (e) { return edgeColours[e.data("type")] || "#2457c5"; }, "color": "#5f6b7a",
              "text-rotation": "autorotate", "text-outline-color": "#fff", "text-outline-width": 2 } },
            { selector: "edge[type != 'cooccurs']", style: { "target-arrow-shape": "triangle",
              "target-arrow-color": function (e) { return edgeColours[e.data("type")] || "#2457c5"; } } }
          ],
          layout: String(depth) === "1"
            ? { name: "concentric", animate: false, minNodeSpacing: 28, concentric: function (n) { return n.data("centre") ? 2 : 1; }, levelWidth: function () { return 1; } }
            : { name: "cose", animate: false, nodeRepulsion: function () { return 12000; }, idealEdgeLength: function () { return 110; } }
        });
        cy.on("tap", "node", function (ev) { window.location.href = "/entities/" + encodeURIComponent(ev.target.id()); });
        status.textContent = g.nodes.length + " entities, " + g.edges.length + " links.";
        box.dataset.nodes = String(g.nodes.length);
        box.dataset.depth = String(depth);
        renderList(g);
      })
      .catch(function (err) { status.textContent = "The graph could not be loaded (" + err.message + ")."; });
  }

  // The same links as a keyboard-usable list under the drawing.
  function renderList(g) {
    var names = {};
    g.nodes.forEach(function (n) { names[n.id] = n; });
    var old = document.getElementById("graph-list");
    if (old) old.remove();
    var ul = document.createElement("ul");
    ul.id = "graph-list"; ul.className = "chips small graph-list";
    g.nodes.filter(function (n) { return String(n.id) !== String(box.dataset.entity); }).slice(0, 60).forEach(function (n) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.className = "chip t-" + n.type; a.href = "/entities/" + encodeURIComponent(n.id); a.textContent = n.name;
      li.appendChild(a); ul.appendChild(li);
    });
    status.after(ul);
  }

  var depth = document.getElementById("depth");
  if (depth) depth.addEventListener("change", function () { draw(depth.value); });
  draw(depth ? depth.value : 1);
})();
