/**
 * The advising forms: raising a concern about a student, and assigning an advisor with the
 * suggestions (each with its reason) and the LCME 11.1 warning.
 *
 * @since 0.4.0
 */
import { useEffect, useState } from "react"
import { message } from "./AdvisingApi.js"
import * as Api from "./AdvisingApi.js"

export const RaiseConcern = ({ csrf }: { readonly csrf: string }) => {
  const [status, setStatus] = useState<string | undefined>(undefined)
  const [error, setError] = useState<string | undefined>(undefined)
  const [raised, setRaised] = useState<ReadonlyArray<Api.RaisedConcern>>([])
  const [version, setVersion] = useState(0)
  useEffect(() => {
    Api.read<{ concerns: ReadonlyArray<Api.RaisedConcern> }>("/v1/advising/concerns/raised").then(
      (answer) => setRaised(answer.concerns),
      (e: unknown) => setError(message(e))
    )
  }, [version])
  return (
    <section className="section" aria-labelledby="concern-title">
      <h2 id="concern-title">Raise a concern</h2>
      <form
        className="card"
        onSubmit={(event) => {
          event.preventDefault()
          const form = event.currentTarget
          const data = new FormData(form)
          const note = String(data.get("note") ?? "").trim()
          const studentId = String(data.get("studentId") ?? "").trim()
          setStatus(undefined)
          Api.write<{ ownerRole: string }>(csrf, `/v1/advising/students/${encodeURIComponent(studentId)}/concerns`, {
            category: String(data.get("category")),
            ...(note === "" ? {} : { note })
          }).then(
            (answer) => {
              setError(undefined)
              setStatus(
                `Your concern about ${studentId} went to ${(Api.roleLabels[answer.ownerRole] ?? answer.ownerRole).toLowerCase()}. You will see here when it is handled.`
              )
              form.reset()
              setVersion((v) => v + 1)
            },
            (e: unknown) => {
              setStatus(undefined)
              setError(message(e))
            }
          )
        }}
      >
        <label className="field">
          <span>Student id</span>
          <input name="studentId" required />
        </label>
        <label className="field">
          <span>Category</span>
          <select name="category" defaultValue="academic">
            {Api.categories.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Short note (optional)</span>
          <textarea name="note" maxLength={500} />
        </label>
        <button type="submit" className="button">
          Raise concern
        </button>
      </form>
      <p role="status" className="note">
        {status ?? ""}
      </p>
      {error === undefined ? null : <p className="form-error">{error}</p>}
      <h3>Concerns you raised</h3>
      {raised.length === 0 ? (
        <p className="note">None.</p>
      ) : (
        <ul className="raised">
          {raised.map((c) => (
            <li key={c.caseId} data-raised={c.caseId}>
              {c.category} concern about {c.studentId}, raised {c.raisedAt.slice(0, 10)}:{" "}
              <strong>{c.handled ? `handled on ${(c.handledAt ?? "").slice(0, 10)}` : "open"}</strong>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

export const AssignAdvisor = ({ csrf }: { readonly csrf: string }) => {
  const [studentId, setStudentId] = useState("")
  const [role, setRole] = useState("academic-counselor")
  const [facultyId, setFacultyId] = useState("")
  const [suggestions, setSuggestions] = useState<ReadonlyArray<Api.Suggestion> | undefined>(undefined)
  const [result, setResult] = useState<{ sentence: string; warnings: ReadonlyArray<string> } | undefined>(undefined)
  const [error, setError] = useState<string | undefined>(undefined)
  const base = `/v1/advising/students/${encodeURIComponent(studentId.trim())}`
  return (
    <section className="section" aria-labelledby="assign-title">
      <h2 id="assign-title">Assign an advisor</h2>
      <form
        className="card"
        onSubmit={(event) => {
          event.preventDefault()
          Api.write<{ previous: string | null; warnings: ReadonlyArray<string> }>(csrf, `${base}/mentors`, {
            role,
            facultyId: facultyId.trim()
          }).then(
            (answer) => {
              setError(undefined)
              setResult({
                sentence: `${facultyId.trim()} is now ${(Api.roleLabels[role] ?? role).toLowerCase()} of ${studentId.trim()}${answer.previous === null ? "" : ` (was ${answer.previous})`}.`,
                warnings: answer.warnings
              })
            },
            (e: unknown) => setError(message(e))
          )
        }}
      >
        <label className="field">
          <span>Student id</span>
          <input required value={studentId} onChange={(e) => setStudentId(e.target.value)} />
        </label>
        <label className="field">
          <span>Role</span>
          <select value={role} onChange={(e) => setRole(e.target.value)}>
            {["academic-counselor", "career-advisor", "research-mentor"].map((r) => (
              <option key={r} value={r}>
                {Api.roleLabels[r]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Faculty id</span>
          <input required value={facultyId} onChange={(e) => setFacultyId(e.target.value)} />
        </label>
        <button
          type="button"
          className="button secondary"
          disabled={studentId.trim() === ""}
          onClick={() =>
            Api.read<{ suggestions: ReadonlyArray<Api.Suggestion> }>(`${base}/suggestions?role=${role}`).then(
              (answer) => setSuggestions(answer.suggestions),
              (e: unknown) => setError(message(e))
            )
          }
        >
          Suggest
        </button>{" "}
        <button type="submit" className="button">
          Assign
        </button>
      </form>
      {suggestions === undefined ? null : (
        <ul className="suggestions" aria-label="Suggestions">
          {suggestions.length === 0 ? <li>Nobody has room in this role.</li> : null}
          {suggestions.map((s) => (
            <li key={s.facultyId}>
              <button type="button" className="button link" onClick={() => setFacultyId(s.facultyId)}>
                {s.facultyId}
              </button>
              : {s.reason}
            </li>
          ))}
        </ul>
      )}
      {error === undefined ? null : <p className="form-error">{error}</p>}
      {result === undefined ? null : (
        <div role="status">
          <p>{result.sentence}</p>
          {result.warnings.map((w) => (
            <p key={w} className="notice warning">
              Warning: {w}
            </p>
          ))}
        </div>
      )}
    </section>
  )
}
