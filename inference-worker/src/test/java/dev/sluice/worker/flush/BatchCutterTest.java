package dev.sluice.worker.flush;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchCutterTest {
  private record Item(String group, String text) {}

  private static BatchCutter<Item> cutter(int maxRecords, boolean bucketing) {
    return new BatchCutter<>(new FlushPolicy(maxRecords, Duration.ofMillis(10), bucketing), item -> item.text().length(), Item::group);
  }

  @Test
  void cutsEachGroupSortedByLengthIntoNearEqualBatches() {
    List<Item> items = List.of(new Item("v1", "xxxxx"), new Item("v2", "long text"), new Item("v1", "x"), new Item("v1", "xxx"),
        new Item("v1", "xx"), new Item("v1", "xxxx"), new Item("v2", "s"));

    List<List<Item>> batches = cutter(4, true).cut(items);

    assertThat(batches).extracting(batch -> batch.stream().map(Item::text).toList()).containsExactly(
        List.of("x", "xx", "xxx"), List.of("xxxx", "xxxxx"), List.of("s", "long text"));
  }

  @Test
  void cutsInArrivalOrderWithoutBucketing() {
    List<Item> items = List.of(new Item("v1", "xxx"), new Item("v1", "x"), new Item("v1", "xx"));

    assertThat(cutter(2, false).cut(items)).extracting(batch -> batch.stream().map(Item::text).toList())
        .containsExactly(List.of("xxx", "x"), List.of("xx"));
  }
}
