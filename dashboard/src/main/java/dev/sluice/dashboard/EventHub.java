package dev.sluice.dashboard;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Fans server-sent events out to the open {@code /events} streams. Each subscriber has a
 * bounded queue; one that falls that far behind is ended, so its browser reconnects and starts
 * again from the history. Thread-safe.
 */
final class EventHub implements AutoCloseable {
  /** A frame for one stream; {@code end} ends it. */
  record Frame(String text, boolean end) {
    static final Frame END = new Frame("", true);
  }

  /** One open stream's queue. */
  final class Subscription implements AutoCloseable {
    private final BlockingQueue<Frame> frames = new ArrayBlockingQueue<>(QUEUE_CAPACITY);

    /** The next frame, or null when none came within the timeout. */
    Frame next(long timeout, TimeUnit unit) throws InterruptedException {
      return frames.poll(timeout, unit);
    }

    private void offer(Frame frame) {
      if (!frames.offer(frame)) {
        frames.clear();
        frames.offer(Frame.END);
      }
    }

    @Override
    public void close() {
      subscriptions.remove(this);
    }
  }

  static final int QUEUE_CAPACITY = 1024;

  private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** A new subscription; already ended when the hub is closed. */
  Subscription subscribe() {
    Subscription subscription = new Subscription();
    subscriptions.add(subscription);
    if (closed) {
      subscription.offer(Frame.END);
    }
    return subscription;
  }

  /** Sends one event to every open stream. */
  void publish(String event, String data) {
    Frame frame = new Frame(frame(event, data), false);
    subscriptions.forEach(s -> s.offer(frame));
  }

  /** The open streams. */
  int subscribers() {
    return subscriptions.size();
  }

  /** The text/event-stream form of one event; data must be one line (compact JSON is). */
  static String frame(String event, String data) {
    if (data.indexOf('\n') >= 0 || data.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("event data must be one line");
    }
    return "event: " + event + "\ndata: " + data + "\n\n";
  }

  /** Ends every stream. */
  @Override
  public void close() {
    closed = true;
    subscriptions.forEach(s -> s.offer(Frame.END));
  }
}
