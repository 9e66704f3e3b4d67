/** Where every harness clock starts (a Thursday morning in the hall's time zone). */
export const START = Date.parse('2026-11-26T01:00:00Z');
