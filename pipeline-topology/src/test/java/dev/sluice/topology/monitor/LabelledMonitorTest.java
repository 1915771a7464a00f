package dev.sluice.topology.monitor;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of labelled windows share: a fresh monitor per test with one 10 s window, final
 * snapshots only and labels joined within 30 s ({@link MonitorHarness#TEN_SECOND_WINDOWS_WITH_LABELS}),
 * and a classification with its label.
 */
abstract class LabelledMonitorTest {
  static final double EPS = 1e-9;
  @TempDir Path stateDir;
  MonitorHarness monitor;

  @BeforeEach
  void start() {
    monitor = new MonitorHarness(stateDir, MonitorHarness.TEN_SECOND_WINDOWS_WITH_LABELS);
  }

  @AfterEach
  void close() {
    monitor.close();
  }

  /** Sends a classification result predicting {@code predicted} and, 500 ms later, feedback saying {@code actual}. */
  void labelled(String id, String version, String predicted, String actual, long atMs) {
    monitor.send(MonitorHarness.classified(id, version, atMs, predicted, predicted.equals("pos") ? "neg" : "pos"));
    monitor.sendFeedback(id, actual, atMs + 500);
  }
}
