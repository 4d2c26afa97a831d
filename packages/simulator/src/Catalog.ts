/**
 * The fixed facts of the synthetic school: its departments (clinical ones double as the
 * specialties students choose and rotate through, spelled identically so that Rapport can
 * match a declared specialty with a letter writer's department), academic ranks, programs
 * of study, the pre-clinical courses of years 1 and 2, and the clerkships of years 3 and 4.
 *
 * Plain data, shaped after a typical four-year US MD curriculum. Nothing here is random
 * and nothing here describes a real person or a real school.
 *
 * @since 0.1.0
 */

/**
 * A department of the school.
 *
 * - `weight`: its share of the faculty;
 * - `clinical`: whether it supervises clerkships and is a specialty students may choose;
 * - `popularity`: its share of students' eventual specialty choices (0 for basic sciences).
 *
 * @since 0.1.0
 * @category models
 */
export interface Department {
  readonly name: string
  readonly code: string
  readonly weight: number
  readonly clinical: boolean
  readonly popularity: number
}

/**
 * The departments, clinical first.
 *
 * @since 0.1.0
 * @category constants
 */
export const departments: ReadonlyArray<Department> = [
  { name: "Internal Medicine", code: "IM", weight: 22, clinical: true, popularity: 20 },
  { name: "Surgery", code: "SURG", weight: 10, clinical: true, popularity: 8 },
  { name: "Pediatrics", code: "PEDS", weight: 9, clinical: true, popularity: 10 },
  { name: "Obstetrics and Gynecology", code: "OBGYN", weight: 5, clinical: true, popularity: 6 },
  { name: "Psychiatry", code: "PSYCH", weight: 5, clinical: true, popularity: 7 },
  { name: "Family Medicine", code: "FM", weight: 6, clinical: true, popularity: 9 },
  { name: "Neurology", code: "NEURO", weight: 4, clinical: true, popularity: 4 },
  { name: "Emergency Medicine", code: "EM", weight: 5, clinical: true, popularity: 8 },
  { name: "Anesthesiology", code: "ANES", weight: 5, clinical: true, popularity: 7 },
  { name: "Radiology", code: "RAD", weight: 4, clinical: true, popularity: 5 },
  { name: "Orthopaedic Surgery", code: "ORTHO", weight: 3, clinical: true, popularity: 4 },
  { name: "Dermatology", code: "DERM", weight: 2, clinical: true, popularity: 2 },
  { name: "Pathology", code: "PATH", weight: 3, clinical: true, popularity: 2 },
  { name: "Anatomy", code: "ANAT", weight: 3, clinical: false, popularity: 0 },
  { name: "Physiology", code: "PHYS", weight: 3, clinical: false, popularity: 0 },
  { name: "Biochemistry", code: "BIOCH", weight: 3, clinical: false, popularity: 0 },
  { name: "Pharmacology", code: "PHARM", weight: 2, clinical: false, popularity: 0 },
  { name: "Microbiology and Immunology", code: "MICRO", weight: 3, clinical: false, popularity: 0 }
]

/**
 * The specialties students can choose: the clinical departments.
 *
 * @since 0.1.0
 * @category constants
 */
export const specialties: ReadonlyArray<Department> = departments.filter((department) => department.clinical)

/**
 * Academic ranks with their share of the faculty.
 *
 * @since 0.1.0
 * @category constants
 */
export const ranks: ReadonlyArray<readonly [string, number]> = [
  ["instructor", 10],
  ["clinical instructor", 6],
  ["assistant professor", 38],
  ["associate professor", 24],
  ["professor", 22]
]

/**
 * Programs of study with their share of each entering class.
 *
 * @since 0.1.0
 * @category constants
 */
export const programs: ReadonlyArray<readonly [string, number]> = [
  ["MD", 88],
  ["MD-PhD", 6],
  ["MD-MPH", 6]
]

/**
 * The mentoring programs of the advising office.
 *
 * @since 0.1.0
 * @category constants
 */
export const mentoringPrograms = { advisory: "advisory-college", specialty: "specialty-advising" } as const

/**
 * A pre-clinical course: a block of weeks taught by faculty of some departments.
 *
 * @since 0.1.0
 * @category models
 */
export interface Course {
  readonly code: string
  readonly name: string
  readonly weeks: number
  readonly departments: ReadonlyArray<string>
}

/**
 * The blocks of year 1, in order (about 39 teaching weeks from early August to May).
 *
 * @since 0.1.0
 * @category constants
 */
export const yearOneCourses: ReadonlyArray<Course> = [
  { code: "FOM", name: "Foundations of Medicine", weeks: 5, departments: ["Biochemistry", "Physiology"] },
  { code: "ANAT", name: "Human Anatomy", weeks: 8, departments: ["Anatomy", "Radiology", "Surgery"] },
  { code: "MCG", name: "Molecules, Cells and Genetics", weeks: 6, departments: ["Biochemistry", "Pathology"] },
  { code: "ORGP", name: "Organ Physiology", weeks: 7, departments: ["Physiology", "Internal Medicine"] },
  { code: "IMMU", name: "Immunology and Microbiology", weeks: 6, departments: ["Microbiology and Immunology"] },
  { code: "NEUR", name: "Neuroscience", weeks: 7, departments: ["Anatomy", "Neurology", "Psychiatry"] }
]

/**
 * The blocks of year 2, in order (August to March, then board-exam study until May).
 *
 * @since 0.1.0
 * @category constants
 */
export const yearTwoCourses: ReadonlyArray<Course> = [
  { code: "CVP", name: "Cardiovascular and Pulmonary", weeks: 7, departments: ["Internal Medicine", "Pharmacology"] },
  { code: "RGI", name: "Renal and Gastrointestinal", weeks: 6, departments: ["Internal Medicine", "Pathology"] },
  {
    code: "ENRE",
    name: "Endocrine and Reproduction",
    weeks: 6,
    departments: ["Obstetrics and Gynecology", "Internal Medicine", "Pharmacology"]
  },
  { code: "HEON", name: "Hematology and Oncology", weeks: 5, departments: ["Pathology", "Internal Medicine"] },
  { code: "MBB", name: "Mind, Brain and Behavior", weeks: 5, departments: ["Psychiatry", "Neurology", "Pharmacology"] }
]

/**
 * The departments whose clinicians facilitate the longitudinal small-group "Doctoring"
 * course that runs through years 1 and 2.
 *
 * @since 0.1.0
 * @category constants
 */
export const doctoringDepartments: ReadonlyArray<string> = [
  "Family Medicine",
  "Internal Medicine",
  "Pediatrics",
  "Psychiatry",
  "Emergency Medicine"
]

/**
 * A clerkship of year 3: a specialty and its length in weeks.
 *
 * @since 0.1.0
 * @category models
 */
export interface Clerkship {
  readonly specialty: string
  readonly code: string
  readonly weeks: number
}

/**
 * The core clerkships of year 3 (44 weeks); each track takes them in a different order.
 *
 * @since 0.1.0
 * @category constants
 */
export const coreClerkships: ReadonlyArray<Clerkship> = [
  { specialty: "Internal Medicine", code: "IM", weeks: 8 },
  { specialty: "Surgery", code: "SURG", weeks: 8 },
  { specialty: "Pediatrics", code: "PEDS", weeks: 6 },
  { specialty: "Obstetrics and Gynecology", code: "OBGYN", weeks: 6 },
  { specialty: "Psychiatry", code: "PSYCH", weeks: 6 },
  { specialty: "Family Medicine", code: "FM", weeks: 6 },
  { specialty: "Neurology", code: "NEURO", weeks: 4 }
]

/**
 * What each four-week block of year 4 holds: a sub-internship and an elective in the
 * student's specialty, the required emergency-medicine rotation, free electives, and
 * blocks left open for residency interviews.
 *
 * @since 0.1.0
 * @category constants
 */
export const yearFourBlocks: ReadonlyArray<"sub-internship" | "specialty" | "emergency" | "elective" | "interviews"> = [
  "sub-internship",
  "specialty",
  "emergency",
  "elective",
  "interviews",
  "elective",
  "interviews",
  "elective",
  "elective",
  "elective"
]
