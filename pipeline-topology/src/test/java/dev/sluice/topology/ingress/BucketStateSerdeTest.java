package dev.sluice.topology.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.preprocessing.BucketState;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class BucketStateSerdeTest {
  private final BucketStateSerde serde = new BucketStateSerde();

  @Test
  void roundTripsTokensAndTimeIncludingAnInfinitelyFullBucket() {
    for (BucketState state : new BucketState[] {new BucketState(2.75, 1_700_000_000_123L), new BucketState(Double.POSITIVE_INFINITY, 0L)}) {
      byte[] bytes = serde.serializer().serialize("t", state);
      assertThat(bytes).hasSize(BucketStateSerde.SIZE);
      assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(state);
    }
    assertThat(serde.serializer().serialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
  }

  @Test
  void refusesBytesOfAnotherLengthOrVersion() {
    assertThatThrownBy(() -> serde.deserializer().deserialize("changelog", new byte[] {1, 2, 3}))
        .isInstanceOf(SerializationException.class).hasMessageContaining("changelog");
    byte[] bytes = serde.serializer().serialize("t", new BucketState(1, 1));
    bytes[0] = 2;
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", bytes)).isInstanceOf(SerializationException.class);
  }
}
