package dev.sluice.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.registry.SchemaRegistryAuthException;
import dev.sluice.schemas.registry.SchemaRegistryNotFoundException;
import dev.sluice.schemas.registry.SchemaRegistryServerException;
import dev.sluice.schemas.registry.SchemaRegistryUnavailableException;
import dev.sluice.schemas.serde.WireFormatException;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class TransientFailuresTest {

  @Test
  void aRegistryOutageIsTransientEvenWrappedInADeserializerFailure() {
    assertThat(TransientFailures.isTransient(new SchemaRegistryUnavailableException("down", new IOException("refused")))).isTrue();
    assertThat(TransientFailures.isTransient(new SerializationException("cannot fetch schema",
        new SchemaRegistryServerException("503", 503, 50001)))).isTrue();
    assertThat(TransientFailures.isTransient(new SerializationException(new TimeoutException("registry slow")))).isTrue();
  }

  @Test
  void badBytesAndARefusingRegistryAreNotTransient() {
    WireFormatException unknownId = new WireFormatException(WireFormatException.Kind.UNKNOWN_SCHEMA_ID, "t", "Unknown schema id 7", null,
        new SchemaRegistryNotFoundException("not found", 40403));

    assertThat(TransientFailures.isTransient(unknownId)).isFalse();
    assertThat(TransientFailures.isTransient(new SchemaRegistryAuthException("forbidden", 403, 403))).isFalse();
    assertThat(TransientFailures.isTransient(null)).isFalse();
  }
}
