// An API call that could not reach the service says so at once, rather than
// waiting for the next health check: whoever shows the service's state
// subscribes here.
type Listener = () => void;

const listeners = new Set<Listener>();

export function onServiceUnreachable(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function notifyServiceUnreachable(): void {
  for (const listener of listeners) listener();
}
