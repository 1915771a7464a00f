package dev.sluice.topology.ingress;

import static dev.sluice.topology.ingress.IngressHarness.MODEL;
import static dev.sluice.topology.ingress.IngressHarness.text;
import static dev.sluice.topology.ingress.IngressHarness.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngressRoutingTest {
  @TempDir Path stateDir;
  IngressHarness ingress;
  TestOutputTopic<byte[], PreparedRequest> inference;

  @BeforeEach
  void start() {
    ingress = new IngressHarness(stateDir);
    inference = ingress.inference(MODEL);
  }

  @AfterEach
  void stop() {
    ingress.close();
  }

  @Test
  void routesOnceTheRegistryTopicDeploysTheModel() {
    ingress.send("k", text("r-1", "hello"));
    ingress.deploy(MODEL, "v1", 1.0);
    ingress.send("k", text("r-2", "hello"));

    assertThat(ingress.rejected.readValue().getReason()).isEqualTo(ReasonCode.UNKNOWN_MODEL);
    PreparedRequest routed = inference.readValue();
    assertThat(routed.getRequestId()).isEqualTo("r-2");
    assertThat(routed.getModelVersion()).isEqualTo("v1");
  }

  @Test
  void tombstoneOnTheRegistryTopicUndeploysTheVersion() {
    ingress.deploy(MODEL, "v1", 1.0);
    ingress.send("k", text("r-1", "hello"));
    ingress.undeploy(MODEL, "v1");
    ingress.send("k", text("r-2", "hello"));

    assertThat(inference.readValue().getRequestId()).isEqualTo("r-1");
    RejectedRequest rejection = ingress.rejected.readValue();
    assertThat(rejection.getRequestId()).isEqualTo("r-2");
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.UNKNOWN_MODEL);
  }

  @Test
  void newVersionTakesOverWhenTheOldOneIsUndeployed() {
    ingress.deploy(MODEL, "v1", 1.0);
    ingress.deploy(MODEL, "v2", 1.0);
    ingress.undeploy(MODEL, "v1");
    for (int i = 0; i < 20; i++) {
      ingress.send("key-" + i, text("r-" + i, "hello"));
    }

    assertThat(inference.readValuesToList()).hasSize(20).allSatisfy(r -> assertThat(r.getModelVersion()).isEqualTo("v2"));
  }

  @Test
  void redeploymentWithNewWeightsIsPickedUp() {
    ingress.deploy(MODEL, "v1", 1.0);
    ingress.deploy(MODEL, "v2", 0.0);
    ingress.send("k", text("r-1", "hello"));
    ingress.deploy(MODEL, "v1", 0.0);
    ingress.deploy(MODEL, "v2", 1.0);
    ingress.send("k", text("r-2", "hello"));

    assertThat(inference.readValuesToList()).extracting(PreparedRequest::getModelVersion).containsExactly("v1", "v2");
  }

  @Test
  void honoursExplicitVersionEvenWithoutTrafficWeight() {
    ingress.deploy(MODEL, "v1", 1.0);
    ingress.deploy(MODEL, "v2", 0.0);
    ingress.send("k", text("r-1", "hello").setModelVersion("v2"));

    assertThat(inference.readValue().getModelVersion()).isEqualTo("v2");
  }

  @Test
  void sendsShadowVersionsACopyMarkedShadow() {
    ingress.deploy(MODEL, "v1", 1.0);
    ingress.deploy(IngressHarness.deployment(MODEL, "v2-shadow", 0.0).setShadow(true).build());
    ingress.send("key-1", text("r-1", "hello"));

    List<TestRecord<byte[], PreparedRequest>> routed = inference.readRecordsToList();
    assertThat(routed).hasSize(2);
    assertThat(routed).extracting(TestRecord::key).containsOnly(utf8("key-1"));
    PreparedRequest primary = routed.get(0).value();
    PreparedRequest shadow = routed.get(1).value();
    assertThat(primary.getModelVersion()).isEqualTo("v1");
    assertThat(primary.getShadow()).isFalse();
    assertThat(shadow.getModelVersion()).isEqualTo("v2-shadow");
    assertThat(shadow.getShadow()).isTrue();
    assertThat(shadow.getRequestId()).isEqualTo(primary.getRequestId());
    assertThat(shadow.getContentKey()).isEqualTo(primary.getContentKey());
    assertThat(ingress.count(IngressMetrics.ROUTED, "version", "v2-shadow", "shadow", "true")).isEqualTo(1.0);
    assertThat(ingress.count(IngressMetrics.ROUTED, "version", "v1", "shadow", "false")).isEqualTo(1.0);
  }

  @Test
  void splitsTenThousandKeysNinetyTenAndKeepsEachKeyOnItsVersion() {
    ingress.deploy(MODEL, "v1", 0.9);
    ingress.deploy(MODEL, "v2", 0.1);
    byte[] value = ingress.encode(text("r", "same body").build());
    int keys = 10_000;
    for (int i = 0; i < keys; i++) {
      ingress.sendRaw(utf8("user-" + i), value, new RecordHeaders());
    }
    Map<String, String> firstVersion = new HashMap<>();
    int v1 = 0;
    for (TestRecord<byte[], PreparedRequest> record : inference.readRecordsToList()) {
      String version = record.value().getModelVersion();
      firstVersion.put(new String(record.key(), java.nio.charset.StandardCharsets.UTF_8), version);
      v1 += version.equals("v1") ? 1 : 0;
    }
    assertThat(firstVersion).hasSize(keys);
    assertThat(v1 / (double) keys).isBetween(0.88, 0.92);

    for (int i = 0; i < 1_000; i++) {
      ingress.sendRaw(utf8("user-" + i), value, new RecordHeaders());
    }
    for (TestRecord<byte[], PreparedRequest> record : inference.readRecordsToList()) {
      String key = new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(record.value().getModelVersion()).as("version of %s", key).isEqualTo(firstVersion.get(key));
    }
  }

  @Test
  void usesRequestIdAsRoutingKeyWhenTheRecordHasNoKey() {
    ingress.deploy(MODEL, "v1", 0.5);
    ingress.deploy(MODEL, "v2", 0.5);
    for (int i = 0; i < 20; i++) {
      ingress.send(null, text("same-id", "hello"));
    }
    for (int i = 0; i < 50; i++) {
      ingress.send(null, text("id-" + i, "hello"));
    }

    List<String> versions = inference.readValuesToList().stream().map(PreparedRequest::getModelVersion).toList();
    assertThat(versions.subList(0, 20)).containsOnly(versions.get(0));
    assertThat(versions.subList(20, 70)).contains("v1", "v2");
  }

  @Test
  void keepsEachModelsDeployedVersionsUnderTheModelInTheRegistryStore() {
    ingress.deploy(MODEL, "v1", 0.5);
    ingress.deploy(MODEL, "v2", 0.5);
    ingress.deploy("other", "v1", 1.0);
    ingress.undeploy("other", "v1");
    KeyValueStore<String, byte[]> registry = ingress.driver.getKeyValueStore(IngressStores.MODELS);

    assertThat(ModelVersions.decode(registry.get(MODEL)).keySet()).containsExactly(MODEL + "/v1", MODEL + "/v2");
    assertThat(registry.get("other")).as("removed with its last version").isNull();
  }

  @Test
  void skipsUndecodableRegistryRecordsAndKeepsTheRegistryWorking() {
    ingress.driver.createInputTopic(ingress.topics.models(), new ByteArraySerializer(), new ByteArraySerializer())
        .pipeInput(utf8(MODEL + "/v0"), utf8("garbage"));
    ingress.deploy(MODEL, "v1", 1.0);
    ingress.send("k", text("r-1", "hello"));

    assertThat(inference.readValue().getModelVersion()).isEqualTo("v1");
  }
}
