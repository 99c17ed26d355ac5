package dev.sluice.engine;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hot_reload.watch}: reloads when a configuration file (the main file or an included one)
 * changes on disk. Changes are debounced (an editor's save is several events) and the set of
 * watched files is refreshed after each reload, so newly included files are watched too.
 */
public final class ConfigWatcher implements AutoCloseable {

	private static final Logger LOG = LoggerFactory.getLogger("reload");

	private static final long DEBOUNCE_MILLIS = 300;

	private final PipelineManager manager;

	private final Supplier<List<Path>> files;

	private final WatchService watch;

	private final Thread thread;

	private volatile Set<Path> watched = Set.of();

	/**
	 * @param manager reloads
	 * @param files the configuration files of the running generation
	 */
	public ConfigWatcher(PipelineManager manager, Supplier<List<Path>> files) throws IOException {
		this.manager = manager;
		this.files = files;
		this.watch = FileSystems.getDefault().newWatchService();
		register();
		this.thread = Thread.ofVirtual().name("sluice-config-watch").start(this::run);
	}

	private void register() throws IOException {
		Set<Path> now = new HashSet<>();
		for (Path f : this.files.get()) {
			Path abs = f.toAbsolutePath().normalize();
			now.add(abs);
			Path parent = abs.getParent();
			if (parent != null && Files.isDirectory(parent)) {
				parent.register(this.watch, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE,
						StandardWatchEventKinds.ENTRY_DELETE);
			}
		}
		this.watched = now;
	}

	private void run() {
		try {
			while (true) {
				if (!drain(this.watch.take())) {
					continue; // another file in the same directory (an output file, a log)
				}
				// debounce: wait until the configuration files have been quiet for a moment (an
				// editor's save is several events), at most a few seconds
				long now = System.nanoTime();
				long quietUntil = now + DEBOUNCE_MILLIS * 1_000_000;
				long latest = now + 10 * DEBOUNCE_MILLIS * 1_000_000;
				while ((now = System.nanoTime()) < quietUntil && now < latest) {
					WatchKey more = this.watch.poll(quietUntil - now, TimeUnit.NANOSECONDS);
					if (more != null && drain(more)) {
						quietUntil = System.nanoTime() + DEBOUNCE_MILLIS * 1_000_000;
					}
				}
				{
					LOG.info("configuration file changed: reloading");
					ReloadResult r = this.manager.reload("hot_reload.watch");
					if (r.outcome() == ReloadResult.Outcome.FAILED) {
						LOG.error("reload after a configuration change failed; the running pipeline is unchanged");
					}
					register();
				}
			}
		}
		catch (InterruptedException | ClosedWatchServiceException ex) {
			// closed
		}
		catch (IOException ex) {
			LOG.error("configuration watch stopped: {}", ex.toString());
		}
	}

	private boolean drain(WatchKey key) {
		boolean relevant = false;
		Path dir = (Path) key.watchable();
		for (WatchEvent<?> e : key.pollEvents()) {
			if (e.context() instanceof Path p && this.watched.contains(dir.resolve(p).toAbsolutePath().normalize())) {
				relevant = true;
			}
			LOG.debug("watch event {} {} (relevant: {})", e.kind(), e.context(), relevant);
		}
		key.reset();
		return relevant;
	}

	@Override
	public void close() throws IOException {
		this.watch.close();
		this.thread.interrupt();
	}
}
