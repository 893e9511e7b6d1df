/** A policy table is unknown, or fails its schema or its own consistency checks. */
export class PolicyLoadError extends Error {
  override readonly name = 'PolicyLoadError';
}
