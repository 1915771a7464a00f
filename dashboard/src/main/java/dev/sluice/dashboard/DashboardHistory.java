package dev.sluice.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the dashboard has seen, bounded: per model, version and window length the latest
 * {@code maxPoints} windows (a later update of a window replaces the earlier one, so early
 * partial updates give way to the final one), and the latest {@code maxAlerts} alerts. Points
 * and alerts are the JSON the page reads ({@link SnapshotJson}); they are not changed once added.
 *
 * <p>The headline figures ({@link #totals(long)}) are those of the newest window of a length over
 * every version: the throughputs summed and the latency sketches merged, so they are kept, for
 * the newest {@value #SKETCHED_WINDOWS} windows of each series only. Thread-safe.
 */
final class DashboardHistory {
  /** One chart series: a model version's windows of one length. */
  record SeriesKey(String model, String version, long windowMs) {}

  /** Snapshots of the version {@value} carry rejections that were never routed to a version. */
  static final String NO_VERSION = "*";
  private static final int SKETCHED_WINDOWS = 2;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Comparator<SeriesKey> ORDER =
      Comparator.comparing(SeriesKey::model).thenComparing(SeriesKey::version).thenComparingLong(SeriesKey::windowMs);

  private final int maxPoints;
  private final int maxAlerts;
  private final Map<SeriesKey, NavigableMap<Long, ObjectNode>> series = new HashMap<>();
  private final Map<SeriesKey, NavigableMap<Long, byte[]>> sketches = new HashMap<>();
  private final Deque<JsonNode> alerts = new ArrayDeque<>();
  private long received;
  private long lastUpdateMillis = -1;
  private long lastSnapshotMillis = -1;

  DashboardHistory(int maxPoints, int maxAlerts) {
    if (maxPoints < 1 || maxAlerts < 1) {
      throw new IllegalArgumentException("a history keeps at least one point and one alert");
    }
    this.maxPoints = maxPoints;
    this.maxAlerts = maxAlerts;
  }

  /**
   * Adds a snapshot point and its encoded latency sketch (null when the window had no latency); a
   * point of a window older than every kept one of a full series is dropped.
   */
  synchronized void addSnapshot(ObjectNode point, byte[] sketch, long nowMillis) {
    SeriesKey key = new SeriesKey(point.path("model").asText(), point.path("version").asText(), point.path("windowMs").asLong());
    long windowStart = point.path("windowStart").asLong();
    NavigableMap<Long, ObjectNode> points = series.computeIfAbsent(key, k -> new TreeMap<>());
    points.put(windowStart, point);
    while (points.size() > maxPoints) {
      points.pollFirstEntry();
    }
    NavigableMap<Long, byte[]> sketched = sketches.computeIfAbsent(key, k -> new TreeMap<>());
    if (sketch == null) {
      sketched.remove(windowStart);
    } else {
      sketched.put(windowStart, sketch);
    }
    while (sketched.size() > SKETCHED_WINDOWS) {
      sketched.pollFirstEntry();
    }
    lastSnapshotMillis = nowMillis;
    touch(nowMillis);
  }

  /**
   * The newest window of length {@code windowMs} over every version of every model: its start and
   * end, whether every version's figure of it is final, the summed request count and throughput
   * (each version's own rate, which for a partial window is over the time it has run), the
   * rejections, and p50/p99 of the merged latency sketches (null without latency). Null when no
   * window of that length was seen.
   */
  synchronized ObjectNode totals(long windowMs) {
    long newest = Long.MIN_VALUE;
    for (Map.Entry<SeriesKey, NavigableMap<Long, ObjectNode>> entry : series.entrySet()) {
      if (entry.getKey().windowMs() == windowMs && !entry.getValue().isEmpty()) {
        newest = Math.max(newest, entry.getValue().lastKey());
      }
    }
    if (newest == Long.MIN_VALUE) {
      return null;
    }
    ObjectNode totals = NODES.objectNode().put("windowMs", windowMs).put("windowStart", newest).put("windowEnd", newest + windowMs);
    boolean allFinal = true;
    long requests = 0;
    long rejections = 0;
    double throughput = 0.0;
    int versions = 0;
    MergedLatency latency = new MergedLatency();
    for (Map.Entry<SeriesKey, NavigableMap<Long, ObjectNode>> entry : series.entrySet()) {
      ObjectNode point = entry.getKey().windowMs() == windowMs ? entry.getValue().get(newest) : null;
      if (point == null) {
        continue;
      }
      allFinal &= point.path("final").asBoolean(true);
      for (JsonNode count : point.path("rejections")) {
        rejections += count.asLong();
      }
      if (NO_VERSION.equals(entry.getKey().version())) {
        continue;
      }
      versions++;
      requests += point.path("requests").asLong();
      throughput += point.path("throughput").asDouble();
      byte[] sketch = sketches.getOrDefault(entry.getKey(), Collections.emptyNavigableMap()).get(newest);
      if (sketch != null) {
        latency.add(sketch);
      }
    }
    totals.put("final", allFinal).put("versions", versions).put("requests", requests).put("throughput", throughput)
        .put("rejections", rejections);
    putOrNull(totals, "p50", latency.quantile(0.50));
    putOrNull(totals, "p99", latency.quantile(0.99));
    return totals;
  }

  private static void putTime(ObjectNode json, String field, long millis) {
    if (millis < 0) {
      json.putNull(field);
    } else {
      json.put(field, millis);
    }
  }

  private static void putOrNull(ObjectNode json, String field, Optional<Double> value) {
    if (value.isPresent()) {
      json.put(field, value.get());
    } else {
      json.putNull(field);
    }
  }

  /** Adds an alert, dropping the oldest beyond the bound. */
  synchronized void addAlert(JsonNode alert, long nowMillis) {
    alerts.addLast(alert);
    while (alerts.size() > maxAlerts) {
      alerts.removeFirst();
    }
    touch(nowMillis);
  }

  private void touch(long nowMillis) {
    received++;
    lastUpdateMillis = nowMillis;
  }

  /** Records received so far (snapshots and alerts). */
  synchronized long received() {
    return received;
  }

  /**
   * The history as JSON: {@code series} (model, version, windowMs, points oldest first) ordered
   * by model, version and window length; {@code totals}, the {@link #totals(long)} of each window
   * length seen, shortest first; {@code alerts}, newest first; {@code received};
   * {@code lastUpdate} and {@code lastSnapshot} (epoch milliseconds of the latest record and of the
   * latest snapshot, null before any), and {@code lastSnapshotAgeMs}, how long before
   * {@code nowMillis} the latest snapshot came (null before any): a browser judges freshness by the
   * age, so its own clock need not agree with the server's.
   */
  synchronized ObjectNode toJson(long nowMillis) {
    ObjectNode json = toJson();
    if (lastSnapshotMillis < 0) {
      json.putNull("lastSnapshotAgeMs");
    } else {
      json.put("lastSnapshotAgeMs", Math.max(0, nowMillis - lastSnapshotMillis));
    }
    return json;
  }

  /** The history as JSON, without the age of the latest snapshot; see {@link #toJson(long)}. */
  synchronized ObjectNode toJson() {
    ObjectNode json = NODES.objectNode();
    ArrayNode seriesJson = json.putArray("series");
    series.entrySet().stream().sorted(Map.Entry.comparingByKey(ORDER)).forEach(entry -> {
      ObjectNode one = seriesJson.addObject();
      one.put("model", entry.getKey().model()).put("version", entry.getKey().version()).put("windowMs", entry.getKey().windowMs());
      ArrayNode points = one.putArray("points");
      entry.getValue().values().forEach(points::add);
    });
    ArrayNode totalsJson = json.putArray("totals");
    series.keySet().stream().map(SeriesKey::windowMs).distinct().sorted().forEach(windowMs -> totalsJson.add(totals(windowMs)));
    ArrayNode alertsJson = json.putArray("alerts");
    alerts.descendingIterator().forEachRemaining(alertsJson::add);
    json.put("received", received);
    putTime(json, "lastUpdate", lastUpdateMillis);
    putTime(json, "lastSnapshot", lastSnapshotMillis);
    return json;
  }
}
