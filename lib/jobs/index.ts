export * from "./enqueue";
export { finishClaim, heldClaims, holdClaim, type HeldClaim } from "./claims";
export { drainInProcessJobs, unfinishedInProcessJobs, type JobsDrainResult } from "./drain";
