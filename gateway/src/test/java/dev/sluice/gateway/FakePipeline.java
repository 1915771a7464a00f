package dev.sluice.gateway;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.ModelDeployment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A pipeline for the endpoints' tests: deployed versions given, each request answered by a function (null: never answered). */
final class FakePipeline implements Pipeline {
  final List<ModelDeployment> deployed = new ArrayList<>();
  final List<InferenceRequest> sent = new ArrayList<>();
  final List<Duration> timeouts = new ArrayList<>();
  Function<InferenceRequest, Reply> answer = request -> null;
  /** The replies of requests {@link #answer} left unanswered, for a test to complete (they time out otherwise). */
  final List<CompletableFuture<Reply>> unanswered = new CopyOnWriteArrayList<>();

  FakePipeline deploy(String model, String version, dev.sluice.avro.Task task) {
    deployed.add(ModelDeployment.newBuilder().setModel(model).setVersion(version).setArtifactUri("classpath:x").setTrafficWeight(1.0)
        .setShadow(false).setDeployedAt(Instant.parse("2026-12-01T00:00:00Z")).setTask(task).build());
    return this;
  }

  @Override
  public List<CompletableFuture<Reply>> send(List<InferenceRequest> requests, Duration timeout) {
    List<CompletableFuture<Reply>> replies = new ArrayList<>();
    for (InferenceRequest request : requests) {
      sent.add(request);
      timeouts.add(timeout);
      Reply reply = answer.apply(request);
      if (reply == null) {
        CompletableFuture<Reply> later = new CompletableFuture<>();
        unanswered.add(later);
        replies.add(later.orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
      } else {
        replies.add(CompletableFuture.completedFuture(reply));
      }
    }
    return replies;
  }

  @Override
  public List<ModelDeployment> models() {
    return List.copyOf(deployed);
  }

  @Override
  public List<ModelDeployment> versionsOf(String model) {
    return deployed.stream().filter(d -> d.getModel().equals(model)).toList();
  }
}
