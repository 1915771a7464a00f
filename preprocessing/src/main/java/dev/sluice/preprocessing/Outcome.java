package dev.sluice.preprocessing;

import dev.sluice.avro.ReasonCode;
import java.util.Objects;
import java.util.function.Function;

/**
 * The result of one ingress step: the step either accepted the request (carrying the value it
 * produced) or rejected it with a reason code and a human-readable detail saying what was wrong
 * and where. Steps chain with {@link #map} and {@link #flatMap}; the first rejection passes
 * through every later step unchanged.
 *
 * @param <T> the type of the accepted value
 */
public sealed interface Outcome<T> permits Outcome.Accepted, Outcome.Rejected {

  /**
   * An accepted request and the value the step produced.
   *
   * @param value the value; never null
   * @param <T> the type of the value
   */
  record Accepted<T>(T value) implements Outcome<T> {
    /** Checks the value is present. */
    public Accepted {
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * A rejected request.
   *
   * @param reason why it was rejected; never null
   * @param detail what was wrong and where (field, index, value); never null
   * @param <T> the type the accepted value would have had
   */
  record Rejected<T>(ReasonCode reason, String detail) implements Outcome<T> {
    /** Checks both parts are present. */
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }

    /**
     * This rejection, typed for a step that would have produced a {@code U}.
     *
     * @param <U> the new value type
     * @return a rejection with the same reason and detail
     */
    public <U> Rejected<U> retype() {
      return new Rejected<>(reason, detail);
    }
  }

  /**
   * An accepted outcome.
   *
   * @param value the value; never null
   * @param <T> the type of the value
   * @return {@code new Accepted<>(value)}
   */
  static <T> Outcome<T> accepted(T value) {
    return new Accepted<>(value);
  }

  /**
   * A rejected outcome.
   *
   * @param reason why
   * @param detail what was wrong and where
   * @param <T> the type the accepted value would have had
   * @return {@code new Rejected<>(reason, detail)}
   */
  static <T> Outcome<T> rejected(ReasonCode reason, String detail) {
    return new Rejected<>(reason, detail);
  }

  /**
   * Transforms an accepted value; a rejection passes through unchanged.
   *
   * @param mapper applied to the accepted value; must not return null
   * @param <U> the new value type
   * @return the mapped outcome
   */
  default <U> Outcome<U> map(Function<? super T, ? extends U> mapper) {
    Objects.requireNonNull(mapper, "mapper");
    if (this instanceof Accepted<T> accepted) {
      return new Accepted<>(mapper.apply(accepted.value()));
    }
    return ((Rejected<T>) this).retype();
  }

  /**
   * Runs the next step on an accepted value; a rejection passes through unchanged and the next
   * step does not run.
   *
   * @param next the next step
   * @param <U> the next step's value type
   * @return the next step's outcome, or this rejection
   */
  default <U> Outcome<U> flatMap(Function<? super T, Outcome<U>> next) {
    Objects.requireNonNull(next, "next");
    if (this instanceof Accepted<T> accepted) {
      return Objects.requireNonNull(next.apply(accepted.value()), "next step returned null");
    }
    return ((Rejected<T>) this).retype();
  }

  /**
   * Whether the request was accepted.
   *
   * @return true for {@link Accepted}
   */
  default boolean isAccepted() {
    return this instanceof Accepted<T>;
  }
}
