package dev.sluice.schemas.topics;

import org.apache.avro.Schema;

/**
 * The Avro record type every value on one topic is written with, and the registry subject it is
 * published under ({@code <topic>-value}, Confluent's TopicNameStrategy, which Sluice's serdes use).
 *
 * @param topic full topic name, prefix included
 * @param schema the value's schema: a record as the generated class declares it, or a union of such records
 */
public record ValueContract(String topic, Schema schema) {
  /** The registry subject of the topic's values. */
  public String subject() {
    return topic + "-value";
  }
}
