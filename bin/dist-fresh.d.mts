// Types for bin/dist-fresh.mjs (plain JavaScript so the executable needs no compiler), for src/cli/bin-start.test.ts.
export declare function distIsFresh(root: URL, stamp: URL): boolean;
