package dev.sluice.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.sluice.avro.ReasonCode;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OutcomeTest {

  @Test
  void acceptedMapsItsValue() {
    Outcome<Integer> outcome = Outcome.<String>accepted("abc").map(String::length);

    assertThat(outcome).isEqualTo(new Outcome.Accepted<>(3));
    assertThat(outcome.isAccepted()).isTrue();
  }

  @Test
  void rejectedPassesThroughMapWithoutCallingTheMapper() {
    AtomicBoolean called = new AtomicBoolean();
    Outcome<Integer> outcome = Outcome.<String>rejected(ReasonCode.EXPIRED, "late").map(s -> {
      called.set(true);
      return s.length();
    });

    assertThat(outcome).isEqualTo(new Outcome.Rejected<Integer>(ReasonCode.EXPIRED, "late"));
    assertThat(outcome.isAccepted()).isFalse();
    assertThat(called).isFalse();
  }

  @Test
  void flatMapChainsStepsUntilTheFirstRejection() {
    Outcome<Integer> outcome = Outcome.<String>accepted("abc")
        .flatMap(s -> Outcome.<Integer>rejected(ReasonCode.INVALID_TEXT, "bad " + s))
        .flatMap(n -> Outcome.accepted(n + 1));

    assertThat(outcome).isEqualTo(Outcome.rejected(ReasonCode.INVALID_TEXT, "bad abc"));
  }

  @Test
  void flatMapOfAcceptedRunsTheNextStep() {
    Outcome<Integer> outcome = Outcome.<String>accepted("abc").flatMap(s -> Outcome.accepted(s.length() * 2));

    assertThat(outcome).isEqualTo(Outcome.accepted(6));
  }

  @Test
  void outcomesRefuseMissingParts() {
    assertThatNullPointerException().isThrownBy(() -> Outcome.accepted(null));
    assertThatNullPointerException().isThrownBy(() -> Outcome.rejected(null, "x"));
    assertThatNullPointerException().isThrownBy(() -> Outcome.rejected(ReasonCode.OTHER, null));
  }

  @Test
  void rejectionCanBeReadByPatternMatching() {
    Outcome<String> outcome = Outcome.rejected(ReasonCode.RATE_LIMITED, "tenant t over 5/s");

    String described = outcome instanceof Outcome.Rejected<String> r ? r.reason() + ": " + r.detail() : "ok";

    assertThat(described).isEqualTo("RATE_LIMITED: tenant t over 5/s");
  }
}
