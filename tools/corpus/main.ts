/**
 * npm run corpus -- --seed 1 --claims 1000 --out /tmp/corpus-1
 *
 * Writes an evaluation corpus (files/, manifest.ndjson, truth.ndjson) that `npm run eval` scores.
 */
import { parseArgs } from 'node:util';
import { generateCorpus } from './generate.js';

const { values } = parseArgs({
  options: { seed: { type: 'string', default: '1' }, claims: { type: 'string', default: '1000' }, out: { type: 'string' } },
});
const seed = Number(values.seed);
const count = Number(values.claims);
if (!values.out || !Number.isInteger(seed) || !Number.isInteger(count) || count < 1) {
  process.stderr.write('usage: npm run corpus -- --seed <integer> --claims <count> --out <folder>\n');
  process.exit(2);
}
const started = Date.now();
await generateCorpus({
  seed,
  count,
  out: values.out,
  onClaim: (done) => {
    if (done % 25 === 0 || done === count) process.stderr.write(`\r${done}/${count} claims`);
  },
});
process.stderr.write(`\nwrote ${count} claims to ${values.out} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
