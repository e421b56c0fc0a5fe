// Builds the respondent-side bundles into dist/, which the API serves under /widget/v1/.
// A shell for now: it copies the loader; the widget issue replaces this with an esbuild bundle.
import { mkdir, copyFile } from "node:fs/promises";

await mkdir(new URL("./dist/widget/v1/", import.meta.url), { recursive: true });
await copyFile(new URL("./src/loader.js", import.meta.url), new URL("./dist/widget/v1/loader.js", import.meta.url));
console.log("built dist/widget/v1/loader.js");
