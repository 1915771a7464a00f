package dev.sluice.topology.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.registry.SchemaRegistryUnavailableException;
import dev.sluice.schemas.serde.WireFormatException;
import java.io.IOException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Result;
import org.junit.jupiter.api.Test;

class DeserializationFailureHandlerTest {
  private final DeserializationFailureHandler handler = new DeserializationFailureHandler();
  private final ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("sluice.models", 0, 7L, new byte[0], new byte[] {9});

  @Test
  void skipsBadBytes() {
    WireFormatException bad = new WireFormatException(WireFormatException.Kind.UNKNOWN_MAGIC_BYTE, "sluice.models", "Unknown magic byte 0x09", null, null);

    assertThat(handler.handleError(null, record, bad).result()).isEqualTo(Result.RESUME);
    assertThat(handler.handleError(null, record, new SerializationException("bad")).result()).isEqualTo(Result.RESUME);
  }

  @Test
  void failsOnRegistryOutagesAndBugs() {
    SchemaRegistryUnavailableException down = new SchemaRegistryUnavailableException("down", new IOException("refused"));

    assertThat(handler.handleError(null, record, down).result()).isEqualTo(Result.FAIL);
    assertThat(handler.handleError(null, record, new SerializationException("wrapped", down)).result()).isEqualTo(Result.FAIL);
    assertThat(handler.handleError(null, record, new IllegalStateException("bug")).result()).isEqualTo(Result.FAIL);
  }
}
