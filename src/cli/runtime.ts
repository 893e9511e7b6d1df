/**
 * @deprecated The embedded composition lives in `src/composition/embedded.ts`. This re-export only
 * keeps `src/cli/bench-reprocess.ts` compiling until it moves to tools/; delete it then.
 */
export { startRuntime, type EmbeddedRuntime as Runtime } from '../composition/embedded.js';
