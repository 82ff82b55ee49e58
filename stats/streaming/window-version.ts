// The window state's format version, and which family bytes each version uses: the
// window state (window.ts) and the numerical and categorical feature windows inside it
// read and write by the window's version, so the answer lives in one place that all
// three import (window.ts imports the feature windows, so it cannot be there).
//
// Versions 1 and 2 wrote ids that are Apache DataSketches' (window state 0x10 = CPC,
// numerical 0x01 = Alpha, categorical 0x02 = QuickSelect), though nothing here follows
// a DataSketches layout. Version 3 is version 2's layout under Vigil's own ids; see
// stats/sketch/family-ids.ts for the registry and the reason. Older versions still read:
// windows in Durable Object SQLite were written by them.

import { LEGACY_FAMILY, VIGIL_FAMILY } from "../sketch/family-ids.ts";

/** Version 4 added the numerical features' grid counts (numerical-window.ts); same family bytes as 3. */
export const WINDOW_FORMAT_VERSION = 4;
/** The oldest window version still read. */
export const OLDEST_WINDOW_FORMAT_VERSION = 1;

export interface WindowFamilies {
  readonly windowState: number;
  readonly numericalWindow: number;
  readonly categoricalWindow: number;
}

/** The family bytes of window state `version` (1 to WINDOW_FORMAT_VERSION). */
export function windowFamilies(version: number): WindowFamilies {
  return version >= 3 ? VIGIL_FAMILY : LEGACY_FAMILY;
}
