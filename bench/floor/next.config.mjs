import path from "node:path";

/** Only what building inside the repository needs: the workspace root, where `next` is installed. */
const config = {
  turbopack: { root: path.resolve(import.meta.dirname, "../..") },
};

export default config;
