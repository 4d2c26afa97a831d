/**
 * A port already taken (another program on 3000, say) stops `rapport serve` with one
 * sentence and exit code 2, like every wrong setting, not with a stack trace, and leaves
 * nothing running behind it.
 */
import { createServer, type Server } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ensureBuilt, rapport, tempDir } from "./cli.js"

const folder = tempDir()
let taken: Server

beforeAll(async () => {
  await ensureBuilt()
  taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve))
}, 120_000)

afterAll(async () => {
  await new Promise((resolve) => taken.close(resolve))
  folder.remove()
})

describe("rapport serve on a port in use", () => {
  it("says so in one sentence, exits 2 and leaves nothing running", async () => {
    const address = taken.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    const result = await rapport(["serve", "--db", `${folder.path}/rapport.db`, "--port", String(port)])
    expect(result.code, result.stderr).toBe(2)
    expect(result.stderr).toBe(
      `rapport: port ${port} on 127.0.0.1 is in use: choose another with --port or PORT (0: any free port).\n`
    )
    expect(result.stdout).toBe("")
  }, 60_000)
})
