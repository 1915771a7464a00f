package dev.sluice.loadgen;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.TextInput;
import java.util.Map;

/** Builds the run's requests: id {@code <runId>-<index>}, the settings' model and tenant, created at the given instant. */
public final class RequestFactory {
  /** Attribute naming the bench run on every request, carried through to its result. */
  public static final String RUN_ATTRIBUTE = "sluice.bench.run";

  private final Ledger ledger;
  private final String runId;
  private final BenchSettings settings;
  private final RequestTexts texts;
  private final BenchClock clock;

  /** A factory for one run. */
  public RequestFactory(String runId, BenchSettings settings, Ledger ledger, BenchClock clock) {
    this.runId = runId;
    this.settings = settings;
    this.ledger = ledger;
    this.clock = clock;
    this.texts = new RequestTexts(settings.texts(), runId);
  }

  /** Request {@code index}, created at {@code createdNanos} (its scheduled time in open loop). */
  public InferenceRequest create(long index, long createdNanos) {
    return InferenceRequest.newBuilder()
        .setRequestId(ledger.requestId(index))
        .setModel(settings.model())
        .setTenant(settings.tenant())
        .setCreatedAt(clock.instantAt(createdNanos))
        .setInput(new TextInput(texts.text(index)))
        .setAttributes(Map.of(RUN_ATTRIBUTE, runId))
        .build();
  }
}
