// The playground page: controls, the URL, and what each message from the server changes.
//
// The server owns the run (data, network, training); the page sends controls and draws the
// frames it gets back. The whole configuration lives in the address bar's #fragment, so a
// copied link reproduces an experiment.

import { LineChart } from "./charts.js";
import { css, drawMap } from "./colors.js";
import { inspectionTables } from "./inspector.js";
import { NetworkView, fmt } from "./network.js";
import { Connection } from "./wire.js";

const $ = (id) => document.getElementById(id);

const DATASET_NAMES = {
  circle: "Circle", xor: "Exclusive or", gauss: "Two Gaussians", spiral: "Spiral",
  plane: "Plane", multigauss: "Multi-Gaussian",
};
const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const DROPOUTS = [0, 0.1, 0.2, 0.3, 0.5];
const GRIDS = [30, 50, 80, 100];
const ALL_FEATURES = [
  { name: "x1", label: "X₁" }, { name: "x2", label: "X₂" }, { name: "x1sq", label: "X₁²" },
  { name: "x2sq", label: "X₂²" }, { name: "x1x2", label: "X₁X₂" },
  { name: "sinx1", label: "sin(X₁)" }, { name: "sinx2", label: "sin(X₂)" },
];
const LAYER_COLORS = ["#3b0f70", "#5c3c9c", "#2c7fb8", "#1b9e77", "#7fbc41", "#d8b365", "#e6550d"];
const NUMBER_KEYS = ["noise", "train_ratio", "batch_size", "points", "lr", "reg_rate", "dropout",
  "seed", "data_seed", "grid"];
const LIST_KEYS = { features: String, hidden: Number };

const state = {
  session: null, limits: null, config: null, setup: null, playing: false,
  train: null, test: null, frame: null, hoverNeuron: null, point: null, inspection: null,
  thumbs: null,
};

// ---------------------------------------------------------------- messages and errors
function toast(text, kind = "error") {
  const t = $("toast");
  t.textContent = text;
  t.className = `toast ${kind}`;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 6000);
}

async function send(type, fields = {}) {
  try {
    const reply = await conn.request(type, fields);
    if (reply.type === "ack") applyAck(reply);
    return reply;
  } catch (e) {
    toast(e.message);
    syncControls();
    return null;
  }
}

function setConfig(changes) {
  return send("set", { config: changes });
}

// ---------------------------------------------------------------- the URL
function readHash() {
  const out = {};
  for (const part of location.hash.replace(/^#/, "").split("&")) {
    if (!part) continue;
    const [key, raw = ""] = part.split("=");
    const value = decodeURIComponent(raw);
    if (key in LIST_KEYS) out[key] = value === "" ? [] : value.split(",").map(LIST_KEYS[key]);
    else if (NUMBER_KEYS.includes(key)) out[key] = Number(value);
    else out[key] = value;
  }
  return out;
}

// Apply the settings of the address bar (on load, and when the user edits the #fragment).
async function applyHash() {
  const wanted = readHash();
  if (!Object.keys(wanted).length) return;
  try {
    applyAck(await conn.request("set", { config: wanted }));
  } catch (e) {
    toast(`The settings in this link were not accepted (${e.message}); the page keeps its own.`);
    if (state.config) writeHash(state.config);
  }
}

function writeHash(config) {
  const parts = Object.entries(config).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") : v}`);
  history.replaceState(null, "", `#${parts.join("&")}`);
}

// ---------------------------------------------------------------- controls
function fillSelect(select, values, format = String) {
  select.replaceChildren(...values.map((v) => new Option(format(v), String(v))));
}

function ensureOption(select, value) {
  if (![...select.options].some((o) => o.value === String(value))) {
    select.add(new Option(String(value), String(value)));
  }
  select.value = String(value);
}

function syncControls() {
  const c = state.config;
  if (!c) return;
  for (const key of ["lr", "reg_rate", "dropout", "grid"]) ensureOption($(key), c[key]);
  for (const key of ["activation", "regularization", "problem", "optimizer"]) $(key).value = c[key];
  for (const key of ["train_ratio", "noise", "batch_size", "points"]) {
    const input = $(key);
    if (Number(input.max) < c[key]) input.max = c[key];
    input.value = c[key];
    $(`${key}-value`).textContent = c[key];
  }
  $("reg_rate").disabled = c.regularization === "none";
  const csv = c.dataset === "csv";
  $("noise").disabled = csv;
  $("points").disabled = csv;
  for (const thumb of document.querySelectorAll(".thumb")) {
    thumb.classList.toggle("selected", thumb.dataset.dataset === c.dataset);
  }
  const hidden = c.hidden.length;
  $("layers-title").textContent = `${hidden} hidden layer${hidden === 1 ? "" : "s"}`;
  $("add-layer").disabled = hidden >= state.limits.max_layers;
  $("remove-layer").disabled = hidden === 0;
  setPlaying(state.playing);
}

function setPlaying(playing) {
  state.playing = playing;
  $("play").classList.toggle("playing", playing);
  $("play").setAttribute("aria-label", playing ? "pause" : "run");
  document.body.classList.toggle("is-playing", playing);
}

function applyAck(reply) {
  if (reply.config) {
    state.config = reply.config;
    writeHash(reply.config);
  }
  if ("playing" in reply) setPlaying(reply.playing);
  syncControls();
}

function wireControls() {
  fillSelect($("lr"), LEARNING_RATES);
  fillSelect($("reg_rate"), REG_RATES);
  fillSelect($("dropout"), DROPOUTS);
  fillSelect($("grid"), GRIDS, (g) => `${g} × ${g}`);
  for (const key of ["lr", "reg_rate", "dropout", "grid"]) {
    $(key).addEventListener("change", (e) => setConfig({ [key]: Number(e.target.value) }));
  }
  for (const key of ["activation", "regularization", "problem", "optimizer"]) {
    $(key).addEventListener("change", (e) => setConfig({ [key]: e.target.value }));
  }
  for (const key of ["train_ratio", "noise", "batch_size", "points"]) {
    const input = $(key);
    input.addEventListener("input", () => { $(`${key}-value`).textContent = input.value; });
    input.addEventListener("change", () => setConfig({ [key]: Number(input.value) }));
  }
  $("play").addEventListener("click", () => send(state.playing ? "pause" : "play"));
  $("step").addEventListener("click", async () => {
    if (state.playing) await send("pause");
    send("step");
  });
  $("reset").addEventListener("click", () => send("reset"));
  $("regenerate").addEventListener("click", () => send("regenerate"));
  $("add-layer").addEventListener("click", () => {
    if (state.config.hidden.length < state.limits.max_layers) setConfig({ hidden: [...state.config.hidden, 2] });
  });
  $("remove-layer").addEventListener("click", () => setConfig({ hidden: state.config.hidden.slice(0, -1) }));
  $("show-test").addEventListener("change", drawPoints);
  $("discretize").addEventListener("change", () => {
    net.discretize = $("discretize").checked;
    redrawFrame();
  });
  $("preset-sigmoid").addEventListener("click", () => setConfig({ hidden: [8, 8, 8, 8, 8, 8], activation: "sigmoid", lr: 0.03, optimizer: "sgd" }));
  $("preset-relu").addEventListener("click", () => setConfig({ hidden: [8, 8, 8, 8, 8, 8], activation: "relu", lr: 0.03, optimizer: "sgd" }));
  wireInspector();
  wireUpload();
  wirePython();
}

// ---------------------------------------------------------------- data column
function drawThumbs(header, points) {
  const box = $("datasets");
  box.replaceChildren();
  const n = points.shape[1];
  header.datasets.forEach((name, k) => {
    const item = document.createElement("button");
    item.className = "thumb";
    item.dataset.dataset = name;
    item.title = `${DATASET_NAMES[name]} (${header.problems[k]})`;
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 64;
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#f7f7f7";
    ctx.fillRect(0, 0, 64, 64);
    for (let i = 0; i < n; i++) {
      const o = (k * n + i) * 3;
      const [x, y, label] = [points.data[o], points.data[o + 1], points.data[o + 2]];
      ctx.fillStyle = css(header.problems[k] === "classification" ? 2 * label - 1 : label);
      ctx.fillRect(((x + 6) / 12) * 64 - 1.5, ((6 - y) / 12) * 64 - 1.5, 3, 3);
    }
    item.appendChild(canvas);
    const label = document.createElement("span");
    label.textContent = DATASET_NAMES[name];
    item.appendChild(label);
    item.addEventListener("click", () => setConfig({ dataset: name }));
    box.appendChild(item);
  });
  syncControls();
}

// ---------------------------------------------------------------- output column
const heat = $("heatmap");
const pointsLayer = $("points-layer");

function toCanvas(x, y) {
  const d = state.setup?.domain ?? 6;
  return [((x + d) / (2 * d)) * pointsLayer.width, ((d - y) / (2 * d)) * pointsLayer.height];
}

function pointColor(label) {
  return css(state.setup.problem === "classification" ? 2 * label - 1 : label);
}

function drawPoints() {
  const ctx = pointsLayer.getContext("2d");
  ctx.clearRect(0, 0, pointsLayer.width, pointsLayer.height);
  if (!state.train) return;
  const sets = [[state.train, "#fff"]];
  if ($("show-test").checked) sets.push([state.test, "#000"]);
  for (const [pts, stroke] of sets) {
    const n = pts.shape[0];
    for (let i = 0; i < n; i++) {
      const [x, y] = toCanvas(pts.data[i * 3], pts.data[i * 3 + 1]);
      ctx.beginPath();
      ctx.arc(x, y, 3.2, 0, 2 * Math.PI);
      ctx.fillStyle = pointColor(pts.data[i * 3 + 2]);
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = stroke;
      ctx.stroke();
    }
  }
  if (state.point !== null && state.point < state.train.shape[0]) {
    const i = state.point;
    const [x, y] = toCanvas(state.train.data[i * 3], state.train.data[i * 3 + 1]);
    ctx.beginPath();
    ctx.arc(x, y, 8, 0, 2 * Math.PI);
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = "#d6336c";
    ctx.stroke();
  }
}

function redrawFrame() {
  const f = state.frame;
  if (!f) return;
  const { arrays } = f;
  net.update(arrays.weights.data, arrays.neurons, arrays.output);
  const discrete = $("discretize").checked;
  const hover = state.hoverNeuron;
  if (hover && hover.kind === "hidden" && arrays.neurons.shape[0] > hover.flat) {
    const g = arrays.neurons.shape[1];
    drawMap(heat, arrays.neurons.data.subarray(hover.flat * g * g, (hover.flat + 1) * g * g), g, discrete);
    $("heatmap-label").textContent = `neuron ${hover.neuron + 1} of hidden layer ${hover.layer + 1}`;
  } else {
    drawMap(heat, arrays.output.data, arrays.output.shape[0], discrete);
    $("heatmap-label").textContent = "output";
  }
}

const lossChart = new LineChart($("loss-chart"), [
  { label: "training", color: "#8a8a8a" }, { label: "test", color: "#111" },
]);
const gradChart = new LineChart($("grad-chart"), [], { log: true });

function onFrame(header, arrays) {
  state.frame = { header, arrays };
  $("epoch").textContent = String(header.epoch).padStart(6, "0").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  $("loss-train").textContent = fmtLoss(header.loss.train);
  $("loss-test").textContent = fmtLoss(header.loss.test);
  $("acc-box").hidden = !header.accuracy;
  if (header.accuracy) $("acc-test").textContent = `${(100 * header.accuracy.test).toFixed(1)}%`;
  const last = lossChart.x[lossChart.x.length - 1];
  if (last === undefined || header.epoch > last) {
    lossChart.add(header.epoch, [header.loss.train, header.loss.test]);
    if (header.epoch > 0) gradChart.add(header.epoch, header.grad_norms);
  }
  lossChart.draw();
  gradChart.draw();
  redrawFrame();
  document.body.dataset.epoch = header.epoch;
}

function fmtLoss(v) {
  return v == null ? "diverged" : v.toFixed(3);
}

function onSetup(header, arrays) {
  state.setup = header;
  state.config = header.config;
  state.train = arrays.train;
  state.test = arrays.test;
  writeHash(header.config);
  if (state.point !== null && state.point >= header.n_train) state.point = null;
  if (state.inspection) {
    state.inspection = null;
    renderInspection();
  }
  const g = arrays.inputs.shape[1];
  const featureMaps = ALL_FEATURES.map((_, k) => ({ data: arrays.inputs.data.subarray(k * g * g, (k + 1) * g * g), size: g }));
  net.inspection = null;
  net.build(header, featureMaps, ALL_FEATURES, state.limits);
  lossChart.reset();
  const hiddenCount = header.layers.length - 1;
  gradChart.setSeries(Array.from({ length: hiddenCount }, (_, d) => ({
    label: d === hiddenCount - 1 ? `layer ${d + 1} (output)` : `layer ${d + 1}`,
    color: LAYER_COLORS[Math.round((d * (LAYER_COLORS.length - 1)) / Math.max(hiddenCount - 1, 1))],
  })));
  const legend = $("grad-legend");
  legend.replaceChildren(...gradChart.series.map((s) => {
    const item = document.createElement("span");
    const sw = document.createElement("i");
    sw.style.background = s.color;
    item.append(sw, s.label);
    return item;
  }));
  $("loss-name").textContent = `(${header.loss_name})`;
  $("csv-message").textContent = header.csv_in_use
    ? `Training on ${header.csv_in_use.name}: ${header.csv_in_use.x1} and ${header.csv_in_use.x2} → ${header.csv_in_use.target} (${header.problem}).`
    : $("csv-message").textContent;
  $("axis-labels").textContent = axisText(header);
  updatePointLabel();
  drawPoints();
  syncControls();
}

// What the map's axes are: the plane, or the uploaded columns in their own units.
function axisText(header) {
  const use = header.csv_in_use;
  if (!use) return "X₁ from −6 to 6 across, X₂ from −6 to 6 up";
  const range = (col) => {
    const [lo, hi] = use.scaling.features[col];
    const pad = (hi - lo) / 10; // the columns fill [-5, 5] of the plane's [-6, 6]
    return `${fmt(lo - pad)} to ${fmt(hi + pad)}`;
  };
  return `X₁ = ${use.x1} from ${range(use.x1)} across, X₂ = ${use.x2} from ${range(use.x2)} up`;
}

// ---------------------------------------------------------------- step inspector
function updatePointLabel() {
  const label = $("inspect-point");
  const button = $("inspect-step");
  if (state.point === null || !state.train) {
    label.textContent = "no point chosen";
    button.disabled = true;
    return;
  }
  const i = state.point;
  const d = state.train.data;
  const target = d[i * 3 + 2];
  const shown = state.setup.problem === "classification" ? `class ${target}` : `target ${fmt(target)}`;
  label.textContent = `point #${i}: (${fmt(d[i * 3])}, ${fmt(d[i * 3 + 1])}), ${shown}`;
  button.disabled = false;
}

function choosePoint(i) {
  state.point = i;
  updatePointLabel();
  drawPoints();
}

function wireInspector() {
  pointsLayer.addEventListener("click", (e) => {
    if (!state.train) return;
    const box = pointsLayer.getBoundingClientRect();
    const cx = ((e.clientX - box.left) / box.width) * pointsLayer.width;
    const cy = ((e.clientY - box.top) / box.height) * pointsLayer.height;
    let best = null;
    let bestD = Infinity;
    for (let i = 0; i < state.train.shape[0]; i++) {
      const [x, y] = toCanvas(state.train.data[i * 3], state.train.data[i * 3 + 1]);
      const dd = (x - cx) ** 2 + (y - cy) ** 2;
      if (dd < bestD) { bestD = dd; best = i; }
    }
    if (best !== null) choosePoint(best);
  });
  $("inspect-random").addEventListener("click", () => {
    if (state.train) choosePoint(Math.floor(Math.random() * state.train.shape[0]));
  });
  $("inspect-step").addEventListener("click", async () => {
    if (state.point === null) return;
    if (state.playing) await send("pause");
    const reply = await send("inspect", { point: state.point });
    if (reply && reply.inspection) {
      state.inspection = reply.inspection;
      renderInspection();
    }
  });
  $("inspect-overlay").addEventListener("change", (e) => net.setOverlay(e.target.checked));
}

function renderInspection() {
  net.setInspection(state.inspection);
  $("inspect-result").replaceChildren(...(state.inspection ? inspectionTables(state.inspection, ALL_FEATURES) : []));
}

// ---------------------------------------------------------------- your own data
function wireUpload() {
  $("csv-file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    const msg = $("csv-message");
    if (file.size > state.limits.max_upload_bytes) {
      msg.textContent = `${file.name} is ${(file.size / 1e6).toFixed(1)} MB; the playground takes CSV files up to ${(state.limits.max_upload_bytes / 1e6).toFixed(1)} MB.`;
      msg.className = "message error";
      return;
    }
    msg.textContent = `reading ${file.name}…`;
    msg.className = "message";
    const text = await file.text();
    try {
      const reply = await conn.request("upload", { name: file.name, text });
      const { csv } = reply;
      for (const [id, k] of [["csv-x1", 0], ["csv-x2", 1], ["csv-target", csv.columns.length - 1]]) {
        fillSelect($(id), csv.columns);
        $(id).value = csv.columns[Math.min(k, csv.columns.length - 1)];
      }
      $("csv-columns").hidden = false;
      msg.textContent = `${csv.name}: ${csv.rows} rows, numeric columns ${csv.columns.join(", ")}. Choose the features and the target.`;
    } catch (err) {
      msg.textContent = err.message;
      msg.className = "message error";
    }
  });
  $("csv-use").addEventListener("click", async () => {
    const reply = await send("use_csv", {
      x1: $("csv-x1").value, x2: $("csv-x2").value, target: $("csv-target").value,
      problem: $("csv-problem").value,
    });
    $("csv-message").className = reply ? "message ok" : "message error";
  });
}

// ---------------------------------------------------------------- take it with you
function wirePython() {
  const show = async () => {
    const response = await fetch(`/api/session/${state.session}/script.py`);
    if (!response.ok) {
      toast("could not fetch the script: the session has ended; reload the page");
      return;
    }
    $("script").textContent = await response.text();
    $("script").hidden = false;
    $("script-copy").hidden = false;
    $("script-show").textContent = "Refresh the script";
  };
  $("script-show").addEventListener("click", show);
  $("script-copy").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText($("script").textContent);
      toast("copied", "ok");
    } catch {
      toast("the browser did not allow copying: select the text instead");
    }
  });
}

function setDownloads(session) {
  $("dl-model").href = `/api/session/${session}/model.npz`;
  $("dl-history").href = `/api/session/${session}/history.csv`;
  $("dl-script").href = `/api/session/${session}/script.py`;
}

// ---------------------------------------------------------------- start
const net = new NetworkView($("network"), $("links"), $("hovercard"), {
  toggleFeature(name) {
    const active = new Set(state.config.features);
    if (active.has(name)) active.delete(name);
    else active.add(name);
    if (active.size === 0) {
      toast("the network needs at least one input feature");
      return;
    }
    setConfig({ features: ALL_FEATURES.map((f) => f.name).filter((n) => active.has(n)) });
  },
  setHidden(sizes) { setConfig({ hidden: sizes }); },
  setWeight(layer, source, target, value) { send("set_weight", { layer, source, target, value }); },
  setBias(layer, neuron, value) { send("set_bias", { layer, neuron, value }); },
  hoverNeuron(info) {
    state.hoverNeuron = info;
    redrawFrame();
  },
});

const conn = new Connection(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`, {
  open() { $("conn").textContent = "connected"; $("conn").className = "conn ok"; },
  close(event) {
    setPlaying(false);
    $("conn").textContent = event.code === 1013 ? "server full" : "disconnected: reload the page";
    $("conn").className = "conn lost";
  },
  message(msg) {
    if (msg.type === "hello") {
      state.session = msg.session;
      state.limits = msg.limits;
      state.config = msg.defaults;
      $("upload-limits").textContent = `At most ${(msg.limits.max_upload_bytes / 1e6).toFixed(1)} MB and ${msg.limits.max_points.toLocaleString("en")} rows.`;
      setDownloads(msg.session);
      applyHash();
    } else if (msg.type === "status") {
      setPlaying(msg.playing);
      if (msg.message) toast(msg.message);
    } else if (msg.type === "closed" || msg.type === "error") {
      toast(msg.message);
    }
  },
  binary(header, arrays) {
    if (header.type === "frame") onFrame(header, arrays);
    else if (header.type === "setup") onSetup(header, arrays);
    else if (header.type === "thumbs") drawThumbs(header, arrays.points);
  },
});

wireControls();
window.addEventListener("hashchange", applyHash); // writeHash's replaceState fires none
window.addEventListener("resize", () => {
  if (state.setup) net.build(state.setup, net.featureMaps, ALL_FEATURES, state.limits);
});
conn.connect();
