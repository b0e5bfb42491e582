// Stands in for the `server-only` package outside Next (Vitest, scripts): Next
// itself makes a client bundle that imports it fail to build.
export {};
