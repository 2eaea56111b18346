/** The store cannot be opened or used as configured (bad file, unreachable server): exit 2, one line. */
export class StoreError extends Error {
  override name = 'StoreError';
}
