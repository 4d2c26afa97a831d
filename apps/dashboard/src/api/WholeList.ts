/**
 * A whole filtered list, for its export: the list API's pages read one after another at
 * the largest page size it allows, with the same filters and sort as the screen, until the
 * total it answered is reached. The rows are the API's, in the API's order.
 *
 * (A server route streaming the list as CSV can replace this; until then the export is the
 * same list the API pages through.)
 *
 * It must never change a filter, nor return a row twice when the list moves under it.
 *
 * @since 0.4.0
 */
import * as Client from "./Client.js"

/** the largest page the list routes answer */
const pageSize = 200

interface Page<Row> {
  readonly total: number
  readonly rows: ReadonlyArray<Row>
}

/**
 * Every row of the list at `url` (a list route with its query; `page` and `pageSize` are
 * replaced), deduplicated by `key`.
 *
 * @since 0.4.0
 * @category requests
 */
export const load = async <Row>(url: string, key: (row: Row) => string): Promise<ReadonlyArray<Row>> => {
  const [path, search] = url.split("?", 2)
  const params = new URLSearchParams(search ?? "")
  params.set("pageSize", String(pageSize))
  const rows: Array<Row> = []
  const seen = new Set<string>()
  for (let page = 1; ; page++) {
    params.set("page", String(page))
    const answer = await Client.getJson<Page<Row>>(`${path}?${params.toString()}`)
    for (const row of answer.rows) {
      const id = key(row)
      if (seen.has(id)) continue
      seen.add(id)
      rows.push(row)
    }
    if (answer.rows.length < pageSize || page * pageSize >= answer.total) return rows
  }
}
