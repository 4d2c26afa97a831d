/**
 * How big a synthetic school is and how long it runs: named presets for tests (`tiny`,
 * `small`), the demo and measurements (`mid`) and benchmarks (`large`), or any custom size
 * within bounds. Sizes are validated data: a bad size is a typed error naming the field.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"

/**
 * A school's size: students enrolled at a time (about four classes), faculty on staff, and
 * the academic years simulated.
 *
 * @since 0.1.0
 * @category models
 */
export interface SchoolSize {
  readonly students: number
  readonly faculty: number
  readonly years: number
}

/**
 * The named sizes.
 *
 * @since 0.1.0
 * @category models
 */
export type SizeName = "tiny" | "small" | "mid" | "large"

/**
 * The presets: `tiny` for unit tests (a second), `small` for tests that measure the
 * school's numbers (seconds), `mid` for the demo and the measurement script, `large` for
 * benchmarks (several million events).
 *
 * @since 0.1.0
 * @category constants
 */
export const presets: { readonly [K in SizeName]: SchoolSize } = {
  tiny: { students: 80, faculty: 120, years: 1 },
  small: { students: 160, faculty: 200, years: 2 },
  mid: { students: 400, faculty: 600, years: 3 },
  large: { students: 1000, faculty: 2000, years: 5 }
}

/**
 * The names of the presets.
 *
 * @since 0.1.0
 * @category constants
 */
export const sizeNames: ReadonlyArray<SizeName> = ["tiny", "small", "mid", "large"]

const bounded = (what: string, minimum: number, maximum: number) =>
  Schema.Int.check(
    Schema.isBetween(
      { minimum, maximum },
      { message: `Expected ${what}: a whole number from ${minimum} to ${maximum}` }
    )
  )

/**
 * The schema of a custom size.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SchoolSizeSchema = Schema.Struct({
  students: bounded("the number of students", 8, 200_000),
  faculty: bounded("the number of faculty", 10, 400_000),
  years: bounded("the number of years", 1, 40)
})

/**
 * A size that could not be used, with every problem found (`path: message`).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidSize extends Data.TaggedError("InvalidSize")<{
  readonly input: unknown
  readonly problems: ReadonlyArray<string>
}> {
  override get message(): string {
    return `Invalid school size: ${this.problems.join("; ")}`
  }
}

const decodeSize = Schema.decodeUnknownResult(SchoolSizeSchema)
const formatIssues = SchemaIssue.makeFormatterStandardSchemaV1()

/**
 * Resolves a preset name or checks a custom size.
 *
 * @since 0.1.0
 * @category constructors
 */
export const resolve = (size: SizeName | SchoolSize | unknown): Result.Result<SchoolSize, InvalidSize> => {
  if (typeof size === "string") {
    const name = sizeNames.find((candidate) => candidate === size)
    return name === undefined
      ? Result.fail(
          new InvalidSize({
            input: size,
            problems: [`unknown size "${size}"; expected one of ${sizeNames.join(", ")}`]
          })
        )
      : Result.succeed(presets[name])
  }
  const decoded = decodeSize(size, { errors: "all", onExcessProperty: "error" })
  if (Result.isSuccess(decoded)) return Result.succeed(decoded.success)
  const problems = formatIssues(decoded.failure.issue).issues.map(
    (issue) => `${issue.path?.map(String).join(".") ?? ""}: ${issue.message}`
  )
  return Result.fail(new InvalidSize({ input: size, problems }))
}
