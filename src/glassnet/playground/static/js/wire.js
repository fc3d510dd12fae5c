// The connection to the server: JSON text messages out, JSON or binary frames in.
//
// A binary message is: uint32 n (little-endian), n bytes of JSON header, then arrays at the
// byte offsets the header's "blocks" give (see glassnet/playground/wire.py). Arrays are views
// into the received buffer: nothing is copied.

export function unpack(buffer) {
  const n = new DataView(buffer).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, n)));
  const arrays = {};
  for (const block of header.blocks) {
    const count = block.shape.reduce((a, b) => a * b, 1);
    const Type = block.dtype === "uint8" ? Uint8Array : Float32Array;
    arrays[block.name] = { data: new Type(buffer, block.offset, count), shape: block.shape };
  }
  return { header, arrays };
}

export class Connection {
  // handlers: { message(msg) for text without a pending request, binary(header, arrays),
  //             open(), close(event) }
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.nextId = 1;
    this.pending = new Map();
    this.ws = null;
  }

  connect() {
    const ws = new WebSocket(this.url);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => this.handlers.open?.();
    ws.onclose = (event) => {
      for (const { reject } of this.pending.values()) reject(new Error("connection closed"));
      this.pending.clear();
      this.handlers.close?.(event);
    };
    ws.onmessage = (event) => {
      if (typeof event.data !== "string") {
        const { header, arrays } = unpack(event.data);
        this.handlers.binary(header, arrays);
        return;
      }
      const msg = JSON.parse(event.data);
      const waiting = msg.id != null ? this.pending.get(msg.id) : undefined;
      if (waiting) {
        this.pending.delete(msg.id);
        if (msg.type === "error") waiting.reject(new Error(msg.message));
        else waiting.resolve(msg);
      } else {
        this.handlers.message(msg);
      }
    };
    this.ws = ws;
  }

  get open() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  // Send {type, ...fields}; resolves with the reply, rejects with the server's error message.
  request(type, fields = {}) {
    if (!this.open) return Promise.reject(new Error("not connected to the playground server"));
    const id = this.nextId++;
    const promise = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.ws.send(JSON.stringify({ type, id, ...fields }));
    return promise;
  }
}
