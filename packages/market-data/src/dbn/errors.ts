/** A malformed or unsupported DBN input. `offset` is the byte position in the (decompressed) stream. */
export class DbnError extends Error {
  override readonly name = 'DbnError';
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(`${message} (at byte offset ${offset})`);
    this.offset = offset;
  }
}
