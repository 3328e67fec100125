/** Only a path inside the app may come back from the sign-in page's query: never another site. */
export function safeReturnPath(value: unknown): string | null {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : null;
}
