package dev.sluice.schemaregistry;

import static dev.sluice.schemaregistry.TestSchemas.OTHER;
import static dev.sluice.schemaregistry.TestSchemas.V1;
import static dev.sluice.schemaregistry.TestSchemas.V2_WITH_DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemaregistry.RegistryTestClient.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code DELETE /subjects/{subject}} and {@code DELETE /subjects/{subject}/versions/{version}}, soft and permanent. */
class DeleteApiTest extends InMemoryRegistryTest {

  @BeforeEach
  void registerTwoVersions() {
    client.registerOk("requests-value", V1);
    client.registerOk("requests-value", V2_WITH_DEFAULT);
  }

  @Test
  void softDeletingASubjectReturnsItsVersionsAndHidesIt() {
    Reply reply = client.delete("/subjects/requests-value");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json()).isEqualTo(client.parse("[1,2]"));
    assertThat(client.get("/subjects").json()).isEqualTo(client.parse("[]"));
    assertThat(client.get("/subjects?deleted=true").json()).isEqualTo(client.parse("[\"requests-value\"]"));
    assertThat(client.get("/subjects/requests-value/versions").errorCode()).isEqualTo(40401);
    assertThat(client.get("/subjects/requests-value/versions?deleted=true").json()).isEqualTo(client.parse("[1,2]"));
  }

  @Test
  void idsStayReadableAfterASoftDelete() {
    client.delete("/subjects/requests-value");

    assertThat(client.get("/schemas/ids/1").status()).isEqualTo(200);
  }

  @Test
  void softDeletingTwiceIs40404AndPermanentDeleteNeedsASoftDeleteFirst() {
    Reply permanentFirst = client.delete("/subjects/requests-value?permanent=true");
    client.delete("/subjects/requests-value");
    Reply again = client.delete("/subjects/requests-value");
    Reply permanent = client.delete("/subjects/requests-value?permanent=true");

    assertThat(permanentFirst.json()).isEqualTo(client.parse("{\"error_code\":40405,"
        + "\"message\":\"Subject 'requests-value' was not deleted first before being permanently deleted\"}"));
    assertThat(again.json()).isEqualTo(client.parse("{\"error_code\":40404,"
        + "\"message\":\"Subject 'requests-value' was soft deleted.Set permanent=true to delete permanently\"}"));
    assertThat(permanent.json()).isEqualTo(client.parse("[1,2]"));
    assertThat(client.get("/subjects?deleted=true").json()).isEqualTo(client.parse("[]"));
    assertThat(client.delete("/subjects/requests-value").errorCode()).isEqualTo(40401);
  }

  @Test
  void reRegisteringAfterASoftDeleteKeepsTheIdAndTakesTheNextVersion() {
    client.delete("/subjects/requests-value");

    assertThat(client.registerOk("requests-value", V1)).isEqualTo(1);
    assertThat(client.get("/subjects/requests-value/versions").json()).isEqualTo(client.parse("[3]"));
  }

  @Test
  void reRegisteringAfterAPermanentDeleteStartsAtVersionOneWithAFreshId() {
    client.delete("/subjects/requests-value");
    client.delete("/subjects/requests-value?permanent=true");

    assertThat(client.registerOk("requests-value", OTHER)).isEqualTo(3);
    assertThat(client.get("/subjects/requests-value/versions").json()).isEqualTo(client.parse("[1]"));
  }

  @Test
  void deletingAVersionReturnsItsNumberAndHidesOnlyThatVersion() {
    Reply reply = client.delete("/subjects/requests-value/versions/1");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json()).isEqualTo(client.parse("1"));
    assertThat(client.get("/subjects/requests-value/versions").json()).isEqualTo(client.parse("[2]"));
    assertThat(client.get("/subjects/requests-value/versions/1").errorCode()).isEqualTo(40402);
    assertThat(client.get("/subjects/requests-value/versions/1?deleted=true").status()).isEqualTo(200);
  }

  @Test
  void deletingLatestDeletesTheNewestLiveVersion() {
    assertThat(client.delete("/subjects/requests-value/versions/latest").json()).isEqualTo(client.parse("2"));
    assertThat(client.get("/subjects/requests-value/versions/latest").json().get("version").asInt()).isEqualTo(1);
  }

  @Test
  void versionDeleteErrorsCarryConfluentsCodes() {
    client.delete("/subjects/requests-value/versions/1");

    Reply again = client.delete("/subjects/requests-value/versions/1");
    Reply permanentLive = client.delete("/subjects/requests-value/versions/2?permanent=true");

    assertThat(again.json()).isEqualTo(client.parse("{\"error_code\":40406,"
        + "\"message\":\"Subject 'requests-value' Version 1 was soft deleted.Set permanent=true to delete permanently\"}"));
    assertThat(permanentLive.json()).isEqualTo(client.parse("{\"error_code\":40407,"
        + "\"message\":\"Subject 'requests-value' Version 2 was not deleted first before being permanently deleted\"}"));
    assertThat(client.delete("/subjects/requests-value/versions/9").errorCode()).isEqualTo(40402);
    assertThat(client.delete("/subjects/nope/versions/1").errorCode()).isEqualTo(40401);
    assertThat(client.delete("/subjects/requests-value/versions/zero").errorCode()).isEqualTo(42202);
  }

  @Test
  void permanentlyDeletingASoftDeletedVersionRemovesItForGood() {
    client.delete("/subjects/requests-value/versions/1");

    assertThat(client.delete("/subjects/requests-value/versions/1?permanent=true").json()).isEqualTo(client.parse("1"));
    assertThat(client.get("/subjects/requests-value/versions?deleted=true").json()).isEqualTo(client.parse("[2]"));
  }
}
