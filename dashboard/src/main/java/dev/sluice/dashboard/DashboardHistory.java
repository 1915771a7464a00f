package dev.sluice.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What the dashboard has seen, bounded: per model, version and window length the latest
 * {@code maxPoints} windows (a later update of a window replaces the earlier one, so early
 * partial updates give way to the final one), and the latest {@code maxAlerts} alerts. Points
 * and alerts are the JSON the page reads ({@link SnapshotJson}); they are not changed once added.
 * Thread-safe.
 */
final class DashboardHistory {
  /** One chart series: a model version's windows of one length. */
  record SeriesKey(String model, String version, long windowMs) {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Comparator<SeriesKey> ORDER =
      Comparator.comparing(SeriesKey::model).thenComparing(SeriesKey::version).thenComparingLong(SeriesKey::windowMs);

  private final int maxPoints;
  private final int maxAlerts;
  private final Map<SeriesKey, NavigableMap<Long, ObjectNode>> series = new HashMap<>();
  private final Deque<JsonNode> alerts = new ArrayDeque<>();
  private long received;
  private long lastUpdateMillis = -1;

  DashboardHistory(int maxPoints, int maxAlerts) {
    if (maxPoints < 1 || maxAlerts < 1) {
      throw new IllegalArgumentException("a history keeps at least one point and one alert");
    }
    this.maxPoints = maxPoints;
    this.maxAlerts = maxAlerts;
  }

  /** Adds a snapshot point; a point of a window older than every kept one of a full series is dropped. */
  synchronized void addSnapshot(ObjectNode point, long nowMillis) {
    SeriesKey key = new SeriesKey(point.path("model").asText(), point.path("version").asText(), point.path("windowMs").asLong());
    NavigableMap<Long, ObjectNode> points = series.computeIfAbsent(key, k -> new TreeMap<>());
    points.put(point.path("windowStart").asLong(), point);
    while (points.size() > maxPoints) {
      points.pollFirstEntry();
    }
    touch(nowMillis);
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
   * by model, version and window length; {@code alerts}, newest first; {@code received}; and
   * {@code lastUpdate} (epoch milliseconds of the latest record, null before any).
   */
  synchronized ObjectNode toJson() {
    ObjectNode json = NODES.objectNode();
    ArrayNode seriesJson = json.putArray("series");
    series.entrySet().stream().sorted(Map.Entry.comparingByKey(ORDER)).forEach(entry -> {
      ObjectNode one = seriesJson.addObject();
      one.put("model", entry.getKey().model()).put("version", entry.getKey().version()).put("windowMs", entry.getKey().windowMs());
      ArrayNode points = one.putArray("points");
      entry.getValue().values().forEach(points::add);
    });
    ArrayNode alertsJson = json.putArray("alerts");
    alerts.descendingIterator().forEachRemaining(alertsJson::add);
    json.put("received", received);
    if (lastUpdateMillis < 0) {
      json.putNull("lastUpdate");
    } else {
      json.put("lastUpdate", lastUpdateMillis);
    }
    return json;
  }
}
