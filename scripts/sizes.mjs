// Prints each file's size raw, gzip and brotli (as a server would send it), and their total.
// Usage: node scripts/sizes.mjs LABEL FILE...
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const [label, ...files] = process.argv.slice(2);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`.padStart(10);
const total = { raw: 0, gzip: 0, brotli: 0 };
console.log(`${label}\n  ${"file".padEnd(22)}${"raw".padStart(10)}${"gzip".padStart(10)}${"brotli".padStart(10)}`);
for (const file of files) {
  const data = readFileSync(file);
  const sizes = {
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
  for (const key of Object.keys(total)) total[key] += sizes[key];
  console.log(`  ${basename(file).replace(/^[0-9a-f]{40}-/, "").padEnd(22)}${kb(sizes.raw)}${kb(sizes.gzip)}${kb(sizes.brotli)}`);
}
console.log(`  ${"total".padEnd(22)}${kb(total.raw)}${kb(total.gzip)}${kb(total.brotli)}`);
