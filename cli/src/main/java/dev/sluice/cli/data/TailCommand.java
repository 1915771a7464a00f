package dev.sluice.cli.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.cli.ClusterClients;
import dev.sluice.cli.ClusterOptions;
import dev.sluice.cli.PrefixOption;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.cli.render.LiveMetricsTable;
import dev.sluice.cli.render.SnapshotLines;
import dev.sluice.cli.render.TailLines;
import dev.sluice.platform.AvroJson;
import dev.sluice.platform.KafkaAdmins;
import dev.sluice.platform.UserError;
import dev.sluice.platform.topics.ReadToEnd;
import dev.sluice.schemas.registry.SchemaRegistryException;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.WireFormatException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice tail}: follows the results, dead letters or metric events, one line per record. */
@Command(name = "tail",
    header = "Print a pipeline topic's records as they arrive (results, rejections, metrics, ...).",
    mixinStandardHelpOptions = true,
    description = {"Print the records of a pipeline topic as they arrive: results (<prefix>.results), shadow",
        "(<prefix>.results.shadow), rejected (<prefix>.requests.rejected), metrics (<prefix>.metrics: the monitoring",
        "snapshots: in a terminal a table updated in place, one row per model, version and window size, partial",
        "windows marked; piped or with --lines, a line per snapshot), events (<prefix>.metrics.events), alerts (<prefix>.alerts)",
        "or audit (<prefix>.audit: the HTTP gateway's calls).",
        "Reads committed records only, from every partition, without a consumer group; one line per record,",
        "or one JSON object per line with --json. Undecodable records are reported on stderr and skipped.",
        "Stops after --max records, after --timeout-ms without a record, or on Ctrl-C; exits 1 when --timeout-ms",
        "ended it before --max records arrived."})
public final class TailCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(200);

  @Parameters(index = "0", paramLabel = "STREAM", converter = TailStream.Converter.class, completionCandidates = TailStream.Words.class,
      description = "One of: ${COMPLETION-CANDIDATES}.")
  TailStream stream;

  @Option(names = "--json", description = "One JSON object per record instead of a line of text.")
  boolean json;

  @Option(names = "--lines", description = "For metrics in a terminal: a line per snapshot instead of the table updated in place.")
  boolean lines;

  @Option(names = "--from-beginning", description = "Start at the oldest record instead of the end.")
  boolean fromBeginning;

  @Option(names = "--since", paramLabel = "WHEN", converter = Since.Converter.class,
      description = "Start at the first record written at or after WHEN: a time ago (30s, 5m, 2h, 1d) or an ISO-8601 instant.")
  Instant since;

  @Option(names = "--max", paramLabel = "N", description = "Stop after N records (undecodable ones count).")
  Long max;

  @Option(names = "--timeout-ms", paramLabel = "MS", description = "Stop after this long without a record.")
  Long timeoutMs;

  @Mixin PrefixOption prefix;
  @Mixin ClusterOptions cluster;
  @Spec CommandSpec spec;
  /** The metrics table redrawn in place, when stdout is a terminal; null otherwise. */
  private LiveMetricsTable table;

  @Override
  public Integer call() throws InterruptedException {
    if (max != null && max < 1 || timeoutMs != null && timeoutMs < 0) {
      throw new ParameterException(spec.commandLine(), max != null && max < 1 ? "--max must be >= 1" : "--timeout-ms must be >= 0");
    }
    if (fromBeginning && since != null) {
      throw new ParameterException(spec.commandLine(), "--from-beginning and --since are exclusive: give one");
    }
    long seen;
    String topic = stream.topic(prefix.topics());
    try (ClusterClients clients = new ClusterClients(cluster)) {
      clients.requireTopics(List.of(topic), prefix.createHint());
      AvroDeserializer<SpecificRecord> decoder = new AvroDeserializer<>(stream.type(), clients.registry());
      KafkaConsumer<String, byte[]> consumer = clients.consumer();
      CountDownLatch closed = new CountDownLatch(1);
      Thread stopper = new Thread(() -> {
        consumer.wakeup();
        awaitQuietly(closed);
      }, "sluice-tail-stop");
      Runtime.getRuntime().addShutdownHook(stopper);
      try (consumer) {
        seen = follow(consumer, topic, decoder);
      } catch (SchemaRegistryException e) {
        throw clients.registryFailure(e);
      } catch (KafkaException e) {
        throw new UserError("cannot read " + topic + " at " + clients.bootstrapServers() + ": " + e.getMessage(), e);
      } finally {
        closed.countDown();
        removeHook(stopper);
      }
    }
    if (max != null && seen >= 0 && seen < max) {
      spec.commandLine().getErr().printf("%d of the %d records asked for arrived within --timeout-ms %d%n", seen, max, timeoutMs);
      spec.commandLine().getErr().flush();
      return 1;
    }
    return 0;
  }

  /**
   * Reads until --max, --timeout-ms or a wakeup from the shutdown hook (Ctrl-C), which ends it
   * normally.
   *
   * @return the records read, or -1 after Ctrl-C
   */
  private long follow(KafkaConsumer<String, byte[]> consumer, String topic, AvroDeserializer<SpecificRecord> decoder) {
    if (stream == TailStream.METRICS && !json) {
      if (!lines && System.console() != null) {
        table = new LiveMetricsTable();
        spec.commandLine().getOut().print(table.redraw());
        spec.commandLine().getOut().flush();
      } else {
        spec.commandLine().getOut().println(SnapshotLines.header());
      }
    }
    try {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      String from;
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
        from = " from the beginning";
      } else if (since != null) {
        ReadToEnd.seekToTime(consumer, partitions, since.toEpochMilli(), KafkaAdmins.TIMEOUT);
        from = " from " + since;
      } else {
        consumer.seekToEnd(partitions);
        from = " from the end";
      }
      partitions.forEach(consumer::position);
      PrintWriter err = spec.commandLine().getErr();
      err.println("tailing " + topic + from + " (Ctrl-C to stop)");
      err.flush();
      return read(consumer, decoder);
    } catch (WakeupException e) {
      spec.commandLine().getOut().flush();
      return -1;
    }
  }

  /** Reads until --max or --timeout-ms; returns the records read. */
  private long read(KafkaConsumer<String, byte[]> consumer, AvroDeserializer<SpecificRecord> decoder) {
    long seen = 0;
    long lastRecord = System.nanoTime();
    while (max == null || seen < max) {
      ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
      if (records.isEmpty()) {
        if (timeoutMs != null && System.nanoTime() - lastRecord >= TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
          break;
        }
        continue;
      }
      lastRecord = System.nanoTime();
      boolean changed = false;
      for (ConsumerRecord<String, byte[]> record : records) {
        changed |= print(record, decoder);
        if (max != null && ++seen >= max) {
          break;
        }
      }
      if (changed && table != null) {
        spec.commandLine().getOut().print(table.redraw());
      }
      spec.commandLine().getOut().flush();
    }
    spec.commandLine().getOut().flush();
    return seen;
  }

  /** Prints the record, or puts it in the live table; returns whether the table changed. */
  private boolean print(ConsumerRecord<String, byte[]> record, AvroDeserializer<SpecificRecord> decoder) {
    if (record.value() == null) {
      return undecodable("a null value (tombstone) in topic " + record.topic() + " partition " + record.partition()
          + " offset " + record.offset());
    }
    SpecificRecord value;
    try {
      value = decoder.deserialize(record.topic(), record.value());
    } catch (WireFormatException e) {
      return undecodable(e.withPosition(record.partition(), record.offset()).getMessage());
    }
    if (table != null && value instanceof MetricsSnapshot snapshot) {
      return table.add(snapshot);
    }
    spec.commandLine().getOut().println(json ? json(value) : TailLines.of(value));
    return false;
  }

  /** Reports a record that cannot be shown: on stderr, or in the live table, which a line on stderr would be drawn over. */
  private boolean undecodable(String why) {
    if (table != null) {
      table.skipped("undecodable record: " + why);
      return true;
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println("undecodable record: " + why);
    err.flush();
    return false;
  }

  private static String json(SpecificRecord value) {
    try {
      return JSON.writeValueAsString(AvroJson.of(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitQuietly(CountDownLatch closed) {
    try {
      closed.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // Ctrl-C: the hook is running and waits for closed; flush what was printed before the JVM exits.
      spec.commandLine().getOut().flush();
    }
  }
}
