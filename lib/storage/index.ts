export * from "./objects";
