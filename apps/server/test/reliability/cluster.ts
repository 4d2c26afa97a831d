/**
 * A private PostgreSQL cluster for tests that stop and start the server: `initdb` in a
 * temporary folder, `pg_ctl` on a free port, listening on 127.0.0.1 only, removed
 * afterwards. The shared server on 5432 is never touched. PostgreSQL refuses to run as
 * root, so under root the binaries run as the `postgres` user (`runuser`).
 */
import { execFileSync } from "node:child_process"
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir, userInfo } from "node:os"
import { join } from "node:path"

/** The folder of initdb and pg_ctl (the newest version installed), or why there is none. */
export const postgresBin = (): { readonly bin: string } | { readonly reason: string } => {
  const root = "/usr/lib/postgresql"
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : []
  const version = versions[0]
  if (version === undefined) return { reason: `no initdb under ${root}/*/bin (install postgresql)` }
  if (userInfo().uid === 0) {
    try {
      execFileSync("id", ["-u", "postgres"], { stdio: "ignore" })
    } catch {
      return { reason: "running as root and there is no postgres user to run the cluster as" }
    }
  }
  return { bin: join(root, version, "bin") }
}

const freePort = (): Promise<number> =>
  new Promise((done, fail) => {
    const server = createServer()
    server.once("error", fail)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => done(port))
    })
  })

export interface Cluster {
  readonly port: number
  /** a URL of database `name` on this cluster */
  readonly url: (name?: string) => string
  readonly start: () => void
  /** `pg_ctl stop`: `immediate` is a crash of the server processes (recovery on the next start) */
  readonly stop: (mode?: "fast" | "immediate") => void
  readonly remove: () => void
}

export const startCluster = async (bin: string): Promise<Cluster> => {
  const folder = mkdtempSync(join(tmpdir(), "rapport-pg-"))
  const asRoot = userInfo().uid === 0
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim())
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim())
    chownSync(folder, uid, gid)
  }
  const exec = (program: string, args: ReadonlyArray<string>) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", join(bin, program), ...args], { stdio: "pipe" })
      : execFileSync(join(bin, program), [...args], { stdio: "pipe" })
  const data = join(folder, "data")
  const port = await freePort()
  exec("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c max_connections=60`
  const start = () => {
    exec("pg_ctl", ["-D", data, "-l", join(folder, "log"), "-o", options, "-w", "-t", "60", "start"])
  }
  const stop = (mode: "fast" | "immediate" = "fast") => {
    exec("pg_ctl", ["-D", data, "-m", mode, "-w", "-t", "60", "stop"])
  }
  start()
  return {
    port,
    url: (name = "postgres") => `postgres://postgres@127.0.0.1:${port}/${name}`,
    start,
    stop,
    remove: () => {
      try {
        stop("immediate")
      } catch {
        // already stopped
      }
      rmSync(folder, { recursive: true, force: true })
    }
  }
}
