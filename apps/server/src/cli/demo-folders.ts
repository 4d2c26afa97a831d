/**
 * `rapport demo list` and `rapport demo remove <name | all>`: the folders `rapport demo`
 * leaves under `.rapport/` (DemoFolders.ts), with their sizes, and deleting them.
 *
 * @since 0.4.0
 */
import * as DemoFolders from "./DemoFolders.js"

const megabytes = (bytes: number): string => `${Math.round(bytes / 1e6).toLocaleString("en-US")} MB`

const describe = (folder: DemoFolders.DemoFolder): string =>
  [
    folder.name,
    folder.record === undefined
      ? "load not finished"
      : `${folder.record.size} school, loaded ${folder.record.loadedAt.slice(0, 16).replace("T", " ")} UTC`,
    megabytes(folder.bytes),
    ...(folder.servingPid === undefined ? [] : [`serving (process ${folder.servingPid})`])
  ].join("  ·  ")

/**
 * @since 0.4.0
 * @category commands
 */
export const list = async (input: { readonly out: (line: string) => void }): Promise<number> => {
  const folders = DemoFolders.list()
  if (folders.length === 0) {
    input.out(`No demo folders under ${DemoFolders.root}/.`)
    return 0
  }
  for (const folder of folders) input.out(describe(folder))
  const total = folders.reduce((sum, folder) => sum + folder.bytes, 0)
  input.out(
    `${folders.length} demo ${folders.length === 1 ? "folder" : "folders"}, ${megabytes(total)} in ${DemoFolders.root}/. Reopen the newest with \`rapport demo --reuse\`; delete one with \`rapport demo remove <name>\`, or \`rapport demo remove all\`.`
  )
  return 0
}

/**
 * @since 0.4.0
 * @category commands
 */
export const remove = async (input: {
  readonly args: readonly [string]
  readonly out: (line: string) => void
}): Promise<number> => {
  const [name] = input.args
  const all = name === "all"
  const removed = DemoFolders.remove(all ? [] : [name], { all })
  for (const folder of removed) input.out(`Removed ${folder.name} (${megabytes(folder.bytes)}).`)
  if (all) {
    const left = DemoFolders.list().filter((folder) => folder.servingPid !== undefined)
    for (const folder of left) input.out(`Kept ${folder.name}: a demo serves from it (process ${folder.servingPid}).`)
    if (removed.length === 0 && left.length === 0) input.out(`No demo folders under ${DemoFolders.root}/.`)
  }
  return 0
}
