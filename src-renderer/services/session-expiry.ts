// A staff call answered 401 means the session ended (expiry, sign-out elsewhere): whoever owns navigation
// (the router) subscribes here, so that no page has to handle it itself.
type Listener = () => void;

const listeners = new Set<Listener>();

export function onSessionExpired(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function notifySessionExpired(): void {
  for (const listener of listeners) listener();
}
