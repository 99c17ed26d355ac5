package dev.sluice;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

import dev.sluice.config.ConfigDocument;
import dev.sluice.config.ConfigError;
import dev.sluice.config.ConfigException;
import dev.sluice.config.PipelineDefinition;
import dev.sluice.config.ServiceConfig;
import dev.sluice.admin.HealthTracker;
import dev.sluice.engine.PipelineGeneration;
import dev.sluice.engine.PipelineManager;
import dev.sluice.log.SluiceLogging;
import dev.sluice.plugin.PluginRegistry;

/**
 * Runs Sluice as a service: validates the configuration (every error reported, exit 1), starts
 * Spring (with the HTTP server when {@code http_server} is on) and the first pipeline generation,
 * handles SIGTERM/SIGINT (graceful stop within {@code grace}), and returns the exit code.
 */
public final class SluiceService {

	private static final Logger CONFIG_LOG = LoggerFactory.getLogger("config");

	private final PluginRegistry registry;

	private final PrintStream err;

	private final CountDownLatch stopSignal = new CountDownLatch(1);

	private final AtomicReference<String> stopReason = new AtomicReference<>();

	private volatile PipelineManager manager;

	private final boolean handleSignals;

	public SluiceService(PluginRegistry registry, PrintStream err) {
		this(registry, err, true);
	}

	/**
	 * @param handleSignals whether to take SIGTERM, SIGINT and SIGHUP (false when embedded, e.g. in
	 * tests, where {@link #stop} and {@link PipelineManager#reload} do the same)
	 */
	public SluiceService(PluginRegistry registry, PrintStream err, boolean handleSignals) {
		this.registry = registry;
		this.err = err;
		this.handleSignals = handleSignals;
	}

	/**
	 * @param doc the whole configuration (file and command line merged)
	 * @param dryRun validate only
	 * @param logLevelOverride the level from {@code -v}/{@code -q}, or null
	 * @param reloadSource reads the configuration again for a hot reload
	 * @return the process exit code
	 */
	public int run(ConfigDocument doc, boolean dryRun, String logLevelOverride,
			java.util.function.Supplier<ConfigDocument> reloadSource) {
		String level = (logLevelOverride != null) ? logLevelOverride : levelOf(doc);
		try {
			SluiceLogging.configure(level, doc.service().get("log_file"));
		}
		catch (IllegalArgumentException ex) {
			SluiceLogging.configure("info", null);
			CONFIG_LOG.error("{}", ex.getMessage());
			return 1;
		}
		PipelineDefinition def;
		try {
			def = PipelineDefinition.build(doc, this.registry);
		}
		catch (ConfigException ex) {
			reportErrors(ex);
			return 1;
		}
		if (dryRun) {
			this.err.println("configuration test is successful");
			return 0;
		}
		return runService(def, reloadSource);
	}

	private static String levelOf(ConfigDocument doc) {
		String env = doc.variables().get("FLB_LOG_LEVEL");
		if (env == null) {
			env = System.getenv("FLB_LOG_LEVEL");
		}
		if (env != null && !env.isBlank()) {
			return env;
		}
		String v = doc.service().get("log_level");
		return (v != null) ? v : "info";
	}

	private void reportErrors(ConfigException ex) {
		for (ConfigError e : ex.errors()) {
			CONFIG_LOG.error("{}", e);
		}
		CONFIG_LOG.error("configuration file contains errors, aborting.");
	}

	private int runService(PipelineDefinition def, java.util.function.Supplier<ConfigDocument> reloadSource) {
		ServiceConfig svc = def.service();
		Logger log = LoggerFactory.getLogger("sluice");
		log.info("version={}, fluent-bit compatibility={}, pid={}", SluiceVersionInfo.version(),
				SluiceVersionInfo.fluentBitVersion(), ProcessHandle.current().pid());
		if (svc.storagePath == null) {
			// with storage.path the engine says so when it opens the storage
			log.info("[storage] ver=sluice, type=memory, sync={}, checksum={}, max_chunks_up={}", svc.storageSync,
					svc.storageChecksum ? "on" : "off", svc.storageMaxChunksUp);
		}
		this.manager = new PipelineManager(this.registry, reloadSource);
		HealthTracker health = new HealthTracker(this.manager, System::currentTimeMillis);
		// Spring (and the HTTP server) starts on its own thread while this one starts the first
		// pipeline generation: both take a core. The HTTP server opens only once the pipeline runs
		// (PipelineGate), so the monitoring API never answers for a pipeline that is not there.
		// from here on SIGTERM/SIGINT are a graceful stop: one that arrives while starting takes
		// effect as soon as the start is done (records may already flow before the HTTP server)
		if (this.handleSignals) {
			installSignalHandlers(svc.hotReload);
		}
		PipelineGate gate = new PipelineGate();
		java.util.concurrent.CompletableFuture<ConfigurableApplicationContext> springStart = new java.util.concurrent.CompletableFuture<>();
		Thread.ofPlatform().name("sluice-spring-start").start(() -> {
			try {
				springStart.complete(startSpring(svc, health, gate));
			}
			catch (Throwable ex) {
				springStart.completeExceptionally(ex);
			}
		});
		try {
			this.manager.start(def, 1000);
		}
		catch (ConfigException ex) {
			gate.fail();
			closeQuietly(springStart);
			reportErrors(ex);
			LoggerFactory.getLogger("engine").error("initialization failed");
			return 1;
		}
		catch (RuntimeException | Error ex) {
			gate.fail();
			closeQuietly(springStart);
			throw ex;
		}
		gate.open();
		// the pipeline runs: watch its files from now on (an edit made while Spring still starts
		// must not be missed)
		dev.sluice.engine.ConfigWatcher watcher = null;
		if (svc.hotReloadWatch && !svc.hotReload) {
			LoggerFactory.getLogger("reload").warn("hot_reload.watch is on but hot_reload is off: not watching");
		}
		else if (svc.hotReloadWatch && !def.document().files().isEmpty()) {
			try {
				watcher = new dev.sluice.engine.ConfigWatcher(this.manager,
						() -> this.manager.current().definition().document().files());
			}
			catch (java.io.IOException ex) {
				LoggerFactory.getLogger("reload").error("cannot watch the configuration: {}", ex.toString());
			}
		}
		ConfigurableApplicationContext spring;
		try {
			spring = springStart.join();
		}
		catch (java.util.concurrent.CompletionException ex) {
			if (watcher != null) {
				try {
					watcher.close();
				}
				catch (java.io.IOException closing) {
					// stopping anyway
				}
			}
			PipelineGeneration gen = this.manager.current();
			if (gen != null) {
				gen.close();
			}
			LoggerFactory.getLogger("http_server").error("could not start the HTTP server on {}:{}: {}", svc.httpListen,
					svc.httpPort, rootMessage(ex));
			LoggerFactory.getLogger("engine").error("initialization failed");
			return 1;
		}
		this.manager.setParent(spring);
		try {
			health.startSampling();
			awaitStop();
			if (watcher != null) {
				try {
					watcher.close();
				}
				catch (java.io.IOException ex) {
					// closing
				}
			}
			PipelineGeneration gen = this.manager.current();
			int status = 0;
			if (gen != null) {
				status = gen.engine().exitStatus();
				gen.close();
			}
			return status;
		}
		finally {
			spring.close();
		}
	}

	/** Blocks until a stop signal, or until the running engine stopped by itself (not by a reload). */
	private void awaitStop() {
		try {
			while (!this.stopSignal.await(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
				PipelineGeneration gen = this.manager.current();
				if (gen != null && gen.engine().isStopped() && !this.manager.isReloading()
						&& this.manager.current() == gen) {
					return;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void closeQuietly(java.util.concurrent.CompletableFuture<ConfigurableApplicationContext> spring) {
		try {
			spring.join().close();
		}
		catch (RuntimeException ex) {
			// Spring did not start: nothing to close
		}
	}

	private static String rootMessage(Throwable ex) {
		Throwable t = ex;
		while (t.getCause() != null && t.getCause() != t) {
			t = t.getCause();
		}
		if (t instanceof java.net.BindException) {
			return "address already in use or not available (" + t.getMessage() + ")";
		}
		return t.toString();
	}

	/**
	 * Holds the start of Spring's HTTP server until the first pipeline generation is running: a
	 * lifecycle bean started before the web server's ({@code SmartLifecycle} phases start low to
	 * high; the web server starts near the top).
	 */
	static final class PipelineGate implements org.springframework.context.SmartLifecycle {

		private final CountDownLatch decided = new CountDownLatch(1);

		private volatile boolean failed;

		private volatile boolean running;

		void open() {
			this.decided.countDown();
		}

		void fail() {
			this.failed = true;
			this.decided.countDown();
		}

		@Override
		public void start() {
			try {
				this.decided.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while the pipeline started", ex);
			}
			// when the pipeline failed, Spring still finishes its start (quietly) and is closed
			// right after: failing this bean would log a misleading Spring warning
			this.running = !this.failed;
		}

		@Override
		public void stop() {
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return 0;
		}
	}

	private ConfigurableApplicationContext startSpring(ServiceConfig svc, HealthTracker health, PipelineGate gate) {
		SpringApplication app = springApplication(svc.httpServer, svc.httpPort, svc.httpListen);
		// with the HTTP server, the bean definitions generated at build time (see SpringAot): no
		// configuration class parsing and no condition evaluation at start (set either way: an
		// embedding JVM, such as the tests', may start both kinds)
		System.setProperty("spring.aot.enabled", Boolean.toString(svc.httpServer && springAotAvailable()));
		// the generated initializer is named after the class the build ran
		app.setMainApplicationClass(SpringAot.class);
		PipelineManager manager = this.manager;
		app.addInitializers((ctx) -> {
			ctx.getBeanFactory().registerSingleton("pipelineManager", manager);
			ctx.getBeanFactory().registerSingleton("healthTracker", health);
			ctx.getBeanFactory().registerSingleton("pluginRegistry", this.registry);
			ctx.getBeanFactory().registerSingleton("pipelineGate", gate);
			String token = (svc.adminToken != null) ? svc.adminToken
					: ctx.getEnvironment().getProperty("sluice.admin.token");
			ctx.getBeanFactory().registerSingleton("adminTokenFilter",
					new dev.sluice.admin.AdminTokenFilter(token, svc.adminProtectReadEndpoints));
		});
		ConfigurableApplicationContext ctx = app.run();
		if (svc.httpServer) {
			LoggerFactory.getLogger("http_server").info("listen iface={} tcp_port={}", svc.httpListen, svc.httpPort);
		}
		return ctx;
	}

	/**
	 * The Spring application Sluice runs: also used by the build to generate its bean definitions
	 * ahead of time ({@link SpringAot}), so both must be configured alike.
	 */
	static SpringApplication springApplication(boolean web, int port, String listen) {
		SpringApplication app = new SpringApplication(SluiceApplication.class);
		app.setWebApplicationType(web ? WebApplicationType.SERVLET : WebApplicationType.NONE);
		app.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
		app.setLogStartupInfo(false);
		app.setRegisterShutdownHook(false);
		Map<String, Object> props = new HashMap<>();
		props.put("server.port", port);
		props.put("server.address", listen);
		props.put("management.endpoints.web.exposure.include", "health,info,prometheus");
		props.put("management.endpoint.health.probes.enabled", "true");
		props.put("management.endpoint.health.group.liveness.include", "livenessState,engine");
		props.put("management.endpoint.health.group.readiness.include", "readinessState,pipeline");
		props.put("management.endpoint.health.group.liveness.show-details", "always");
		props.put("management.endpoint.health.group.readiness.show-details", "always");
		props.put("spring.threads.virtual.enabled", "true");
		props.put("management.endpoint.health.show-details", "always");
		props.put("management.info.env.enabled", "true");
		props.put("info.app.name", "sluice");
		props.put("info.app.version", SluiceVersionInfo.version());
		props.put("info.app.fluent-bit-compatibility", SluiceVersionInfo.fluentBitVersion());
		app.setDefaultProperties(props);
		return app;
	}

	/**
	 * Whether the build generated the application's bean definitions (Spring AOT; only for the
	 * web application, which is what it was generated for). {@code -Dsluice.spring.aot=false}
	 * starts without them.
	 */
	static boolean springAotAvailable() {
		if ("false".equals(System.getProperty("sluice.spring.aot"))) {
			return false;
		}
		return SluiceService.class.getClassLoader()
			.getResource("dev/sluice/SpringAot__ApplicationContextInitializer.class") != null;
	}

	private void installSignalHandlers(boolean hotReload) {
		try {
			sun.misc.Signal.handle(new sun.misc.Signal("HUP"), (sig) -> {
				caughtSignal("SIGHUP");
				if (!hotReload) {
					LoggerFactory.getLogger("reload").info("hot reloading is not enabled");
					return;
				}
				Thread.ofVirtual().name("sluice-sighup").start(() -> this.manager.reload("SIGHUP"));
			});
		}
		catch (IllegalArgumentException ex) {
			LoggerFactory.getLogger("engine").debug("cannot handle SIGHUP: {}", ex.getMessage());
		}
		for (String name : new String[] { "TERM", "INT" }) {
			try {
				sun.misc.Signal.handle(new sun.misc.Signal(name), (sig) -> {
					caughtSignal("SIG" + sig.getName());
					stop("SIG" + sig.getName());
				});
			}
			catch (IllegalArgumentException ex) {
				LoggerFactory.getLogger("engine").debug("cannot handle SIG{}: {}", name, ex.getMessage());
			}
		}
	}

	private void caughtSignal(String name) {
		String time = java.time.format.DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss")
			.withZone(java.time.ZoneId.systemDefault())
			.format(java.time.Instant.now());
		this.err.println("[" + time + "] [engine] caught signal (" + name + ")");
	}

	/** Stops the service gracefully (as SIGTERM does). */
	public void stop(String reason) {
		this.stopReason.compareAndSet(null, reason);
		this.stopSignal.countDown();
	}

	public PipelineManager manager() {
		return this.manager;
	}

}
