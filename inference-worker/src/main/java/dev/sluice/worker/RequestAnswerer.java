package dev.sluice.worker;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.Stage;
import dev.sluice.platform.tracing.TraceMdc;
import dev.sluice.schemas.topics.Replies;
import dev.sluice.worker.fleet.ModelFleet;
import dev.sluice.worker.flush.BatchCutter;
import dev.sluice.worker.fleet.VersionLookup;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one flush of consumed records, before any transaction begins:
 *
 * <ol>
 *   <li>a record that is not a readable PreparedRequest becomes a dead letter;
 *   <li>a request for another model (a routing bug upstream) or for a version the fleet cannot
 *       serve gets an ERROR result, one past its deadline an EXPIRED result, without inference;
 *   <li>the rest are cut into batches ({@link BatchCutter}: per version, bucketed by length), each
 *       run in one model call, failing batches bisected; each gets its results and a BATCH metric
 *       event.
 * </ol>
 *
 * <p>Each request gets its spans ({@link RequestSpans}): its queue wait and its batch's inference
 * here, and the produce span its result record names, which the commit ends
 * ({@link Answers#produced()}); its answer is built with the latter's ids in the MDC.
 *
 * <p>Every result also gets a REQUEST metric event. A request whose answer cannot be built ends
 * as a dead letter instead (see {@link #answered}). Versions must not be
 * {@link VersionLookup.Pending}: the loop holds a flush until none is.
 */
final class RequestAnswerer {
  private static final Logger LOG = LoggerFactory.getLogger(RequestAnswerer.class);

  private final String model;
  private final ModelFleet fleet;
  private final BatchCutter<PolledRecord.Request> cutter;
  private final OutputRecords outputs;
  private final Clock clock;
  private final BatchExecutor executor;
  private final RequestSpans spans;

  /**
   * What a flush came to.
   *
   * @param records everything to produce, in one transaction
   * @param results the results among them
   * @param batches the batches run
   * @param deadLetters records dead-lettered
   * @param produced the produce span of each result, open until the flush's transaction is over
   */
  record Answers(List<ProducerRecord<byte[], byte[]>> records, List<InferenceResult> results, List<Batch> batches, int deadLetters,
      List<Span> produced) {
    /** Model time of every batch of the flush. */
    long modelNanos() {
      return batches.stream().mapToLong(batch -> batch.executed().inferenceNanos()).sum();
    }
  }

  /**
   * One batch run.
   *
   * @param model model name
   * @param version model version
   * @param size requests in it
   * @param executed what the model did
   */
  record Batch(String model, String version, int size, BatchExecutor.Executed executed) {}

  /** What a flush has come to so far. */
  private static final class Collected {
    private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    private final List<InferenceResult> results = new ArrayList<>();
    private final List<Span> produced = new ArrayList<>();
    private int deadLetters;
  }

  RequestAnswerer(String model, ModelFleet fleet, BatchCutter<PolledRecord.Request> cutter, OutputRecords outputs, WorkerEnvironment environment) {
    this.model = model;
    this.fleet = fleet;
    this.cutter = cutter;
    this.outputs = outputs;
    this.clock = environment.clock();
    this.executor = new BatchExecutor(clock);
    this.spans = new RequestSpans(environment.tracing());
  }

  Answers answer(List<PolledRecord> flush) {
    Instant now = clock.instant();
    Collected out = new Collected();
    List<Batch> batches = new ArrayList<>();
    List<PolledRecord.Request> runnable = new ArrayList<>();
    for (PolledRecord polled : flush) {
      if (polled instanceof PolledRecord.Undecodable undecodable) {
        LOG.warn("Dead-lettering an unreadable record: {}", undecodable.failure().getMessage());
        out.records.add(outputs.deadLetter(undecodable, model, now));
        out.deadLetters++;
      } else if (polled instanceof PolledRecord.Request request) {
        InferenceOutcome immediate = withoutInference(request, now);
        if (immediate == null) {
          runnable.add(request);
        } else {
          answer(request, spans.queueWait(spans.parent(request), request, now), immediate, now, out);
        }
      }
    }
    try {
      runBatches(runnable, out, batches);
    } catch (FlushUnanswered e) {
      RequestSpans.ended(out.produced, false); // nothing of this flush is produced
      throw e;
    }
    return new Answers(out.records, out.results, batches, out.deadLetters, out.produced);
  }

  /** Runs the runnable requests in batches and answers each. */
  private void runBatches(List<PolledRecord.Request> runnable, Collected out, List<Batch> batches) {
    for (List<PolledRecord.Request> batch : cutter.cut(runnable)) {
      String version = batch.get(0).version();
      VersionLookup lookup = fleet.lookup(version);
      if (!(lookup instanceof VersionLookup.Ready ready)) {
        throw new IllegalStateException("Model version " + version + " is " + lookup + " after the flush check");
      }
      Instant started = clock.instant();
      BatchExecutor.Executed executed = executor.execute(ready.runner(), batch);
      Instant completed = clock.instant();
      for (int i = 0; i < batch.size(); i++) {
        PolledRecord.Request request = batch.get(i);
        Context parent = spans.queueWait(spans.parent(request), request, started);
        spans.inference(parent, request, started, completed, batch.size());
        answer(request, parent, executed.outcomes().get(i), completed, out);
      }
      out.records.add(outputs.batchEvent(batch, executed, ready.runner().info().device(), completed));
      batches.add(new Batch(batch.get(0).request().getModel(), version, batch.size(), executed));
    }
  }

  /** The outcome of a request that needs no inference, or null when it should run. */
  private InferenceOutcome withoutInference(PolledRecord.Request request, Instant now) {
    PreparedRequest prepared = request.request();
    if (!model.equals(prepared.getModel())) {
      return new InferenceOutcome.Failed("request for model " + prepared.getModel() + " reached a worker of model " + model
          + " on topic " + request.record().topic(), 0, 0);
    }
    Instant deadline = prepared.getDeadline();
    if (deadline != null && !deadline.isAfter(now)) {
      return new InferenceOutcome.Expired(deadline);
    }
    VersionLookup lookup = fleet.lookup(request.version());
    if (lookup instanceof VersionLookup.Missing missing) {
      return new InferenceOutcome.Failed(missing.reason(), 0, 0);
    }
    if (lookup instanceof VersionLookup.Pending pending) {
      throw new IllegalStateException("Model version " + request.version() + " is pending after the flush check: " + pending.reason());
    }
    return null;
  }

  /**
   * Adds a request's result and its metric event. A result that would not fit in a record becomes
   * an ERROR result without output; a request whose answer cannot be built at all (a fault of its
   * own, {@link KafkaFailures#isRecordFault}) becomes a dead letter. Either way it ends as one
   * record and the others of its flush go on. Its produce span is open meanwhile, its ids in the MDC.
   */
  private void answer(PolledRecord.Request request, Context parent, InferenceOutcome outcome, Instant completed, Collected out) {
    Span produce = spans.produce(parent, request);
    out.produced.add(produce);
    try (TraceMdc ids = TraceMdc.of(produce.getSpanContext())) {
      if (answered(request, produce, outcome, completed, out.records, out.results)) {
        out.deadLetters++;
      }
    }
  }

  /** {@link #answer}'s work: whether the request was dead-lettered. */
  private boolean answered(PolledRecord.Request request, Span produce, InferenceOutcome outcome, Instant completed,
      List<ProducerRecord<byte[], byte[]>> records, List<InferenceResult> results) {
    try {
      InferenceResult result = outputs.result(request, outcome, completed);
      ProducerRecord<byte[], byte[]> record = outputs.resultRecord(request, result);
      spans.inject(produce, record.headers());
      Optional<String> excess = outputs.excess(record);
      if (excess.isPresent()) {
        String error = "the result would be " + excess.get();
        LOG.warn("Request {} of model version {}: {}; answering ERROR", request.request().getRequestId(), request.version(), error);
        result = outputs.result(request, new InferenceOutcome.Failed(error, batchSize(outcome), 0), completed);
        record = outputs.resultRecord(request, result);
        spans.inject(produce, record.headers());
        Optional<String> still = outputs.excess(record);
        if (still.isPresent()) {
          return deadLetter(request, "even its ERROR result would be " + still.get(), completed, records);
        }
      }
      records.add(record);
      outputs.replyCopy(request, record, Replies.RESULT).ifPresent(records::add);
      records.add(outputs.requestEvent(result));
      results.add(result);
      return false;
    } catch (RuntimeException e) {
      if (!KafkaFailures.isRecordFault(e)) {
        throw e;
      }
      LOG.error("Could not answer request {} at {}-{}@{}; dead-lettering it", request.request().getRequestId(), request.record().topic(),
          request.record().partition(), request.record().offset(), e);
      return deadLetter(request, "inference worker could not answer this request: " + e, completed, records);
    }
  }

  /** Adds the dead letter (OTHER) of a request that cannot be answered; true, for {@link #answered}. */
  private boolean deadLetter(PolledRecord.Request request, String detail, Instant now, List<ProducerRecord<byte[], byte[]>> records) {
    ProducerRecord<byte[], byte[]> deadLetter = outputs.deadLetter(request, model, ReasonCode.OTHER, Stage.OTHER, detail, now);
    records.add(deadLetter);
    outputs.replyCopy(request, deadLetter, Replies.REJECTED).ifPresent(records::add);
    return true;
  }

  private static int batchSize(InferenceOutcome outcome) {
    if (outcome instanceof InferenceOutcome.Ok ok) {
      return ok.batchSize();
    }
    return outcome instanceof InferenceOutcome.Failed failed ? failed.batchSize() : 0;
  }
}
