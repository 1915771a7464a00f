package dev.sluice.gateway;

import dev.sluice.platform.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The HTTP server span of each call, {@code <METHOD> <route>} (e.g. {@code POST /v1/embeddings}):
 * the child of the call's {@code traceparent} (and {@code tracestate}) header when it has one,
 * from the moment the call reaches the gateway until its answer is written, with the status code
 * (ERROR from 500 on). Its own {@code traceparent} is left on the request ({@value #TRACEPARENT})
 * for {@link GatewayHandler}, so the request the call publishes names the gateway's span as its
 * parent. With {@link Tracing#off()} the call's own {@code traceparent} is passed on.
 */
final class TracedCalls extends Handler.Wrapper {
  /** The request attribute holding the server span's {@code traceparent}. */
  static final String TRACEPARENT = "sluice.traceparent";
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final int SERVER_ERROR = 500;

  private final Tracing tracing;

  TracedCalls(Tracing tracing, Handler handler) {
    super(handler);
    this.tracing = tracing;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String route = Route.of(Request.getPathInContext(request)).label();
    Span span = tracing.tracer().spanBuilder(request.getMethod() + " " + route).setSpanKind(SpanKind.SERVER)
        .setParent(tracing.extract(request.getHeaders(), Headers.INSTANCE))
        .setAttribute(METHOD, request.getMethod()).setAttribute(ROUTE, route).startSpan();
    String traceparent = tracing.traceparent(span.getSpanContext());
    if (traceparent != null) {
      request.setAttribute(TRACEPARENT, traceparent);
    }
    Callback ended = new Callback.Nested(callback) {
      @Override
      public void succeeded() {
        end(span, response.getStatus(), null);
        super.succeeded();
      }

      @Override
      public void failed(Throwable failure) {
        end(span, response.getStatus(), failure);
        super.failed(failure);
      }
    };
    try {
      boolean handled = super.handle(request, response, ended);
      if (!handled) {
        span.end();
      }
      return handled;
    } catch (Exception | Error e) {
      end(span, SERVER_ERROR, e);
      throw e;
    }
  }

  private static void end(Span span, int status, Throwable failure) {
    span.setAttribute(STATUS, (long) status);
    if (failure != null) {
      span.recordException(failure);
    }
    if (failure != null || status >= SERVER_ERROR) {
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  /** HTTP request headers as a trace-context carrier. */
  private enum Headers implements TextMapGetter<HttpFields> {
    INSTANCE;

    @Override
    public Iterable<String> keys(HttpFields fields) {
      return fields.getFieldNamesCollection();
    }

    @Override
    public String get(HttpFields fields, String key) {
      return fields == null ? null : fields.get(key);
    }
  }
}
