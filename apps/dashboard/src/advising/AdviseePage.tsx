/**
 * An advisee's page for an advisor (`advising`): the student's relationships with the
 * reason each tier is what it is, whether they are isolated, and their advising file
 * (advisors by role, the cases the advisor handles). The server answers only for the
 * advisor's own advisees and logs every view; anyone else is "not found".
 *
 * @since 0.4.0
 */
import { useEffect, useState } from "react"
import { Link, useParams } from "react-router"
import { isApiError } from "../api/Client.js"
import * as Api from "./AdvisingApi.js"

interface Page {
  readonly studentId: string
  readonly displayName: string | null
  readonly graduationYear: number | null
  readonly summary: { readonly isolated: boolean; readonly daysSinceLastContact: number | null }
  readonly relationships: ReadonlyArray<{
    readonly facultyId: string
    readonly displayName: string | null
    readonly tier: string
    readonly score: number
    readonly explanation: { readonly missingDimensions: ReadonlyArray<string>; readonly lastContactAt: string | null }
  }>
}

interface File {
  readonly advisors: Readonly<Record<string, string>>
  readonly cases: ReadonlyArray<Api.CaseSummary & { readonly state: string }>
}

/**
 * @since 0.4.0
 * @category views
 */
export const AdviseePage = () => {
  const { id = "" } = useParams()
  const [page, setPage] = useState<Page | undefined>(undefined)
  const [file, setFile] = useState<File | undefined>(undefined)
  const [error, setError] = useState<string | undefined>(undefined)
  useEffect(() => {
    const base = `/v1/advising/students/${encodeURIComponent(id)}`
    Promise.all([Api.read<Page>(`${base}/page`), Api.read<File>(base)]).then(
      ([p, f]) => {
        setPage(p)
        setFile(f)
      },
      (e: unknown) => setError(isApiError(e) ? e.detail || e.title : String(e))
    )
  }, [id])
  if (error !== undefined)
    return (
      <div className="state error">
        <h1>{id}</h1>
        <p>{error}</p>
        <Link to="/advising">Back to advising</Link>
      </div>
    )
  if (page === undefined || file === undefined) return <p className="state loading">Loading {id}…</p>
  return (
    <div className="view advisee">
      <h1>{page.displayName ?? page.studentId}</h1>
      <p>
        <Link to="/advising">Back to advising</Link>
        {page.graduationYear === null ? null : <> · class of {page.graduationYear}</>}
        {page.summary.isolated ? <strong> · no developing-or-better faculty relationship</strong> : null}
      </p>
      <section className="section" aria-labelledby="advisors-title">
        <h2 id="advisors-title">Advisors</h2>
        <ul>
          {Object.entries(file.advisors).map(([role, facultyId]) => (
            <li key={role}>
              {Api.roleLabels[role] ?? role}: {facultyId}
            </li>
          ))}
          {Object.keys(file.advisors).length === 0 ? <li>None assigned.</li> : null}
        </ul>
      </section>
      <section className="section" aria-labelledby="relationships-title">
        <h2 id="relationships-title">Relationships</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Faculty</th>
              <th scope="col">Tier</th>
              <th scope="col">Score</th>
              <th scope="col">Missing</th>
              <th scope="col">Last contact</th>
            </tr>
          </thead>
          <tbody>
            {page.relationships.map((r) => (
              <tr key={r.facultyId}>
                <td>{r.displayName ?? r.facultyId}</td>
                <td>{r.tier}</td>
                <td>{Math.round(r.score)}</td>
                <td>{r.explanation.missingDimensions.join(", ") || "—"}</td>
                <td>{r.explanation.lastContactAt?.slice(0, 10) ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {file.cases.length === 0 ? null : (
        <section className="section" aria-labelledby="cases-title">
          <h2 id="cases-title">Cases you handle</h2>
          <ul>
            {file.cases.map((c) => (
              <li key={c.caseId}>
                {c.category} concern raised {c.raisedAt.slice(0, 10)}: {c.state}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  )
}
