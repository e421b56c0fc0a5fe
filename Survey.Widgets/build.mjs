// Builds the respondent-side bundles into dist/widget/v1/, which the API serves as /widget/v1/*:
//   loader.js  the one-line embed (classic script, tiny)
//   widget.js  the survey component, loaded on demand by the loader
//   page.js    the hosted survey page's module (/s/{token}, /s/p/{linkId})
import * as esbuild from "esbuild";
import { readFile, rm } from "node:fs/promises";

const out = new URL("./dist/widget/v1/", import.meta.url).pathname;

// CSS files are imported as minified text, to be adopted into the shadow root.
const cssText = {
  name: "css-text",
  setup(build) {
    build.onLoad({ filter: /\.css$/ }, async (args) => {
      const { code } = await esbuild.transform(await readFile(args.path, "utf8"), { loader: "css", minify: true });
      return { contents: `export default ${JSON.stringify(code.trim())};`, loader: "js" };
    });
  },
};

const common = { bundle: true, minify: true, target: ["es2020"], legalComments: "none", plugins: [cssText], logLevel: "warning" };

await rm(out, { recursive: true, force: true });
await Promise.all([
  esbuild.build({ ...common, entryPoints: ["src/loader.js"], outfile: out + "loader.js", format: "iife" }),
  esbuild.build({ ...common, entryPoints: ["src/widget.js"], outfile: out + "widget.js", format: "iife" }),
  esbuild.build({ ...common, entryPoints: ["src/page.js"], outfile: out + "page.js", format: "esm" }),
]);
console.log("built dist/widget/v1/loader.js, widget.js, page.js");
