package dev.sluice.cli.data;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.cli.ClusterClients;
import dev.sluice.cli.ClusterOptions;
import dev.sluice.cli.PrefixOption;
import dev.sluice.cli.json.InvalidRequestJsonException;
import dev.sluice.cli.json.KeyedRequest;
import dev.sluice.cli.json.RequestJson;
import dev.sluice.platform.UserError;
import dev.sluice.schemas.registry.SchemaRegistryException;
import dev.sluice.schemas.serde.AvroSerializer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice send}: JSON lines in, Avro InferenceRequests out on {@code <prefix>.requests}. */
@Command(name = "send",
    header = "Send inference requests, one JSON object per line, to the requests topic.",
    mixinStandardHelpOptions = true,
    description = {"Send inference requests: one JSON object per line, from stdin or --file, each produced as an",
        "Avro InferenceRequest on <prefix>.requests, keyed by its idempotency_key (else its request_id).",
        "Fields: request_id (default: a random UUID), model (required), model_version, tenant, idempotency_key,",
        "deadline and created_at (ISO-8601 instant or epoch millis; created_at defaults to now), exactly one of",
        "text | tensor {\"shape\": [ints], \"values\": [numbers]} | features {name: number or null}, traceparent,",
        "attributes {string: string}. Bad lines are reported with their line number and skipped; the exit",
        "status is 1 when any line was bad. With --json, each request acknowledged is one JSON line on stdout",
        "(request_id, key, topic, partition, offset) and the summary goes to stderr."})
public final class SendCommand implements Callable<Integer> {
  static final String TRACEPARENT_HEADER = "traceparent";

  @Option(names = "--file", paramLabel = "FILE", description = "Read the JSON lines from this file instead of stdin.")
  Path file;

  @Option(names = "--json", description = "Print one JSON line per request acknowledged: its id, key, partition and offset.")
  boolean jsonOut;

  @Mixin PrefixOption prefix;
  @Mixin ClusterOptions cluster;
  @Spec CommandSpec spec;

  /** Where lines come from without --file; tests replace it. */
  InputStream stdin = System.in;

  private final RequestJson json = new RequestJson();

  @Override
  public Integer call() throws InterruptedException, IOException {
    String topic = prefix.topics().requests();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (ClusterClients clients = new ClusterClients(cluster)) {
      clients.requireTopics(List.of(topic), prefix.createHint());
      AvroSerializer<InferenceRequest> serializer = new AvroSerializer<>(clients.registry());
      Delivery delivery = new Delivery();
      int bad = 0;
      try (BufferedReader lines = open(); KafkaProducer<String, byte[]> producer = clients.producer()) {
        int number = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          number++;
          if (line.isBlank()) {
            continue;
          }
          KeyedRequest request;
          try {
            request = json.parse(line);
          } catch (InvalidRequestJsonException e) {
            bad++;
            err.println("line " + number + ": " + e.getMessage());
            err.flush();
            continue;
          }
          String requestId = request.request().getRequestId();
          String key = request.key();
          producer.send(record(topic, request, serialize(serializer, topic, request.request())), (metadata, failure) -> {
            delivery.completed(metadata, failure);
            if (failure == null && jsonOut) {
              out.println(acknowledged(requestId, key, metadata));
            }
          });
        }
        producer.flush();
      } catch (SchemaRegistryException e) {
        throw clients.registryFailure(e);
      } catch (KafkaException e) {
        throw new UserError("cannot send to " + topic + " at " + clients.bootstrapServers() + ": " + e.getMessage(), e);
      }
      if (delivery.failed.get() > 0) {
        throw new UserError(delivery.failed.get() + " requests were not delivered to " + topic + " (" + delivery.sent.get()
            + " were): " + delivery.firstFailure.get().getMessage(), delivery.firstFailure.get());
      }
      PrintWriter summary = jsonOut ? err : out;
      out.flush();
      summary.printf("sent %d, bad %d, to topic %s%n", delivery.sent.get(), bad, topic);
      summary.flush();
      return bad > 0 ? 1 : 0;
    }
  }

  private static String acknowledged(String requestId, String key, RecordMetadata metadata) {
    ObjectNode line = JsonNodeFactory.instance.objectNode();
    line.put("request_id", requestId);
    line.put("key", key);
    line.put("topic", metadata.topic());
    line.put("partition", metadata.partition());
    line.put("offset", metadata.offset());
    return line.toString();
  }

  private BufferedReader open() throws IOException {
    if (file == null) {
      return new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
    }
    try {
      return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserError("cannot read --file " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] serialize(AvroSerializer<InferenceRequest> serializer, String topic, InferenceRequest request) {
    try {
      return serializer.serialize(topic, request);
    } catch (SerializationException e) {
      if (e.getCause() instanceof SchemaRegistryException registry) {
        throw registry;
      }
      throw new UserError("cannot encode requests for " + topic + ": " + e.getMessage(), e);
    }
  }

  private static ProducerRecord<String, byte[]> record(String topic, KeyedRequest request, byte[] value) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, request.key(), value);
    String traceparent = request.request().getTraceparent();
    if (traceparent != null) {
      record.headers().add(TRACEPARENT_HEADER, traceparent.getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }

  /** Counts what the producer acknowledged and keeps the first failure. */
  private static final class Delivery {
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    void completed(RecordMetadata metadata, Exception failure) {
      if (failure == null) {
        sent.incrementAndGet();
      } else {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, failure);
      }
    }
  }
}
