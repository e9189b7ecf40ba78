/**
 * Functions for the load tests: `overlap` waits a moment and notes how many of its calls
 * were in flight at once (an in-process platform shares this module with the test);
 * `everyOther` fails every second call.
 */
import type { FunctionsModule } from '../model/index.ts';

let inFlight = 0;
export const seen = { maxInFlight: 0, calls: 0 };

export function resetSeen(): void {
  seen.maxInFlight = 0;
  seen.calls = 0;
}

export const functions: FunctionsModule['functions'] = {
  overlap: async (input) => {
    seen.maxInFlight = Math.max(seen.maxInFlight, ++inFlight);
    await new Promise((resolve) => setTimeout(resolve, 30));
    inFlight--;
    return input;
  },
  everyOther: (input) => {
    if (seen.calls++ % 2 === 1) throw new Error('every other call fails');
    return input;
  },
};
