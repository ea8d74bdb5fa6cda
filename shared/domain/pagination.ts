/**
 * A cursor that is not one the list gave (tampered, made up, or from another list): the
 * HTTP layer answers 400 naming `query.cursor`, whichever list refused it.
 */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}
