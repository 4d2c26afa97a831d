#!/usr/bin/env node
const [major, minor] = process.versions.node.split(".").map(Number)
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(
    `rapport: needs Node.js 22.13 or later (for node:sqlite); this is ${process.version}. From the repository, run it as \`npx pnpm@12.4.2 rapport …\`, which uses the workspace's Node 24.\n`
  )
  process.exit(2)
}
await import("../dist/main.js")
