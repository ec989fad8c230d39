// Owns PEM armour: DER <-> "-----BEGIN LABEL-----" text, the way OpenSSL and Node's tls expect it.

/** Wraps DER as PEM with 64-character lines and a trailing newline (what OpenSSL writes and Node's tls reads). */
export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export interface PemBlock { label: string; der: Uint8Array }

/** Every PEM block in the text, in order; text outside the blocks (OpenSSL's "Bag Attributes" etc.) is ignored. */
export function readPemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (const m of text.matchAll(re)) {
    const body = (m[2] ?? '').replace(/[\r\n\t ]/g, '');
    blocks.push({ label: m[1] ?? '', der: new Uint8Array(Buffer.from(body, 'base64')) });
  }
  return blocks;
}

/** True when the text carries at least one PEM block, so callers can tell PEM from bare base64. */
export function isPem(text: string): boolean {
  return /-----BEGIN [A-Z0-9 ]+-----/.test(text);
}

/** Decodes bare base64 (line breaks allowed), or undefined when the text is not base64 at all. */
export function fromBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/[\r\n\t ]/g, '');
  if (compact.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  return new Uint8Array(Buffer.from(compact, 'base64'));
}
