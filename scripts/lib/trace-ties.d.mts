/** See trace-ties.mjs: -d=parsed text with runs of simultaneous events taken as sets. */
export function tieInsensitive(text: string): string;
/** The Go release (11–21) of a v1 trace's first bytes, else undefined. */
export function legacyTraceVersion(head: Uint8Array): number | undefined;
