import { act } from '@testing-library/react';
import { vi } from 'vitest';

/**
 * Fakes the clock for a test of polling: time still passes on its own (so that findBy*, waitFor and fetches go on as
 * with real timers), and elapse() jumps ahead to the next poll at once. Undo with vi.useRealTimers().
 */
export function fakeClock(): void {
  vi.useFakeTimers({ shouldAdvanceTime: true });
}

/** Lets ms of fake time pass, running the timers that fall due (polls, the "updated … ago" ticks). */
export async function elapse(ms: number): Promise<void> {
  await act(() => vi.advanceTimersByTimeAsync(ms));
}

/** Hides or shows the browser tab as the browser does: visibilityState and a visibilitychange event. */
export function setTabVisible(visible: boolean): void {
  vi.spyOn(document, 'visibilityState', 'get').mockReturnValue(visible ? 'visible' : 'hidden');
  act(() => {
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  });
}
