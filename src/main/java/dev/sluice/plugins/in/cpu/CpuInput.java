package dev.sluice.plugins.in.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;

import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code cpu} input: CPU usage from {@code /proc/stat} every {@code interval_sec} +
 * {@code interval_nsec} (default 1 s), as percentages of the time elapsed since the previous
 * sample (doubles). The record has {@code cpu_p}, {@code user_p}, {@code system_p} for the whole
 * system (averaged over the CPUs: 0..100) and {@code cpuN.p_cpu}, {@code cpuN.p_user},
 * {@code cpuN.p_system} for each CPU (0..100 each); user includes nice. With {@code pid} only that
 * process is measured ({@code /proc/PID/stat}): {@code cpu_p}, {@code user_p}, {@code system_p}
 * (100 = one CPU busy). Ticks are {@code USER_HZ} = 100 per second, as on every Linux.
 */
@Plugin(kind = PluginKind.INPUT, name = "cpu", description = "CPU Usage", config = CpuInputConfig.class)
public final class CpuInput implements InputPlugin<CpuInputConfig> {

	static final double TICKS = 100.0;

	private Logger log;

	private int pid;

	private Duration interval;

	private Path procStat = Path.of("/proc/stat");

	/** [user+nice, system] per line: index 0 the total, then each CPU. */
	private long[][] previous;

	private List<String> names;

	private long previousNanos;

	@Override
	public void init(CpuInputConfig config, InputContext context) throws Exception {
		this.log = context.log();
		this.pid = config.pid;
		long sec = config.intervalSec;
		long nsec = config.intervalNsec;
		if (sec <= 0 && nsec <= 0) {
			sec = 1;
			nsec = 0;
		}
		this.interval = Duration.ofSeconds(Math.max(sec, 0)).plusNanos(Math.max(nsec, 0));
		try {
			sample();
		}
		catch (IOException | RuntimeException ex) {
			throw new IOException("Could not obtain CPU data: " + ex.getMessage(), ex);
		}
	}

	/** Reads the counters; returns the percentages since the previous read (null the first time). */
	private Map<String, Object> sample() throws IOException {
		long now = System.nanoTime();
		long[][] cur;
		List<String> names = new ArrayList<>();
		if (this.pid > 0) {
			cur = new long[][] { pidTicks(Files.readString(Path.of("/proc/" + this.pid + "/stat"))) };
		}
		else {
			List<long[]> rows = new ArrayList<>();
			for (String line : Files.readAllLines(this.procStat)) {
				if (!line.startsWith("cpu")) {
					continue;
				}
				String[] f = line.trim().split("\\s+");
				if (f.length < 5) {
					continue;
				}
				names.add(f[0]);
				rows.add(new long[] { Long.parseLong(f[1]) + Long.parseLong(f[2]), Long.parseLong(f[3]) });
			}
			if (rows.isEmpty() || !names.get(0).equals("cpu")) {
				throw new IOException("no cpu line in " + this.procStat);
			}
			cur = rows.toArray(long[][]::new);
		}
		long[][] prev = this.previous;
		long prevNanos = this.previousNanos;
		this.previous = cur;
		this.previousNanos = now;
		if (prev == null || prev.length != cur.length) {
			this.names = names;
			return null;
		}
		double seconds = (now - prevNanos) / 1e9;
		Map<String, Object> r = new LinkedHashMap<>();
		if (this.pid > 0) {
			r.put("cpu_p", pct(prev[0][0] + prev[0][1], cur[0][0] + cur[0][1], seconds, 1));
			r.put("user_p", pct(prev[0][0], cur[0][0], seconds, 1));
			r.put("system_p", pct(prev[0][1], cur[0][1], seconds, 1));
			return r;
		}
		int cpus = cur.length - 1;
		r.put("cpu_p", pct(prev[0][0] + prev[0][1], cur[0][0] + cur[0][1], seconds, Math.max(cpus, 1)));
		r.put("user_p", pct(prev[0][0], cur[0][0], seconds, Math.max(cpus, 1)));
		r.put("system_p", pct(prev[0][1], cur[0][1], seconds, Math.max(cpus, 1)));
		for (int i = 1; i < cur.length; i++) {
			String n = names.get(i);
			r.put(n + ".p_cpu", pct(prev[i][0] + prev[i][1], cur[i][0] + cur[i][1], seconds, 1));
			r.put(n + ".p_user", pct(prev[i][0], cur[i][0], seconds, 1));
			r.put(n + ".p_system", pct(prev[i][1], cur[i][1], seconds, 1));
		}
		return r;
	}

	private static double pct(long pre, long now, double seconds, int cpus) {
		if (seconds <= 0) {
			return 0.0;
		}
		return Math.max(0, now - pre) / TICKS / cpus * 100.0 / seconds;
	}

	/** utime and stime of {@code /proc/PID/stat} (fields 14 and 15, counted after the command in parentheses). */
	static long[] pidTicks(String stat) {
		int close = stat.lastIndexOf(')');
		String[] f = stat.substring(close + 1).trim().split("\\s+");
		// f[0] is the state (field 3): utime is field 14, stime field 15
		return new long[] { Long.parseLong(f[11]), Long.parseLong(f[12]) };
	}

	@Override
	public void collect(InputContext ctx) throws Exception {
		EventEncoder enc = new EventEncoder();
		while (ctx.isRunning()) {
			if (!ctx.sleep(this.interval)) {
				return;
			}
			if (ctx.isPaused() && !ctx.awaitResume()) {
				return;
			}
			Map<String, Object> r;
			try {
				r = sample();
			}
			catch (IOException | RuntimeException ex) {
				this.log.error("error retrieving {} CPU stats: {}", (this.pid > 0) ? "PID" : "overall system",
						ex.getMessage());
				continue;
			}
			if (r == null) {
				continue;
			}
			enc.append(EventTime.now(), r);
			ctx.append(ctx.tag(), enc);
		}
	}
}
