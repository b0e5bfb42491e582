export * from "./enqueue";
export { finishClaim, holdClaims, releaseHeldClaims, type HeldClaim } from "./claims";
export { drainInProcessJobs, unfinishedInProcessJobs, type JobsDrainResult } from "./drain";
