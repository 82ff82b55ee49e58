// The registry of family ids: the byte that names what a serialized Vigil summary is.
// Every binary format in stats/ takes its family byte from here, so ids cannot collide.
//
// Why Vigil has ids of its own: our first formats wrote Apache DataSketches' family ids
// (KLL 15, HLL 7) or numbers that happen to be theirs (window state 16 = CPC; numerical
// and categorical windows 1 and 2 = the theta sketches Alpha and QuickSelect), though no
// layout of ours is DataSketches'. Bytes that claim a family they do not follow invite a
// DataSketches reader, or a person with its docs, to misread them. DataSketches numbers
// its families upward from 1 (up to Bloom filter, 21) and keeps every id below 128
// (Family.java: "the given id, a value < 128"), so ids from 0x80 up stay out of its range
// for good. Each id is 0x80 | the ASCII initial of what it names, which reads in a hex dump.
//
// Rules: a current id is ≥ 0x80 and never reused; a format that changes its family byte
// bumps its serial version, and the family and version together name a layout. The
// borrowed ids below are read (bytes written before the change are stored in Durable
// Object SQLite and Postgres baselines) and never written.

/** Family ids written now, one per format. */
export const VIGIL_FAMILY = {
  /** KLL quantile sketch (kll-format.ts), from serial version 2. */
  kll: 0xcb, // "K"
  /** HyperLogLog (hyperloglog.ts), from serial version 2. */
  hyperLogLog: 0xc8, // "H"
  /** Live window state (stats/streaming/window.ts), from version 3. */
  windowState: 0xd7, // "W"
  /** One numerical feature inside a window state (numerical-window.ts), from window version 3. */
  numericalWindow: 0xce, // "N"
  /** One categorical feature inside a window state (categorical-window.ts), from window version 3. */
  categoricalWindow: 0xc3, // "C"
} as const;

/** The ids the formats wrote before they had their own, all DataSketches' (see above): read, never written. */
export const LEGACY_FAMILY = {
  /** KLL serial version 1: DataSketches' KLL. */
  kll: 0x0f,
  /** HyperLogLog serial version 1: DataSketches' HLL. */
  hyperLogLog: 0x07,
  /** Window state versions 1 and 2: DataSketches' CPC. */
  windowState: 0x10,
  /** Numerical window in window versions 1 and 2: DataSketches' Alpha (theta). */
  numericalWindow: 0x01,
  /** Categorical window in window versions 1 and 2: DataSketches' QuickSelect (theta). */
  categoricalWindow: 0x02,
} as const;

/** "0x0F": a family byte as error messages and docs write it. */
export function familyHex(family: number): string {
  return `0x${family.toString(16).padStart(2, "0").toUpperCase()}`;
}
