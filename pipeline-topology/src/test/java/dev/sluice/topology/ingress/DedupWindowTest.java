package dev.sluice.topology.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.InMemoryKeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DedupWindowTest {
  private static final long TTL = 10_000;
  private static final long T0 = 1_700_000_000_000L;

  KeyValueStore<String, Long> firstSeen;
  CountingStore byFirstSeen;
  DedupWindow window;

  @BeforeEach
  void stores() {
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    firstSeen = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(IngressStores.DEDUP), Serdes.String(), Serdes.Long())
        .withLoggingDisabled().build();
    firstSeen.init(context.getStateStoreContext(), firstSeen);
    byFirstSeen = new CountingStore(IngressStores.DEDUP_EXPIRY);
    byFirstSeen.init(context.getStateStoreContext(), byFirstSeen);
    window = new DedupWindow(firstSeen, byFirstSeen, TTL);
  }

  @Test
  void purgeRemovesExpiredEntriesKeepsUnexpiredOnesAndVisitsOnlyTheExpired() {
    window.admit("t|old-1", T0);
    window.admit("t|old-2", T0 + 1_000);
    window.admit("t|edge", T0 + 2_000);
    window.admit("t|fresh-1", T0 + 2_001);
    window.admit("t|fresh-2", T0 + 9_000);
    byFirstSeen.visited = 0;

    int deleted = window.purgeExpired(T0 + 2_000 + TTL);

    assertThat(deleted).isEqualTo(3);
    assertThat(byFirstSeen.visited).as("index entries read by the purge").isEqualTo(3);
    assertThat(firstSeen.get("t|old-1")).isNull();
    assertThat(firstSeen.get("t|old-2")).isNull();
    assertThat(firstSeen.get("t|edge")).isNull();
    assertThat(firstSeen.get("t|fresh-1")).isEqualTo(T0 + 2_001);
    assertThat(firstSeen.get("t|fresh-2")).isEqualTo(T0 + 9_000);
    assertThat(indexed()).containsExactly(KeyValue.pair(T0 + 2_001, "t|fresh-1"), KeyValue.pair(T0 + 9_000, "t|fresh-2"));
  }

  @Test
  void purgeWithNothingExpiredReadsNothing() {
    window.admit("t|a", T0);
    window.admit("t|b", T0 + 5_000);
    window.purgeExpired(T0);
    byFirstSeen.visited = 0;

    assertThat(window.purgeExpired(T0 + TTL - 1)).isZero();

    assertThat(byFirstSeen.visited).isZero();
    assertThat(firstSeen.approximateNumEntries()).isEqualTo(2);
  }

  @Test
  void rememberingAnExpiredKeyAgainMovesItsIndexEntrySoTheOldOneCannotPurgeIt() {
    window.admit("t|k", T0);
    assertThat(window.admit("t|k", T0 + TTL)).as("expired: admitted again").isTrue();

    assertThat(window.purgeExpired(T0 + TTL + 1)).isZero();

    assertThat(window.admit("t|k", T0 + TTL + 1)).as("a repeat of the new sighting").isFalse();
    assertThat(indexed()).containsExactly(KeyValue.pair(T0 + TTL, "t|k"));
  }

  @Test
  void admitTakesAKeyOnceWithinTheTtlAndAgainAfterItWithOneLookupEach() {
    assertThat(window.admit("t|k", T0)).as("first sighting").isTrue();
    assertThat(window.admit("t|k", T0 + TTL - 1)).as("a retry within the TTL").isFalse();
    assertThat(firstSeen.get("t|k")).as("a retry does not move the first sighting").isEqualTo(T0);
    assertThat(window.admit("t|k", T0 + TTL)).as("after the TTL it is new again").isTrue();

    assertThat(firstSeen.get("t|k")).isEqualTo(T0 + TTL);
    assertThat(indexed()).containsExactly(KeyValue.pair(T0 + TTL, "t|k"));
  }

  @Test
  void firstPurgeIndexesEntriesWrittenBeforeTheIndexExisted() {
    firstSeen.put("t|legacy-old", T0);
    firstSeen.put("t|legacy-new", T0 + 5_000);

    assertThat(window.purgeExpired(T0 + TTL)).isEqualTo(1);

    assertThat(firstSeen.get("t|legacy-old")).isNull();
    assertThat(firstSeen.get("t|legacy-new")).isEqualTo(T0 + 5_000);
    assertThat(indexed()).containsExactly(KeyValue.pair(T0 + 5_000, "t|legacy-new"));
  }

  @Test
  void aRestartedTaskIndexesWhatItsLocalIndexLacksAndDropsWhatTheDedupStoreNoLongerHolds() {
    window.admit("t|kept", T0);
    window.admit("t|rolled-back", T0);
    window.purgeExpired(T0);
    // As after a restart: the dedup store (restored from its changelog) gained an entry the local
    // index never saw and lost one the index still holds (its write was rolled back).
    firstSeen.put("t|restored", T0 + 1_000);
    firstSeen.delete("t|rolled-back");
    DedupWindow restarted = new DedupWindow(firstSeen, byFirstSeen, TTL);

    assertThat(restarted.purgeExpired(T0 + TTL + 1_000)).isEqualTo(2);

    assertThat(firstSeen.get("t|kept")).isNull();
    assertThat(firstSeen.get("t|restored")).isNull();
    assertThat(indexed()).isEmpty();
  }

  @Test
  void indexKeysSortByFirstSeenTimeWhateverTheKey() {
    assertThat(DedupWindow.indexKey(T0, "zzz")).isLessThan(DedupWindow.indexKey(T0 + 1, "a"));
    assertThat(DedupWindow.indexKey(255, "x")).isLessThan(DedupWindow.indexKey(256, "x"));
    assertThat(DedupWindow.indexKey(T0, "\uffff")).isLessThan(DedupWindow.upperBound(T0));
    assertThat(DedupWindow.upperBound(T0)).isLessThan(DedupWindow.indexKey(T0 + 1, "\u0000"));
  }

  /** The index as (first-seen time, key) pairs, in store order. */
  private List<KeyValue<Long, String>> indexed() {
    List<KeyValue<Long, String>> entries = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> all = byFirstSeen.all()) {
      all.forEachRemaining(entry -> {
        byte[] bytes = entry.key.get();
        long time = ByteBuffer.wrap(bytes).getLong();
        entries.add(KeyValue.pair(time, new String(bytes, Long.BYTES, bytes.length - Long.BYTES, StandardCharsets.UTF_8)));
      });
    }
    return entries;
  }

  /** An in-memory store that counts the entries its scans hand out, whichever scan. */
  static final class CountingStore extends InMemoryKeyValueStore {
    int visited;

    CountingStore(String name) {
      super(name);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
      return counting(super.range(from, to));
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
      return counting(super.reverseRange(from, to));
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
      return counting(super.all());
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
      return counting(super.reverseAll());
    }

    private KeyValueIterator<Bytes, byte[]> counting(KeyValueIterator<Bytes, byte[]> delegate) {
      return new KeyValueIterator<>() {
        @Override
        public boolean hasNext() {
          return delegate.hasNext();
        }

        @Override
        public KeyValue<Bytes, byte[]> next() {
          visited++;
          return delegate.next();
        }

        @Override
        public Bytes peekNextKey() {
          return delegate.peekNextKey();
        }

        @Override
        public void close() {
          delegate.close();
        }
      };
    }
  }
}
