package dev.sluice.log;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;

/**
 * Formats log lines as Fluent Bit does: {@code [2026/11/22 02:43:32.822] [ info] [engine] message}.
 * The component is the logger name for Sluice's own loggers ({@code engine},
 * {@code input:dummy:dummy.0}); for library loggers it is the last segment of the class name.
 */
public final class FluentBitLayout extends LayoutBase<ILoggingEvent> {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSS")
		.withZone(ZoneId.systemDefault());

	@Override
	public String doLayout(ILoggingEvent event) {
		StringBuilder sb = new StringBuilder(128);
		sb.append('[').append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append("] [");
		sb.append(levelLabel(event.getLevel())).append("] [").append(component(event.getLoggerName())).append("] ");
		sb.append(event.getFormattedMessage()).append('\n');
		IThrowableProxy t = event.getThrowableProxy();
		if (t != null) {
			sb.append(ThrowableProxyUtil.asString(t)).append('\n');
		}
		return sb.toString();
	}

	static String levelLabel(Level level) {
		return switch (level.toInt()) {
			case Level.ERROR_INT -> "error";
			case Level.WARN_INT -> " warn";
			case Level.INFO_INT -> " info";
			case Level.DEBUG_INT -> "debug";
			default -> "trace";
		};
	}

	static String component(String loggerName) {
		if (loggerName.indexOf(':') >= 0 || loggerName.indexOf('.') < 0) {
			return loggerName;
		}
		return loggerName.substring(loggerName.lastIndexOf('.') + 1);
	}
}
