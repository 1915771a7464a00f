package dev.sluice.platform.topics;

import dev.sluice.schemas.topics.ValueContract;

/** What publishing one topic's value contract found or did. */
public sealed interface SubjectOutcome {
  /** The contract asked for. */
  ValueContract contract();

  /**
   * The subject did not hold the schema, and now does.
   *
   * @param version the subject's version that holds it
   * @param id the registry-wide schema id
   */
  record Registered(ValueContract contract, int version, int id) implements SubjectOutcome {}

  /**
   * The subject held the schema already; nothing changed (its latest version may be a newer one).
   *
   * @param version the subject's version that holds it
   * @param id the registry-wide schema id
   */
  record Present(ValueContract contract, int version, int id) implements SubjectOutcome {}

  /**
   * The registry refused the schema under the subject's compatibility level; the subject is left as it is.
   *
   * @param reason the registry's explanation
   */
  record Refused(ValueContract contract, String reason) implements SubjectOutcome {}
}
