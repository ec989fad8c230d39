// Types for sources-unchanged.mjs (plain JavaScript: bin/domsec.mjs runs it before anything is compiled).
export declare function sourcesUnchanged(dir: string, mtimes: Record<string, number>): boolean;
export declare function recordSources(dir: string, files: readonly string[]): Record<string, number>;
