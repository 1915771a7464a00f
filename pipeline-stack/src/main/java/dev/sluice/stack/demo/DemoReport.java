package dev.sluice.stack.demo;

import dev.sluice.avro.Embedding;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.platform.topics.Outcomes;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The demo's summary: outcomes by status and reason, the retry, cache hits, latency, throughput, nearest neighbours. */
final class DemoReport {
  /**
   * What the demo sent.
   *
   * @param expected ids of the valid samples, each due one result
   * @param repeats ids of earlier sentences sent again under new ids (result cache hits)
   * @param invalid the invalid samples by id, each due one dead letter
   * @param retried the id of the sample sent twice, due one result
   */
  record Sent(List<String> expected, List<String> repeats, Map<String, InferenceRequest> invalid, String retried) {}

  private final Outcomes outcomes;
  private final List<String> expected;
  private final List<String> repeats;
  private final Map<String, InferenceRequest> invalid;
  private final String retried;
  private final Instant start;
  private final Instant end;
  private final List<String> problems = new ArrayList<>();

  DemoReport(Outcomes outcomes, Sent sent, Instant start, Instant end) {
    this.outcomes = outcomes;
    this.expected = sent.expected();
    this.repeats = sent.repeats();
    this.invalid = sent.invalid();
    this.retried = sent.retried();
    this.start = start;
    this.end = end;
  }

  /** Prints the summary; returns whether every sample ended as it should. */
  boolean print(PrintWriter out) {
    List<String> all = new ArrayList<>(expected);
    all.addAll(repeats);
    Map<String, Integer> byStatus = new TreeMap<>();
    Map<String, Integer> byVersion = new TreeMap<>();
    List<Long> latencies = new ArrayList<>();
    long lastSeen = start.toEpochMilli();
    int cacheHits = 0;
    for (String id : all) {
      for (Outcomes.Seen<InferenceResult> seen : outcomes.results(id)) {
        InferenceResult r = seen.value();
        byStatus.merge(r.getStatus().toString(), 1, Integer::sum);
        byVersion.merge(r.getModel() + "/" + r.getModelVersion(), 1, Integer::sum);
        cacheHits += r.getCached() ? 1 : 0;
        long created = r.getCompletedAt().toEpochMilli() - Math.round(r.getTimings().getEndToEndMs());
        latencies.add(seen.seenAtMillis() - created);
        lastSeen = Math.max(lastSeen, seen.seenAtMillis());
      }
    }
    out.println();
    out.println("Results by status      : " + byStatus + "   by model version: " + byVersion);
    printRejections(out);
    checkSentences();
    int retriedResults = outcomes.results(retried).size();
    out.printf("Retry of %-13s : %d result for the request and its retry under the same idempotency key (the retry was dropped)%n",
        retried, retriedResults);
    if (retriedResults != 1) {
      problems.add(retried + " has " + retriedResults + " results; expected exactly 1");
    }
    out.printf("Cache hits             : %d of %d repeats of earlier content answered from the result cache%n", cacheHits, repeats.size());
    for (String id : repeats) {
      if (outcomes.results(id).size() != 1) {
        problems.add(id + " has " + outcomes.results(id).size() + " results; expected exactly 1");
      }
    }
    latencies.sort(null);
    double seconds = Math.max(1, lastSeen - start.toEpochMilli()) / 1000.0;
    out.printf(Locale.ROOT, "Latency (result seen - created_at): p50 %d ms, p95 %d ms, p99 %d ms over %d results%n",
        percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99), latencies.size());
    out.printf(Locale.ROOT, "Throughput             : %.1f results/s (%d results in %.1f s; the whole demo took %.1f s)%n",
        latencies.size() / seconds, latencies.size(), seconds, Duration.between(start, end).toMillis() / 1000.0);
    printNeighbours(out);
    if (problems.isEmpty()) {
      out.println();
      out.println("Every request is accounted for: a result or a rejection with its reason, nothing twice.");
    } else {
      out.println();
      problems.forEach(p -> out.println("PROBLEM: " + p));
    }
    out.flush();
    return problems.isEmpty();
  }

  private void printRejections(PrintWriter out) {
    out.println("Rejections (dead-letter topic):");
    List<String> ids = new ArrayList<>();
    invalid.forEach((reason, request) -> ids.add(request.getRequestId()));
    ids.add(DemoSamples.GARBAGE_KEY);
    Map<String, String> expectedReason = new TreeMap<>();
    invalid.forEach((reason, request) -> expectedReason.put(request.getRequestId(), reason));
    expectedReason.put(DemoSamples.GARBAGE_KEY, "DESERIALIZATION_FAILED");
    for (String id : ids) {
      List<Outcomes.Seen<RejectedRequest>> seen = outcomes.rejections(id);
      if (seen.size() != 1 || !outcomes.results(id).isEmpty()) {
        problems.add(id + " has " + seen.size() + " rejections and " + outcomes.results(id).size() + " results; expected one rejection");
        continue;
      }
      RejectedRequest r = seen.get(0).value();
      out.printf("  %-22s %-24s at %-9s %s%n", id, r.getReason(), r.getStage(), abbreviate(r.getDetail(), 70));
      if (!r.getReason().toString().equals(expectedReason.get(id))) {
        problems.add(id + " was rejected with " + r.getReason() + "; expected " + expectedReason.get(id));
      }
    }
  }

  private void checkSentences() {
    for (int i = 0; i < DemoSamples.SENTENCES.size(); i++) {
      String id = DemoSamples.sentenceId(i);
      List<Outcomes.Seen<InferenceResult>> seen = outcomes.results(id);
      if (seen.size() != 1 || seen.get(0).value().getStatus() != dev.sluice.avro.Status.OK) {
        problems.add(id + " has " + seen.size() + " results" + (seen.isEmpty() ? "" : " (" + seen.get(0).value().getStatus() + ")")
            + "; expected one OK result");
      }
    }
  }

  private void printNeighbours(PrintWriter out) {
    List<List<Float>> vectors = new ArrayList<>();
    for (int i = 0; i < DemoSamples.SENTENCES.size(); i++) {
      InferenceResult r = first(outcomes.results(DemoSamples.sentenceId(i)));
      vectors.add(r != null && r.getOutput() instanceof Embedding e ? e.getVector() : null);
    }
    out.println();
    out.println("Nearest neighbour of each sentence by cosine of the returned embeddings:");
    for (int i = 0; i < vectors.size(); i++) {
      if (vectors.get(i) == null) {
        continue;
      }
      int best = -1;
      double bestCos = -2;
      for (int j = 0; j < vectors.size(); j++) {
        if (j != i && vectors.get(j) != null) {
          double cos = cosine(vectors.get(i), vectors.get(j));
          if (cos > bestCos) {
            bestCos = cos;
            best = j;
          }
        }
      }
      if (best >= 0) {
        out.printf(Locale.ROOT, "  %.2f  %-62s -> %s%n", bestCos, abbreviate(DemoSamples.SENTENCES.get(i), 62),
            abbreviate(DemoSamples.SENTENCES.get(best), 62));
      }
    }
  }

  /** The cosine of two unit vectors (the model's outputs are L2-normalized). */
  private static double cosine(List<Float> a, List<Float> b) {
    double dot = 0;
    for (int i = 0; i < a.size(); i++) {
      dot += a.get(i) * b.get(i);
    }
    return dot;
  }

  private static InferenceResult first(List<Outcomes.Seen<InferenceResult>> seen) {
    return seen.isEmpty() ? null : seen.get(0).value();
  }

  private static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
