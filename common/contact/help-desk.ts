/**
 * ANRU's switchboard, where an agent registers a caller's request: the human
 * alternative to the wizard's security check (RGAA 1.5).
 */
export const HELP_DESK_PHONE = '+33153635500';
