/**
 * Reads until `done` holds of what was read or `ms` passed, and returns the last read for the test
 * to assert on: for effects that arrive on their own time (a notification, a periodic check, a log line).
 */
export async function eventually<T>(read: () => T | Promise<T>, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}
