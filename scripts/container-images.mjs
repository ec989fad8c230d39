// Builds the container peers' images (src/peers/containers/images) unless their Dockerfile's hash tag is in the engine:
// `.ci/run` calls it before the tests so build time is not test time. Run with `node --import tsx scripts/container-images.mjs`.
const { ensurePeerImage } = await import('../src/peers/containers/container-images.ts');
const { engineGate } = await import('../src/peers/containers/engine-gate.ts');

const gate = await engineGate();
if (!gate.available) {
  console.error(`container images: ${gate.reason}`);
  process.exit(1);
}
for (const kind of ['postfix', 'exim']) {
  const b = await ensurePeerImage(kind);
  console.log(`container images: ${b.image} ${b.built ? 'built' : 'cached'} in ${(b.ms / 1000).toFixed(1)} s`);
}
