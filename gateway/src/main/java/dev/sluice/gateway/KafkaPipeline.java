package dev.sluice.gateway;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.ModelDeployment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The pipeline as the gateway reaches it: requests out through the publisher, models from the catalog. */
final class KafkaPipeline implements Pipeline {
  private final RequestPublisher publisher;
  private final ModelCatalog catalog;

  KafkaPipeline(RequestPublisher publisher, ModelCatalog catalog) {
    this.publisher = publisher;
    this.catalog = catalog;
  }

  @Override
  public List<CompletableFuture<Reply>> send(List<InferenceRequest> requests, Duration timeout) {
    return publisher.send(requests, timeout);
  }

  @Override
  public List<ModelDeployment> models() {
    return catalog.all();
  }

  @Override
  public List<ModelDeployment> versionsOf(String model) {
    return catalog.versionsOf(model);
  }
}
