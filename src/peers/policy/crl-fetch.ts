// Fetches a CRL for the DS policy service (DS-CERT-04); only loopback URLs, as the harness may not reach any other address.
export async function fetchLoopbackCrl(url: string): Promise<Uint8Array> {
  const u = new URL(url);
  if (!/^127\.\d+\.\d+\.\d+$/.test(u.hostname) && u.hostname !== 'localhost') {
    throw new Error(`CRL ${url} is not on a loopback address; treated as offline.`);
  }
  const res = await fetch(u, { signal: AbortSignal.timeout(2000) });
  if (!res.ok) throw new Error(`CRL ${url} answered HTTP ${res.status}.`);
  return new Uint8Array(await res.arrayBuffer());
}
