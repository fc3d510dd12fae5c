// The network drawing: input features, hidden neurons and the output, each with its map over
// the input plane, and the links between them drawn by the sign and size of their weights.

import { css, drawMap } from "./colors.js";

const NODE = 36; // a neuron's box, in px
const BIAS = 7;
const SVGNS = "http://www.w3.org/2000/svg";

// Numbers as a learner reads them: 3 significant digits, exponent when tiny or huge.
export function fmt(v) {
  if (v == null || !Number.isFinite(v)) return "–";
  const a = Math.abs(v);
  let s;
  if (a === 0) s = "0";
  else if (a >= 1e-3 && a < 1e4) s = String(Number(v.toPrecision(3)));
  else s = v.toExponential(2);
  return s.replace("-", "−");
}

function el(tag, cls, parent) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (parent) parent.appendChild(e);
  return e;
}

function svg(tag, attrs, parent) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

function linkWidth(w) {
  return 1 + 9 * Math.min(Math.abs(w) / 5, 1);
}

export class NetworkView {
  // callbacks: toggleFeature(name), setHidden(sizes), setWeight(layer, source, target, value),
  //            setBias(layer, neuron, value), hoverNeuron(info or null)
  constructor(container, svgEl, card, callbacks) {
    this.container = container;
    this.svg = svgEl;
    this.card = card;
    this.cb = callbacks;
    this.inspection = null;
    this.overlay = true;
    this.discretize = false;
    this.weights = null;
    this.editing = null;
    const input = card.querySelector(".card-input");
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") this._commitEdit();
      if (e.key === "Escape") this._hideCard(true);
    });
    input.addEventListener("blur", () => this._hideCard(true));
  }

  // Lay out and create every element for a new network (from a "setup" message).
  build(setup, featureMaps, allFeatures, limits) {
    this.setup = setup;
    this.featureMaps = featureMaps;
    this.allFeatures = allFeatures;
    this.limits = limits;
    this.layers = setup.layers; // [n_inputs, ...hidden, 1]
    this._layout();
    this._render();
    if (this.weights) this.update(this.weights, this.neuronMaps, this.outputMap);
  }

  _layout() {
    const hidden = this.layers.slice(1, -1);
    const width = this.container.clientWidth || 560;
    const pitch = this.inspection && this.overlay ? 74 : 52;
    const top = 58;
    const xIn = 64;
    const xOut = width - 46; // room for the output's inspector numbers on its right edge
    const rows = Math.max(this.allFeatures.length, ...hidden, 1);
    this.geom = { pitch, top, xIn, xOut, width, height: top + rows * pitch + 8 };
    this.xOf = (col) => {
      // col 0: inputs, 1..L: hidden layers, L + 1: output
      if (col === 0) return xIn;
      if (col === hidden.length + 1) return xOut;
      return xIn + (col * (xOut - xIn - 30)) / (hidden.length + 1);
    };
    this.yOf = (row) => top + row * pitch + NODE / 2;
  }

  // Position of neuron j in column col (inputs: row of the feature among all features).
  _pos(col, j) {
    if (col === 0) {
      const name = this.setup.config.features[j];
      return { x: this.xOf(0), y: this.yOf(this.allFeatures.findIndex((f) => f.name === name)) };
    }
    return { x: this.xOf(col), y: this.yOf(j) };
  }

  _render() {
    const { container } = this;
    for (const e of [...container.querySelectorAll(".node, .pm-layer, .ins-label")]) e.remove();
    this.svg.replaceChildren();
    this.svg.setAttribute("width", this.geom.width);
    this.svg.setAttribute("height", this.geom.height);
    container.style.height = `${this.geom.height}px`;
    this.nodes = { hidden: [], output: null, inputs: [] };
    this.links = [];
    this.biases = [];
    const active = new Set(this.setup.config.features);

    // inputs: every feature, the inactive ones faded; a click toggles it
    this.allFeatures.forEach((f, row) => {
      const node = this._node(this.xOf(0), this.yOf(row), "input" + (active.has(f.name) ? "" : " inactive"));
      node.dataset.feature = f.name;
      node.title = `${f.label}: click to ${active.has(f.name) ? "switch off" : "switch on"}`;
      const label = el("span", "feature-label", node);
      label.textContent = f.label;
      node.addEventListener("click", () => this.cb.toggleFeature(f.name));
      drawMap(node.querySelector("canvas"), this.featureMaps[row].data, this.featureMaps[row].size);
      this.nodes.inputs.push(node);
    });

    // hidden layers, with + / - neuron buttons above each
    const hidden = this.layers.slice(1, -1);
    let flat = 0;
    hidden.forEach((n, k) => {
      const pm = el("div", "pm-layer", this.container);
      pm.style.left = `${this.xOf(k + 1) - 30}px`;
      pm.style.top = "2px";
      const plus = el("button", "pm small", pm);
      plus.textContent = "+";
      plus.title = `add a neuron to hidden layer ${k + 1}`;
      plus.disabled = n >= this.limits.max_neurons;
      const minus = el("button", "pm small", pm);
      minus.textContent = "−";
      minus.title = `remove a neuron from hidden layer ${k + 1}`;
      minus.disabled = n <= 1;
      const count = el("div", "pm-count", pm);
      count.textContent = `${n} neuron${n > 1 ? "s" : ""}`;
      plus.addEventListener("click", () => this.cb.setHidden(hidden.map((v, i) => (i === k ? v + 1 : v))));
      minus.addEventListener("click", () => this.cb.setHidden(hidden.map((v, i) => (i === k ? v - 1 : v))));
      const column = [];
      for (let j = 0; j < n; j++) {
        const node = this._node(this.xOf(k + 1), this.yOf(j), "hidden");
        const info = { kind: "hidden", layer: k, neuron: j, flat: flat++ };
        node.dataset.layer = k;
        node.dataset.neuron = j;
        this._hoverNeuron(node, info);
        column.push(node);
      }
      this.nodes.hidden.push(column);
    });
    const out = this._node(this.xOf(hidden.length + 1), this.yOf(0), "output");
    this._hoverNeuron(out, { kind: "output", layer: hidden.length, neuron: 0 });
    this.nodes.output = out;

    // links and biases, layer by layer (d counts Dense layers)
    for (let d = 0; d < this.layers.length - 1; d++) {
      for (let i = 0; i < this.layers[d]; i++) {
        for (let j = 0; j < this.layers[d + 1]; j++) this._link(d, i, j);
      }
      for (let j = 0; j < this.layers[d + 1]; j++) this._bias(d, j);
    }
    if (this.inspection && this.overlay) this._labels();
  }

  _node(cx, cy, cls) {
    const node = el("div", `node ${cls}`, this.container);
    node.style.left = `${cx - NODE / 2}px`;
    node.style.top = `${cy - NODE / 2}px`;
    const canvas = el("canvas", "", node);
    canvas.width = canvas.height = NODE;
    return node;
  }

  _hoverNeuron(node, info) {
    node.addEventListener("mouseenter", () => {
      node.classList.add("hovered");
      this.cb.hoverNeuron(info);
    });
    node.addEventListener("mouseleave", () => {
      node.classList.remove("hovered");
      this.cb.hoverNeuron(null);
    });
  }

  _link(d, i, j) {
    const a = this._pos(d, i);
    const b = this._pos(d + 1, j);
    const n = this.layers[d];
    const x1 = a.x + NODE / 2 + 2;
    const x2 = b.x - NODE / 2;
    const y2 = b.y + ((i - (n - 1) / 2) / Math.max(n, 1)) * 12; // fan out at the target
    const mx = (x1 + x2) / 2;
    const d3 = `M${x1},${a.y} C${mx},${a.y} ${mx},${y2} ${x2},${y2}`;
    const path = svg("path", { d: d3, class: "link", "stroke-width": 1 }, this.svg);
    const hit = svg("path", { d: d3, class: "link-hit" }, this.svg);
    const link = { d, i, j, path, hit };
    hit.addEventListener("mouseenter", (e) => this._showCard(e, link));
    hit.addEventListener("mousemove", (e) => this._moveCard(e));
    hit.addEventListener("mouseleave", () => this._hideCard(false));
    hit.addEventListener("click", (e) => this._edit(e, link));
    this.links.push(link);
  }

  _bias(d, j) {
    const p = this._pos(d + 1, j);
    const rect = svg("rect", {
      x: p.x - NODE / 2 - BIAS - 2, y: p.y + NODE / 2 - BIAS, width: BIAS, height: BIAS,
      class: "bias",
    }, this.svg);
    const bias = { d, j, rect, isBias: true };
    rect.addEventListener("mouseenter", (e) => this._showCard(e, bias));
    rect.addEventListener("mousemove", (e) => this._moveCard(e));
    rect.addEventListener("mouseleave", () => this._hideCard(false));
    rect.addEventListener("click", (e) => this._edit(e, bias));
    this.biases.push(bias);
  }

  // Offsets of each Dense layer's W and b in the frame's flat weights.
  _offsets() {
    const offs = [];
    let o = 0;
    for (let d = 0; d < this.layers.length - 1; d++) {
      const nIn = this.layers[d];
      const nOut = this.layers[d + 1];
      offs.push({ W: o, b: o + nIn * nOut, nOut });
      o += nIn * nOut + nOut;
    }
    return offs;
  }

  value(item) {
    if (!this.weights) return null;
    const off = this._offsets()[item.d];
    return item.isBias ? this.weights[off.b + item.j] : this.weights[off.W + item.i * off.nOut + item.j];
  }

  // A frame: weights (flat float32), hidden neuron maps (N, g, g), the output map (G, G).
  update(weights, neuronMaps, outputMap) {
    this.weights = weights;
    this.neuronMaps = neuronMaps;
    this.outputMap = outputMap;
    for (const link of this.links) {
      const w = this.value(link);
      link.path.setAttribute("stroke", css(w));
      link.path.setAttribute("stroke-width", linkWidth(w).toFixed(2));
    }
    for (const b of this.biases) b.rect.setAttribute("fill", css(this.value(b)));
    if (neuronMaps) {
      const [, g] = neuronMaps.shape;
      let k = 0;
      for (const column of this.nodes.hidden) {
        for (const node of column) {
          drawMap(node.querySelector("canvas"), neuronMaps.data.subarray(k * g * g, (k + 1) * g * g), g, this.discretize);
          k++;
        }
      }
    }
    if (outputMap) drawMap(this.nodes.output.querySelector("canvas"), outputMap.data, outputMap.shape[0], this.discretize);
  }

  // ---------------------------------------------------------------- the step inspector
  setInspection(inspection) {
    const relayout = Boolean(inspection) !== Boolean(this.inspection);
    this.inspection = inspection;
    if (relayout) this.build(this.setup, this.featureMaps, this.allFeatures, this.limits);
    else {
      for (const e of [...this.container.querySelectorAll(".ins-label")]) e.remove();
      if (inspection && this.overlay) this._labels();
    }
  }

  setOverlay(on) {
    this.overlay = on;
    if (this.setup) this.build(this.setup, this.featureMaps, this.allFeatures, this.limits);
  }

  // Each neuron's numbers of the inspected step, under its box: forward line, backward line.
  _labels() {
    const ins = this.inspection;
    const hidden = this.layers.slice(1, -1);
    const place = (col, j, n) => {
      const p = this._pos(col, j);
      const label = el("div", "ins-label", this.container);
      label.style.left = `${p.x - 40}px`;
      label.style.top = `${p.y + NODE / 2 + 1}px`;
      const fwd = el("div", "fwd", label);
      fwd.textContent = `z ${fmt(n.z)}  a ${fmt(n.a)}`;
      const bwd = el("div", "bwd", label);
      bwd.textContent = `∂z ${fmt(n.dL_dz)}  ∂a ${fmt(n.dL_da)}`;
      if (n.dropped) label.classList.add("dropped");
    };
    ins.layers.forEach((neurons, k) => {
      neurons.forEach((n, j) => place(k === hidden.length ? hidden.length + 1 : k + 1, j, n));
    });
  }

  // ---------------------------------------------------------------- hover card and edits
  _cardText(item) {
    const value = this.value(item);
    const ins = this.inspection?.weights?.[item.d];
    const rows = [];
    let title;
    if (item.isBias) {
      title = `Bias of neuron ${item.j + 1}, layer ${item.d + 1}`;
      rows.push(["b", value]);
      if (ins) rows.push(["∂L/∂b", ins.db[item.j]], ["update", ins.ub[item.j]], ["b before", ins.b[item.j]]);
    } else {
      const from = item.d === 0 ? this.setup.features[item.i].label : `neuron ${item.i + 1} of layer ${item.d}`;
      const to = item.d === this.layers.length - 2 ? "the output" : `neuron ${item.j + 1} of layer ${item.d + 1}`;
      title = `Weight from ${from} to ${to}`;
      rows.push(["w", value]);
      if (ins) rows.push(["∂L/∂w", ins.dW[item.i][item.j]], ["update", ins.uW[item.i][item.j]], ["w before", ins.W[item.i][item.j]]);
    }
    return { title, rows };
  }

  _showCard(event, item) {
    if (this.editing) return;
    const { title, rows } = this._cardText(item);
    this.card.querySelector(".card-title").textContent = title;
    const body = this.card.querySelector(".card-body");
    body.replaceChildren();
    for (const [k, v] of rows) {
      const row = el("div", "card-row", body);
      el("span", "k", row).textContent = k;
      el("span", "v", row).textContent = fmt(v);
    }
    this.card.querySelector(".card-input").hidden = true;
    this.card.querySelector(".card-hint").hidden = false;
    this.card.hidden = false;
    this._moveCard(event);
  }

  _moveCard(event) {
    if (this.editing) return;
    const box = (this.card.offsetParent ?? this.container).getBoundingClientRect();
    this.card.style.left = `${event.clientX - box.left + 14}px`;
    this.card.style.top = `${event.clientY - box.top + 10}px`;
  }

  _hideCard(force) {
    if (this.editing && !force) return;
    this.editing = null;
    this.card.hidden = true;
  }

  _edit(event, item) {
    this._showCard(event, item);
    this.editing = item;
    const input = this.card.querySelector(".card-input");
    input.hidden = false;
    this.card.querySelector(".card-hint").hidden = true;
    const v = this.value(item);
    input.value = v == null ? "" : Number(v.toPrecision(4));
    input.focus();
    input.select();
  }

  _commitEdit() {
    const item = this.editing;
    const input = this.card.querySelector(".card-input");
    const value = Number(input.value);
    this._hideCard(true);
    if (!item || input.value === "" || !Number.isFinite(value)) return;
    if (item.isBias) this.cb.setBias(item.d, item.j, value);
    else this.cb.setWeight(item.d, item.i, item.j, value);
  }
}
