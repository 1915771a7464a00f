package dev.sluice.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.schemas.Contracts;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.avro.Schema;

/**
 * The pipeline's resources: every Avro contract as its shipped {@code .avsc}, the topics with
 * their settings as they are on the cluster, and the dead letters' reason codes.
 */
final class SluiceResources {
  static final String CONTRACTS = "sluice://contracts/";
  static final String TOPICS = "sluice://topics";
  static final String REASON_CODES = "sluice://reason-codes";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PipelineFacts facts;

  SluiceResources(PipelineFacts facts) {
    this.facts = facts;
  }

  List<SyncResourceSpecification> specifications() {
    List<SyncResourceSpecification> all = new ArrayList<>();
    for (Schema contract : Contracts.ALL) {
      all.add(resource(CONTRACTS + Contracts.fileName(contract), Contracts.fileName(contract),
          "The Avro contract " + contract.getFullName() + ": " + contract.getDoc(), "application/json", () -> Contracts.shippedText(contract)));
    }
    all.add(resource(TOPICS, "topics", "The pipeline's topics as they are on the cluster: partitions, replication, cleanup policy,"
        + " min.insync.replicas, retention and the records written.", "application/json", this::topics));
    all.add(resource(REASON_CODES, "reason-codes.md", "The dead letters' reason codes: what each means and what to do.", "text/markdown",
        Contracts::reasonCodes));
    return all;
  }

  private String topics() {
    try {
      List<String> models = facts.deployments().all().stream().map(ModelDeployment::getModel).distinct().sorted().toList();
      ArrayNode topics = TopicsJson.of(facts.topicStates(models));
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(topics);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the topics", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the topics from Kafka: " + e.getMessage(), e);
    }
  }

  private static SyncResourceSpecification resource(String uri, String name, String description, String mimeType, Supplier<String> text) {
    Resource resource = Resource.builder().uri(uri).name(name).description(description).mimeType(mimeType).build();
    return new SyncResourceSpecification(resource, (exchange, request) -> {
      try {
        return new ReadResourceResult(List.of(new TextResourceContents(uri, mimeType, text.get())));
      } catch (RuntimeException e) {
        throw McpError.builder(io.modelcontextprotocol.spec.McpSchema.ErrorCodes.INTERNAL_ERROR).message(e.getMessage()).build();
      }
    });
  }
}
