package dev.sluice.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class KafkaHeaderCarrierTest {
  private static final String PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  private static final String OTHER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private final KafkaHeaderCarrier carrier = KafkaHeaderCarrier.INSTANCE;

  @Test
  void readsTheLastValueOfAHeaderAsText() {
    RecordHeaders headers = headers("traceparent", OTHER, "traceparent", PARENT);

    assertThat(carrier.get(headers, "traceparent")).isEqualTo(PARENT);
  }

  @Test
  void readsAnAbsentOrEmptyHeaderAsNull() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("tracestate", new byte[0]);
    headers.add("nothing", null);

    assertThat(carrier.get(headers, "traceparent")).isNull();
    assertThat(carrier.get(headers, "tracestate")).isNull();
    assertThat(carrier.get(headers, "nothing")).isNull();
    assertThat(carrier.get(null, "traceparent")).isNull();
  }

  @Test
  void listsEachHeaderNameOnce() {
    RecordHeaders headers = headers("traceparent", PARENT, "sluice.reply.partition", "3", "traceparent", OTHER);

    assertThat(carrier.keys(headers)).containsExactly("traceparent", "sluice.reply.partition");
  }

  @Test
  void replacesEveryEarlierValueRatherThanAppendingASecond() {
    RecordHeaders headers = headers("traceparent", OTHER, "sluice.reply.partition", "3", "traceparent", OTHER);

    carrier.set(headers, "traceparent", PARENT);

    assertThat(headers.toArray()).extracting(Header::key).containsExactly("sluice.reply.partition", "traceparent");
    assertThat(new String(headers.lastHeader("traceparent").value(), StandardCharsets.UTF_8)).isEqualTo(PARENT);
  }

  private static RecordHeaders headers(String... namesAndValues) {
    RecordHeaders headers = new RecordHeaders();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return headers;
  }
}
