package dev.sluice.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.avro.InferenceResult;
import dev.sluice.schemas.testing.Samples;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class AvroJsonTest {

  @Test
  void resultBecomesPlainJsonWithTheEmbeddingAsAnArray() {
    JsonNode json = AvroJson.of(Samples.embeddingResult("r-1"));

    assertThat(json.get("request_id").asText()).isEqualTo("r-1");
    assertThat(json.get("status").asText()).isEqualTo("OK");
    assertThat(json.get("output").get("vector").isArray()).isTrue();
    assertThat(json.get("output").get("vector")).hasSize(5);
    assertThat(json.get("output").get("vector").get(2).floatValue()).isEqualTo(0.1f);
    assertThat(json.get("timings").get("end_to_end_ms").doubleValue()).isEqualTo(12.34);
    assertThat(json.get("completed_at").asText()).isEqualTo("2030-01-01T00:00:00Z");
    assertThat(json.get("error").isNull()).isTrue();
    assertThat(json.get("attributes").isObject()).isTrue();
  }

  @Test
  void decodedArraysStayArrays() throws Exception {
    InferenceResult decoded = InferenceResult.getDecoder().decode(InferenceResult.getEncoder().encode(Samples.embeddingResult("r-1")));

    assertThat(AvroJson.of(decoded).get("output").get("vector").isArray()).isTrue();
  }

  @Test
  void aGenericRecordsTimestampsAreInstantsToo() {
    InferenceResult result = Samples.embeddingResult("r-1");
    GenericRecord generic = (GenericRecord) GenericData.get().deepCopy(result.getSchema(), result);
    generic.put("completed_at", result.getCompletedAt().toEpochMilli());

    assertThat(AvroJson.of(generic).get("completed_at").asText()).isEqualTo("2030-01-01T00:00:00Z");
  }

  @Test
  void rejectionBytesAreBase64AndEnumsTheirNames() {
    JsonNode json = AvroJson.of(Samples.rejected("r-2"));

    assertThat(json.get("reason").asText()).isEqualTo("RATE_LIMITED");
    assertThat(json.get("original_value").asText()).isEqualTo("cmF3");
    assertThat(json.get("original_key").isNull()).isTrue();
  }
}
