import { describe, expect, it } from "vitest"
import * as Thread from "../src/thread.js"

type Reply = { readonly _tag: "Text"; readonly text: string } | { readonly _tag: "Gone"; readonly reason: string }

const isAnswer = (message: unknown): message is { readonly id: number; readonly text: string } =>
  typeof message === "object" && message !== null && "id" in message && "text" in message

const echo = (prefix: string, onExit: (reason: string) => void = () => undefined) => {
  const client: Thread.Client<Reply> = Thread.client<Reply>({
    name: "echo",
    entry: "EchoEntry",
    from: new URL("./fixtures/thread.ts", import.meta.url).href,
    settings: { prefix },
    onMessage: (message) => {
      if (isAnswer(message)) client.answer(message.id, { _tag: "Text", text: message.text })
    },
    gone: (reason) => ({ _tag: "Gone", reason }),
    onExit
  })
  const ask = (kind: "echo" | "exit" | "hang", text = "") =>
    new Promise<Reply>((resolve) => client.call((id) => ({ id, kind, text }), resolve))
  return { client, ask }
}

describe("thread", () => {
  it("runs an entry from source with its settings and answers each call by id", async () => {
    const { client, ask } = echo("> ")
    expect(client.running()).toBe(false)
    expect(client.waiting()).toBe(0)
    const asked = [ask("echo", "one"), ask("echo", "two")]
    expect(client.waiting()).toBe(2)
    const replies = await Promise.all(asked)
    expect(client.waiting()).toBe(0)
    expect(replies).toEqual([
      { _tag: "Text", text: "> one" },
      { _tag: "Text", text: "> two" }
    ])
    expect(client.running()).toBe(true)
    await client.terminate()
    expect(client.running()).toBe(false)
  })

  it("answers every waiting call when the thread exits, and starts a new one for the next call", async () => {
    const exits: Array<string> = []
    const { client, ask } = echo("", (reason) => exits.push(reason))
    const waiting = ask("hang")
    const exiting = ask("exit")
    expect(client.waiting()).toBe(2)
    expect(await waiting).toEqual({ _tag: "Gone", reason: "the echo thread exited (code 3)" })
    expect(await exiting).toEqual({ _tag: "Gone", reason: "the echo thread exited (code 3)" })
    expect(exits).toEqual(["the echo thread exited (code 3)"])
    expect(client.waiting()).toBe(0)
    expect(await ask("echo", "again")).toEqual({ _tag: "Text", text: "again" })
    await client.terminate()
  })

  it("answers the calls still waiting when it is terminated, and throws what cannot be posted", async () => {
    const exits: Array<string> = []
    const { client, ask } = echo("", (reason) => exits.push(reason))
    const waiting = ask("hang")
    expect(() =>
      client.call(
        () => ({ id: 0, kind: "echo", text: () => "a function" }),
        () => undefined
      )
    ).toThrow()
    expect(client.waiting()).toBe(1)
    await client.terminate()
    expect(client.waiting()).toBe(0)
    expect(await waiting).toEqual({ _tag: "Gone", reason: "the echo thread was stopped" })
    // a terminated thread is not an exit the caller is told of
    expect(exits).toEqual([])
  })

  it("gives no entry outside a thread", () => {
    expect(Thread.entry()).toBeUndefined()
    expect(Thread.reason(new Error("no"))).toBe("no")
    expect(Thread.reason(42)).toBe("42")
  })
})
