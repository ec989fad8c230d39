// Owns the hand-over of byte arrays to libraries typed on ArrayBuffer-backed views (TypeScript's Uint8Array<ArrayBuffer>).

/** A fresh ArrayBuffer holding exactly these bytes (the view may sit inside a larger or shared buffer). */
export function toArrayBuffer(u8: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(u8.byteLength);
  new Uint8Array(out).set(u8);
  return out;
}

/** The same bytes as a Uint8Array over its own ArrayBuffer. */
export function ownBytes(u8: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(toArrayBuffer(u8));
}
