// Small line charts on canvas: the loss curves and the gradient-flow chart.

const MAX_POINTS = 4000; // past this, every second point is dropped (the shape stays)

export class LineChart {
  // series: [{label, color, width}], log: plot log10 of the values
  constructor(canvas, series, { log = false, yLabel = "" } = {}) {
    this.canvas = canvas;
    this.log = log;
    this.yLabel = yLabel;
    this.setSeries(series);
  }

  setSeries(series) {
    this.series = series;
    this.reset();
  }

  reset() {
    this.x = [];
    this.ys = this.series.map(() => []);
    this.draw();
  }

  add(x, values) {
    this.x.push(x);
    values.forEach((v, i) => this.ys[i]?.push(v));
    if (this.x.length > MAX_POINTS) {
      this.x = this.x.filter((_, i) => i % 2 === 0);
      this.ys = this.ys.map((ys) => ys.filter((_, i) => i % 2 === 0));
    }
  }

  _value(v) {
    if (v == null || !Number.isFinite(v)) return null;
    if (!this.log) return v;
    return v > 0 ? Math.log10(v) : null;
  }

  draw() {
    const { canvas } = this;
    const ctx = canvas.getContext("2d");
    const W = canvas.width;
    const H = canvas.height;
    const left = this.log ? 38 : 4;
    const bottom = this.log ? 18 : 2;
    ctx.clearRect(0, 0, W, H);
    let lo = Infinity;
    let hi = -Infinity;
    for (const ys of this.ys) {
      for (const raw of ys) {
        const v = this._value(raw);
        if (v !== null) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (!Number.isFinite(lo)) {
      ctx.fillStyle = "#999";
      ctx.font = "11px system-ui, sans-serif";
      ctx.fillText(this.log ? "press play or step to see the gradients" : "", left + 4, H / 2);
      return;
    }
    if (!this.log) lo = Math.min(lo, 0);
    if (this.log) {
      lo = Math.floor(lo);
      hi = Math.ceil(hi);
    }
    if (hi - lo < 1e-9) hi = lo + 1;
    const n = this.x.length;
    const x0 = this.x[0];
    const x1 = Math.max(this.x[n - 1], x0 + 1);
    const px = (x) => left + ((x - x0) / (x1 - x0)) * (W - left - 4);
    const py = (v) => 4 + (1 - (v - lo) / (hi - lo)) * (H - bottom - 8);
    if (this.log) {
      ctx.strokeStyle = "#eee";
      ctx.fillStyle = "#888";
      ctx.font = "10px system-ui, sans-serif";
      ctx.textAlign = "right";
      const step = Math.max(1, Math.ceil((hi - lo) / 6));
      for (let e = lo; e <= hi; e += step) {
        ctx.beginPath();
        ctx.moveTo(left, py(e));
        ctx.lineTo(W - 4, py(e));
        ctx.stroke();
        ctx.fillText(`1e${e}`, left - 4, py(e) + 3);
      }
      ctx.textAlign = "left";
      ctx.fillText(`epoch ${this.x[0]}`, left, H - 4);
      ctx.textAlign = "right";
      ctx.fillText(`${this.x[n - 1]}`, W - 4, H - 4);
      ctx.textAlign = "left";
    }
    this.series.forEach((s, i) => {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = s.width ?? 1.5;
      ctx.beginPath();
      let pen = false;
      const ys = this.ys[i];
      for (let k = 0; k < n; k++) {
        const v = this._value(ys[k]);
        if (v === null) {
          pen = false;
          continue;
        }
        if (pen) ctx.lineTo(px(this.x[k]), py(v));
        else ctx.moveTo(px(this.x[k]), py(v));
        pen = true;
      }
      ctx.stroke();
    });
  }
}
