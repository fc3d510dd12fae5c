// The colour scale (TensorFlow Playground's): orange for -1, grey for 0, blue for +1.
// Maps arrive as uint8, v = q / 127.5 - 1, so a 256-entry table colours them.

const NEG = [245, 147, 34];
const MID = [232, 234, 235];
const POS = [8, 119, 189];

export function rgb(v) {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  const end = t < 0 ? NEG : POS;
  const s = Math.abs(t);
  return MID.map((m, i) => Math.round(m + (end[i] - m) * s));
}

export function css(v) {
  const [r, g, b] = rgb(v);
  return `rgb(${r},${g},${b})`;
}

function table(discrete) {
  const lut = new Uint8ClampedArray(256 * 4);
  for (let q = 0; q < 256; q++) {
    let v = q / 127.5 - 1;
    if (discrete) v = v > 0 ? 1 : v < 0 ? -1 : 0;
    const [r, g, b] = rgb(v);
    lut.set([r, g, b, 255], q * 4);
  }
  return lut;
}

const TABLES = { smooth: table(false), discrete: table(true) };

// Draw a size x size uint8 map (a subarray) onto `canvas`, scaled up with smoothing.
export function drawMap(canvas, data, size, discrete = false) {
  const lut = discrete ? TABLES.discrete : TABLES.smooth;
  const image = new ImageData(size, size);
  const px = image.data;
  for (let i = 0; i < size * size; i++) {
    const o = data[i] * 4;
    px[i * 4] = lut[o];
    px[i * 4 + 1] = lut[o + 1];
    px[i * 4 + 2] = lut[o + 2];
    px[i * 4 + 3] = 255;
  }
  const small = mapCanvas(size);
  small.getContext("2d").putImageData(image, 0, 0);
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = !discrete;
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
}

const scratch = new Map();
function mapCanvas(size) {
  let c = scratch.get(size);
  if (!c) {
    c = document.createElement("canvas");
    c.width = c.height = size;
    scratch.set(size, c);
  }
  return c;
}
