package dev.sluice.topology.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QuietSpellTest {
  @Test
  void aRequestAfterTheSpellEndsItAndCloseOnesDoNot() {
    QuietSpell spell = new QuietSpell(20);

    assertThat(spell.endedBy(1_000)).as("the first request ever").isTrue();
    assertThat(spell.endedBy(1_005)).isFalse();
    assertThat(spell.endedBy(1_024)).as("19 ms after the last one").isFalse();
    assertThat(spell.endedBy(1_044)).as("20 ms after the last one").isTrue();
    assertThat(spell.endedBy(1_045)).isFalse();
  }

  @Test
  void aNegativeSpellIsRefused() {
    assertThatThrownBy(() -> new QuietSpell(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
