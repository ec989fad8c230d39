import { deriveRsaJwk } from './src/ca/seeded-key.ts';
const t = performance.now();
for (let i = 0; i < 20; i++) deriveRsaJwk(2048, `bench-${i}`);
console.log(((performance.now() - t) / 20).toFixed(1), 'ms per RSA-2048 key');
