/** The message of an error on a whole list (field array): RHF puts a resolver's under root, setError's on the list. */
export function arrayError(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') {
    return undefined;
  }
  const { root, message } = error as { root?: { message?: unknown }; message?: unknown };
  const text = root?.message ?? message;
  return typeof text === 'string' ? text : undefined;
}
