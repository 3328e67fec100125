import { nextTick } from 'vue';

/** Moves keyboard and screen-reader focus to an element that is not focusable by itself (a heading, say). */
export function focusElement(element: HTMLElement | null | undefined): void {
  if (!element) return;
  if (!element.hasAttribute('tabindex')) element.setAttribute('tabindex', '-1');
  element.focus();
}

/** After a refused submission, takes the user to the first field in error instead of leaving them at the button. */
export async function focusFirstInvalid(root: HTMLElement | null | undefined): Promise<void> {
  await nextTick();
  const invalid = root?.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (!invalid) return;
  const target = invalid.matches('input, select, textarea') ? invalid : invalid.querySelector<HTMLElement>('input');
  target?.focus();
}
