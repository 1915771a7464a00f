package dev.sluice.schemaregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.schemas.registry.CompatibilityLevel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code _schemas} topic layout: Confluent's keys and values, and the round trip. */
class StoreRecordCodecTest {

  private final ObjectMapper mapper = new ObjectMapper();
  private final StoreRecordCodec codec = new StoreRecordCodec(mapper);

  @Test
  void writesConfluentsKeyAndValueLayout() throws Exception {
    SubjectVersion version = new SubjectVersion("a-value", 2, 7, "\"string\"", false);

    assertThat(mapper.readTree(codec.key(version)))
        .isEqualTo(mapper.readTree("{\"keytype\":\"SCHEMA\",\"subject\":\"a-value\",\"version\":2,\"magic\":1}"));
    assertThat(mapper.readTree(codec.value(version)))
        .isEqualTo(mapper.readTree("{\"subject\":\"a-value\",\"version\":2,\"id\":7,\"schema\":\"\\\"string\\\"\",\"deleted\":false}"));
    assertThat(mapper.readTree(codec.key(new StoreRecord.CompatibilitySet(Optional.empty(), CompatibilityLevel.FULL))))
        .isEqualTo(mapper.readTree("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}"));
    assertThat(mapper.readTree(codec.key(new StoreRecord.SubjectDeleted("a-value", 2))))
        .isEqualTo(mapper.readTree("{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"a-value\",\"magic\":0}"));
  }

  @Test
  void tombstonesHaveNoValueAndShareTheKeyTheyRemove() {
    SubjectVersion version = new SubjectVersion("a-value", 1, 1, "\"int\"", true);
    StoreRecord.VersionErased erased = new StoreRecord.VersionErased("a-value", 1);
    StoreRecord.CompatibilityCleared cleared = new StoreRecord.CompatibilityCleared(Optional.of("a-value"));

    assertThat(codec.value(erased)).isNull();
    assertThat(codec.value(cleared)).isNull();
    assertThat(codec.key(erased)).isEqualTo(codec.key(version));
    assertThat(codec.key(cleared)).isEqualTo(codec.key(new StoreRecord.CompatibilitySet(Optional.of("a-value"), CompatibilityLevel.NONE)));
  }

  @Test
  void everyRecordReadsBackAsItself() {
    List<StoreRecord> records = List.of(
        new SubjectVersion("a-value", 3, 9, "\"long\"", true),
        new StoreRecord.VersionErased("a-value", 3),
        new StoreRecord.SubjectDeleted("a-value", 3),
        new StoreRecord.CompatibilitySet(Optional.empty(), CompatibilityLevel.FORWARD_TRANSITIVE),
        new StoreRecord.CompatibilitySet(Optional.of("a-value"), CompatibilityLevel.NONE),
        new StoreRecord.CompatibilityCleared(Optional.empty()),
        new StoreRecord.CompatibilityCleared(Optional.of("a-value")));

    for (StoreRecord record : records) {
      assertThat(codec.decode(codec.key(record), codec.value(record))).contains(record);
    }
  }

  @Test
  void keyTypesTheRegistryDoesNotUseAreSkipped() {
    byte[] noop = "{\"keytype\":\"NOOP\",\"magic\":0}".getBytes(StandardCharsets.UTF_8);

    assertThat(codec.decode(noop, null)).isEmpty();
  }

  @Test
  void nonAvroSchemasAndGarbageFailLoudly() {
    byte[] key = "{\"keytype\":\"SCHEMA\",\"subject\":\"p\",\"version\":1,\"magic\":1}".getBytes(StandardCharsets.UTF_8);
    byte[] protobuf = "{\"subject\":\"p\",\"version\":1,\"id\":1,\"schemaType\":\"PROTOBUF\",\"schema\":\"x\"}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> codec.decode(key, protobuf)).isInstanceOf(SchemaStoreException.class).hasMessageContaining("only AVRO");
    assertThatThrownBy(() -> codec.decode("not json".getBytes(StandardCharsets.UTF_8), null)).isInstanceOf(SchemaStoreException.class);
  }
}
