/**
 * The advising view: the worklist (the dean's office: the whole school; an advisor: their
 * caseload and their cases), acting on it (open a case, add a note, close it; dismiss or
 * snooze a follow-up with a reason, or mark it done), raising a concern, the concerns one
 * raised (handled or not, never more), assigning an advisor with suggestions and the LCME
 * 11.1 warning, and the dean's list of conflicting pairs. What a section offers follows the
 * session's scopes, so that no request is made that the server would refuse.
 *
 * No action here is contact: nothing on this page changes a score, a tier or isolation.
 *
 * @since 0.4.0
 */
import { type FormEvent, useCallback, useEffect, useState } from "react"
import { Link } from "react-router"
import { useSignedIn } from "../api/SessionContext.js"
import * as Api from "./AdvisingApi.js"
import { message } from "./AdvisingApi.js"
import { AssignAdvisor, RaiseConcern } from "./AdvisingForms.js"

const FollowUpRow = ({
  studentId,
  followUp,
  act
}: {
  readonly studentId: string
  readonly followUp: Api.FollowUp
  readonly act: (studentId: string, followUpId: string, body: unknown) => Promise<void>
}) => {
  const [mode, setMode] = useState<"dismiss" | "snooze" | undefined>(undefined)
  const [reason, setReason] = useState("")
  const [until, setUntil] = useState("")
  const label = `${followUp.ruleId} for ${studentId}`
  return (
    <li className="follow-up" data-follow-up={followUp.followUpId}>
      <span>
        {followUp.sentence}
        {followUp.overdue ? <strong> (overdue)</strong> : null}
      </span>{" "}
      {mode === undefined ? (
        <span className="actions">
          <button
            type="button"
            className="button link"
            onClick={() => setMode("dismiss")}
            aria-label={`Dismiss ${label}`}
          >
            Dismiss
          </button>
          <button
            type="button"
            className="button link"
            onClick={() => setMode("snooze")}
            aria-label={`Snooze ${label}`}
          >
            Snooze
          </button>
          <button
            type="button"
            className="button link"
            onClick={() => act(studentId, followUp.followUpId, { action: "done" })}
            aria-label={`Mark done ${label}`}
          >
            Mark done
          </button>
        </span>
      ) : (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault()
            act(studentId, followUp.followUpId, {
              action: mode,
              reason,
              ...(mode === "snooze" ? { until } : {})
            })
          }}
        >
          <label className="field">
            <span>Reason</span>
            <input required value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
          </label>
          {mode === "snooze" ? (
            <label className="field">
              <span>Until</span>
              <input required type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
            </label>
          ) : null}
          <button type="submit" className="button">
            {mode === "dismiss" ? "Dismiss it" : "Snooze it"}
          </button>
          <button type="button" className="button secondary" onClick={() => setMode(undefined)}>
            Cancel
          </button>
        </form>
      )}
    </li>
  )
}

/** A case with its notes: read (the server logs the read), add a note, close. */
const CasePanel = ({
  studentId,
  caseId,
  csrf,
  onChanged
}: {
  readonly studentId: string
  readonly caseId: string
  readonly csrf: string
  readonly onChanged: (sentence: string) => void
}) => {
  const [detail, setDetail] = useState<Api.CaseDetail | undefined>(undefined)
  const [text, setText] = useState("")
  const [error, setError] = useState<string | undefined>(undefined)
  const path = `/v1/advising/students/${encodeURIComponent(studentId)}/cases/${encodeURIComponent(caseId)}`
  const load = useCallback(() => {
    Api.read<Api.CaseDetail>(path).then(setDetail, (e: unknown) => setError(message(e)))
  }, [path])
  useEffect(load, [load])
  if (error !== undefined) return <p className="form-error">{error}</p>
  if (detail === undefined) return <p className="note">Loading the case…</p>
  return (
    <section className="card case" aria-label={`Case ${caseId}`}>
      <h3>
        {detail.category} concern about {studentId} — {detail.state}
      </h3>
      <p>
        Raised by {detail.raisedBy} on {detail.raisedAt.slice(0, 10)}
        {detail.concernNote === null ? "." : `: “${detail.concernNote}”`}
      </p>
      <ol className="notes">
        {detail.notes.map((n) => (
          <li key={n.noteId}>
            {n.text}{" "}
            <span className="note">
              ({n.author}, {n.writtenAt.slice(0, 10)})
            </span>
          </li>
        ))}
      </ol>
      {detail.state === "open" ? (
        <form
          onSubmit={(event) => {
            event.preventDefault()
            Api.write(csrf, `${path}/notes`, { text }).then(
              () => {
                setText("")
                load()
              },
              (e: unknown) => setError(message(e))
            )
          }}
        >
          <label className="field">
            <span>Add a note</span>
            <textarea required value={text} onChange={(e) => setText(e.target.value)} maxLength={2000} />
          </label>
          <button type="submit" className="button">
            Add note
          </button>{" "}
          <button
            type="button"
            className="button secondary"
            onClick={() =>
              Api.write(csrf, `${path}/close`).then(
                () => onChanged(`The case about ${studentId} is closed; whoever raised it is told it was handled.`),
                (e: unknown) => setError(message(e))
              )
            }
          >
            Close case
          </button>
        </form>
      ) : null}
    </section>
  )
}

const WorklistSection = ({
  csrf,
  canWrite,
  individuals
}: {
  readonly csrf: string
  readonly canWrite: boolean
  /** `dashboards:read`: the student pages of the dashboard; otherwise the advisee pages */
  readonly individuals: boolean
}) => {
  const [filters, setFilters] = useState({ graduationYear: "", program: "", advisor: "" })
  const [list, setList] = useState<Api.Worklist | undefined>(undefined)
  const [status, setStatus] = useState<string | undefined>(undefined)
  const [error, setError] = useState<string | undefined>(undefined)
  const [openCase, setOpenCase] = useState<{ studentId: string; caseId: string } | undefined>(undefined)
  const [version, setVersion] = useState(0)
  useEffect(() => {
    const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v.trim() !== ""))
    const search = query.toString()
    Api.read<Api.Worklist>(`/v1/worklist${search === "" ? "" : `?${search}`}`).then(
      (answer) => {
        setList(answer)
        setError(undefined)
      },
      (e: unknown) => setError(message(e))
    )
  }, [filters, version])
  const act = async (studentId: string, followUpId: string, body: unknown) => {
    try {
      await Api.write(
        csrf,
        `/v1/advising/students/${encodeURIComponent(studentId)}/follow-ups/${encodeURIComponent(followUpId)}`,
        body
      )
      setStatus(`Recorded for ${studentId}. This is no contact: scores and tiers do not change.`)
      setVersion((v) => v + 1)
    } catch (e) {
      setStatus(undefined)
      setError(message(e))
    }
  }
  const onFilter = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget)
    setFilters({
      graduationYear: String(data.get("graduationYear") ?? ""),
      program: String(data.get("program") ?? ""),
      advisor: String(data.get("advisor") ?? "")
    })
  }
  return (
    <section className="section" aria-labelledby="worklist-title">
      <h2 id="worklist-title">Worklist</h2>
      <form className="filters card" onSubmit={onFilter}>
        <label className="field">
          <span>Class (graduation year)</span>
          <input name="graduationYear" inputMode="numeric" defaultValue={filters.graduationYear} />
        </label>
        <label className="field">
          <span>Program</span>
          <input name="program" defaultValue={filters.program} />
        </label>
        <label className="field">
          <span>Advisor</span>
          <input name="advisor" defaultValue={filters.advisor} />
        </label>
        <button type="submit" className="button secondary">
          Filter
        </button>
      </form>
      <p role="status" className="note">
        {status ?? ""}
      </p>
      {error === undefined ? null : <p className="form-error">{error}</p>}
      {list === undefined ? (
        <p className="note">Loading the worklist…</p>
      ) : list.items.length === 0 ? (
        <p className="note" data-worklist-empty>
          Nobody needs attention now.
        </p>
      ) : (
        <>
          <p className="note">
            The top {list.items.length} of {list.total} students who need attention now.
          </p>
          <ol className="worklist">
            {list.items.map((item) => (
              <li key={item.studentId} className="card" data-student={item.studentId}>
                <h3>
                  <Link
                    to={`${individuals ? "/students/" : "/advising/students/"}${encodeURIComponent(item.studentId)}`}
                  >
                    {item.studentId}
                  </Link>
                  {item.graduationYear === null ? null : (
                    <span className="note"> · class of {item.graduationYear}</span>
                  )}
                </h3>
                <p className="reason">{item.reason}</p>
                <p>
                  <strong>Suggested:</strong> {item.suggestedAction}
                </p>
                {item.behind.cases.length > 0 ? (
                  <ul className="cases">
                    {item.behind.cases.map((c) => (
                      <li key={c.caseId} data-case={c.caseId}>
                        {c.category} concern, {Api.roleLabels[c.ownerRole] ?? c.ownerRole}, raised{" "}
                        {c.raisedAt.slice(0, 10)}{" "}
                        <button
                          type="button"
                          className="button link"
                          onClick={() => setOpenCase({ studentId: item.studentId, caseId: c.caseId })}
                        >
                          Open case
                        </button>
                      </li>
                    ))}
                  </ul>
                ) : null}
                {canWrite && item.behind.followUps.length > 0 ? (
                  <ul className="follow-ups">
                    {item.behind.followUps.map((f) => (
                      <FollowUpRow key={f.followUpId} studentId={item.studentId} followUp={f} act={act} />
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ol>
        </>
      )}
      {openCase !== undefined && canWrite ? (
        <CasePanel
          key={openCase.caseId}
          studentId={openCase.studentId}
          caseId={openCase.caseId}
          csrf={csrf}
          onChanged={(sentence) => {
            setStatus(sentence)
            setOpenCase(undefined)
            setVersion((v) => v + 1)
          }}
        />
      ) : null}
    </section>
  )
}

const Conflicts = () => {
  const [pairs, setPairs] = useState<ReadonlyArray<Api.Conflict> | undefined>(undefined)
  useEffect(() => {
    Api.read<{ pairs: ReadonlyArray<Api.Conflict> }>("/v1/advising/conflicts").then(
      (answer) => setPairs(answer.pairs),
      () => setPairs([])
    )
  }, [])
  return (
    <section className="section" aria-labelledby="conflicts-title">
      <h2 id="conflicts-title">Counseling conflicts (LCME 11.1)</h2>
      <p className="note">
        Counselors who also assess or promote the student: supervised them, gave them clinical feedback, or sit on a
        grading or promotions committee.
      </p>
      {pairs === undefined ? null : pairs.length === 0 ? (
        <p className="note">No pair breaks the rule.</p>
      ) : (
        <table className="conflicts">
          <thead>
            <tr>
              <th scope="col">Student</th>
              <th scope="col">Counselor</th>
              <th scope="col">Role</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {pairs.map((p) => (
              <tr key={`${p.studentId} ${p.facultyId} ${p.role}`}>
                <td>{p.studentId}</td>
                <td>{p.facultyId}</td>
                <td>{Api.roleLabels[p.role] ?? p.role}</td>
                <td>{p.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

const Caseload = () => {
  const [me, setMe] = useState<Api.Me | undefined>(undefined)
  useEffect(() => {
    Api.read<Api.Me>("/v1/advising/me").then(setMe, () => setMe(undefined))
  }, [])
  if (me?.caseload === undefined || me.caseload === null) return null
  return (
    <section className="section" aria-labelledby="caseload-title">
      <h2 id="caseload-title">Your caseload</h2>
      <ul className="caseload">
        {Object.entries(me.caseload).map(([role, students]) => (
          <li key={role}>
            {Api.roleLabels[role] ?? role}:{" "}
            {students.length === 0
              ? "nobody"
              : students.map((studentId, i) => (
                  <span key={studentId}>
                    {i > 0 ? ", " : null}
                    <Link to={`/advising/students/${encodeURIComponent(studentId)}`}>{studentId}</Link>
                  </span>
                ))}
          </li>
        ))}
      </ul>
    </section>
  )
}

/**
 * @since 0.4.0
 * @category views
 */
export const AdvisingView = () => {
  const session = useSignedIn()
  const has = (scope: string) => session.scopes.includes(scope)
  const reads = has("advising") || has("dashboards:read")
  const canWrite = has("advising:write")
  return (
    <div className="view advising">
      <h1>Advising</h1>
      <p className="note">
        Acting on what the dashboards show. Nothing here counts as contact: no score, tier or isolation changes.
      </p>
      {has("advising") ? <Caseload /> : null}
      {reads ? (
        <WorklistSection csrf={session.csrfToken} canWrite={canWrite} individuals={has("dashboards:read")} />
      ) : null}
      {canWrite ? <RaiseConcern csrf={session.csrfToken} /> : null}
      {canWrite && reads ? <AssignAdvisor csrf={session.csrfToken} /> : null}
      {has("dashboards:read") ? <Conflicts /> : null}
    </div>
  )
}
