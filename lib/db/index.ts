export * from "./client";
export { escapeLike } from "./like";
