package dev.sluice.cli.render;

import dev.sluice.avro.MetricsSnapshot;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code sluice tail metrics} in a terminal: one row per model, version and window size, holding
 * the newest window seen (a partial row says {@code partial} until its final replaces it), redrawn
 * in place. Each {@link #redraw()} moves the cursor back up over the previous drawing and clears
 * it, with the terminal's line wrap off while drawing, so a row wider than the terminal is cut
 * rather than wrapped onto a line the next redraw would not clear.
 */
public final class LiveMetricsTable {
  private static final String ESC = "\u001b[";
  private static final String WRAP_OFF = ESC + "?7l";
  private static final String WRAP_ON = ESC + "?7h";
  private static final String CLEAR_BELOW = ESC + "J";

  private record Row(String model, String version, long windowMs) {}

  private static final Comparator<Row> ORDER =
      Comparator.comparing(Row::model).thenComparing(Row::version).thenComparingLong(Row::windowMs);

  private final Map<Row, MetricsSnapshot> rows = new TreeMap<>(ORDER);
  private int drawnLines;
  private long skipped;
  private String lastSkipped;

  /**
   * Counts a record that could not be shown, with why; the table's last line says how many and the
   * latest reason (a warning printed between redraws would be drawn over).
   */
  public void skipped(String why) {
    skipped++;
    lastSkipped = why;
  }

  /** Takes a snapshot; one of an older window than its row shows is ignored. Returns whether the table changed. */
  public boolean add(MetricsSnapshot snapshot) {
    long windowMs = snapshot.getWindowEnd().toEpochMilli() - snapshot.getWindowStart().toEpochMilli();
    Row row = new Row(snapshot.getModel(), snapshot.getModelVersion(), windowMs);
    MetricsSnapshot shown = rows.get(row);
    if (shown != null && snapshot.getWindowStart().isBefore(shown.getWindowStart())) {
      return false;
    }
    rows.put(row, snapshot);
    return true;
  }

  /** The characters that replace the previous drawing with the table as it is now. */
  public String redraw() {
    StringBuilder out = new StringBuilder();
    if (drawnLines > 0) {
      out.append(ESC).append(drawnLines).append('A');
    }
    out.append('\r').append(CLEAR_BELOW).append(WRAP_OFF);
    out.append(SnapshotLines.header()).append('\n');
    int lines = 1;
    if (rows.isEmpty()) {
      out.append("(waiting for the first snapshot)").append('\n');
      lines++;
    }
    for (MetricsSnapshot snapshot : rows.values()) {
      out.append(SnapshotLines.of(snapshot)).append('\n');
      lines++;
    }
    if (skipped > 0) {
      out.append(skipped).append(skipped == 1 ? " record" : " records").append(" skipped; the last: ").append(lastSkipped).append('\n');
      lines++;
    }
    out.append(WRAP_ON);
    drawnLines = lines;
    return out.toString();
  }
}
