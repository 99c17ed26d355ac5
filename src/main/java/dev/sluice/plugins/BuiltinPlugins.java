package dev.sluice.plugins;

import java.util.List;

/**
 * Every built-in plugin class, listed explicitly (no class-path scanning at start-up). The order
 * is the order of {@code sluice -h} and {@code -J}.
 */
public final class BuiltinPlugins {

	public static final List<Class<?>> CLASSES = List.of(
			// inputs
			dev.sluice.plugins.in.dummy.DummyInput.class,
			dev.sluice.plugins.in.stdin.StdinInput.class,
			dev.sluice.plugins.in.lib.LibInput.class,
			dev.sluice.plugins.in.forward.ForwardInput.class,
			dev.sluice.plugins.in.tail.TailInput.class,
			dev.sluice.plugins.in.http.HttpInput.class,
			dev.sluice.plugins.in.kubernetes_events.KubernetesEventsInput.class,
			dev.sluice.plugins.in.kafka.KafkaInput.class,
			dev.sluice.plugins.in.tcp.TcpInput.class,
			dev.sluice.plugins.in.udp.UdpInput.class,
			dev.sluice.plugins.in.syslog.SyslogInput.class,
			dev.sluice.plugins.in.exec.ExecInput.class,
			dev.sluice.plugins.in.cpu.CpuInput.class,
			dev.sluice.plugins.in.mem.MemInput.class,
			dev.sluice.plugins.in.opentelemetry.OpenTelemetryInput.class,
			dev.sluice.plugins.in.fluentbit_metrics.FluentBitMetricsInput.class,

			// filters
			dev.sluice.plugins.filter.grep.GrepFilter.class,
			dev.sluice.plugins.filter.modify.ModifyFilter.class,
			dev.sluice.plugins.filter.record_modifier.RecordModifierFilter.class,
			dev.sluice.plugins.filter.nest.NestFilter.class,
			dev.sluice.plugins.filter.rewrite_tag.RewriteTagFilter.class,
			dev.sluice.plugins.filter.throttle.ThrottleFilter.class,
			dev.sluice.plugins.filter.type_converter.TypeConverterFilter.class,
			dev.sluice.plugins.filter.expect.ExpectFilter.class,
			dev.sluice.plugins.filter.stdout.StdoutFilter.class,
			dev.sluice.plugins.filter.lua.LuaFilter.class,
			dev.sluice.plugins.filter.parser.ParserFilter.class,
			dev.sluice.plugins.filter.multiline.MultilineFilter.class,
			dev.sluice.plugins.filter.kubernetes.KubernetesFilter.class,

			// outputs
			dev.sluice.plugins.out.counter.CounterOutput.class,
			dev.sluice.plugins.out.es.EsOutput.class,
			dev.sluice.plugins.out.exit.ExitOutput.class,
			dev.sluice.plugins.out.file.FileOutput.class,
			dev.sluice.plugins.out.forward.ForwardOutput.class,
			dev.sluice.plugins.out.http.HttpOutput.class,
			dev.sluice.plugins.out.kafka.KafkaOutput.class,
			dev.sluice.plugins.out.opentelemetry.OpenTelemetryOutput.class,
			dev.sluice.plugins.out.prometheus_exporter.PrometheusExporterOutput.class,
			dev.sluice.plugins.out.nullout.NullOutput.class,
			dev.sluice.plugins.out.pgsql.PgsqlOutput.class,
			dev.sluice.plugins.out.loki.LokiOutput.class,
			dev.sluice.plugins.out.opensearch.OpensearchOutput.class,
			dev.sluice.plugins.out.stdout.StdoutOutput.class,
			dev.sluice.plugins.out.syslog.SyslogOutput.class,
			dev.sluice.plugins.out.tcp.TcpOutput.class,
			dev.sluice.plugins.out.udp.UdpOutput.class,
			dev.sluice.plugins.out.lib.LibOutput.class);

	/**
	 * Processor-only plugins: valid in YAML {@code processors} (with every filter), not as
	 * {@code [FILTER]}.
	 */
	public static final List<Class<?>> PROCESSORS = List.of(
			dev.sluice.plugins.processor.content_modifier.ContentModifierProcessor.class);

	private BuiltinPlugins() {
	}
}
