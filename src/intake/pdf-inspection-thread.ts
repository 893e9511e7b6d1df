import { InputRejectedError } from '../errors/input-rejected-error.js';
import type { PdfInfo } from '../documents/pdf-document.js';
import type { IntakeLimits } from '../domain/document.js';
import { inspectPdfOnce } from './pdf-inspection.js';

/** A refusal as data: an error's class does not survive the trip between threads. */
export type InspectionOutcome =
  { accepted: true; info: PdfInfo } | { accepted: false; refusal: Pick<InputRejectedError, 'code' | 'message' | 'evidence'> };

/** Runs in a worker thread of the inspection pool: the door's PDF inspection, off the API's event loop. */
export default async function inspectInThread(task: { bytes: Uint8Array; limits: IntakeLimits }): Promise<InspectionOutcome> {
  try {
    return { accepted: true, info: await inspectPdfOnce(task.bytes, task.limits) };
  } catch (error) {
    if (!(error instanceof InputRejectedError)) throw error;
    return { accepted: false, refusal: { code: error.code, message: error.message, evidence: error.evidence } };
  }
}
