package dev.sluice.container;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.komamitsu.fluency.Fluency;
import org.komamitsu.fluency.fluentd.FluencyBuilderForFluentd;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.containers.wait.strategy.Wait;

import dev.sluice.testing.Await;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container image, built from the root {@code Dockerfile} on a Debian base made by debootstrap
 * (see {@link SluiceImage}) and run as a user runs it: read-only root filesystem, a tmpfs on /tmp,
 * a memory limit, with its default configuration. Its readiness probe answers, Docker's
 * HEALTHCHECK turns healthy, a record sent with a real Fluentd forward client comes out on the
 * container's stdout.
 */
class ContainerImageIT {

	private static final Duration DEADLINE = Duration.ofSeconds(120);

	private static final long MEMORY_LIMIT = 384L * 1024 * 1024;

	private static GenericContainer<?> sluice;

	private static final ToStringConsumer stdout = new ToStringConsumer();

	private static int forwardPort;

	private static int httpPort;

	@BeforeAll
	static void start() throws Exception {
		String image = SluiceImage.ensureBuilt();
		// the image's default configuration (conf/sluice.conf): forward on 24224, HTTP server on 2020
		sluice = new GenericContainer<>(image).withExposedPorts(24224, 2020)
			.withCreateContainerCmdModifier((cmd) -> cmd.getHostConfig()
				.withReadonlyRootfs(true)
				.withTmpFs(Map.of("/tmp", "rw,noexec,nosuid,size=64m"))
				.withMemory(MEMORY_LIMIT)
				.withMemorySwap(MEMORY_LIMIT))
			.withLogConsumer(stdout)
			.waitingFor(Wait.forHttp("/actuator/health/readiness").forPort(2020).forStatusCode(200)
				.withStartupTimeout(DEADLINE));
		sluice.start();
		forwardPort = sluice.getMappedPort(24224);
		httpPort = sluice.getMappedPort(2020);
	}

	@AfterAll
	static void stop() {
		if (sluice != null) {
			sluice.stop();
		}
	}

	@Test
	void readinessProbeAnswersAndDockerHealthcheckTurnsHealthy() {
		HttpClient http = HttpClient.newHttpClient();
		String body = Await.value(DEADLINE, "readiness probe 200", () -> {
			try {
				HttpResponse<String> r = http.send(HttpRequest
					.newBuilder(URI.create("http://" + sluice.getHost() + ":" + httpPort + "/actuator/health/readiness"))
					.build(), HttpResponse.BodyHandlers.ofString());
				return (r.statusCode() == 200) ? r.body() : null;
			}
			catch (Exception ex) {
				return null;
			}
		}, (b) -> b != null);
		assertThat(body).contains("\"status\":\"UP\"");
		Await.until(DEADLINE, "docker reports the container healthy", () -> "healthy".equals(DockerClientFactory
			.instance()
			.client()
			.inspectContainerCmd(sluice.getContainerId())
			.exec()
			.getState()
			.getHealth()
			.getStatus()));
	}

	@Test
	void recordSentWithForwardComesOutOnStdout() throws Exception {
		FluencyBuilderForFluentd b = new FluencyBuilderForFluentd();
		b.setAckResponseMode(true);
		b.setFlushAttemptIntervalMillis(50);
		Fluency fluency = b.build(sluice.getHost(), forwardPort);
		try {
			Map<String, Object> r = new LinkedHashMap<>();
			r.put("message", "hello from the container test");
			r.put("n", 42);
			fluency.emit("it.container", r);
			fluency.flush();
			Await.until(DEADLINE, "the record on the container's stdout",
					() -> stdout.toUtf8String().contains("\"message\":\"hello from the container test\",\"n\":42"));
		}
		finally {
			fluency.close();
		}
	}

	@Test
	void runsAsNonRootOnAReadOnlyRootWithTheJlinkedRuntime() throws Exception {
		assertThat(exec("id", "-u").getStdout().strip()).isEqualTo("10001");
		ExecResult touchRoot = exec("touch", "/opt/sluice/x");
		assertThat(touchRoot.getExitCode()).as("writing to the read-only root").isNotZero();
		assertThat(touchRoot.getStderr()).contains("Read-only file system");
		assertThat(exec("touch", "/tmp/x").getExitCode()).as("writing to /tmp").isZero();
		// the launcher picks the image's runtime and its AOT cache
		ExecResult dry = exec("env", "SLUICE_LAUNCH_DRY_RUN=1", "/opt/sluice/bin/sluice", "-c", "/etc/sluice/sluice.conf");
		assertThat(dry.getStdout().lines()).first().isEqualTo("/opt/sluice/jre/bin/java");
		assertThat(dry.getStdout().lines()).contains("-XX:AOTCache=/opt/sluice/lib/app/sluice.aot",
				"/opt/sluice/lib/app/sluice.jar");
		assertThat(exec("/opt/sluice/jre/bin/java", "--version").getStdout()).contains(" 25");
		// the Helm chart's reload sidecar runs this script from the same image
		assertThat(exec("test", "-x", "/opt/sluice/bin/sluice-config-reloader").getExitCode()).isZero();
	}

	@Test
	void heapFollowsTheContainerMemoryLimit() throws Exception {
		// MaxRAMPercentage=50 (the launcher's default) of the 384 MiB limit: a 192 MiB heap at most
		ExecResult r = exec("/opt/sluice/jre/bin/java", "-XX:MaxRAMPercentage=50", "-XX:+UseSerialGC",
				"-XX:+PrintFlagsFinal", "-version");
		String line = r.getStdout().lines().filter((l) -> l.contains(" MaxHeapSize ")).findFirst().orElseThrow();
		long maxHeap = Long.parseLong(line.trim().split("\\s+")[3]);
		assertThat(maxHeap).isBetween(MEMORY_LIMIT / 2 - 8 * 1024 * 1024, MEMORY_LIMIT / 2);
	}

	private static ExecResult exec(String... command) throws Exception {
		return sluice.execInContainer(command);
	}

}
