import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import postgres from "postgres"
import { describe, expect, it } from "vitest"
import { attempt, classify, Retryable } from "../../src/internal/Failure.js"

/** a PostgresError as postgres.js builds it from a server ErrorResponse */
const serverError = (code: string): Error => Object.assign(new postgres.PostgresError(`server said ${code}`), { code })
const clientError = (code: string): Error => Object.assign(new Error(`client said ${code}`), { code })

describe("Failure.classify", () => {
  it("calls the server or the network unavailable", () => {
    for (const code of [
      "08006",
      "28P01",
      "3D000",
      "53300",
      "57P01",
      "57014",
      "58030",
      "XX000",
      "55P03",
      "25006",
      "42P01"
    ]) {
      expect(classify(serverError(code))._tag, code).toBe("Unavailable")
    }
    for (const code of [
      "ECONNREFUSED",
      "ECONNRESET",
      "CONNECT_TIMEOUT",
      "CONNECTION_CLOSED",
      "CONNECTION_ENDED",
      "ENOTFOUND"
    ]) {
      expect(classify(clientError(code))._tag, code).toBe("Unavailable")
    }
    expect(classify(new AggregateError([clientError("ECONNREFUSED")]))._tag).toBe("Unavailable")
  })

  it("tells a full disk (53100) from other outages", async () => {
    expect(classify(serverError("53100"))).toMatchObject({ _tag: "Unavailable", outOfSpace: true })
    expect(classify(serverError("53300"))).not.toHaveProperty("outOfSpace")
    const full = await Effect.runPromise(Effect.flip(attempt(() => Promise.reject(serverError("53100")))))
    expect(full).toMatchObject({ _tag: "StoreUnavailable", outOfSpace: true })
    const down = await Effect.runPromise(Effect.flip(attempt(() => Promise.reject(clientError("ECONNREFUSED")))))
    expect(down).toMatchObject({ _tag: "StoreUnavailable" })
    expect(down).not.toHaveProperty("outOfSpace", true)
  })

  it("retries races between writers: unique violations, deadlocks, serialization failures", () => {
    for (const code of ["23505", "40P01", "40001"]) expect(classify(serverError(code))._tag, code).toBe("Retry")
    expect(classify(new Retryable("stale lookup"))._tag).toBe("Retry")
  })

  it("keeps everything else a defect: a bug must not pass for an outage", () => {
    for (const code of ["42601", "22P02", "23502", "42883"])
      expect(classify(serverError(code))._tag, code).toBe("Defect")
    expect(classify(clientError("UNDEFINED_VALUE"))._tag).toBe("Defect")
    expect(classify(new TypeError("x is not a function"))._tag).toBe("Defect")
  })

  it("attempt maps the three fates onto StoreUnavailable, Retryable and a defect", async () => {
    const unavailable = await Effect.runPromiseExit(attempt(() => Promise.reject(clientError("ECONNREFUSED"))))
    expect(Exit.isFailure(unavailable) && Exit.hasFails(unavailable)).toBe(true)
    const retry = await Effect.runPromise(Effect.flip(attempt(() => Promise.reject(serverError("23505")))))
    expect(retry).toBeInstanceOf(Retryable)
    const defect = await Effect.runPromiseExit(attempt(() => Promise.reject(serverError("42601"))))
    expect(Exit.hasDies(defect)).toBe(true)
  })
})
