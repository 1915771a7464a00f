package dev.sluice.platform.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process's OpenTelemetry tracing: the tracer its components make spans with and the W3C
 * trace context ({@code traceparent}, {@code tracestate}) read from and written to Kafka headers
 * ({@link KafkaHeaderCarrier}).
 *
 * <p>{@link #start} builds the SDK: every span gets real ids (sampled as its parent says, a new
 * trace always), whether or not anything is exported, so ids travel between components and into
 * log lines ({@link TraceMdc}). With no OTLP endpoint the SDK's only span processor asks to see
 * neither start nor end: nothing is queued or sent, though each span is still a recording SDK span
 * (ids, times, attributes). With one, a batch processor exports over
 * OTLP/HTTP with the JDK's HTTP client. {@link #off()} makes no spans at all (a span started there
 * carries its parent's context on unchanged), for tests and tools that do not trace. One instance
 * per process; {@link #close()} flushes what is queued.
 */
public final class Tracing implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
  /** The instrumentation scope of Sluice's spans. */
  public static final String SCOPE = "dev.sluice";
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final long CLOSE_SECONDS = 5;

  private final OpenTelemetry openTelemetry;
  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final TextMapPropagator propagator = W3CTraceContextPropagator.getInstance();

  private Tracing(OpenTelemetry openTelemetry, SdkTracerProvider provider) {
    this.openTelemetry = openTelemetry;
    this.provider = provider;
    this.tracer = openTelemetry.getTracer(SCOPE);
  }

  /** Builds the SDK from the settings: spans always, OTLP export only when an endpoint is set. */
  public static Tracing start(TracingSettings settings) {
    SdkTracerProviderBuilder builder = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, settings.serviceName()))));
    if (settings.otlpTracesEndpoint().isPresent()) {
      OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder().setEndpoint(settings.otlpTracesEndpoint().get().toString());
      settings.otlpHeaders().forEach(exporter::addHeader);
      builder.addSpanProcessor(BatchSpanProcessor.builder(exporter.build()).build());
    } else {
      // Without any processor the SDK hands out the no-op tracer, whose spans have no ids.
      builder.addSpanProcessor(IdsOnly.INSTANCE);
    }
    LOG.info("Tracing: {}", settings.describe());
    return with(builder.build());
  }

  /** Tracing on a tracer provider someone else built (tests: an in-memory exporter); closing shuts it down. */
  public static Tracing with(SdkTracerProvider provider) {
    return new Tracing(OpenTelemetrySdk.builder().setTracerProvider(provider)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build(), provider);
  }

  /** No spans: a span started here carries its parent's context, so headers pass through unchanged. */
  public static Tracing off() {
    return new Tracing(OpenTelemetry.noop(), null);
  }

  /** The tracer of Sluice's spans. */
  public Tracer tracer() {
    return tracer;
  }

  /** The trace context the headers carry ({@code traceparent}, {@code tracestate}), or the root context. */
  public Context extract(Headers headers) {
    return propagator.extract(Context.root(), headers, KafkaHeaderCarrier.INSTANCE);
  }

  /** The trace context any carrier holds (HTTP headers, say), read with its getter, or the root context. */
  public <C> Context extract(C carrier, TextMapGetter<C> getter) {
    return propagator.extract(Context.root(), carrier, getter);
  }

  /**
   * The trace context the headers carry, else the one a {@code traceparent} value names (e.g. the
   * one a request carries in its body), else the root context.
   */
  public Context extract(Headers headers, String traceparent) {
    Context context = extract(headers);
    if (Span.fromContext(context).getSpanContext().isValid() || traceparent == null || traceparent.isBlank()) {
      return context;
    }
    return propagator.extract(Context.root(), Map.of("traceparent", traceparent), MapGetter.INSTANCE);
  }

  /**
   * Writes the context's span into the headers, replacing any {@code traceparent} and
   * {@code tracestate} they had; an invalid span leaves them as they are.
   */
  public void inject(Context context, Headers headers) {
    if (!Span.fromContext(context).getSpanContext().isValid()) {
      return;
    }
    for (String field : propagator.fields()) {
      headers.remove(field);
    }
    propagator.inject(context, headers, KafkaHeaderCarrier.INSTANCE);
  }

  /** The W3C {@code traceparent} value of a span, or null for an invalid one. */
  public String traceparent(SpanContext span) {
    if (!span.isValid()) {
      return null;
    }
    Map<String, String> fields = new HashMap<>(2);
    propagator.inject(Context.root().with(Span.wrap(span)), fields, Map::put);
    return fields.get("traceparent");
  }

  /** The API instance, for libraries that take one. */
  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /** Exports what is queued and shuts the SDK down, waiting a few seconds at most. */
  @Override
  public void close() {
    if (provider != null && !provider.shutdown().join(CLOSE_SECONDS, TimeUnit.SECONDS).isSuccess()) {
      LOG.warn("Tracing did not shut down within {} s; spans still queued are lost", CLOSE_SECONDS);
    }
  }

  /** A span processor that wants to see nothing: spans get ids and go nowhere. */
  private enum IdsOnly implements SpanProcessor {
    INSTANCE;

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
      // isStartRequired() is false: never called
    }

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      // isEndRequired() is false: never called
    }

    @Override
    public boolean isEndRequired() {
      return false;
    }
  }

  /** A getter over a map of header names to values. */
  private enum MapGetter implements TextMapGetter<Map<String, String>> {
    INSTANCE;

    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  }
}
