package dev.sluice.worker.fleet;

import dev.sluice.avro.LoadState;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelLoadState;
import dev.sluice.schemas.topics.ModelKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this worker's load state of each version of its model on the compacted
 * {@code <prefix>.model-status} topic, keyed {@code model/version/worker}, for {@code sluice
 * models list}: LOADING when a deployment starts to load, READY when it serves, FAILED with the
 * reason, a tombstone when the version is undeployed or the worker stops. Best effort: a state
 * that cannot be sent is logged and the worker goes on serving.
 */
public final class LoadStateReporter implements ModelFleet.StateListener {
  private static final Logger LOG = LoggerFactory.getLogger(LoadStateReporter.class);

  private final Producer<String, byte[]> producer;
  private final Serializer<ModelLoadState> serializer;
  private final String topic;
  private final String model;
  private final String workerId;
  private final Clock clock;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  public LoadStateReporter(Producer<String, byte[]> producer, Serializer<ModelLoadState> serializer, String topic, String model,
      String workerId, Clock clock) {
    this.producer = producer;
    this.serializer = serializer;
    this.topic = topic;
    this.model = model;
    this.workerId = workerId;
    this.clock = clock;
  }

  /** The record key of one worker's state of one version: {@code model/version/worker}. */
  private static String keyOf(String model, String version, String workerId) {
    return new ModelKey(model, version).encode() + "/" + workerId;
  }

  @Override
  public void loading(ModelDeployment deployment) {
    report(deployment, LoadState.LOADING, null, null);
  }

  @Override
  public void ready(ModelDeployment deployment, String device) {
    report(deployment, LoadState.READY, null, device);
  }

  @Override
  public void failed(ModelDeployment deployment, String reason) {
    report(deployment, LoadState.FAILED, reason, null);
  }

  @Override
  public void undeployed(String version) {
    String key = keyOf(model, version, workerId);
    if (reported.remove(key)) {
      send(new ProducerRecord<>(topic, key, null), version);
    }
  }

  /** Tombstones every state this worker reported (it serves none of them any more), then closes the producer. */
  public void close(Duration timeout) {
    try {
      for (String key : Set.copyOf(reported)) {
        send(new ProducerRecord<>(topic, key, null), key);
      }
      producer.flush();
    } catch (RuntimeException e) {
      LOG.warn("Could not withdraw the load states of worker {} from {}: {}", workerId, topic, e.toString());
    } finally {
      producer.close(timeout);
    }
  }

  private void report(ModelDeployment deployment, LoadState state, String reason, String device) {
    String key = keyOf(model, deployment.getVersion(), workerId);
    ModelLoadState value = ModelLoadState.newBuilder().setModel(model).setVersion(deployment.getVersion()).setWorkerId(workerId)
        .setState(state).setReason(reason).setDeployedAt(deployment.getDeployedAt()).setDevice(device).setReportedAt(clock.instant())
        .build();
    byte[] bytes;
    try {
      bytes = serializer.serialize(topic, value);
    } catch (RuntimeException e) {
      LOG.warn("Could not encode the load state {} of model {} version {}: {}", state, model, deployment.getVersion(), e.toString());
      return;
    }
    reported.add(key);
    send(new ProducerRecord<>(topic, key, bytes), deployment.getVersion());
  }

  private void send(ProducerRecord<String, byte[]> record, String what) {
    try {
      producer.send(record, (metadata, failure) -> {
        if (failure != null) {
          LOG.warn("Could not report the load state of {} on {}: {}", what, topic, failure.toString());
        }
      });
    } catch (RuntimeException e) {
      LOG.warn("Could not report the load state of {} on {}: {}", what, topic, e.toString());
    }
  }
}
