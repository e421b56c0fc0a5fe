// npm run size: raw and gzip sizes of each bundle, and what an NPS survey with logic needs (loader + widget).
import { readdir, readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";

const dir = new URL("./dist/widget/v1/", import.meta.url);
const sizes = {};
for (const name of (await readdir(dir)).filter((n) => n.endsWith(".js")).sort()) {
  const bytes = await readFile(new URL(name, dir));
  sizes[name] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}
const kb = (n) => (n / 1024).toFixed(2) + " KB";
for (const [name, s] of Object.entries(sizes)) console.log(`${name.padEnd(10)} ${String(s.raw).padStart(6)} B raw  ${String(s.gzip).padStart(6)} B gzip (${kb(s.gzip)})`);
const nps = sizes["loader.js"].gzip + sizes["widget.js"].gzip;
console.log(`loader budget: ${sizes["loader.js"].gzip} B of 1536 B gzip`);
console.log(`NPS survey with logic (loader.js + widget.js): ${nps} B gzip (${kb(nps)}) of 12288 B`);
if (sizes["loader.js"].gzip > 1536 || nps > 12288) {
  console.error("over budget");
  process.exitCode = 1;
}
