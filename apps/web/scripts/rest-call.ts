/**
 * One call to a running server's REST API, as the dashboard makes it: JSON in and out, the
 * token as a Bearer header. Shared by the demo script and the dashboard's end-to-end tests.
 */
export async function restCall(
  base: string,
  method: string,
  path: string,
  token?: string | null,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(base + path, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(token && { authorization: `Bearer ${token}` }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/**
 * Waits until the server at `base` answers `GET /api/ready` with 200, polling every `pollMs`.
 * Throws `exited()`'s message as soon as it says the process ended, or after `timeoutMs`.
 */
export async function waitForReady(
  base: string,
  exited: () => string | null,
  timeoutMs: number,
  pollMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ended = exited();
    if (ended !== null) throw new Error(ended);
    try {
      if ((await fetch(`${base}/api/ready`)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return false;
}
