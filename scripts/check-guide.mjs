// docs/library.md as a tool author meets it (issue #21). Run by the README's test command
// after the build:
//
// 1. packs every published package and checks each tarball: README and LICENSE inside,
//    `effect` a peer dependency with a range (never a dependency), no workspace protocol left;
// 2. in a fresh project, runs the guide's own install line (the packed @rapport/core instead
//    of the registry's, `effect` from the npm registry) and checks that one copy of effect
//    is installed;
// 3. type-checks the guide's ```ts blocks with `moduleResolution` `nodenext` and `bundler`,
//    runs them as plain JavaScript on the machine's Node 20 and the workspace's Node 24
//    (and as TypeScript on Node 24), and compares what they print with the ```text blocks;
// 4. bundles `import { Tier }` and `import { Decode }` for the browser with esbuild
//    (minified, then gzip), prints the sizes and fails over the targets or on a broken import;
// 5. runs the packed @rapport/simulator's CLI on Node 20 (it promises Node 20.19 like core).
//
// Usage: node scripts/check-guide.mjs [--keep] (keep the temporary project and print its path).
import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import { build } from "esbuild"
import ts from "typescript"

const root = fileURLToPath(new URL("..", import.meta.url))
const published = [
  "core",
  "event-store",
  "event-store-sqlite",
  "event-store-postgres",
  "event-store-eventstoredb",
  "analytics",
  "simulator"
]
const targets = { Tier: 5 * 1024, Decode: 40 * 1024 }
const keep = process.argv.includes("--keep")
const started = Date.now()
const failures = []

const fail = (message) => {
  failures.push(message)
  console.error(`check-guide: FAIL ${message}`)
}
const step = (message) => console.log(`check-guide: ${message} (${((Date.now() - started) / 1000).toFixed(1)} s)`)

const run = (command, args, options = {}) => {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options })
  if (result.error !== undefined) throw result.error
  return result
}
const runOrThrow = (command, args, options = {}) => {
  const result = run(command, args, options)
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.status}\n${result.stdout}\n${result.stderr}`)
  }
  return result.stdout
}

// --- Node binaries: the machine's Node 20 (core promises 20.19+) and the workspace's Node 24.
const versionOf = (binary) => {
  const result = spawnSync(binary, ["--version"], { encoding: "utf8" })
  return result.status === 0 ? result.stdout.trim() : undefined
}
const findNode = (major, candidates) => {
  for (const candidate of candidates) {
    if (candidate === undefined || !existsSync(candidate)) continue
    const version = versionOf(candidate)
    if (version?.startsWith(`v${major}.`)) return { binary: candidate, version }
  }
  return undefined
}
const node20 = findNode(20, [process.env.RAPPORT_NODE20, "/usr/bin/node", "/usr/local/bin/node"])
const node24 = findNode(24, [join(root, "node_modules/.bin/node"), process.execPath])
const nodes = [node20, node24].filter((node) => node !== undefined)
if (node20 === undefined) {
  const message = "no Node 20 found (set RAPPORT_NODE20 to its binary)"
  if (process.env.CI === "true") fail(message)
  else console.warn(`check-guide: skipping Node 20: ${message}`)
}
if (node24 === undefined) fail("no Node 24 found (the workspace's node devDependency)")

// --- 1. Pack and inspect the tarballs.
const work = mkdtempSync(join(tmpdir(), "rapport-guide-"))
const packs = join(work, "packs")
mkdirSync(packs)
for (const name of published) {
  runOrThrow("npx", ["-y", "pnpm@12.4.2", "pack", "--pack-destination", packs], { cwd: join(root, "packages", name) })
}
const tarballs = new Map(
  readdirSync(packs).map((file) => [
    file.replace(/^rapport-/, "").replace(/-\d+\.\d+\.\d+.*\.tgz$/, ""),
    join(packs, file)
  ])
)
step(`packed ${[...tarballs.keys()].join(", ")}`)
for (const name of published) {
  const tarball = tarballs.get(name)
  if (tarball === undefined) {
    fail(`@rapport/${name} was not packed`)
    continue
  }
  const files = runOrThrow("tar", ["-tzf", tarball]).split("\n")
  for (const required of ["package/README.md", "package/LICENSE", "package/package.json"]) {
    if (!files.includes(required)) fail(`@rapport/${name}'s tarball has no ${required.slice("package/".length)}`)
  }
  const manifest = JSON.parse(runOrThrow("tar", ["-xzOf", tarball, "package/package.json"]))
  if (manifest.dependencies?.effect !== undefined) fail(`@rapport/${name} depends on effect instead of a peer range`)
  if (!/^\^4\.\d+\.\d+$/.test(manifest.peerDependencies?.effect ?? "")) {
    fail(`@rapport/${name} has no peer range on effect 4 (${manifest.peerDependencies?.effect})`)
  }
  if (/"(workspace|catalog):/.test(JSON.stringify(manifest)))
    fail(`@rapport/${name}'s manifest kept workspace: or catalog:`)
  if (manifest.engines?.node === undefined) fail(`@rapport/${name} says no engines.node`)
}

// --- 2. A fresh project, installed with the guide's own line.
const guide = readFileSync(join(root, "docs/library.md"), "utf8")
const blocks = (language) =>
  [...guide.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, "g"))].map((match) => match[1] ?? "")
const installLine = blocks("sh")[0]?.trim()
if (installLine !== "npm install @rapport/core effect") fail(`the guide's install line changed: ${installLine}`)
const project = join(work, "tool")
mkdirSync(project)
writeFileSync(join(project, "package.json"), `${JSON.stringify({ name: "tool", private: true, type: "module" })}\n`)
const install = (installLine ?? "npm install @rapport/core effect")
  .split(/\s+/)
  .map((word) => (word === "@rapport/core" ? tarballs.get("core") : word))
runOrThrow(install[0], [...install.slice(1), "--no-audit", "--no-fund", "--loglevel=error"], { cwd: project })
const effectCopies = runOrThrow("npm", ["ls", "effect", "--all", "--parseable"], { cwd: project })
  .split("\n")
  .filter((line) => line.trim() !== "")
const effectVersion = JSON.parse(readFileSync(join(project, "node_modules/effect/package.json"), "utf8")).version
if (effectCopies.length !== 1)
  fail(`the install line gave ${effectCopies.length} copies of effect:\n${effectCopies.join("\n")}`)
step(`installed the packed @rapport/core with effect ${effectVersion} from the registry (${effectCopies.length} copy)`)

// --- 3. The guide's code: type-checked, then run.
const code = blocks("ts").join("\n")
const expected = `${blocks("text").join("").trimEnd()}\n`
writeFileSync(join(project, "guide.ts"), code)
const tsc = join(root, "node_modules/typescript/bin/tsc")
const common = { target: "es2022", lib: ["es2022", "dom"], strict: true, noEmit: true, skipLibCheck: false }
for (const [resolution, moduleKind] of [
  ["nodenext", "nodenext"],
  ["bundler", "esnext"]
]) {
  const config = `tsconfig.${resolution}.json`
  writeFileSync(
    join(project, config),
    JSON.stringify({
      compilerOptions: { ...common, module: moduleKind, moduleResolution: resolution },
      files: ["guide.ts"]
    })
  )
  const result = run(process.execPath, [tsc, "-p", config], { cwd: project })
  if (result.status !== 0) fail(`tsc with moduleResolution ${resolution}:\n${result.stdout}${result.stderr}`)
  else step(`tsc with moduleResolution ${resolution}: 0 errors`)
}
const js = ts.transpileModule(code, {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true }
}).outputText
writeFileSync(join(project, "guide.mjs"), js)
const runs = nodes.map((node) => ({ node, file: "guide.mjs", what: "plain JavaScript" }))
if (node24 !== undefined) runs.push({ node: node24, file: "guide.ts", what: "TypeScript (type stripping)" })
for (const { node, file, what } of runs) {
  const result = run(node.binary, [file], { cwd: project })
  if (result.status !== 0)
    fail(`the guide as ${what} on Node ${node.version} exited ${result.status}:\n${result.stderr}`)
  else if (result.stdout !== expected) {
    fail(`the guide as ${what} on Node ${node.version} printed\n${result.stdout}\ninstead of\n${expected}`)
  } else step(`the guide as ${what} on Node ${node.version} prints what the guide says`)
}

// --- 4. What a browser bundle of one namespace weighs.
for (const [name, limit] of Object.entries(targets)) {
  try {
    const out = await build({
      stdin: { contents: `import { ${name} } from "@rapport/core"\nexport default ${name}\n`, resolveDir: project },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      logLevel: "silent"
    })
    const bytes = out.outputFiles[0]?.contents ?? new Uint8Array()
    const gzip = gzipSync(bytes, { level: 9 }).length
    const line = `import { ${name} }: ${(bytes.length / 1024).toFixed(1)} KB minified, ${(gzip / 1024).toFixed(1)} KB gzip (target < ${limit / 1024} KB gzip)`
    if (gzip >= limit) fail(line)
    else step(line)
  } catch (error) {
    fail(`bundling import { ${name} } failed: ${error.message}`)
  }
}

// --- 5. @rapport/simulator promises Node 20.19 too: its CLI from the tarball, on Node 20.
if (node20 !== undefined) {
  runOrThrow("npm", ["install", tarballs.get("simulator"), "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: project
  })
  const simulate = run(node20.binary, ["node_modules/@rapport/simulator/bin/simulate.mjs", "--size", "tiny"], {
    cwd: project
  })
  const lines = simulate.stdout.split("\n").filter((line) => line.startsWith("{")).length
  if (simulate.status !== 0 || lines === 0) {
    fail(`the packed simulator on Node ${node20.version} exited ${simulate.status}:\n${simulate.stderr}`)
  } else step(`the packed simulator on Node ${node20.version} wrote ${lines} events`)
}

if (keep) console.log(`check-guide: the project is kept at ${project}`)
else rmSync(work, { recursive: true, force: true })
if (failures.length > 0) {
  console.error(`check-guide: ${failures.length} failure(s)`)
  process.exit(1)
}
step("docs/library.md installs, type-checks and runs as written")
