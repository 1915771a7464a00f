package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.TabularInput;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A seeded generator of request records for fuzzing the ingress: well-formed requests of every
 * input type and the corruptions a foreign producer can send (random bytes, flipped, cut or
 * extended encodings, null values, timestamps at the ends of time, records without a timestamp,
 * NaN, invisible or huge text, huge keys and headers). Request ids and idempotency keys are unique per record.
 */
final class RequestFuzzer {
  private static final String[] INVISIBLE = {"\u200B", "\u00AD", "\uFEFF", "\u200C", "\u200D", "\u3164", "\uFE0F", "\u2060"};
  private static final long[] INSTANTS = {Long.MIN_VALUE / 1000, -8_640_000_000_000_000L, -1, 0, 946_684_799_999L, 8_640_000_000_000_000L,
      Long.MAX_VALUE / 1000};

  /** One generated record and what kind it is. */
  record Fuzzed(String kind, byte[] key, byte[] value, Headers headers, Instant timestamp) {}

  private final Random random;
  private final Instant now;
  private final Function<InferenceRequest, byte[]> encoder;

  RequestFuzzer(Random random, Instant now, Function<InferenceRequest, byte[]> encoder) {
    this.random = random;
    this.now = now;
    this.encoder = encoder;
  }

  Fuzzed next(long n) {
    String id = "fuzz-" + n;
    byte[] key = random.nextInt(20) == 0 ? new byte[random.nextInt(200_000)] : random.nextInt(10) == 0 ? null : id.getBytes(StandardCharsets.UTF_8);
    Headers headers = headers();
    int stamp = random.nextInt(40);
    Instant timestamp = stamp == 0 ? Instant.ofEpochMilli(-1) : stamp < 3 ? Instant.ofEpochMilli(random.nextInt(1000)) : now;
    int kind = random.nextInt(14);
    return switch (kind) {
      case 0 -> new Fuzzed("random bytes", key, bytes(random.nextInt(64)), headers, timestamp);
      case 1 -> new Fuzzed("null value", key, null, headers, timestamp);
      case 2 -> new Fuzzed("flipped bytes", key, flip(encoder.apply(valid(id).build())), headers, timestamp);
      case 3 -> new Fuzzed("cut encoding", key, cut(encoder.apply(valid(id).build())), headers, timestamp);
      case 4 -> new Fuzzed("extended encoding", key, extend(encoder.apply(valid(id).build())), headers, timestamp);
      case 5 -> new Fuzzed("timestamps at the ends of time", key, encoder.apply(valid(id).setCreatedAt(instant()).setDeadline(
          random.nextBoolean() ? instant() : null).build()), headers, timestamp);
      case 6 -> new Fuzzed("invisible text", key, encoder.apply(valid(id).setInput(new TextInput(invisible())).build()), headers, timestamp);
      case 7 -> new Fuzzed("huge text", key, encoder.apply(valid(id).setInput(new TextInput("w".repeat(1_000_000 + random.nextInt(600_000))))
          .build()), headers, timestamp);
      case 8 -> new Fuzzed("tensor", key, encoder.apply(valid(id).setInput(tensor()).build()), headers, timestamp);
      case 9 -> new Fuzzed("tabular", key, encoder.apply(valid(id).setInput(new TabularInput(Map.of("x", random.nextDouble()))).build()),
          headers, timestamp);
      case 10 -> new Fuzzed("unknown model", key, encoder.apply(valid(id).setModel("nope-" + random.nextInt(3)).build()), headers, timestamp);
      case 11 -> new Fuzzed("blank fields", key, encoder.apply(valid(random.nextBoolean() ? "" : id).setModel(random.nextBoolean() ? " " : "minilm")
          .build()), headers, timestamp);
      case 12 -> new Fuzzed("huge id and attributes", key, encoder.apply(valid(id + "x".repeat(random.nextInt(100_000)))
          .setAttributes(Map.of("a", "b".repeat(random.nextInt(100_000)))).setTraceparent("t".repeat(random.nextInt(10_000))).build()),
          headers, timestamp);
      default -> new Fuzzed("valid text", key, encoder.apply(valid(id).build()), headers, timestamp);
    };
  }

  private InferenceRequest.Builder valid(String id) {
    InferenceRequest.Builder builder = InferenceRequest.newBuilder().setRequestId(id).setModel("minilm")
        .setInput(new TextInput(text())).setCreatedAt(now.minusMillis(random.nextInt(1000)));
    if (random.nextInt(4) == 0) {
      builder.setIdempotencyKey("idem-" + id);
    }
    if (random.nextInt(4) == 0) {
      builder.setDeadline(now.plusSeconds(random.nextInt(120) - 30));
    }
    return builder;
  }

  private String text() {
    StringBuilder text = new StringBuilder();
    int words = 1 + random.nextInt(30);
    for (int i = 0; i < words; i++) {
      text.append(random.nextInt(8) == 0 ? new String(Character.toChars(random.nextInt(0x2FFFF))) : "word" + random.nextInt(100)).append(' ');
    }
    return text.toString();
  }

  private String invisible() {
    StringBuilder text = new StringBuilder();
    for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
      text.append(INVISIBLE[random.nextInt(INVISIBLE.length)]);
    }
    return text.toString();
  }

  private TensorInput tensor() {
    int n = 1 + random.nextInt(8);
    List<Float> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      values.add(random.nextInt(10) == 0 ? Float.NaN : random.nextFloat());
    }
    return new TensorInput(List.of(random.nextInt(5) == 0 ? n + 1 : n), values);
  }

  private Instant instant() {
    return Instant.ofEpochMilli(INSTANTS[random.nextInt(INSTANTS.length)]);
  }

  private Headers headers() {
    RecordHeaders headers = new RecordHeaders();
    if (random.nextInt(3) == 0) {
      headers.add("traceparent", bytes(random.nextInt(60)));
    }
    if (random.nextInt(25) == 0) {
      for (int i = 0; i < 40; i++) {
        headers.add("h" + i, new byte[20_000]);
      }
    }
    return headers;
  }

  private byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private byte[] flip(byte[] encoded) {
    byte[] copy = encoded.clone();
    for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
      copy[random.nextInt(copy.length)] ^= (byte) (1 + random.nextInt(255));
    }
    return copy;
  }

  private byte[] cut(byte[] encoded) {
    return Arrays.copyOf(encoded, random.nextInt(encoded.length));
  }

  private byte[] extend(byte[] encoded) {
    byte[] longer = Arrays.copyOf(encoded, encoded.length + 1 + random.nextInt(16));
    for (int i = encoded.length; i < longer.length; i++) {
      longer[i] = (byte) random.nextInt(256);
    }
    return longer;
  }
}
