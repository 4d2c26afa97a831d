import { describe, expect, it } from "vitest"
import { discretionaryKinds, kindOfType } from "../../src/Contribution.js"
import { contactTypes, discretionaryTypes } from "../../src/rules/Contact.js"

describe("the rules' discretionary contact", () => {
  it("is the scoring's discretionary contact among contact types, plus a declined letter request", () => {
    const scoring = contactTypes.filter(
      (type) => type in kindOfType && discretionaryKinds.has(kindOfType[type as keyof typeof kindOfType])
    )
    expect([...discretionaryTypes].sort()).toEqual([...scoring, "LetterDeclined"].sort())
  })
})
