package dev.sluice.topology.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ModelVersionsTest {

  @Test
  void roundTripsVersionsInKeyOrder() {
    TreeMap<String, byte[]> versions = new TreeMap<>();
    versions.put("m/v2", new byte[] {2, 2});
    versions.put("m/v1", new byte[] {1});
    versions.put("m/ü", new byte[0]);

    TreeMap<String, byte[]> decoded = ModelVersions.decode(ModelVersions.encode(versions));

    assertThat(decoded.keySet()).containsExactly("m/v1", "m/v2", "m/ü");
    assertThat(decoded.get("m/v1")).containsExactly(1);
    assertThat(decoded.get("m/v2")).containsExactly(2, 2);
    assertThat(decoded.get("m/ü")).isEmpty();
  }

  @Test
  void decodesNothingFromNullAndRefusesAnotherFormat() {
    assertThat(ModelVersions.decode(null)).isEmpty();
    assertThatThrownBy(() -> ModelVersions.decode("x".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("format 120");
  }
}
