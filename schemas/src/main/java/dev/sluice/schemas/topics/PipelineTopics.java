package dev.sluice.schemas.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The names of the pipeline's topics under one prefix (default {@code sluice}), and the shape
 * each should have. Every component takes its topic names from here so they cannot drift apart.
 *
 * @param prefix the topic-name prefix, e.g. {@code sluice} gives {@code sluice.requests}
 */
public record PipelineTopics(String prefix) {
  /** The default prefix. */
  public static final String DEFAULT_PREFIX = "sluice";
  /** The schema registry's storage topic; not under the prefix, as Confluent's registry names it. */
  public static final String SCHEMAS = "_schemas";

  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");

  public PipelineTopics {
    if (prefix == null || prefix.isEmpty() || !LEGAL.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "Invalid value " + prefix + " for configuration topic.prefix: must be non-empty and use only letters, digits, '.', '_' and '-'");
    }
  }

  /** Topics under the default prefix. */
  public static PipelineTopics defaults() {
    return new PipelineTopics(DEFAULT_PREFIX);
  }

  /** Inference requests from upstream producers (InferenceRequest). */
  public String requests() {
    return prefix + ".requests";
  }

  /** Dead letters of the ingress (RejectedRequest). */
  public String rejected() {
    return prefix + ".requests.rejected";
  }

  /** Prepared requests for one model's workers (PreparedRequest). */
  public String inference(String model) {
    if (model == null || !LEGAL.matcher(model).matches()) {
      throw new IllegalArgumentException("Invalid model name " + model + ": must use only letters, digits, '.', '_' and '-'");
    }
    return prefix + ".inference." + model;
  }

  /** Results served to consumers (InferenceResult). */
  public String results() {
    return prefix + ".results";
  }

  /** Results of shadow versions, never served (InferenceResult). */
  public String shadowResults() {
    return prefix + ".results.shadow";
  }

  /** Per-batch and per-request observations from the workers (MetricEvent). */
  public String metricEvents() {
    return prefix + ".metrics.events";
  }

  /** Windowed aggregates (MetricsSnapshot). */
  public String metrics() {
    return prefix + ".metrics";
  }

  /** Anomaly alerts from the monitoring topology. */
  public String alerts() {
    return prefix + ".alerts";
  }

  /** Ground-truth labels (Feedback). */
  public String feedback() {
    return prefix + ".feedback";
  }

  /** The model registry, compacted (ModelDeployment keyed by model and version). */
  public String models() {
    return prefix + ".models";
  }

  /**
   * The topics the pipeline needs, shaped by the given settings: the model registry and the
   * schema store are compacted single-partition topics, the rest delete by age.
   *
   * @param settings partition count, replication and min ISR for the cluster at hand
   * @param models models whose inference topics to include
   */
  public List<TopicSpec> specs(TopicSettings settings, Collection<String> models) {
    List<TopicSpec> specs = new ArrayList<>();
    for (String name : List.of(requests(), rejected(), results(), shadowResults(), metricEvents(), metrics(), alerts(), feedback())) {
      specs.add(settings.deleting(name, settings.partitions()));
    }
    for (String model : models) {
      specs.add(settings.deleting(inference(model), settings.partitions()));
    }
    specs.add(settings.compacted(models(), 1));
    specs.add(settings.compacted(SCHEMAS, 1));
    return List.copyOf(specs);
  }
}
