package dev.sluice.worker;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.worker.batch.MicroBatcher;
import dev.sluice.worker.fleet.ModelFleet;
import dev.sluice.worker.fleet.VersionLookup;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one drained set of consumed records, before any transaction begins:
 *
 * <ol>
 *   <li>a record that is not a readable PreparedRequest becomes a dead letter;
 *   <li>a request for another model (a routing bug upstream) or for a version the fleet cannot
 *       serve gets an ERROR result, one past its deadline an EXPIRED result, without inference;
 *   <li>the rest are cut into model batches (per version, bucketed by length) and run, failing
 *       batches bisected; each gets its results and a BATCH metric event.
 * </ol>
 *
 * <p>Every result also gets a REQUEST metric event. Versions must not be
 * {@link VersionLookup.Pending}: the loop holds a flush until none is.
 */
final class RequestAnswerer {
  private static final Logger LOG = LoggerFactory.getLogger(RequestAnswerer.class);

  private final String model;
  private final ModelFleet fleet;
  private final MicroBatcher<Inbound> batcher;
  private final OutputRecords outputs;
  private final Clock clock;
  private final BatchExecutor executor;

  /**
   * What a drained set came to.
   *
   * @param records everything to produce, in one transaction
   * @param results the results among them
   * @param batches the model batches run
   * @param deadLetters records dead-lettered
   */
  record Answers(List<ProducerRecord<byte[], byte[]>> records, List<InferenceResult> results, List<Batch> batches, int deadLetters) {}

  /**
   * One model batch run.
   *
   * @param model model name
   * @param version model version
   * @param size requests in it
   * @param executed what the model did
   */
  record Batch(String model, String version, int size, BatchExecutor.Executed executed) {}

  RequestAnswerer(String model, ModelFleet fleet, MicroBatcher<Inbound> batcher, OutputRecords outputs, Clock clock) {
    this.model = model;
    this.fleet = fleet;
    this.batcher = batcher;
    this.outputs = outputs;
    this.clock = clock;
    this.executor = new BatchExecutor(clock);
  }

  Answers answer(List<Inbound> drained) {
    Instant now = clock.instant();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<InferenceResult> results = new ArrayList<>();
    List<Batch> batches = new ArrayList<>();
    List<Inbound.Request> runnable = new ArrayList<>();
    int deadLetters = 0;
    for (Inbound inbound : drained) {
      if (inbound instanceof Inbound.Undecodable undecodable) {
        LOG.warn("Dead-lettering an unreadable record: {}", undecodable.failure().getMessage());
        records.add(outputs.deadLetter(undecodable, model, now));
        deadLetters++;
      } else if (inbound instanceof Inbound.Request request) {
        Outcome immediate = withoutInference(request, now);
        if (immediate == null) {
          runnable.add(request);
        } else {
          answer(request, immediate, now, records, results);
        }
      }
    }
    for (List<Inbound.Request> batch : batcher.cut(runnable)) {
      String version = batch.get(0).version();
      VersionLookup lookup = fleet.lookup(version);
      if (!(lookup instanceof VersionLookup.Ready ready)) {
        throw new IllegalStateException("Model version " + version + " is " + lookup + " after the flush check");
      }
      BatchExecutor.Executed executed = executor.execute(ready.runner(), batch);
      Instant completed = clock.instant();
      for (int i = 0; i < batch.size(); i++) {
        answer(batch.get(i), executed.outcomes().get(i), completed, records, results);
      }
      records.add(outputs.batchEvent(batch, executed, ready.runner().info().device(), completed));
      batches.add(new Batch(batch.get(0).request().getModel(), version, batch.size(), executed));
    }
    return new Answers(records, results, batches, deadLetters);
  }

  /** The outcome of a request that needs no inference, or null when it should run. */
  private Outcome withoutInference(Inbound.Request request, Instant now) {
    PreparedRequest prepared = request.request();
    if (!model.equals(prepared.getModel())) {
      return new Outcome.Failed("request for model " + prepared.getModel() + " reached a worker of model " + model
          + " on topic " + request.record().topic(), 0, 0);
    }
    Instant deadline = prepared.getDeadline();
    if (deadline != null && !deadline.isAfter(now)) {
      return new Outcome.Expired(deadline);
    }
    VersionLookup lookup = fleet.lookup(request.version());
    if (lookup instanceof VersionLookup.Missing missing) {
      return new Outcome.Failed(missing.reason(), 0, 0);
    }
    if (lookup instanceof VersionLookup.Pending pending) {
      throw new IllegalStateException("Model version " + request.version() + " is pending after the flush check: " + pending.reason());
    }
    return null;
  }

  private void answer(Inbound.Request request, Outcome outcome, Instant completed, List<ProducerRecord<byte[], byte[]>> records,
      List<InferenceResult> results) {
    InferenceResult result = outputs.result(request, outcome, completed);
    records.add(outputs.resultRecord(request, result));
    records.add(outputs.requestEvent(result));
    results.add(result);
  }
}
