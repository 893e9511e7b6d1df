/** A submitted claim form that does not validate; `problems` name each field and what is wrong. */
export class FormInvalidError extends Error {
  override readonly name = 'FormInvalidError';
  constructor(readonly problems: string[]) {
    super(`The claim form is invalid: ${problems.join('; ')}.`);
  }
}
