/**
 * The people whose display name matches a search (every word somewhere in the name, any
 * case), from the school's directory, as links to their pages: the lists themselves filter
 * by id prefix, so a name typed into their search box is found here. Only for sessions that
 * may see individuals (the route answers 403 to the others).
 *
 * @since 0.4.0
 */
import { Link } from "react-router"
import * as Client from "../api/Client.js"
import { useResource } from "../api/useResource.js"

interface Match {
  readonly kind: "student" | "faculty"
  readonly id: string
  readonly displayName: string | null
}

/**
 * @since 0.4.0
 * @category components
 */
export const NameMatches = ({ kind, q }: { readonly kind: "student" | "faculty"; readonly q: string }) => {
  const url = q.trim() === "" ? null : Client.withQuery(Client.routes.directorySearch, { kind, q: q.trim(), limit: 20 })
  const matches = useResource<{ readonly matches: ReadonlyArray<Match> }>(url)
  if (url === null || matches.status !== "ready") return null
  const named = matches.data.matches.filter((m) => m.displayName !== null)
  const who = kind === "student" ? "Students" : "Faculty members"
  return (
    <section className="card name-matches" aria-labelledby={`${kind}-name-matches`} data-name-matches={named.length}>
      <h2 id={`${kind}-name-matches`}>
        {who} whose name matches “{q.trim()}”
      </h2>
      {named.length === 0 ? (
        <p className="note">No name in the directory matches. The list below matches ids that start with it.</p>
      ) : (
        <ul className="match-list">
          {named.map((m) => (
            <li key={m.id}>
              <Link
                to={`/${kind === "student" ? "students" : "faculty"}/${encodeURIComponent(m.id)}`}
                data-person={m.id}
              >
                {m.displayName}
              </Link>{" "}
              <span className="muted">({m.id})</span>
            </li>
          ))}
        </ul>
      )}
      {named.length === 20 ? <p className="note">The first 20 matches; type more of the name to narrow them.</p> : null}
    </section>
  )
}
