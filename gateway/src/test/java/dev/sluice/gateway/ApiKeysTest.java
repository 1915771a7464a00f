package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

  @Test
  void aKeyIsKnownByItsHashAndMapsToItsTenant() {
    ApiKeys keys = ApiKeys.parse(List.of("ci:acme:" + ApiKeys.hash("s3cret"), " ops:internal:" + ApiKeys.hash("other").toUpperCase().replace("SHA256", "sha256")));

    assertThat(keys.authenticate("s3cret")).contains(new ApiKeys.Caller("ci", "acme"));
    assertThat(keys.authenticate("other")).contains(new ApiKeys.Caller("ops", "internal"));
    assertThat(keys.authenticate("s3cret ")).isEmpty();
    assertThat(keys.authenticate("")).isEmpty();
    assertThat(keys.authenticate(null)).isEmpty();
    assertThat(ApiKeys.hash("s3cret")).startsWith("sha256:").hasSize(7 + 64).doesNotContain("s3cret");
  }

  @Test
  void aMalformedEntryIsNamedByPositionNeverByItsContent() {
    assertThatThrownBy(() -> ApiKeys.parse(List.of("ci:acme:" + ApiKeys.hash("a"), "plain-secret-key")))
        .hasMessageContaining("key entry 2").hasMessageNotContaining("plain-secret-key");
    assertThatThrownBy(() -> ApiKeys.parse(List.of("ci:acme:sha256:abc"))).hasMessageContaining("hash-key");
    assertThatThrownBy(() -> ApiKeys.parse(List.of("ci:a:" + ApiKeys.hash("a"), "ci:b:" + ApiKeys.hash("b")))).hasMessageContaining("twice");
  }
}
