package dev.sluice.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WireFormatTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 255, 256, 65_536, Integer.MAX_VALUE})
  void headerRoundTripsSchemaId(int id) {
    byte[] framed = WireFormat.frame(id, new byte[] {42});

    assertThat(framed).hasSize(6);
    assertThat(WireFormat.schemaId("t", framed)).isEqualTo(id);
    assertThat(framed[5]).isEqualTo((byte) 42);
  }

  @Test
  void headerIsMagicZeroThenBigEndianId() {
    assertThat(WireFormat.header(0x01020304)).containsExactly(0, 1, 2, 3, 4);
  }
}
