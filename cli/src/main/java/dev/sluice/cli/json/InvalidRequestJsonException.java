package dev.sluice.cli.json;

import java.util.List;

/** A JSON line that is not a valid request: every problem found in it, in words. */
public final class InvalidRequestJsonException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  InvalidRequestJsonException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** What is wrong, one entry per problem. */
  public List<String> problems() {
    return problems;
  }
}
