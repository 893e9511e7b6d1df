/**
 * @deprecated Receipt storage lives in `src/storage/` (`ReceiptStorage`, `FileReceiptStorage`).
 * This re-export only keeps `src/cli/bench-reprocess.ts` compiling until it moves to tools/; delete
 * it then.
 */
export { FileReceiptStorage as FileReceiptStore } from '../storage/file-receipt-storage.js';
