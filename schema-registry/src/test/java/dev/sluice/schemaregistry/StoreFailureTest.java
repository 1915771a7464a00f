package dev.sluice.schemaregistry;

import static dev.sluice.schemaregistry.TestSchemas.OTHER;
import static dev.sluice.schemaregistry.TestSchemas.V1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemaregistry.RegistryTestClient.Reply;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Store write failures surface as Confluent's 500 error codes and leave the state unchanged. */
class StoreFailureTest {

  private final FailingStore store = new FailingStore();
  private EmbeddedSchemaRegistry registry;
  private RegistryTestClient client;

  @BeforeEach
  void start() {
    registry = EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistryConfig.defaults("unused:9092").withPort(0), store);
    client = new RegistryTestClient(registry.url());
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void aFailedWriteIs500With50001AndRegistersNothing() {
    store.failNextAppendWith(new SchemaStoreException("broker gone", null));

    Reply reply = client.register("a-value", V1);

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.json()).isEqualTo(client.parse(
        "{\"error_code\":50001,\"message\":\"Register schema operation failed while writing to the Kafka store\"}"));
    assertThat(client.get("/subjects").json()).isEqualTo(client.parse("[]"));
  }

  @Test
  void anUnacknowledgedWriteIs500With50002AndItsIdIsNeverHandedOutAgain() {
    store.failNextAppendWith(new SchemaStoreTimeoutException("no ack", null));

    Reply reply = client.register("a-value", V1);

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.json()).isEqualTo(client.parse("{\"error_code\":50002,\"message\":\"Register schema operation timed out\"}"));
    assertThat(client.registerOk("b-value", OTHER)).isEqualTo(2);
  }

  @Test
  void aFailedConfigWriteIs50001AndKeepsTheOldLevel() {
    store.failNextAppendWith(new SchemaStoreException("broker gone", null));

    assertThat(client.put("/config", "{\"compatibility\":\"NONE\"}").errorCode()).isEqualTo(50001);
    assertThat(client.get("/config").json()).isEqualTo(client.parse("{\"compatibilityLevel\":\"BACKWARD\"}"));
  }

  /** An in-memory store whose next append can be made to fail. */
  private static final class FailingStore implements SchemaStore {
    private final InMemorySchemaStore delegate = new InMemorySchemaStore();
    private final AtomicReference<SchemaStoreException> nextFailure = new AtomicReference<>();

    void failNextAppendWith(SchemaStoreException failure) {
      nextFailure.set(failure);
    }

    @Override
    public void replay(Consumer<StoreRecord> sink) {
      delegate.replay(sink);
    }

    @Override
    public void append(StoreRecord record) {
      SchemaStoreException failure = nextFailure.getAndSet(null);
      if (failure != null) {
        throw failure;
      }
      delegate.append(record);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
