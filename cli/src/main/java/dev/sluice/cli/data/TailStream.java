package dev.sluice.cli.data;

import dev.sluice.avro.Alert;
import dev.sluice.avro.AuditEvent;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.MetricEvent;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.schemas.topics.PipelineTopics;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** What {@code sluice tail} can follow: a topic of the pipeline and the record type on it. */
enum TailStream {
  RESULTS("results", PipelineTopics::results, InferenceResult.class),
  SHADOW("shadow", PipelineTopics::shadowResults, InferenceResult.class),
  REJECTED("rejected", PipelineTopics::rejected, RejectedRequest.class),
  METRICS("metrics", PipelineTopics::metrics, MetricsSnapshot.class),
  EVENTS("events", PipelineTopics::metricEvents, MetricEvent.class),
  ALERTS("alerts", PipelineTopics::alerts, Alert.class),
  AUDIT("audit", PipelineTopics::audit, AuditEvent.class);

  private final String word;
  private final Function<PipelineTopics, String> topic;
  private final Class<? extends SpecificRecord> type;

  TailStream(String word, Function<PipelineTopics, String> topic, Class<? extends SpecificRecord> type) {
    this.word = word;
    this.topic = topic;
    this.type = type;
  }

  /** The topic under the given names. */
  String topic(PipelineTopics topics) {
    return topic.apply(topics);
  }

  /** The record type on the topic. */
  @SuppressWarnings("unchecked")
  Class<SpecificRecord> type() {
    return (Class<SpecificRecord>) type;
  }

  @Override
  public String toString() {
    return word;
  }

  /** Reads the lowercase word. */
  static final class Converter implements ITypeConverter<TailStream> {
    @Override
    public TailStream convert(String value) {
      return Arrays.stream(values()).filter(s -> s.word.equals(value)).findFirst()
          .orElseThrow(() -> new TypeConversionException("expected one of " + Arrays.toString(values()) + ", got " + value));
    }
  }

  /** The words, for --help. */
  static final class Words implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(values()).map(TailStream::toString).iterator();
    }
  }
}
