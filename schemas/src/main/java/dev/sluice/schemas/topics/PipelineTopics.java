package dev.sluice.schemas.topics;

import dev.sluice.avro.Alert;
import dev.sluice.avro.AuditEvent;
import dev.sluice.avro.Feedback;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.MetricEvent;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelLoadState;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.RejectedRequest;
import java.util.ArrayList;
import org.apache.avro.Schema;
import java.util.Collection;
import java.util.List;
import java.util.Map;

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
  /** The value schema of {@link #replies()}: each reply is one of the two outcome records. */
  public static final Schema REPLY_SCHEMA = Schema.createUnion(InferenceResult.getClassSchema(), RejectedRequest.getClassSchema());

  public PipelineTopics {
    if (!isLegal(prefix)) {
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

  /**
   * Requests re-keyed by the ingress (InferenceRequest, the original bytes): a request with an
   * idempotency key that arrived on a partition of {@link #requests()} other than the one its
   * idempotency key hashes to is passed to that partition's task through this topic, so every
   * retry of a key meets the same dedup store however the producer keyed it. It must have as many
   * partitions as {@link #requests()}.
   */
  public String reroutedRequests() {
    return prefix + ".requests.rerouted";
  }

  /** Prepared requests for one model's workers (PreparedRequest). */
  public String inference(String model) {
    if (!isLegal(model)) {
      throw new IllegalArgumentException("Invalid model name " + model + ": must use only letters, digits, '.', '_' and '-'");
    }
    return prefix + ".inference." + model;
  }

  /** Results served to consumers (InferenceResult). */
  public String results() {
    return prefix + ".results";
  }

  /**
   * The ingress's result cache (InferenceResult keyed {@code tenant|model/version|content_key}):
   * the ingress re-keys the servable results of {@link #results()} onto it and reads it back as a
   * global table on every instance. Compacted (the latest result per key) and deleting by age:
   * its retention bounds what an ingress instance loads at start; set it near the ingress's
   * {@code ingress.cache.ttl.ms}, since older results are never served.
   */
  public String resultCache() {
    return prefix + ".results.cache";
  }

  /**
   * Copies of outcomes for request-reply callers such as the HTTP gateway: an InferenceResult or a
   * RejectedRequest per request that asked for one ({@link Replies}), on the partition it named.
   */
  public String replies() {
    return prefix + ".replies";
  }

  /** The HTTP gateway's audit trail: an AuditEvent per API call, allowed or refused. */
  public String audit() {
    return prefix + ".audit";
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

  /** Each worker's load state of each model version, compacted (ModelLoadState keyed by model, version and worker). */
  public String modelStatus() {
    return prefix + ".model-status";
  }

  /**
   * Whether a name part uses only letters, digits, '.', '_' and '-' (and is not empty). A loop
   * rather than a regular expression: the ingress checks a model name for every request.
   */
  private static boolean isLegal(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /**
   * The topics the pipeline needs, shaped by the given settings: the model registry and the
   * schema store are compacted single-partition topics, the result cache is compacted and
   * deletes by age ({@code cleanup.policy=compact,delete} with the settings' retention), the rest
   * delete by age.
   *
   * @param settings partition count, replication and min ISR for the cluster at hand
   * @param models models whose inference topics to include
   */
  public List<TopicSpec> specs(TopicSettings settings, Collection<String> models) {
    List<TopicSpec> specs = new ArrayList<>();
    for (String name : List.of(requests(), reroutedRequests(), rejected(), results(), replies(), shadowResults(), metricEvents(), metrics(), alerts(), feedback(), audit())) {
      specs.add(settings.deleting(name, settings.partitions()));
    }
    for (String model : models) {
      specs.add(settings.deleting(inference(model), settings.partitions()));
    }
    specs.add(new TopicSpec(resultCache(), settings.partitions(), settings.replicationFactor(), Map.of(
        "cleanup.policy", "compact,delete",
        "min.insync.replicas", Integer.toString(settings.minInsyncReplicas()),
        "retention.ms", Long.toString(settings.retentionMs()))));
    specs.add(settings.compacted(models(), 1));
    specs.add(settings.compacted(modelStatus(), 1));
    specs.add(settings.compacted(SCHEMAS, 1));
    return List.copyOf(specs);
  }

  /**
   * The value contract of every topic of the pipeline (the schema store's own topic has none):
   * what provisioning registers, so that a producer or consumer no one here wrote finds each
   * topic's schema under {@code <topic>-value} before any Sluice component has written to it.
   *
   * @param models models whose inference topics to include
   */
  public List<ValueContract> valueContracts(Collection<String> models) {
    List<ValueContract> contracts = new ArrayList<>(List.of(
        new ValueContract(requests(), InferenceRequest.getClassSchema()),
        new ValueContract(reroutedRequests(), InferenceRequest.getClassSchema()),
        new ValueContract(rejected(), RejectedRequest.getClassSchema()),
        new ValueContract(results(), InferenceResult.getClassSchema()),
        new ValueContract(replies(), REPLY_SCHEMA),
        new ValueContract(shadowResults(), InferenceResult.getClassSchema()),
        new ValueContract(metricEvents(), MetricEvent.getClassSchema()),
        new ValueContract(metrics(), MetricsSnapshot.getClassSchema()),
        new ValueContract(alerts(), Alert.getClassSchema()),
        new ValueContract(feedback(), Feedback.getClassSchema()),
        new ValueContract(audit(), AuditEvent.getClassSchema())));
    for (String model : models) {
      contracts.add(new ValueContract(inference(model), PreparedRequest.getClassSchema()));
    }
    contracts.add(new ValueContract(resultCache(), InferenceResult.getClassSchema()));
    contracts.add(new ValueContract(models(), ModelDeployment.getClassSchema()));
    contracts.add(new ValueContract(modelStatus(), ModelLoadState.getClassSchema()));
    return List.copyOf(contracts);
  }
}
