// The API sends times as ISO 8601 with the hall's offset (2026-11-27T10:00:00.000+08:00): the
// wall-clock parts are read straight off the string, so pages show hall time on any device.
export const timeOf = (iso: string) => iso.slice(11, 16);
export const dateOf = (iso: string) => iso.slice(0, 10);
export const dateTimeOf = (iso: string) => `${dateOf(iso)} ${timeOf(iso)}`;

/** Fen (1/100 yuan) → "12.50". */
export const yuan = (fen: number) => (fen / 100).toFixed(fen % 100 === 0 ? 0 : 2);
