package dev.sluice.admin;

import java.nio.file.Path;
import java.time.Duration;

import dev.sluice.SluiceService;
import dev.sluice.config.ConfigLoader;
import dev.sluice.engine.PipelineManager;
import dev.sluice.plugin.PluginRegistry;
import dev.sluice.testing.Await;
import dev.sluice.testing.Http;

/**
 * The whole service (Spring, HTTP server, pipeline) started in-process on a configuration file,
 * on a real port; reloads re-read the file. Stopped as SIGTERM would stop it.
 */
final class RunningService implements AutoCloseable {

	private final SluiceService service;

	private final Thread thread;

	private final int port;

	private volatile int exitCode = -1;

	RunningService(Path config, int port, PluginRegistry registry) {
		this.port = port;
		this.service = new SluiceService(registry, System.err, false);
		ConfigLoader loader = new ConfigLoader();
		this.thread = Thread.ofPlatform().name("sluice-under-test").start(() -> {
			this.exitCode = this.service.run(loader.load(config), false, null, () -> loader.load(config));
		});
		Await.until(Duration.ofSeconds(60), "the monitoring API to answer",
				() -> Http.bodyOrNull(url("/api/v1/uptime")) != null || !this.thread.isAlive());
		if (!this.thread.isAlive()) {
			throw new AssertionError("service exited with " + this.exitCode);
		}
		Await.until(Duration.ofSeconds(30), "the pipeline to start", () -> this.service.manager() != null
				&& this.service.manager().current() != null);
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	PipelineManager manager() {
		return this.service.manager();
	}

	@Override
	public void close() throws InterruptedException {
		this.service.stop("test");
		this.thread.join(Duration.ofSeconds(60));
	}

	int exitCode() {
		return this.exitCode;
	}
}
