/**
 * When requests of a window are bound by their entry count, not their bytes: `maxEntries` entries
 * of the window's largest size still fit a request's `room` (its bytes less the request overhead).
 * Then input order packs as tightly as any order: the packer skips its sort (Packing.ts), and the
 * intake reads a shallow window (IntakeWindow.ts). One rule, so the two never disagree.
 */
export const boundByCount = (maxEntries: number, room: number, largestBytes: number): boolean =>
  largestBytes * maxEntries <= room
