package dev.sluice.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class WireTextTest {

  private static InferenceRequest text(String text) {
    return InferenceRequest.newBuilder().setRequestId("r").setModel("m").setCreatedAt(Instant.EPOCH).setInput(new TextInput(text)).build();
  }

  private static byte[] encode(InferenceRequest request) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<>(InferenceRequest.class).write(request, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static InferenceRequest decode(byte[] bytes) throws IOException {
    return new SpecificDatumReader<>(InferenceRequest.class).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
  }

  @Test
  void rejectsAnEncodedUnpairedSurrogateThatAvroDecodedAsAReplacementCharacter() throws IOException {
    byte[] wire = encode(text("ab-MARK-cd"));
    int at = new String(wire, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("MARK");
    wire[at] = (byte) 0xED;
    wire[at + 1] = (byte) 0xA0;
    wire[at + 2] = (byte) 0x80;
    InferenceRequest decoded = decode(wire);
    assertThat(decoded.getInput().toString()).contains("\uFFFD");

    Outcome<InferenceRequest> outcome = WireText.check(decoded, wire);

    assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, rejected -> {
      assertThat(rejected.reason()).isEqualTo(ReasonCode.INVALID_TEXT);
      assertThat(rejected.detail()).contains("not valid UTF-8 on the wire", "index 3");
    });
  }

  @Test
  void acceptsAReplacementCharacterTheProducerReallySent() throws IOException {
    InferenceRequest request = text("a genuine \uFFFD in the text");
    byte[] wire = encode(request);

    assertThat(WireText.check(decode(wire), wire)).isEqualTo(Outcome.accepted(decode(wire)));
  }

  @Test
  void acceptsWellFormedTextAndInputsThatAreNotText() throws IOException {
    InferenceRequest plain = text("plain text");
    InferenceRequest tensor = InferenceRequest.newBuilder(plain).setInput(new TensorInput(List.of(1), List.of(0.5f))).build();

    assertThat(WireText.check(plain, encode(plain))).isInstanceOf(Outcome.Accepted.class);
    assertThat(WireText.check(tensor, new byte[] {1, 2})).isInstanceOf(Outcome.Accepted.class);
  }
}
