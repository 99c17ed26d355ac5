package dev.sluice.plugins.in.exec;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.msgpack.core.MessagePacker;
import org.slf4j.Logger;

import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.parser.ParseResult;
import dev.sluice.parser.Parser;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code exec} input: runs {@code command} with {@code /bin/sh -c} every
 * {@code interval_sec} + {@code interval_nsec} (default 1 s; both 0 means the default), or once
 * with {@code oneshot}, and turns each line of its standard output into a record
 * {@code {"exec": line}}, or the record {@code parser} makes of it (a line the parser does not
 * match is logged and dropped, as Fluent Bit). A line longer than {@code buf_size} bytes is cut
 * into pieces of that size (Fluent Bit's {@code fgets}). Standard error is not read (it goes to
 * Sluice's own). The next run starts one interval after the previous one ended; while the
 * instance is paused the command is not started, and its output is read only as fast as it can
 * be appended.
 *
 * <p>{@code exit_after_oneshot} stops the service when the one-shot command has ended. With
 * {@code propagate_exit_code} as well, the process then exits with the command's exit status.
 */
@Plugin(kind = PluginKind.INPUT, name = "exec", description = "Exec Input", config = ExecInputConfig.class)
public final class ExecInput implements InputPlugin<ExecInputConfig> {

	private ExecInputConfig config;

	private Logger log;

	private Parser parser;

	private Duration interval;

	private int bufSize;

	private volatile Process running;

	private volatile int lastExitCode = -1;

	@Override
	public void init(ExecInputConfig config, InputContext context) throws Exception {
		this.config = config;
		this.log = context.log();
		if (config.command == null || config.command.isBlank()) {
			throw new IllegalArgumentException("no input 'command' was given");
		}
		if (config.parser != null && !config.parser.isEmpty()) {
			this.parser = context.parsers().parser(config.parser);
			if (this.parser == null) {
				throw new IllegalArgumentException("requested parser '" + config.parser + "' not found");
			}
		}
		if (config.bufSize <= 0 || config.bufSize > Integer.MAX_VALUE - 16) {
			throw new IllegalArgumentException("buffer size is invalid");
		}
		this.bufSize = (int) config.bufSize;
		long sec = config.intervalSec;
		long nsec = config.intervalNsec;
		if (sec <= 0 && nsec <= 0) {
			sec = 1;
			nsec = 0;
		}
		this.interval = Duration.ofSeconds(Math.max(sec, 0)).plusNanos(Math.max(nsec, 0));
		this.log.debug("interval_sec={} interval_nsec={} oneshot={} buf_size={}", sec, nsec, config.oneshot,
				this.bufSize);
	}

	/** The exit status of the last run, -1 before the first ended (for tests). */
	int lastExitCode() {
		return this.lastExitCode;
	}

	@Override
	public void collect(InputContext ctx) throws Exception {
		if (this.config.oneshot) {
			if (ctx.isPaused() && !ctx.awaitResume()) {
				return;
			}
			int code = runOnce(ctx);
			if (code >= 0 && this.config.propagateExitCode) {
				this.log.info("command exited with code {}", code);
			}
			if (this.config.exitAfterOneshot) {
				this.log.info("one-shot command finished; exiting");
				// with propagate_exit_code the process ends with the command's status (a command
				// killed by signal N reports 128+N, the shell's convention)
				ctx.requestShutdown(this.config.propagateExitCode && code > 0 ? code : 0);
			}
			return;
		}
		while (ctx.isRunning()) {
			if (!ctx.sleep(this.interval)) {
				return;
			}
			if (ctx.isPaused() && !ctx.awaitResume()) {
				return;
			}
			runOnce(ctx);
		}
	}

	/** Runs the command, appending its lines; returns its exit code, or -1 when it could not run or was stopped. */
	private int runOnce(InputContext ctx) throws InterruptedException {
		Process p;
		try {
			p = new ProcessBuilder(List.of("/bin/sh", "-c", this.config.command))
				.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
				.redirectError(ProcessBuilder.Redirect.INHERIT)
				.start();
		}
		catch (IOException ex) {
			this.log.error("command {} failed: {}", this.config.command, ex.getMessage());
			return -1;
		}
		this.running = p;
		EventEncoder enc = new EventEncoder();
		try (InputStream in = p.getInputStream()) {
			byte[] buf = new byte[this.bufSize];
			int len = 0;
			int r;
			byte[] chunk = new byte[8192];
			while ((r = in.read(chunk)) > 0) {
				for (int i = 0; i < r; i++) {
					byte c = chunk[i];
					if (c == '\n') {
						line(buf, len, enc);
						len = 0;
						continue;
					}
					buf[len++] = c;
					if (len == this.bufSize) {
						line(buf, len, enc);
						len = 0;
					}
				}
				if (enc.records() > 0) {
					if (ctx.isPaused() && !ctx.awaitResume()) {
						p.destroy();
						return -1;
					}
					ctx.append(ctx.tag(), enc);
				}
			}
			if (len > 0) {
				line(buf, len, enc);
			}
			ctx.append(ctx.tag(), enc);
		}
		catch (IOException ex) {
			if (ctx.isRunning()) {
				this.log.warn("reading the output of {} failed: {}", this.config.command, ex.getMessage());
			}
		}
		catch (IllegalStateException ex) {
			p.destroy();
			return -1; // stopping
		}
		finally {
			this.running = null;
		}
		if (!p.waitFor(10, TimeUnit.SECONDS)) {
			p.destroy();
			return -1;
		}
		int code = p.exitValue();
		this.lastExitCode = code;
		if (code != 0) {
			this.log.debug("command {} exited with code {}", this.config.command, code);
		}
		return code;
	}

	private void line(byte[] b, int len, EventEncoder enc) throws IOException {
		EventTime now = EventTime.now();
		if (this.parser != null) {
			ParseResult r = this.parser.parse(b, 0, len);
			if (r == null) {
				this.log.error("parser returned an error");
				return;
			}
			MessagePacker pk = enc.beginEvent((r.time() != null) ? r.time() : now, Map.of());
			pk.writePayload(r.map());
			enc.endEvent();
			return;
		}
		MessagePacker pk = enc.beginEvent(now, Map.of());
		pk.packMapHeader(1);
		pk.packString("exec");
		pk.packRawStringHeader(len);
		pk.writePayload(b, 0, len);
		enc.endEvent();
	}

	@Override
	public void exit() {
		Process p = this.running;
		if (p != null) {
			p.destroy();
		}
	}
}
