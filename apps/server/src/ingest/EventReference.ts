/**
 * Each event type's summary and example, as docs/events.md gives them (written by
 * scripts/event-reference.mjs; a test checks it against the page). The OpenAPI document
 * shows them beside the schemas. Data only: nothing here decides what is accepted.
 *
 * @since 0.2.0
 */

/**
 * @since 0.2.0
 * @category constants
 */
export const eventReference: Readonly<Record<string, { readonly summary: string; readonly example: unknown }>> = {
  StudentEnrolled: {
    summary: "A student joins the school.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e01",
      type: "StudentEnrolled",
      v: 1,
      occurredAt: "2024-08-12T13:00:00Z",
      source: "registrar",
      data: {
        studentId: "s-1001",
        graduationYear: 2028,
        program: "MD",
        specialtyInterests: ["Pediatrics", "Internal Medicine"]
      }
    }
  },
  FacultyJoined: {
    summary: "A faculty member joins the school.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e02",
      type: "FacultyJoined",
      v: 1,
      occurredAt: "2019-07-01T12:00:00Z",
      source: "hr",
      data: {
        facultyId: "f-204",
        department: "Internal Medicine",
        rank: "Associate Professor"
      }
    }
  },
  OfficeHoursVisited: {
    summary: "A student visited a faculty member's office hours.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e03",
      type: "OfficeHoursVisited",
      v: 1,
      occurredAt: "2026-10-01T15:30:00Z",
      source: "office-hours-scheduler",
      data: {
        studentId: "s-1001",
        facultyId: "f-204",
        durationMinutes: 20,
        topic: "career",
        initiatedBy: "student"
      }
    }
  },
  MentorshipMeetingHeld: {
    summary: "A mentoring conversation between a student and a faculty member.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e04",
      type: "MentorshipMeetingHeld",
      v: 1,
      occurredAt: "2026-10-08T16:00:00-04:00",
      source: "advising-app",
      data: {
        studentId: "s-1001",
        facultyId: "f-204",
        durationMinutes: 45,
        topics: ["specialty-selection", "residency-application"]
      }
    }
  },
  RotationCompleted: {
    summary:
      "A student completed a clinical rotation. The listed faculty observed the student directly: the natural letter writers.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e05",
      type: "RotationCompleted",
      v: 1,
      occurredAt: "2026-10-02T21:00:00Z",
      source: "clinical-evaluations",
      data: {
        studentId: "s-1001",
        facultyIds: ["f-204", "f-311"],
        rotationId: "im-2026-b3",
        specialty: "Internal Medicine",
        startedOn: "2026-09-07",
        endedOn: "2026-10-02"
      }
    }
  },
  FollowUpSent: {
    summary: "A student followed up with a faculty member.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e06",
      type: "FollowUpSent",
      v: 1,
      occurredAt: "2026-10-04T09:12:00Z",
      source: "student-portal",
      data: {
        studentId: "s-1001",
        facultyId: "f-204",
        kind: "thank-you",
        channel: "email"
      }
    }
  },
  LetterRequested: {
    summary: "A student asked a faculty member for a letter of recommendation.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e07",
      type: "LetterRequested",
      v: 1,
      occurredAt: "2027-04-15T14:00:00Z",
      source: "letters",
      data: {
        studentId: "s-1001",
        facultyId: "f-204",
        letterId: "ltr-1001-204",
        cycle: 2028,
        specialty: "Internal Medicine"
      }
    }
  },
  LetterSubmitted: {
    summary: "The faculty member submitted the letter.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e08",
      type: "LetterSubmitted",
      v: 1,
      occurredAt: "2027-08-30T18:45:00Z",
      source: "letters",
      data: {
        studentId: "s-1001",
        facultyId: "f-204",
        letterId: "ltr-1001-204"
      }
    }
  },
  StudentStatusChanged: {
    summary:
      "A student's status changed. Students whose status is not `active` leave the denominators of school-wide measures (share of students with a strong relationship, isolation, …); their history stays.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e09",
      type: "StudentStatusChanged",
      v: 1,
      occurredAt: "2027-01-10T08:00:00Z",
      source: "registrar",
      data: {
        studentId: "s-1001",
        status: "leave"
      }
    }
  },
  SpecialtyDeclared: {
    summary:
      "A student declared the specialty they will apply in. It replaces their `specialtyInterests` for letter readiness; a later declaration replaces an earlier one.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e0a",
      type: "SpecialtyDeclared",
      v: 1,
      occurredAt: "2027-03-01T10:00:00Z",
      source: "advising-app",
      data: {
        studentId: "s-1001",
        specialty: "Internal Medicine"
      }
    }
  },
  FacultyLeft: {
    summary:
      "A faculty member left the school. Their relationships remain in history; they no longer count as available mentors or letter writers.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e0b",
      type: "FacultyLeft",
      v: 1,
      occurredAt: "2027-06-30T12:00:00Z",
      source: "hr",
      data: {
        facultyId: "f-311"
      }
    }
  },
  MentorAssigned: {
    summary:
      "A faculty member was assigned as a student's mentor in a mentoring program. Assigned mentors are subject to the mentor-cadence follow-up rule. Current version: 2.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e0c",
      type: "MentorAssigned",
      v: 2,
      occurredAt: "2024-08-20T12:00:00Z",
      source: "advising-app",
      data: {
        studentId: "s-1001",
        facultyId: "f-204",
        program: "advisory-college"
      }
    }
  },
  MentorshipEnded: {
    summary: "An assigned mentorship ended. Current version: 2.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e0d",
      type: "MentorshipEnded",
      v: 2,
      occurredAt: "2026-06-30T12:00:00Z",
      source: "advising-app",
      data: {
        studentId: "s-1001",
        facultyId: "f-204",
        program: "advisory-college"
      }
    }
  },
  CourseStarted: {
    summary: "A student started a course taught by the listed faculty (early office hours count from here).",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e0e",
      type: "CourseStarted",
      v: 1,
      occurredAt: "2026-08-24T12:00:00Z",
      source: "lms",
      data: {
        studentId: "s-1001",
        courseId: "path-201-2026f",
        facultyIds: ["f-118"],
        startedOn: "2026-08-24"
      }
    }
  },
  CourseCompleted: {
    summary: "A student completed a course taught by the listed faculty (thank-you follow-ups count from here).",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e0f",
      type: "CourseCompleted",
      v: 1,
      occurredAt: "2026-12-11T22:00:00Z",
      source: "lms",
      data: {
        studentId: "s-1001",
        courseId: "path-201-2026f",
        facultyIds: ["f-118"],
        endedOn: "2026-12-11"
      }
    }
  },
  LectureEngagementRecorded: {
    summary: "A student engaged with a faculty member in a course.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e10",
      type: "LectureEngagementRecorded",
      v: 1,
      occurredAt: "2026-09-15T14:20:00Z",
      source: "lms",
      data: {
        studentId: "s-1001",
        facultyId: "f-118",
        courseId: "path-201-2026f",
        kind: "question"
      }
    }
  },
  ResearchRoleStarted: {
    summary: "A student started a role on a faculty member's research project.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e11",
      type: "ResearchRoleStarted",
      v: 1,
      occurredAt: "2026-11-02T12:00:00Z",
      source: "research-admin",
      data: {
        studentId: "s-1001",
        facultyId: "f-204",
        projectId: "irb-2026-0413",
        role: "assistant"
      }
    }
  },
  ResearchRoleEnded: {
    summary: "A student's role on a research project ended.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e12",
      type: "ResearchRoleEnded",
      v: 1,
      occurredAt: "2027-05-31T12:00:00Z",
      source: "research-admin",
      data: {
        studentId: "s-1001",
        facultyId: "f-204",
        projectId: "irb-2026-0413",
        role: "assistant"
      }
    }
  },
  PublicationCoauthored: {
    summary: "A student co-authored a publication with the listed faculty.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e13",
      type: "PublicationCoauthored",
      v: 1,
      occurredAt: "2027-04-02T12:00:00Z",
      source: "research-admin",
      data: {
        studentId: "s-1001",
        facultyIds: ["f-204"],
        publicationId: "doi:10.1000.182"
      }
    }
  },
  ConferencePresentationGiven: {
    summary: "A student presented at a conference with the listed faculty.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e14",
      type: "ConferencePresentationGiven",
      v: 1,
      occurredAt: "2027-04-20T12:00:00Z",
      source: "research-admin",
      data: {
        studentId: "s-1001",
        facultyIds: ["f-204", "f-311"],
        presentationId: "acp-2027-poster-88"
      }
    }
  },
  ClinicalFeedbackGiven: {
    summary: "A faculty member gave a student direct clinical feedback.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e15",
      type: "ClinicalFeedbackGiven",
      v: 1,
      occurredAt: "2026-09-18T17:00:00Z",
      source: "clinical-evaluations",
      data: {
        studentId: "s-1001",
        facultyId: "f-311",
        setting: "clerkship",
        domains: ["bedside-manner", "diagnostic-reasoning"]
      }
    }
  },
  SupportCheckInHeld: {
    summary:
      "A faculty member checked in on a student's wellbeing or encouraged them. **Sensitive**: it has no free-text field by design (there is nowhere to put what was said), it is counted only in aggregates (with small-cell suppression), never shown per student, and never counts toward letters or the advocate tier.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e16",
      type: "SupportCheckInHeld",
      v: 1,
      occurredAt: "2026-11-20T15:00:00Z",
      source: "advising-app",
      data: {
        studentId: "s-1001",
        facultyId: "f-204",
        kind: "wellbeing"
      }
    }
  },
  LetterCommitted: {
    summary: "The faculty member agreed to write the letter.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e17",
      type: "LetterCommitted",
      v: 1,
      occurredAt: "2027-04-20T10:00:00Z",
      source: "letters",
      data: {
        studentId: "s-1001",
        facultyId: "f-204",
        letterId: "ltr-1001-204"
      }
    }
  },
  LetterDeclined: {
    summary: "The faculty member declined to write the letter.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e18",
      type: "LetterDeclined",
      v: 1,
      occurredAt: "2027-04-22T10:00:00Z",
      source: "letters",
      data: {
        studentId: "s-1001",
        facultyId: "f-311",
        letterId: "ltr-1001-311"
      }
    }
  },
  NudgeSent: {
    summary:
      "The system that delivered a follow-up reports that it nudged the student, so that the effect of nudges can be measured (from the nudge to the next contact between the people involved).",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e19",
      type: "NudgeSent",
      v: 1,
      occurredAt: "2026-10-05T08:00:00Z",
      source: "nudge-service",
      data: {
        studentId: "s-1001",
        facultyId: "f-204",
        followUpId: "thank-you:s-1001:f-204:im-2026-b3",
        ruleId: "thank-you",
        channel: "email"
      }
    }
  },
  EventRetracted: {
    summary:
      "A correction: the event `eventId` of the same school is withdrawn. Folds and read models drop its contribution. The reason is free text kept with the school's records: never put a name or another person's id in it.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e1a",
      type: "EventRetracted",
      v: 1,
      occurredAt: "2026-10-02T09:00:00Z",
      source: "office-hours-scheduler",
      data: {
        eventId: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6f",
        reason: "Visit recorded for the wrong student"
      }
    }
  },
  StudentErasureRequested: {
    summary:
      "The school asked for a student's data to be erased. The projector deletes the student's read-model rows and then their stream (see the erasure section of docs/architecture.md); the event itself carries nothing but the id.",
    example: {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e1b",
      type: "StudentErasureRequested",
      v: 1,
      occurredAt: "2029-01-15T12:00:00Z",
      source: "registrar",
      data: {
        studentId: "s-1001"
      }
    }
  }
}
