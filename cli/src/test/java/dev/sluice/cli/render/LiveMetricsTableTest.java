package dev.sluice.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.MetricsSnapshot;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveMetricsTableTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  private static MetricsSnapshot snapshot(String version, Instant start, long sizeSeconds, long requests, boolean isFinal) {
    return MetricsSnapshot.newBuilder().setModel("minilm").setModelVersion(version).setWindowStart(start)
        .setWindowEnd(start.plusSeconds(sizeSeconds)).setFinal$(isFinal).setRequestCount(requests)
        .setThroughputPerS((double) requests / sizeSeconds).build();
  }

  /** The drawing's lines without the cursor and wrap controls. */
  private static List<String> visible(String drawing) {
    return drawing.replaceAll("\u001b\\[[0-9?]*[A-Za-z]", "").replace("\r", "").lines().toList();
  }

  @Test
  void keepsOneRowPerVersionAndWindowSizeShowingItsNewestWindow() {
    LiveMetricsTable table = new LiveMetricsTable();
    table.add(snapshot("v1", T0, 10, 5, false));
    table.add(snapshot("v1", T0, 10, 9, true));
    table.add(snapshot("v1", T0.plusSeconds(10), 10, 3, false));
    table.add(snapshot("v2", T0, 10, 1, true));
    table.add(snapshot("v1", T0, 60, 40, false));

    assertThat(table.add(snapshot("v1", T0, 10, 9, true))).as("an older window than the row shows").isFalse();
    List<String> lines = visible(table.redraw());

    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("WINDOW");
    assertThat(lines.get(1)).contains("10:00:10").contains("10s").contains("minilm/v1").contains("partial").contains("3");
    assertThat(lines.get(2)).contains("10:00:00").contains("1m").contains("minilm/v1").contains("partial");
    assertThat(lines.get(3)).contains("minilm/v2").contains("final");
  }

  @Test
  void aSkippedRecordIsCountedOnTheTablesLastLineNotPrintedBetweenRedraws() {
    LiveMetricsTable table = new LiveMetricsTable();
    table.add(snapshot("v1", T0, 10, 5, false));
    table.skipped("undecodable record: bad magic byte");
    table.skipped("undecodable record: unknown schema id 7");

    List<String> lines = visible(table.redraw());

    assertThat(lines).hasSize(3);
    assertThat(lines.get(2)).isEqualTo("2 records skipped; the last: undecodable record: unknown schema id 7");
    assertThat(table.redraw()).as("the skipped line is part of the drawing moved over").startsWith("\u001b[3A");
  }

  @Test
  void eachRedrawMovesUpOverThePreviousDrawingAndClearsIt() {
    LiveMetricsTable table = new LiveMetricsTable();
    String first = table.redraw();
    assertThat(first).startsWith("\r\u001b[J").contains("waiting for the first snapshot");

    table.add(snapshot("v1", T0, 10, 5, false));
    table.add(snapshot("v2", T0, 10, 5, false));
    String second = table.redraw();
    assertThat(second).as("up over the header and the waiting line").startsWith("\u001b[2A\r\u001b[J");

    table.add(snapshot("v1", T0, 10, 8, true));
    assertThat(table.redraw()).as("up over the header and two rows").startsWith("\u001b[3A\r\u001b[J")
        .contains("\u001b[?7l").endsWith("\u001b[?7h");
  }
}
