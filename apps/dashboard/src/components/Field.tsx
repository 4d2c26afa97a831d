/**
 * A labelled select: the label names the control by `for`/`id`, so a screen reader reads
 * "Graduation year, combo box" and not the label run together with the chosen option.
 *
 * @since 0.1.0
 */
import { useId, type ReactNode } from "react"

/**
 * @since 0.1.0
 * @category components
 */
export const SelectField = ({
  label,
  value,
  onChange,
  children,
  inline
}: {
  readonly label: string
  readonly value: string
  readonly onChange: (value: string) => void
  readonly children: ReactNode
  readonly inline?: boolean
}) => {
  const id = useId()
  return (
    <div className={inline ? "inline-field" : "field"}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {children}
      </select>
    </div>
  )
}
