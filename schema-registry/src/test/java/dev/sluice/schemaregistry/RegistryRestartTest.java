package dev.sluice.schemaregistry;

import static dev.sluice.schemaregistry.TestSchemas.OTHER;
import static dev.sluice.schemaregistry.TestSchemas.V1;
import static dev.sluice.schemaregistry.TestSchemas.V2_WITH_DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** State rebuilt from the store's log, and id allocation under concurrent writes, without a broker. */
class RegistryRestartTest {

  private final EmbeddedSchemaRegistryConfig config = EmbeddedSchemaRegistryConfig.defaults("unused:9092").withPort(0);

  @Test
  void aNewRegistryOnTheSameStoreServesTheSameIdsVersionsDeletesAndLevels() {
    InMemorySchemaStore store = new InMemorySchemaStore();
    try (EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.start(config, store)) {
      RegistryTestClient client = new RegistryTestClient(first.url());
      client.registerOk("a-value", V1);
      client.registerOk("a-value", V2_WITH_DEFAULT);
      client.registerOk("b-value", OTHER);
      client.delete("/subjects/b-value");
      client.put("/config", "{\"compatibility\":\"FULL\"}");
      client.put("/config/a-value", "{\"compatibility\":\"NONE\"}");
    }

    try (EmbeddedSchemaRegistry second = EmbeddedSchemaRegistry.start(config, store)) {
      RegistryTestClient client = new RegistryTestClient(second.url());
      assertThat(client.get("/subjects").json()).isEqualTo(client.parse("[\"a-value\"]"));
      assertThat(client.get("/subjects/a-value/versions/2").json().get("id").asInt()).isEqualTo(2);
      assertThat(client.get("/schemas/ids/3").status()).isEqualTo(200);
      assertThat(client.get("/config").json()).isEqualTo(client.parse("{\"compatibilityLevel\":\"FULL\"}"));
      assertThat(client.get("/config/a-value").json()).isEqualTo(client.parse("{\"compatibilityLevel\":\"NONE\"}"));
      assertThat(client.registerOk("c-value", "\"string\"")).isEqualTo(4);
    }
  }

  @Test
  void concurrentRegistrationsOfDifferentSchemasGetDistinctIds() throws Exception {
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(config, new InMemorySchemaStore())) {
      RegistryTestClient client = new RegistryTestClient(registry.url());
      client.put("/config", "{\"compatibility\":\"NONE\"}");
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Integer>> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          String schema = "{\"type\":\"record\",\"name\":\"R" + i + "\",\"fields\":[{\"name\":\"f\",\"type\":\"int\"}]}";
          String subject = "s" + (i % 3) + "-value";
          ids.add(pool.submit(() -> client.registerOk(subject, schema)));
        }
        List<Integer> got = new ArrayList<>();
        for (Future<Integer> id : ids) {
          got.add(id.get());
        }
        assertThat(got).doesNotHaveDuplicates().allMatch(id -> id >= 1 && id <= 20);
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
