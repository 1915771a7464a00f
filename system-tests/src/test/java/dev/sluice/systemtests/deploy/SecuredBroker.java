package dev.sluice.systemtests.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.local.kafka.LocalKafkaBroker;
import dev.sluice.local.kafka.LocalKafkaConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A one-node KRaft broker as a Strimzi cluster of the manifests would be: clients authenticate with
 * SCRAM-SHA-512, the StandardAuthorizer denies what no ACL allows, and the users, topics and ACLs
 * are the manifests' KafkaUsers and KafkaTopics (one replica each, as there is one broker). The
 * test itself logs in as a PLAIN super user.
 */
final class SecuredBroker implements AutoCloseable {
  private static final String ADMIN = "admin";
  private static final String ADMIN_SECRET = "admin-secret";

  private final LocalKafkaBroker broker;

  private SecuredBroker(LocalKafkaBroker broker) {
    this.broker = broker;
  }

  static SecuredBroker start(Path dataDirectory, Rendered manifests) throws InterruptedException, ExecutionException {
    String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN + "\" password=\""
        + ADMIN_SECRET + "\" user_" + ADMIN + "=\"" + ADMIN_SECRET + "\";";
    LocalKafkaConfig config = LocalKafkaConfig.ephemeral(dataDirectory)
        .withBrokerProperty("listener.security.protocol.map", "PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT")
        .withBrokerProperty("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512")
        .withBrokerProperty("sasl.mechanism.inter.broker.protocol", "PLAIN")
        .withBrokerProperty("listener.name.plaintext.plain.sasl.jaas.config", plain)
        .withBrokerProperty("listener.name.plaintext.scram-sha-512.sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required;")
        .withBrokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
        // the broker's own controller connection is unauthenticated (ANONYMOUS); clients use the SASL listener
        .withBrokerProperty("super.users", "User:" + ADMIN + ";User:ANONYMOUS");
    SecuredBroker secured = new SecuredBroker(LocalKafkaBroker.start(config));
    try (Admin admin = Admin.create(secured.admin())) {
      List<UserScramCredentialAlteration> users = new ArrayList<>();
      List<AclBinding> acls = new ArrayList<>();
      for (JsonNode user : manifests.ofKind("KafkaUser")) {
        String name = Manifests.name(user);
        users.add(new UserScramCredentialUpsertion(name, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password(name)));
        acls.addAll(bindings(user));
      }
      admin.alterUserScramCredentials(users).all().get();
      admin.createAcls(acls).all().get();
      admin.createTopics(manifests.ofKind("KafkaTopic").stream().map(SecuredBroker::topic).toList()).all().get();
    } catch (InterruptedException | ExecutionException | RuntimeException e) {
      secured.close();
      throw e;
    }
    return secured;
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** The super user's client properties. */
  Map<String, Object> admin() {
    return sasl("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + ADMIN + "\" password=\"" + ADMIN_SECRET + "\";");
  }

  /** Client properties of a KafkaUser of the manifests: SCRAM-SHA-512 as the pods log in. */
  Map<String, Object> login(String user) {
    return sasl("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
        + "\" password=\"" + password(user) + "\";");
  }

  private Map<String, Object> sasl(String mechanism, String jaas) {
    Map<String, Object> props = new HashMap<>();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    props.put(SaslConfigs.SASL_MECHANISM, mechanism);
    props.put(SaslConfigs.SASL_JAAS_CONFIG, jaas);
    return props;
  }

  private static String password(String user) {
    return "secret-of-" + user;
  }

  /**
   * Adds the ACLs a KafkaUser of other manifests has (those it already has are kept), as the User
   * Operator does when the KafkaUser changes.
   */
  void grant(Rendered manifests, String user) throws InterruptedException, ExecutionException {
    try (Admin admin = Admin.create(admin())) {
      admin.createAcls(bindings(manifests.get("KafkaUser", user))).all().get();
    }
  }

  /** Every ACL rule of a KafkaUser as Kafka ACL bindings. */
  private static List<AclBinding> bindings(JsonNode user) {
    List<AclBinding> acls = new ArrayList<>();
    user.path("spec").path("authorization").path("acls").forEach(acl -> acls.addAll(bindings("User:" + Manifests.name(user), acl)));
    return acls;
  }

  /** A Strimzi ACL rule as Kafka ACL bindings: one per operation. */
  static List<AclBinding> bindings(String principal, JsonNode acl) {
    JsonNode resource = acl.path("resource");
    ResourceType type = switch (resource.path("type").asText()) {
      case "topic" -> ResourceType.TOPIC;
      case "group" -> ResourceType.GROUP;
      case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
      case "cluster" -> ResourceType.CLUSTER;
      default -> throw new AssertionError("unknown ACL resource type " + resource);
    };
    PatternType pattern = resource.path("patternType").asText("literal").equals("prefix") ? PatternType.PREFIXED : PatternType.LITERAL;
    String name = type == ResourceType.CLUSTER ? "kafka-cluster" : resource.path("name").asText();
    List<AclBinding> bindings = new ArrayList<>();
    for (JsonNode operation : acl.path("operations")) {
      AclOperation op = AclOperation.fromString(operation.asText().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
      if (op == AclOperation.UNKNOWN) {
        throw new AssertionError("unknown ACL operation " + operation.asText());
      }
      bindings.add(new AclBinding(new ResourcePattern(type, name, pattern),
          new AccessControlEntry(principal, acl.path("host").asText("*"), op, AclPermissionType.ALLOW)));
    }
    return bindings;
  }

  /** A KafkaTopic as the topic to create, with one replica and min ISR 1 on this one broker. */
  static NewTopic topic(JsonNode kafkaTopic) {
    JsonNode spec = kafkaTopic.path("spec");
    Map<String, String> configs = new HashMap<>();
    spec.path("config").properties().forEach(entry -> configs.put(entry.getKey(), entry.getValue().asText()));
    configs.put("min.insync.replicas", "1");
    return new NewTopic(spec.path("topicName").asText(), spec.path("partitions").asInt(), (short) 1).configs(configs);
  }

  @Override
  public void close() {
    broker.close();
  }
}
