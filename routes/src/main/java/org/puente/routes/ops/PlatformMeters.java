package org.puente.routes.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The meters that are not the exchange's own: Camel route metrics (camel-micrometer's route
 * policy: exchanges, failures and processing time per route; and the routes started) and JVM
 * metrics (Micrometer's binders: memory, GC, threads, classes, CPU,
 * file descriptors, uptime), all in the gateway's one Prometheus registry.
 *
 * <p>Implementation note: wired in code rather than with {@code camel.metrics.*} so that Camel
 * uses this registry (bound before any route exists) instead of creating its own, and so the
 * in-JVM test harness, which has no {@code application.properties}, measures the same meters.
 * The exchange event notifier is left out: it times every endpoint, which per-route timers
 * already cover.
 */
public final class PlatformMeters extends ServiceSupport {
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private PlatformMeters() {
    }

    /**
     * The gateway's registry; every meter carries the gateway's country. Names and labels follow
     * Prometheus's conventions, so {@code promtool check metrics} finds nothing to lint: Camel's
     * camelCase tags ({@code routeId}, {@code camelContext}) become snake_case, the CPU count is
     * not named like a histogram's {@code _count}, and the nanosecond CPU-time counter (an
     * abbreviated unit; {@code process_cpu_usage} says the same) is dropped.
     */
    public static PrometheusMeterRegistry newRegistry(String country) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config()
                .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
                .meterFilter(new PrometheusConventions())
                .commonTags("country", country);
        return registry;
    }

    /** Snake-case tag keys, and no gauge named like a histogram part. */
    static final class PrometheusConventions implements MeterFilter {
        @Override
        public Meter.Id map(Meter.Id id) {
            Meter.Id named = "system.cpu.count".equals(id.getName()) ? id.withName("system.cpus") : id;
            List<Tag> tags = new ArrayList<>();
            boolean changed = false;
            for (Tag t : named.getTagsAsIterable()) {
                String key = snake(t.getKey());
                changed |= !key.equals(t.getKey());
                tags.add(Tag.of(key, t.getValue()));
            }
            return changed ? named.replaceTags(tags) : named;
        }

        static String snake(String key) {
            return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        }
    }

    /** Binds the JVM binders and Camel's route metrics; call before the routes are added. */
    public static void install(CamelContext context, MeterRegistry registry) throws Exception {
        context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
        PlatformMeters jvm = new PlatformMeters();
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        jvm.gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        context.addService(jvm, true, true);

        MicrometerRoutePolicyFactory routes = new MicrometerRoutePolicyFactory();
        routes.setMeterRegistry(registry);
        // app.info (Camel's version) has no help text, which promtool flags; the version is in the logs.
        routes.setSkipCamelInfo(true);
        context.addRoutePolicyFactory(routes);
        // Route counts as our own gauges: camel-micrometer's route event notifier registers its
        // gauges without help text, which promtool flags.
        Gauge.builder("gateway.routes.defined", context, c -> c.getRoutes().size())
                .description("Camel routes of the gateway").register(registry);
        Gauge.builder("gateway.routes.started", context, PlatformMeters::started)
                .description("Camel routes of the gateway that are started (the rest are stopped or suspended)")
                .register(registry);
    }

    private static double started(CamelContext c) {
        return c.getRoutes().stream().filter(r -> {
            ServiceStatus s = c.getRouteController().getRouteStatus(r.getRouteId());
            return s != null && s.isStarted();
        }).count();
    }

    @Override
    protected void doStop() {
        gc.close();
    }
}
