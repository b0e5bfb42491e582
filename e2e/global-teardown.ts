import fs from "node:fs";
import { e2eRunDir } from "../playwright.config";

/** Removes this run's embedded database (see PGLITE_DATA_DIR in playwright.config.ts). */
export default function globalTeardown() {
  fs.rmSync(e2eRunDir, { recursive: true, force: true });
}
