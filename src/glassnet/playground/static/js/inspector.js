// The step inspector's tables: every neuron's forward and backward numbers, and every
// weight's value, gradient and update, for the one step the server ran on one point.
//
// Each numeric cell shows 3 significant digits and keeps the full value in data-value.

import { fmt } from "./network.js";

function table(headers, rows, caption, id) {
  const t = document.createElement("table");
  t.className = "numbers";
  t.id = id;
  t.createCaption().textContent = caption;
  const head = t.createTHead().insertRow();
  for (const h of headers) {
    const th = document.createElement("th");
    th.textContent = h;
    head.appendChild(th);
  }
  const body = t.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    r.forEach((v, k) => {
      const td = tr.insertCell();
      td.textContent = typeof v === "number" || v === null ? fmt(v) : v;
      if (k > 0 && typeof v === "number") td.dataset.value = String(v);
    });
  }
  return t;
}

// ins: the server's "inspection" (glassnet.playground.inspector.describe_step and the point);
// features: [{name, label}] of every input feature.
export function inspectionTables(ins, features) {
  const label = (name) => features.find((f) => f.name === name).label;
  const summary = document.createElement("p");
  summary.className = "ins-summary";
  const inputs = ins.features.map((f, k) => `${label(f)} = ${fmt(ins.input[k])}`).join(", ");
  summary.textContent = `One step on point #${ins.point} (${inputs}; target ${fmt(ins.target)}): ` +
    `loss on this point ${fmt(ins.loss)}.`;

  const hidden = ins.layers.length - 1;
  const neuronRows = [];
  ins.layers.forEach((neurons, k) => {
    neurons.forEach((n, j) => {
      const name = k === hidden ? "output" : `layer ${k + 1}, neuron ${j + 1}`;
      neuronRows.push([name + (n.dropped ? " (dropped)" : ""), n.z, n.a, n.dL_da, n.dL_dz]);
    });
  });
  const neurons = table(["neuron", "z", "a", "∂L/∂a", "∂L/∂z"], neuronRows,
    "Neurons: forward (z, a) and backward (∂L/∂a, ∂L/∂z)", "inspect-neurons");

  const weightRows = [];
  ins.weights.forEach((w, d) => {
    const from = (i) => (d === 0 ? label(ins.features[i]) : `L${d}.${i + 1}`);
    const to = (j) => (d === ins.weights.length - 1 ? "out" : `L${d + 1}.${j + 1}`);
    w.W.forEach((row, i) => row.forEach((v, j) => weightRows.push([`${from(i)} → ${to(j)}`, v, w.dW[i][j], w.uW[i][j]])));
    w.b.forEach((v, j) => weightRows.push([`bias ${to(j)}`, v, w.db[j], w.ub[j]]));
  });
  const weights = table(["weight", "before", "∂L/∂w", "update"], weightRows,
    "Weights and biases: gradient and update of this step", "inspect-weights");
  return [summary, neurons, weights];
}
