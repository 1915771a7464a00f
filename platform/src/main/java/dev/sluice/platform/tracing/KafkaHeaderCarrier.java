package dev.sluice.platform.tracing;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Kafka record headers as a W3C trace-context carrier: reads the last value of a header as UTF-8
 * ({@code null} when absent or empty) and writes a header by replacing every earlier value, so a
 * record never carries two {@code traceparent} headers.
 */
public enum KafkaHeaderCarrier implements TextMapGetter<Headers>, TextMapSetter<Headers> {
  INSTANCE;

  @Override
  public Iterable<String> keys(Headers headers) {
    Set<String> keys = new LinkedHashSet<>();
    for (Header header : headers) {
      keys.add(header.key());
    }
    return keys;
  }

  @Override
  public String get(Headers headers, String key) {
    if (headers == null) {
      return null;
    }
    Header header = headers.lastHeader(key);
    byte[] value = header == null ? null : header.value();
    return value == null || value.length == 0 ? null : new String(value, StandardCharsets.UTF_8);
  }

  @Override
  public void set(Headers headers, String key, String value) {
    if (headers == null) {
      return;
    }
    headers.remove(key);
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
