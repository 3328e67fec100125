export class ServiceUnavailableError extends Error {}

/**
 * Polls GET /api/health until it answers 200, or gives up after `timeoutMs`,
 * or as soon as `signal` aborts (the service process died meanwhile).
 */
export async function waitForHealth(serviceUrl: string, timeoutMs: number, intervalMs = 200, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'pas de réponse';
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new ServiceUnavailableError(String(signal.reason));
    try {
      const res = await fetch(`${serviceUrl}/api/health`, { signal: AbortSignal.timeout(Math.max(100, intervalMs * 5)) });
      await res.body?.cancel();
      if (res.ok) return;
      lastError = `réponse HTTP ${res.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new ServiceUnavailableError(`Le service Guichet n'a pas répondu à ${serviceUrl} en ${Math.round(timeoutMs / 1000)} s (${lastError}).`);
}
