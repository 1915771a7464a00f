package dev.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.Engine;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.Task;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AvroTrustTest {

  @Test
  void builderFillsEnumDefaultsOfTheContracts() {
    AvroTrust.trustContracts();

    ModelDeployment deployment = ModelDeployment.newBuilder().setModel("minilm").setVersion("1")
        .setArtifactUri("classpath:model").setDeployedAt(Instant.EPOCH).build();

    assertThat(deployment.getEngine()).isEqualTo(Engine.ONNX_RUNTIME);
    assertThat(deployment.getTask()).isEqualTo(Task.TEXT_EMBEDDING);
  }

  @Test
  void trustingTwiceListsThePackageOnce() {
    AvroTrust.trustContracts();
    AvroTrust.trustContracts();

    assertThat(System.getProperty(AvroTrust.PROPERTY).split(",")).containsOnlyOnce(AvroTrust.CONTRACTS_PACKAGE);
  }
}
