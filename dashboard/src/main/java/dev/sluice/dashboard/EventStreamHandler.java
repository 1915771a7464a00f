package dev.sluice.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /events}: a text/event-stream that starts with a {@code history} event (everything
 * kept, as {@code /api/snapshot} has it), then one {@code snapshot} or {@code alert} event per
 * record read, and a comment line as heartbeat when nothing else was sent for a while. It ends
 * when the hub closes, the subscriber falls too far behind, or the client goes away.
 */
final class EventStreamHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(EventStreamHandler.class);
  private static final long RECONNECT_MILLIS = 2000;

  private final EventHub hub;
  private final Supplier<String> history;
  private final Duration heartbeat;

  EventStreamHandler(EventHub hub, Supplier<String> history, Duration heartbeat) {
    this.hub = hub;
    this.history = history;
    this.heartbeat = heartbeat;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!HttpAnswers.allowGet(exchange)) {
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
      exchange.sendResponseHeaders(200, 0);
      try (EventHub.Subscription subscription = hub.subscribe(); OutputStream out = exchange.getResponseBody()) {
        write(out, "retry: " + RECONNECT_MILLIS + "\n\n" + EventHub.frame("history", history.get()));
        stream(subscription, out);
      } catch (IOException e) {
        LOG.debug("An /events client went away: {}", e.toString());
      }
    }
  }

  private void stream(EventHub.Subscription subscription, OutputStream out) throws IOException {
    try {
      while (true) {
        EventHub.Frame frame = subscription.next(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
          write(out, ": heartbeat\n\n");
        } else if (frame.end()) {
          return;
        } else {
          write(out, frame.text());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
