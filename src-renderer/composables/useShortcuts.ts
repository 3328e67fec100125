import { onBeforeUnmount, onMounted } from 'vue';

/** True when a key press belongs to what the user is typing or choosing, not to the page. */
function isFormControl(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || target.closest('input, textarea, select') !== null);
}

/** A modal dialog owns the keyboard while it is open (Enter, Escape and its own fields). */
function dialogIsOpen(target: EventTarget | null): boolean {
  return (target instanceof HTMLElement && target.closest('dialog') !== null) || document.querySelector('dialog[open]') !== null;
}

/**
 * Single-letter shortcuts for the page while it is shown. They never fire while the user types in a field, with a
 * modifier held (browser and screen-reader commands), on a held-down key, or while a dialog is open.
 */
export function useShortcuts(bindings: Record<string, () => void>, enabled: () => boolean = () => true): void {
  function onKeydown(event: KeyboardEvent): void {
    if (!enabled() || event.defaultPrevented || event.repeat) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (isFormControl(event.target) || dialogIsOpen(event.target)) return;
    const action = bindings[event.key.toLowerCase()];
    if (!action) return;
    event.preventDefault();
    action();
  }

  onMounted(() => window.addEventListener('keydown', onKeydown));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown));
}
