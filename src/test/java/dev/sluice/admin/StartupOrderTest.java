package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.SluiceService;
import dev.sluice.config.ConfigLoader;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;
import dev.sluice.testing.Await;
import dev.sluice.testing.Http;
import dev.sluice.testing.Ports;

/**
 * Spring and the first pipeline start side by side; the HTTP server must open only once the
 * pipeline runs, so that a probe or a scraper never meets a monitoring API without a pipeline
 * (it answered 500 in that window before), and a pipeline that fails to start leaves no HTTP
 * server behind.
 */
class StartupOrderTest {

	static final CountDownLatch RELEASE = new CountDownLatch(1);

	static final Semaphore INIT_ENTERED = new Semaphore(0);

	@Plugin(kind = PluginKind.OUTPUT, name = "slow_init", description = "init waits for the test")
	public static final class SlowInit implements OutputPlugin<Plugin.NoConfig> {
		@Override
		public void init(Plugin.NoConfig config, OutputContext context) throws Exception {
			INIT_ENTERED.release();
			RELEASE.await();
		}

		@Override
		public FlushResult flush(Chunk chunk, OutputContext context) {
			return FlushResult.OK;
		}
	}

	@Plugin(kind = PluginKind.OUTPUT, name = "refusing_init", description = "init refuses")
	public static final class RefusingInit implements OutputPlugin<Plugin.NoConfig> {
		@Override
		public void init(Plugin.NoConfig config, OutputContext context) {
			throw new IllegalArgumentException("this output refuses to start");
		}

		@Override
		public FlushResult flush(Chunk chunk, OutputContext context) {
			return FlushResult.OK;
		}
	}

	private static PluginRegistry registry() {
		PluginRegistry r = PluginRegistry.builtin();
		r.register(PluginDescriptor.of(SlowInit.class));
		r.register(PluginDescriptor.of(RefusingInit.class));
		return r;
	}

	private static Path config(Path dir, int port, String output) throws IOException {
		return Files.writeString(dir.resolve("sluice.conf"), """
				[SERVICE]
				    flush       0.2
				    http_server on
				    http_listen 127.0.0.1
				    http_port   %d

				[INPUT]
				    name dummy

				[OUTPUT]
				    name  %s
				    match *
				""".formatted(port, output));
	}

	/** Whether the thread starting Spring is parked in {@code PipelineGate.start}. */
	private static boolean springAtTheGate() {
		for (java.util.Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
			if (e.getKey().getName().equals("sluice-spring-start")) {
				for (StackTraceElement f : e.getValue()) {
					if (f.getClassName().endsWith("PipelineGate") && f.getMethodName().equals("start")) {
						return true;
					}
				}
			}
		}
		return false;
	}

	/** Connection refused (true), or the status code the server answered with. */
	private static Object probe(String url) throws InterruptedException {
		try {
			return HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (ConnectException ex) {
			return true;
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	@Test
	void theMonitoringApiOpensOnlyOnceThePipelineRuns(@TempDir Path dir) throws Exception {
		int port = Ports.free();
		Path conf = config(dir, port, "slow_init");
		SluiceService service = new SluiceService(registry(), System.err, false);
		int[] exit = { -1 };
		Thread t = Thread.ofPlatform().start(() -> exit[0] = service.run(new ConfigLoader().load(conf), false, null,
				() -> new ConfigLoader().load(conf)));
		try {
			assertThat(INIT_ENTERED.tryAcquire(60, java.util.concurrent.TimeUnit.SECONDS))
				.as("the output's init to be called").isTrue();
			// wait until Spring's start has come as far as it can while the pipeline is held in
			// init: its thread blocked in the gate, the step just before the web server starts;
			// then every probe must still be refused
			Await.until(Duration.ofSeconds(60), "Spring's start to wait at the pipeline gate", StartupOrderTest::springAtTheGate);
			for (String path : new String[] { "/api/v1/uptime", "/api/v1/metrics", "/api/v2/metrics", "/api/v1/health" }) {
				assertThat(probe("http://127.0.0.1:" + port + path)).as(path).isEqualTo(true);
			}
			RELEASE.countDown();
			Await.until(Duration.ofSeconds(60), "the monitoring API to answer",
					() -> Http.bodyOrNull("http://127.0.0.1:" + port + "/api/v1/metrics") != null);
			assertThat(Http.get("http://127.0.0.1:" + port + "/api/v1/metrics").body()).contains("slow_init.0");
		}
		finally {
			RELEASE.countDown();
			service.stop("test");
			t.join(Duration.ofSeconds(60));
		}
		assertThat(exit[0]).isZero();
	}

	@Test
	void aPipelineThatFailsToStartLeavesNoHttpServer(@TempDir Path dir) throws Exception {
		int port = Ports.free();
		Path conf = config(dir, port, "refusing_init");
		SluiceService service = new SluiceService(registry(), System.err, false);
		int code = service.run(new ConfigLoader().load(conf), false, null, () -> new ConfigLoader().load(conf));
		assertThat(code).isEqualTo(1);
		assertThat(probe("http://127.0.0.1:" + port + "/api/v1/uptime")).isEqualTo(true);
	}

	@Test
	void aTakenMonitoringPortStopsTheServiceWithAClearError(@TempDir Path dir) throws Exception {
		try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50,
				java.net.InetAddress.getByName("127.0.0.1"))) {
			Path conf = config(dir, taken.getLocalPort(), "null");
			SluiceService service = new SluiceService(PluginRegistry.builtin(), System.err, false);
			int code = service.run(new ConfigLoader().load(conf), false, null, () -> new ConfigLoader().load(conf));
			assertThat(code).isEqualTo(1);
		}
	}
}
