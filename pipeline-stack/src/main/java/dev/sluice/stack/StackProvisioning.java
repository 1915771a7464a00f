package dev.sluice.stack;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.platform.KafkaAdmins;
import dev.sluice.platform.UserError;
import dev.sluice.platform.models.ModelRegistryTopic;
import dev.sluice.platform.topics.SubjectOutcome;
import dev.sluice.platform.topics.SubjectProvisioner;
import dev.sluice.platform.topics.TopicOutcome;
import dev.sluice.platform.topics.TopicProvisioner;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.schemas.topics.TopicSettings;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * What the pipeline needs on its cluster before a component starts: its topics, every topic's
 * value schema published in the registry, and the bundled model in the model registry when no
 * version of it is there (so a resumed data directory keeps its traffic split).
 */
final class StackProvisioning {
  private final PipelineTopics topics;
  private final Map<String, Object> clientProperties;
  private final String schemaRegistryUrl;
  private final PrintWriter progress;

  StackProvisioning(PipelineTopics topics, Map<String, Object> clientProperties, String schemaRegistryUrl, PrintWriter progress) {
    this.topics = topics;
    this.clientProperties = Map.copyOf(clientProperties);
    this.schemaRegistryUrl = schemaRegistryUrl;
    this.progress = progress;
  }

  /** Creates the topics that are missing. */
  void ensureTopics(TopicSettings settings) throws InterruptedException {
    try (Admin admin = KafkaAdmins.connect(clientProperties)) {
      List<TopicOutcome> outcomes = new TopicProvisioner(admin, KafkaAdmins.TIMEOUT).ensure(topics.specs(settings, List.of(BundledModel.NAME)));
      long created = outcomes.stream().filter(o -> o instanceof TopicOutcome.Created).count();
      PipelineStack.step(progress, "Topics: " + created + " created, " + (outcomes.size() - created) + " already there");
    }
  }

  /**
   * Publishes the contracts, then registers the bundled model unless the model registry knows a version of it.
   *
   * @return the bundled model's deployments as registered now
   */
  List<ModelDeployment> publishContractsAndRegisterModel() {
    try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(schemaRegistryUrl))) {
      publishContracts(registry);
      ModelRegistryTopic models = new ModelRegistryTopic(topics.models(), clientProperties, registry);
      List<ModelDeployment> current = models.read();
      boolean known = current.stream().anyMatch(d -> d.getModel().equals(BundledModel.NAME));
      if (!known) {
        models.write(BundledModel.deployments(Instant.ofEpochMilli(System.currentTimeMillis())));
        current = models.read();
        PipelineStack.step(progress, "Registered model " + BundledModel.NAME + ": " + BundledModel.FP32 + " (fp32) 90 %, "
            + BundledModel.QUANTIZED + " (quantized) 10 %");
      } else {
        PipelineStack.step(progress, "Model " + BundledModel.NAME + " already registered; keeping its versions and traffic split");
      }
      return current.stream().filter(d -> d.getModel().equals(BundledModel.NAME)).toList();
    }
  }

  /** Registers every topic's value schema, so a client no one here wrote finds it before the pipeline has written anything. */
  private void publishContracts(SchemaRegistryClient registry) {
    List<SubjectOutcome> outcomes = new SubjectProvisioner(registry).ensure(topics.valueContracts(List.of(BundledModel.NAME)));
    for (SubjectOutcome outcome : outcomes) {
      if (outcome instanceof SubjectOutcome.Refused refused) {
        throw new UserError("the schema registry at " + schemaRegistryUrl + " refuses the contract of " + refused.contract().subject()
            + " under its compatibility level: " + refused.reason());
      }
    }
    long registered = outcomes.stream().filter(o -> o instanceof SubjectOutcome.Registered).count();
    PipelineStack.step(progress, "Contracts: " + registered + " subjects registered, " + (outcomes.size() - registered) + " already there");
  }
}
