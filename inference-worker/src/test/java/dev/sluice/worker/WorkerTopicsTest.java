package dev.sluice.worker;

import static dev.sluice.worker.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.PreparedRequest;
import dev.sluice.schemas.topics.Replies;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The topics a worker declares (WorkerConfig.topicsRead / topicsWritten, which deploy/ turns into
 * Kafka ACLs) are the topics it really uses: a served request, a shadow request and an unreadable
 * record together touch every output the worker has (the served one asks for a reply copy).
 */
class WorkerTopicsTest {

  @Test
  void writesExactlyTheTopicsItDeclaresAndConsumesOnlyDeclaredOnes() {
    WorkerHarness harness = new WorkerHarness();
    harness.replyPartitions(1);
    harness.startServing();
    harness.fleet.deployed(WorkerHarness.deployment("v2", "classpath:models/v2", true));
    harness.runLoads();
    PreparedRequest shadow = PreparedRequest.newBuilder(request("s1", "v2", "shadowed")).setShadow(true).build();
    harness.offer(0, request("r1", "v1", "served"),
        new RecordHeaders().add(Replies.PARTITION_HEADER, "0".getBytes(StandardCharsets.UTF_8)));
    harness.offer(0, shadow);
    harness.offerRaw(1, "bad".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8));
    harness.step();
    harness.clock.advance(Duration.ofMillis(10));
    harness.step();

    Set<String> written = harness.producer.history().stream().map(ProducerRecord::topic).collect(Collectors.toSet());
    // The load states go through the reporter's own producer (WorkerLoadStatesTest), the rest through the loop's.
    written.add(harness.config.topics().modelStatus());
    assertThat(written).containsExactlyInAnyOrderElementsOf(harness.config.topicsWritten());
    assertThat(harness.consumer.subscription()).isSubsetOf(harness.config.topicsRead());
    assertThat(harness.config.topicsRead()).contains(harness.config.topics().models());
  }
}
