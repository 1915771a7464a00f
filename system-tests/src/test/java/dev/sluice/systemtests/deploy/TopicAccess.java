package dev.sluice.systemtests.deploy;

import dev.sluice.schemas.topics.PipelineTopics;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/**
 * The pipeline topics a component reads and writes, and whether it has internal topics of its own.
 *
 * @param reads pipeline topics read
 * @param writes pipeline topics written
 * @param writePrefixes topic-name prefixes written through a topic-name extractor (e.g. sluice.inference.)
 * @param internal internal topics (repartition, and a changelog per local store), before Streams
 *     prefixes them with the application id
 */
record TopicAccess(Set<String> reads, Set<String> writes, Set<String> writePrefixes, Set<String> internal) {

  /** What a Streams topology reads and writes, from its description. */
  static TopicAccess of(Topology topology, PipelineTopics topics) {
    TopicAccess access = new TopicAccess(new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
    TopologyDescription description = topology.describe();
    for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
      subtopology.nodes().forEach(node -> access.add(node, topics));
    }
    for (TopologyDescription.GlobalStore store : description.globalStores()) {
      access.add(store.source(), topics);
    }
    return access;
  }

  /** What a worker reads and writes, as it declares (and its WorkerTopicsTest holds it to). */
  static TopicAccess declared(Iterable<String> reads, Iterable<String> writes) {
    TopicAccess access = new TopicAccess(new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
    reads.forEach(access.reads::add);
    writes.forEach(access.writes::add);
    return access;
  }

  private void add(TopologyDescription.Node node, PipelineTopics topics) {
    if (node instanceof TopologyDescription.Source source) {
      source.topicSet().forEach(topic -> (isPipelineTopic(topic, topics) ? reads : internal).add(topic));
    } else if (node instanceof TopologyDescription.Processor processor) {
      processor.stores().forEach(store -> internal.add(store + "-changelog"));
    } else if (node instanceof TopologyDescription.Sink sink) {
      if (sink.topic() != null) {
        (isPipelineTopic(sink.topic(), topics) ? writes : internal).add(sink.topic());
      } else {
        String pattern = String.valueOf(sink.topicNameExtractor());
        int variable = pattern.indexOf('<');
        if (variable <= 0 || !isPipelineTopic(pattern.substring(0, variable), topics)) {
          throw new AssertionError("a sink writes to topics named by " + pattern + ", which the test cannot turn into an ACL");
        }
        writePrefixes.add(pattern.substring(0, variable));
      }
    }
  }

  private static boolean isPipelineTopic(String topic, PipelineTopics topics) {
    return topic.startsWith(topics.prefix() + ".") || topic.equals(PipelineTopics.SCHEMAS);
  }
}
