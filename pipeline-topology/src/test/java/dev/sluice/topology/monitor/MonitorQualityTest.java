package dev.sluice.topology.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.avro.ClassQuality;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.avro.QualityMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitorQualityTest extends LabelledMonitorTest {
  @Test
  void keepsTheQualityStoresInMemoryUnderTheNamesOfTheirChangelogs() {
    Map<String, org.apache.kafka.streams.processor.StateStore> stores = monitor.driver.getAllStateStores();

    for (String name : List.of("monitor-quality-join-this-join-store", "monitor-quality-join-other-join-store", "monitor-labels-seen")) {
      assertThat(stores).as(name).containsKey(name);
      assertThat(stores.get(name).persistent()).as(name + " persistent").isFalse();
    }
  }

  @Test
  void computesAccuracyAndPerClassAndMacroF1FromAHandCountedConfusionMatrix() {
    // actual pos: predicted pos ×3, neg ×1; actual neg: predicted pos ×2, neg ×4.
    int n = 0;
    for (String[] cell : new String[][] {{"pos", "pos", "3"}, {"neg", "pos", "1"}, {"pos", "neg", "2"}, {"neg", "neg", "4"}}) {
      for (int i = 0; i < Integer.parseInt(cell[2]); i++) {
        labelled("q" + n, "v1", cell[0], cell[1], 100 + n * 10L);
        n++;
      }
    }
    monitor.send(MonitorHarness.classified("unlabelled", "v1", 300, "pos", "neg"));
    monitor.tick(20_000);

    QualityMetrics quality = monitor.snapshots().stream().filter(s -> s.getModelVersion().equals("v1")).findFirst()
        .map(MetricsSnapshot::getQuality).orElseThrow();
    // pos: tp 3, predicted 5, support 4 → precision 0.6, recall 0.75, f1 2/3.
    // neg: tp 4, predicted 5, support 6 → precision 0.8, recall 2/3, f1 8/11.
    assertThat(quality.getLabelled()).isEqualTo(10);
    assertThat(quality.getAccuracy()).isCloseTo(0.7, within(EPS));
    assertThat(quality.getPerClass()).extracting(ClassQuality::getLabel).containsExactly("neg", "pos");
    ClassQuality neg = quality.getPerClass().get(0);
    ClassQuality pos = quality.getPerClass().get(1);
    assertThat(pos.getPrecision()).isCloseTo(0.6, within(EPS));
    assertThat(pos.getRecall()).isCloseTo(0.75, within(EPS));
    assertThat(pos.getF1()).isCloseTo(2.0 / 3, within(EPS));
    assertThat(pos.getSupport()).isEqualTo(4);
    assertThat(neg.getPrecision()).isCloseTo(0.8, within(EPS));
    assertThat(neg.getRecall()).isCloseTo(2.0 / 3, within(EPS));
    assertThat(neg.getF1()).isCloseTo(8.0 / 11, within(EPS));
    assertThat(neg.getSupport()).isEqualTo(6);
    assertThat(quality.getMacroPrecision()).isCloseTo(0.7, within(EPS));
    assertThat(quality.getMacroRecall()).isCloseTo((0.75 + 2.0 / 3) / 2, within(EPS));
    assertThat(quality.getMacroF1()).isCloseTo((2.0 / 3 + 8.0 / 11) / 2, within(EPS));
  }

  @Test
  void reportsQualityOfAbVersionsSideBySideAndCountsALabelArrivingAfterItsResultsWindow() {
    labelled("a1", "a", "pos", "pos", 1_000);
    labelled("b1", "b", "pos", "neg", 1_000);
    monitor.send(MonitorHarness.classified("late", "a", 2_000, "neg", "pos"));
    monitor.sendFeedback("late", "neg", 12_000);
    monitor.tick(40_000);

    List<MetricsSnapshot> snapshots = monitor.snapshots();
    assertThat(snapshots).filteredOn(s -> s.getWindowStart().equals(MonitorHarness.T0) && s.getQuality() != null)
        .extracting(MetricsSnapshot::getModelVersion, s -> s.getQuality().getAccuracy())
        .containsExactlyInAnyOrder(tuple("a", 1.0), tuple("b", 0.0));
    assertThat(snapshots).filteredOn(s -> s.getWindowStart().equals(MonitorHarness.T0.plusSeconds(10)))
        .as("the late label counts in the window it arrived in").singleElement()
        .satisfies(s -> assertThat(s.getQuality().getLabelled()).isEqualTo(1));
  }

  @Test
  void countsFeedbackSentTwiceForOneRequestOnce() {
    labelled("twice", "v1", "pos", "pos", 1_000);
    monitor.sendFeedback("twice", "pos", 1_800);
    monitor.sendFeedback("twice", "neg", 2_000);
    labelled("once", "v1", "neg", "neg", 3_000);
    monitor.tick(20_000);

    QualityMetrics quality = monitor.snapshots().stream().filter(s -> s.getModelVersion().equals("v1") && s.getQuality() != null)
        .findFirst().map(MetricsSnapshot::getQuality).orElseThrow();
    assertThat(quality.getLabelled()).as("two requests labelled, whatever the repeats").isEqualTo(2);
    assertThat(quality.getAccuracy()).as("the first label counts").isCloseTo(1.0, within(EPS));
  }

  @Test
  void ignoresFeedbackOutsideTheJoinWindow() {
    monitor.send(MonitorHarness.classified("old", "v1", 1_000, "pos", "neg"));
    monitor.sendFeedback("old", "pos", 40_000);
    monitor.tick(60_000);

    assertThat(monitor.snapshots()).allSatisfy(s -> assertThat(s.getQuality()).isNull());
  }
}
