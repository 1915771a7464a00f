package dev.sluice.topology.ingress;

import static dev.sluice.topology.ingress.IngressHarness.MODEL;
import static dev.sluice.topology.ingress.IngressHarness.text;
import static dev.sluice.topology.ingress.IngressHarness.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Stage;
import dev.sluice.schemas.serde.WireFormat;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngressDecodeTest {
  @TempDir Path stateDir;
  IngressHarness ingress;

  @BeforeEach
  void start() {
    ingress = new IngressHarness(stateDir);
    ingress.deploy(MODEL, "v1", 1.0);
  }

  @AfterEach
  void stop() {
    ingress.close();
  }

  @Test
  void deadLettersGarbageBytesWithOriginalBytesAndSourcePosition() {
    byte[] garbage = utf8("{\"not\": \"avro\"}");
    ingress.sendRaw(utf8("k-1"), garbage, new RecordHeaders());

    TestRecord<byte[], RejectedRequest> record = ingress.rejected.readRecord();
    RejectedRequest rejection = record.value();
    assertThat(record.key()).isEqualTo(utf8("k-1"));
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.DESERIALIZATION_FAILED);
    assertThat(rejection.getStage()).isEqualTo(Stage.DECODE);
    assertThat(rejection.getDetail()).contains("Unknown magic byte 0x7b").contains("partition 0 offset 0");
    assertThat(bytes(rejection.getOriginalKey())).isEqualTo(utf8("k-1"));
    assertThat(bytes(rejection.getOriginalValue())).isEqualTo(garbage);
    assertThat(rejection.getSource().getTopic()).isEqualTo("sluice.requests");
    assertThat(rejection.getSource().getPartition()).isZero();
    assertThat(rejection.getSource().getOffset()).isZero();
    assertThat(rejection.getRejectedAt()).isEqualTo(IngressHarness.T0);
    assertThat(rejection.getRequestId()).isNull();
  }

  @Test
  void deadLettersWrongMagicByteAsDeserializationFailed() {
    byte[] valid = ingress.encode(text("r-1", "hello").build());
    byte[] wrongMagic = Arrays.copyOf(valid, valid.length);
    wrongMagic[0] = 1;
    ingress.sendRaw(null, wrongMagic, new RecordHeaders());

    RejectedRequest rejection = ingress.rejected.readValue();
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.DESERIALIZATION_FAILED);
    assertThat(rejection.getDetail()).contains("Unknown magic byte 0x01");
    assertThat(bytes(rejection.getOriginalValue())).isEqualTo(wrongMagic);
    assertThat(rejection.getOriginalKey()).isNull();
  }

  @Test
  void deadLettersUnknownSchemaIdAsDeserializationFailed() {
    byte[] valid = ingress.encode(text("r-1", "hello").build());
    byte[] unknownId = WireFormat.frame(4242, Arrays.copyOfRange(valid, WireFormat.HEADER_SIZE, valid.length));
    ingress.sendRaw(utf8("k"), unknownId, new RecordHeaders());

    RejectedRequest rejection = ingress.rejected.readValue();
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.DESERIALIZATION_FAILED);
    assertThat(rejection.getStage()).isEqualTo(Stage.DECODE);
    assertThat(rejection.getDetail()).contains("Unknown schema id 4242");
    assertThat(bytes(rejection.getOriginalValue())).isEqualTo(unknownId);
  }

  @Test
  void deadLettersTruncatedAvroPayloadAsDeserializationFailed() {
    byte[] valid = ingress.encode(text("r-1", "hello").build());
    byte[] truncated = Arrays.copyOf(valid, valid.length - 4);
    ingress.sendRaw(utf8("k"), truncated, new RecordHeaders());

    RejectedRequest rejection = ingress.rejected.readValue();
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.DESERIALIZATION_FAILED);
    assertThat(rejection.getDetail()).contains("Malformed Avro payload");
  }

  @Test
  void deadLettersTombstoneInsteadOfDroppingIt() {
    ingress.sendRaw(utf8("k"), null, new RecordHeaders());

    RejectedRequest rejection = ingress.rejected.readValue();
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.DESERIALIZATION_FAILED);
    assertThat(rejection.getDetail()).contains("tombstone");
    assertThat(rejection.getOriginalValue()).isNull();
  }

  @Test
  void keepsRoutingValidRequestsAfterPoisonRecords() {
    ingress.sendRaw(utf8("k-1"), new byte[] {0}, new RecordHeaders());
    ingress.sendRaw(utf8("k-2"), new byte[0], new RecordHeaders());
    ingress.send("k-3", text("r-3", "still flowing"));

    assertThat(ingress.rejected.readValuesToList()).hasSize(2)
        .allSatisfy(r -> assertThat(r.getReason()).isEqualTo(ReasonCode.DESERIALIZATION_FAILED));
    assertThat(ingress.inference(MODEL).readValue().getRequestId()).isEqualTo("r-3");
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
