package dev.sluice.cli.models;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelLoadState;
import dev.sluice.cli.ClusterClients;
import dev.sluice.cli.ClusterOptions;
import dev.sluice.cli.PrefixOption;
import dev.sluice.platform.KafkaAdmins;
import dev.sluice.platform.UserError;
import dev.sluice.platform.models.ModelRegistry;
import dev.sluice.platform.models.ModelRegistrySnapshot;
import dev.sluice.platform.models.ModelStatus;
import dev.sluice.platform.models.ModelStatusSnapshot;
import dev.sluice.platform.models.TrafficChange;
import dev.sluice.schemas.registry.SchemaRegistryException;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.ModelKey;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;

/**
 * What the {@code sluice models} commands share: the registry topic checked to exist, read to its
 * end and written, every failure of Kafka or the schema registry turned into one line.
 */
final class ModelRegistrySession implements AutoCloseable {
  private final ClusterClients clients;
  private final ModelRegistry registry;
  private final String topic;
  private final PrefixOption prefix;

  private ModelRegistrySession(ClusterClients clients, PrefixOption prefix) {
    this.clients = clients;
    this.prefix = prefix;
    this.topic = prefix.topics().models();
    this.registry = new ModelRegistry(topic, new AvroDeserializer<>(ModelDeployment.class, clients.registry()),
        new AvroSerializer<>(clients.registry()), KafkaAdmins.TIMEOUT);
  }

  /** Checks that Kafka answers and the registry topic exists. */
  static ModelRegistrySession open(ClusterOptions cluster, PrefixOption prefix) throws InterruptedException {
    String topic = prefix.topics().models();
    ClusterClients clients = new ClusterClients(cluster);
    try {
      clients.requireTopics(List.of(topic), prefix.createHint());
      return new ModelRegistrySession(clients, prefix);
    } catch (RuntimeException | InterruptedException e) {
      clients.close();
      throw e;
    }
  }

  /** The registry as it is now; records that had to be skipped are reported on {@code err}. */
  ModelRegistrySnapshot read(PrintWriter err) {
    ModelRegistrySnapshot snapshot;
    try (KafkaConsumer<String, byte[]> consumer = clients.consumer()) {
      snapshot = registry.read(consumer);
    } catch (SchemaRegistryException e) {
      throw clients.registryFailure(e);
    } catch (KafkaException e) {
      throw new UserError("cannot read " + topic + " at " + clients.bootstrapServers() + ": " + e.getMessage(), e);
    }
    snapshot.skipped().forEach(err::println);
    err.flush();
    return snapshot;
  }

  /**
   * Every worker's load state of every version, as the workers last reported it on the status
   * topic (read to its end); empty when the topic does not exist (a cluster provisioned before it
   * did). Records that cannot be read are reported on {@code err}, as {@link ModelStatus} reads them.
   */
  List<ModelLoadState> loadStates(PrintWriter err) {
    ModelStatus status = new ModelStatus(prefix.topics().modelStatus(), new AvroDeserializer<>(ModelLoadState.class, clients.registry()),
        KafkaAdmins.TIMEOUT);
    ModelStatusSnapshot snapshot;
    try (KafkaConsumer<String, byte[]> consumer = clients.consumer()) {
      snapshot = status.read(consumer);
    } catch (SchemaRegistryException e) {
      throw clients.registryFailure(e);
    } catch (KafkaException e) {
      throw new UserError("cannot read " + status.topic() + " at " + clients.bootstrapServers() + ": " + e.getMessage(), e);
    }
    snapshot.skipped().forEach(err::println);
    err.flush();
    return snapshot.states();
  }

  /** The deployed versions of one model, which must have at least one. */
  List<ModelDeployment> versionsOf(String model, PrintWriter err) {
    List<ModelDeployment> versions = read(err).versionsOf(model);
    if (versions.isEmpty()) {
      throw new UserError("model " + model + " has no deployed version on " + topic + "; deploy one with ./sluice models deploy");
    }
    return versions;
  }

  /** Writes the deployments and waits for their acknowledgement. */
  void write(Collection<ModelDeployment> deployments) throws InterruptedException {
    write(deployments, List.of());
  }

  /** Writes the deployments, then the tombstones that undeploy versions, and waits for their acknowledgement. */
  void write(Collection<ModelDeployment> deployments, Collection<ModelKey> undeployed) throws InterruptedException {
    try (KafkaProducer<String, byte[]> producer = clients.producer()) {
      registry.write(producer, deployments, undeployed);
    } catch (SchemaRegistryException e) {
      throw clients.registryFailure(e);
    } catch (KafkaException e) {
      throw new UserError("cannot write to " + topic + " at " + clients.bootstrapServers() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks and writes a change of weights, then prints what changed and the resulting split.
   *
   * @param plan the change, or an IllegalArgumentException saying why it cannot be made
   * @param verb e.g. {@code rolled back}
   */
  void apply(Supplier<TrafficChange> plan, String verb, PrintWriter out) throws InterruptedException {
    TrafficChange change;
    try {
      change = plan.get();
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    if (change.changed().isEmpty()) {
      out.printf("%s: nothing to change%n", change.model());
    } else {
      write(change.changed());
      out.printf("%s %s: %s%n", change.model(), verb, change.changes());
    }
    out.printf("%s traffic: %s%n", change.model(), change.split());
    out.flush();
  }

  @Override
  public void close() {
    clients.close();
  }
}
