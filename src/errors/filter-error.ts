/** A `--where` selection filter that cannot be parsed; the message points at the offending spot. */
export class FilterError extends Error {
  override readonly name = 'FilterError';
  constructor(
    message: string,
    readonly filter: string,
    readonly column: number,
  ) {
    super(`${message}\n  ${filter}\n  ${' '.repeat(column)}^`);
  }
}
