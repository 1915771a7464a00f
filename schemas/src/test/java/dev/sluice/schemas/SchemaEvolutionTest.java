package dev.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.registry.CompatibilityLevel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Holds every topic contract against all of its released versions (files under
 * {@code src/test/resources/released/<Record>/vN.avsc}) and fails on a BACKWARD break: a new
 * reader must read everything ever written. When a contract changes compatibly and ships, add its
 * schema as the next {@code vN.avsc}.
 */
class SchemaEvolutionTest {

  static Stream<Schema> contracts() {
    return Contracts.ALL.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contracts")
  void currentSchemaReadsEveryReleasedVersion(Schema current) {
    List<Schema> released = released(current.getName());

    assertThat(released).as("released versions of %s", current.getName()).isNotEmpty();
    assertThat(CompatibilityLevel.BACKWARD_TRANSITIVE.check(current, released))
        .as("BACKWARD incompatibilities of %s against its released versions", current.getName())
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contracts")
  void everyFieldIsDocumented(Schema current) {
    assertThat(current.getDoc()).as("doc of %s", current.getName()).isNotBlank();
    assertThat(current.getFields())
        .allSatisfy(field -> assertThat(field.doc()).as("doc of %s.%s", current.getName(), field.name()).isNotBlank());
  }

  @Test
  void guardRefusesAFieldAddedWithoutDefault() {
    Schema released = released("Feedback").get(0);
    Schema broken = SchemaBuilder.record("Feedback").namespace("dev.sluice.avro").fields()
        .requiredString("request_id").optionalString("model").requiredString("label")
        .name("observed_at").type(released.getField("observed_at").schema()).noDefault()
        .optionalString("source")
        .requiredInt("confidence")
        .endRecord();

    assertThat(CompatibilityLevel.BACKWARD_TRANSITIVE.check(broken, List.of(released)))
        .singleElement().asString().contains("confidence");
  }

  @Test
  void guardRefusesARetypedField() {
    Schema released = released("Feedback").get(0);
    List<Schema.Field> fields = released.getFields().stream()
        .map(f -> f.name().equals("label")
            ? new Schema.Field(f.name(), Schema.create(Schema.Type.INT), f.doc())
            : new Schema.Field(f, f.schema()))
        .toList();
    Schema broken = Schema.createRecord(released.getName(), released.getDoc(), released.getNamespace(), false, fields);

    assertThat(CompatibilityLevel.BACKWARD.check(broken, List.of(released))).singleElement().asString().contains("TYPE_MISMATCH at /fields/2/type");
  }

  private static List<Schema> released(String record) {
    URL url = SchemaEvolutionTest.class.getResource("/released/" + record);
    if (url == null) {
      throw new AssertionError("no released versions of " + record + " under src/test/resources/released: add v1.avsc");
    }
    try {
      Path dir = Path.of(url.toURI());
      try (Stream<Path> files = Files.list(dir)) {
        return files.filter(f -> f.getFileName().toString().matches("v\\d+\\.avsc"))
            .sorted((a, b) -> Integer.compare(version(a), version(b)))
            .map(SchemaEvolutionTest::parse)
            .toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int version(Path file) {
    String name = file.getFileName().toString();
    return Integer.parseInt(name.substring(1, name.indexOf('.')));
  }

  private static Schema parse(Path file) {
    try {
      return new Schema.Parser().parse(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
