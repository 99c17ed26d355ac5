package dev.sluice.plugins.in.mem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;

import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code mem} input: memory and swap usage from {@code /proc/meminfo} every
 * {@code interval_sec} + {@code interval_nsec} (default 1 s), in KB (integers):
 * {@code Mem.total}, {@code Mem.used} (total - free, as Fluent Bit's {@code sysinfo} figures),
 * {@code Mem.free}, {@code Swap.total}, {@code Swap.used}, {@code Swap.free}. With {@code pid},
 * that process's resident memory is added as {@code proc_bytes} and {@code proc_hr} (such as
 * {@code 12.5M}).
 */
@Plugin(kind = PluginKind.INPUT, name = "mem", description = "Memory Usage", config = MemInputConfig.class)
public final class MemInput implements InputPlugin<MemInputConfig> {

	private Logger log;

	private int pid;

	private Duration interval;

	@Override
	public void init(MemInputConfig config, InputContext context) throws Exception {
		this.log = context.log();
		this.pid = config.pid;
		long sec = config.intervalSec;
		long nsec = config.intervalNsec;
		if (sec <= 0 && nsec <= 0) {
			sec = 1;
			nsec = 0;
		}
		this.interval = Duration.ofSeconds(Math.max(sec, 0)).plusNanos(Math.max(nsec, 0));
		sample(); // fails the start when /proc is not readable
	}

	Map<String, Object> sample() throws IOException {
		Map<String, Long> kb = new LinkedHashMap<>();
		for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
			int colon = line.indexOf(':');
			if (colon < 0) {
				continue;
			}
			String[] v = line.substring(colon + 1).trim().split("\\s+");
			try {
				kb.put(line.substring(0, colon), Long.parseLong(v[0]));
			}
			catch (NumberFormatException ex) {
				// not a number: skip
			}
		}
		long total = kb.getOrDefault("MemTotal", 0L);
		long free = kb.getOrDefault("MemFree", 0L);
		long swapTotal = kb.getOrDefault("SwapTotal", 0L);
		long swapFree = kb.getOrDefault("SwapFree", 0L);
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("Mem.total", total);
		r.put("Mem.used", total - free);
		r.put("Mem.free", free);
		r.put("Swap.total", swapTotal);
		r.put("Swap.used", swapTotal - swapFree);
		r.put("Swap.free", swapFree);
		if (this.pid > 0) {
			long rss = residentBytes(this.pid);
			if (rss >= 0) {
				r.put("proc_bytes", rss);
				r.put("proc_hr", humanReadable(rss));
			}
		}
		return r;
	}

	private long residentBytes(int pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
				}
			}
			return 0;
		}
		catch (IOException | RuntimeException ex) {
			this.log.error("cannot read the memory of process {}: {}", pid, ex.getMessage());
			return -1;
		}
	}

	/** {@code 512b}, {@code 1.5K}, {@code 12.3M}, {@code 2.0G}. */
	static String humanReadable(long bytes) {
		String[] units = { "b", "K", "M", "G", "T", "P", "E" };
		if (bytes < 1024) {
			return bytes + units[0];
		}
		double v = bytes;
		int u = 0;
		while (v >= 1024 && u < units.length - 1) {
			v /= 1024;
			u++;
		}
		return String.format(Locale.ROOT, "%.1f%s", v, units[u]);
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
				this.log.error("cannot read /proc/meminfo: {}", ex.getMessage());
				continue;
			}
			enc.append(EventTime.now(), r);
			ctx.append(ctx.tag(), enc);
		}
	}
}
