package dev.sluice.log;

import java.util.Locale;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.slf4j.LoggerFactory;

/**
 * Sets up Sluice's log: Fluent Bit's line format, to stderr or a file ({@code -l},
 * {@code log_file}), at Fluent Bit's levels ({@code off, error, warn, info, debug, trace}).
 * Spring Boot is told to leave logging alone ({@code org.springframework.boot.logging.LoggingSystem=none}).
 */
public final class SluiceLogging {

	private SluiceLogging() {
	}

	/** Parses a Fluent Bit log level; unknown names are an error naming the accepted ones. */
	public static Level parseLevel(String name) {
		return switch (name.strip().toLowerCase(Locale.ROOT)) {
			case "off" -> Level.OFF;
			case "error" -> Level.ERROR;
			case "warn", "warning" -> Level.WARN;
			case "info" -> Level.INFO;
			case "debug" -> Level.DEBUG;
			case "trace" -> Level.TRACE;
			default -> throw new IllegalArgumentException(
					"invalid log level '" + name + "' (use off, error, warn, info, debug or trace)");
		};
	}

	/**
	 * Configures the root logger. Library loggers (Spring, Tomcat…) are kept at warn unless the
	 * level is debug or trace.
	 * @param level Fluent Bit level name
	 * @param file a log file, or null for stderr
	 */
	public static synchronized void configure(String level, String file) {
		System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
		if (!org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()) {
			org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
			org.slf4j.bridge.SLF4JBridgeHandler.install();
		}
		LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
		ctx.reset();
		FluentBitLayout layout = new FluentBitLayout();
		layout.setContext(ctx);
		layout.start();
		LayoutWrappingEncoder<ILoggingEvent> enc = new LayoutWrappingEncoder<>();
		enc.setContext(ctx);
		enc.setLayout(layout);
		enc.start();
		OutputStreamAppender<ILoggingEvent> appender;
		if (file != null && !file.isBlank()) {
			FileAppender<ILoggingEvent> f = new FileAppender<>();
			f.setFile(file);
			f.setAppend(true);
			appender = f;
		}
		else {
			ConsoleAppender<ILoggingEvent> c = new ConsoleAppender<>();
			c.setTarget("System.err");
			appender = c;
		}
		appender.setContext(ctx);
		appender.setName("sluice");
		appender.setEncoder(enc);
		appender.setImmediateFlush(true);
		appender.start();
		Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		Level lv = parseLevel(level);
		root.setLevel(lv);
		root.addAppender(appender);
		ch.qos.logback.classic.jul.LevelChangePropagator julLevels = new ch.qos.logback.classic.jul.LevelChangePropagator();
		julLevels.setContext(ctx);
		julLevels.setResetJUL(true);
		julLevels.start();
		ctx.addListener(julLevels);
		Level libs = (lv.toInt() <= Level.DEBUG_INT) ? lv : Level.WARN;
		for (String lib : new String[] { "org.springframework", "org.apache", "io.micrometer", "org.hibernate" }) {
			ctx.getLogger(lib).setLevel(libs.isGreaterOrEqual(lv) ? libs : lv);
		}
	}

	/** Sets one logger's level (a plugin instance's {@code log_level}). */
	public static void setLevel(String loggerName, String level) {
		LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
		ctx.getLogger(loggerName).setLevel(parseLevel(level));
	}
}
