/** Its own module so that telling bad input apart (invalid-input.ts) does not load the articles repo. */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError'
  constructor() {
    super('Invalid page cursor')
  }
}
